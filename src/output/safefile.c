// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "output/safefile.h"

static int refuse_to(char *err, size_t errlen, const char *what, const char *path, const char *why)
{
	snprintf(err, errlen, "cannot %s '%s': %s", what, path, why);
	return -1;
}

static int refuse(char *err, size_t errlen, const char *path, const char *why)
{
	return refuse_to(err, errlen, "create", path, why);
}

/* Length of `path` without its trailing "/" and "/." (a lone "/" or "." stays). */
static size_t trimmed_len(const char *path, bool *slash)
{
	size_t len = strlen(path);

	*slash = false;
	while (len > 1 && (path[len - 1] == '/' || (path[len - 1] == '.' && path[len - 2] == '/'))) {
		len--;
		*slash = true;
	}
	return len;
}

static bool ends_in_dotdot(const char *path, size_t len)
{
	return len >= 2 && path[len - 1] == '.' && path[len - 2] == '.' &&
	       (len == 2 || path[len - 3] == '/');
}

/*
 * The directory holding the last component of `path`, opened, and that
 * component in `name`.  The kernel follows a symlink before a trailing "/"
 * (or "/."), O_NOFOLLOW or not: so those are taken off, and the caller looks
 * the last component up itself, without following.  A path ending in ".."
 * is refused (EINVAL: it names no entry that could be checked); "/" and "."
 * come back as (that directory, "."), which cannot be a symlink.  `slash` is
 * set when the path ended in "/" or "/.".  Returns the fd, or -1 with errno.
 */
static int open_parent(const char *path, char *name, size_t namelen, bool *slash)
{
	size_t len = trimmed_len(path, slash);
	char *dir, *base;
	int fd;

	if (!len || ends_in_dotdot(path, len)) {
		errno = len ? EINVAL : ENOENT;
		return -1;
	}
	dir = strndup(path, len);
	if (!dir)
		return -1;
	base = strrchr(dir, '/');
	base = base ? base + 1 : dir;
	if (strlen(base) >= namelen) {
		free(dir);
		errno = ENAMETOOLONG;
		return -1;
	}
	snprintf(name, namelen, "%s", *base ? base : ".");
	if (base == dir)
		snprintf(dir, len + 1, ".");
	else if (*base)
		*base = '\0';          /* "a/b" -> "a/", "/b" -> "/"; "/" stays */
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	return fd;
}

static int refuse_parent(char *err, size_t errlen, const char *what, const char *path)
{
	if (errno == EINVAL)
		return refuse_to(err, errlen, what, path, "it ends in '..'; name the directory itself");
	return refuse_to(err, errlen, what, path, strerror(errno));
}

/*
 * Why an existing file may not be overwritten even with --force, or NULL.
 * Only a regular file of the caller's with no other name is: another user's
 * file (in a shared directory, which the kernel's protected_regular guards
 * only for O_CREAT) would let its owner read the trace back, and a hard link
 * planted there would make procscope overwrite the file it names.
 */
static const char *unfit_existing(const struct stat *st)
{
	if (!S_ISREG(st->st_mode))
		return "it is not a regular file";
	if (st->st_uid != geteuid())
		return "it belongs to another user";
	if (st->st_nlink != 1)
		return "it has other hard links";
	return NULL;
}

/* safe_create_at(), naming `shown` in messages. */
static int create_at(int dirfd, const char *name, const char *shown, bool force, char *err,
		     size_t errlen)
{
	int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
	const char *why;
	struct stat st;
	bool known;
	int fd;

	fd = openat(dirfd, name, flags, PS_FILE_MODE);
	/* The documented mode, whatever the umask. */
	if (fd >= 0 && fchmod(fd, PS_FILE_MODE)) {
		close(fd);
		return refuse(err, errlen, shown, strerror(errno));
	}
	if (fd >= 0 || errno != EEXIST)
		goto done;
	known = fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
	if (known && S_ISLNK(st.st_mode))
		return refuse(err, errlen, shown, "it is a symbolic link (procscope never writes through one)");
	if (!force)
		return refuse(err, errlen, shown, "it already exists (use --force to overwrite it)");
	/* Never open a device to find out: opening some (a watchdog) acts. */
	if (known && (why = unfit_existing(&st)))
		return refuse(err, errlen, shown, why);
	/*
	 * Non-blocking, and truncated only once checked again on the open file:
	 * a FIFO would block, and the name may have been swapped meanwhile.
	 */
	fd = openat(dirfd, name, (flags & ~O_EXCL & ~O_CREAT) | O_NONBLOCK);
	if (fd >= 0 && (why = fstat(fd, &st) ? strerror(errno) : unfit_existing(&st))) {
		close(fd);
		return refuse(err, errlen, shown, why);
	}
	if (fd >= 0 && (ftruncate(fd, 0) || fchmod(fd, PS_FILE_MODE) ||
			fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK))) {
		close(fd);
		return refuse(err, errlen, shown, strerror(errno));
	}
done:
	if (fd < 0 && errno == ENXIO) /* a FIFO with no reader */
		return refuse(err, errlen, shown, "it is not a regular file");
	if (fd < 0 && errno == ELOOP)
		return refuse(err, errlen, shown, "it is a symbolic link (procscope never writes through one)");
	if (fd < 0)
		return refuse(err, errlen, shown, strerror(errno));
	return fd;
}

int safe_create_at(int dirfd, const char *name, bool force, char *err, size_t errlen)
{
	return create_at(dirfd, name, name, force, err, errlen);
}

int safe_create_shown(int dirfd, const char *name, const char *shown, bool force,
		      char *err, size_t errlen)
{
	int fd = create_at(dirfd, name, shown, force, err, errlen);

	if (fd < 0)
		snprintf(err + strlen(err), errlen - strlen(err), "%s",
			 "; choose a path you may write to");
	return fd;
}

int safe_create(const char *path, bool force, char *err, size_t errlen)
{
	char name[NAME_MAX + 1];
	bool slash;
	int pfd = open_parent(path, name, sizeof(name), &slash), fd = -1;

	if (pfd < 0)
		refuse_parent(err, errlen, "create", path);
	else if (slash || !strcmp(name, "."))
		refuse(err, errlen, path, "it names a directory, not a file");
	else
		fd = create_at(pfd, name, path, force, err, errlen);
	if (pfd >= 0)
		close(pfd);
	if (fd < 0)
		snprintf(err + strlen(err), errlen - strlen(err), "%s",
			 "; choose a path you may write to");
	return fd;
}

static bool dir_is_empty(int fd)
{
	int dup_fd = dup(fd);
	struct dirent *de;
	bool empty = true;
	DIR *d;

	if (dup_fd < 0)
		return false;
	d = fdopendir(dup_fd);
	if (!d) {
		close(dup_fd);
		return false;
	}
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			empty = false;
			break;
		}
	}
	closedir(d);
	return empty;
}

/* The directory `name` in `pfd`, never through a symlink; `what` we meant to do, for messages. */
static int open_dir_at(int pfd, const char *name, const char *shown, const char *what, char *err,
		       size_t errlen)
{
	int fd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), e = errno;
	struct stat st;

	if (fd >= 0)
		return fd;
	/* O_NOFOLLOW with O_DIRECTORY fails with ENOTDIR on a symlink. */
	if ((e == ELOOP || e == ENOTDIR) && !fstatat(pfd, name, &st, AT_SYMLINK_NOFOLLOW) &&
	    S_ISLNK(st.st_mode))
		return refuse_to(err, errlen, what, shown, "it is a symbolic link (procscope never "
				 "writes through one)");
	return refuse_to(err, errlen, what, shown, e == ENOTDIR ? "it is not a directory" : strerror(e));
}

/*
 * An existing directory is written into only when it is the caller's and
 * nobody else may write or plant files in it (no group/other write, no
 * setgid inheritance): else another user could read or swap what is written.
 */
static bool dir_is_ours(int fd)
{
	struct stat st;

	return !fstat(fd, &st) && st.st_uid == geteuid() &&
	       !(st.st_mode & (S_IWGRP | S_IWOTH | S_ISGID));
}

#define NOT_OURS "the directory belongs to another user or others may write into it"

int safe_open_dir(const char *path, char *err, size_t errlen)
{
	char name[NAME_MAX + 1];
	bool slash;
	int pfd = open_parent(path, name, sizeof(name), &slash), fd;

	if (pfd < 0)
		return refuse_parent(err, errlen, "write into", path);
	fd = open_dir_at(pfd, name, path, "write into", err, errlen);
	close(pfd);
	if (fd >= 0 && !dir_is_ours(fd)) {
		close(fd);
		return refuse_to(err, errlen, "write into", path, NOT_OURS);
	}
	return fd;
}

int safe_mkdir(const char *path, bool force, char *err, size_t errlen)
{
	char name[NAME_MAX + 1];
	bool created, slash;
	int pfd = open_parent(path, name, sizeof(name), &slash), fd = -1;

	if (pfd < 0)
		return refuse_parent(err, errlen, "create", path);
	/* mkdirat() never follows a symlink in the last component. */
	created = mkdirat(pfd, name, PS_DIR_MODE) == 0;
	if (!created && errno != EEXIST) {
		refuse(err, errlen, path, strerror(errno));
		goto out;
	}
	fd = open_dir_at(pfd, name, path, "create", err, errlen);
	if (fd < 0)
		goto out;
	if (!created && !dir_is_ours(fd)) {
		refuse(err, errlen, path, NOT_OURS " (choose a new directory: procscope creates it 0750)");
		goto fail;
	}
	if (!force && !dir_is_empty(fd)) {
		refuse(err, errlen, path, "the directory is not empty (use --force to write into it)");
		goto fail;
	}
	if (created && fchmod(fd, PS_DIR_MODE)) {
		refuse(err, errlen, path, strerror(errno));
		goto fail;
	}
	goto out;
fail:
	close(fd);
	fd = -1;
out:
	close(pfd);
	return fd;
}

int safe_open_parent(const char *path, char *name, size_t namelen, char *err, size_t errlen)
{
	bool slash;
	int pfd = open_parent(path, name, namelen, &slash);

	if (pfd < 0)
		return refuse_parent(err, errlen, "create", path);
	if (slash || !strcmp(name, ".")) {
		close(pfd);
		return refuse(err, errlen, path, "it names a directory, not a file");
	}
	return pfd;
}

int safe_append_at(int dirfd, const char *name, const char *shown, unsigned long long *size,
		   char *err, size_t errlen)
{
	struct stat st;
	int fd;

	*size = 0;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW)) {
		if (errno != ENOENT)
			return refuse(err, errlen, shown, strerror(errno));
		fd = create_at(dirfd, name, shown, false, err, errlen);
		if (fd >= 0 && fcntl(fd, F_SETFL, O_APPEND)) {
			close(fd);
			return refuse(err, errlen, shown, strerror(errno));
		}
		return fd;
	}
	if (S_ISLNK(st.st_mode))
		return refuse(err, errlen, shown, "it is a symbolic link (procscope never writes through one)");
	/* Never open a device to find out what it is: opening some acts. */
	if (!S_ISREG(st.st_mode))
		return refuse(err, errlen, shown, "it is not a regular file");
	fd = openat(dirfd, name, O_WRONLY | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return refuse(err, errlen, shown, errno == ELOOP ? "it is a symbolic link (procscope never "
			      "writes through one)" : strerror(errno));
	/* Checked again on what was opened: the name may have changed hands in between. */
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return refuse(err, errlen, shown, "it is not a regular file");
	}
	if (st.st_uid != geteuid()) {
		close(fd);
		return refuse(err, errlen, shown, "it belongs to another user (procscope appends only to "
			      "the invoker's own files)");
	}
	if (fcntl(fd, F_SETFL, O_APPEND)) {
		close(fd);
		return refuse(err, errlen, shown, strerror(errno));
	}
	*size = st.st_size;
	return fd;
}

/*
 * An O_PATH descriptor of `name` when it is a node of `type` (S_IFIFO,
 * S_IFCHR) the caller owns: -2 when it is not of that type, -1 with a
 * sentence when it is another user's.
 */
static int own_node_at(int dirfd, const char *name, const char *shown, mode_t type,
		       bool root_may, const char *what, char *err, size_t errlen)
{
	struct stat st;
	int pfd;

	pfd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (pfd < 0)
		return -2;
	if (fstat(pfd, &st) || (st.st_mode & S_IFMT) != type) {
		close(pfd);
		return -2;
	}
	if (st.st_uid != geteuid() && !(root_may && getuid() == 0 && geteuid() == 0)) {
		close(pfd);
		return refuse_to(err, errlen, "write to", shown, what);
	}
	return pfd;
}

/* Reopening the O_PATH descriptor opens exactly the node that was checked. */
static int reopen(int pfd, int flags)
{
	char proc[64];
	int fd;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
	fd = open(proc, flags | O_CLOEXEC);
	close(pfd);
	return fd;
}

int safe_open_fifo_at(int dirfd, const char *name, const char *shown, char *err, size_t errlen)
{
	int pfd = own_node_at(dirfd, name, shown, S_IFIFO, false, "the FIFO belongs to another user", err, errlen);
	int fd;

	if (pfd < 0)
		return pfd;
	/* Non-blocking to open: a FIFO nobody reads would hold procscope before it starts. */
	fd = reopen(pfd, O_WRONLY | O_NONBLOCK);
	if (fd < 0 && errno == ENXIO)
		return refuse_to(err, errlen, "write to", shown, "the FIFO has no reader (start the reader first)");
	if (fd < 0)
		return refuse_to(err, errlen, "write to", shown, strerror(errno));
	/* Then written as a stream: a slow reader slows procscope, it does not lose records. */
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)) {
		close(fd);
		return refuse_to(err, errlen, "write to", shown, strerror(errno));
	}
	return fd;
}

/*
 * Terminal majors (tty, /dev/tty and console, Unix98 ptys, USB and other
 * serial lines): opening some other character devices acts (a watchdog
 * arms), so nothing else is opened at all.
 */
static bool tty_major(int pfd)
{
	struct stat st;
	unsigned int m;

	if (fstat(pfd, &st))
		return false;
	m = major(st.st_rdev);
	return m == 4 || (m == 5 && minor(st.st_rdev) <= 1) || (m >= 136 && m <= 143) ||
	       m == 166 || m == 188 || m == 204;
}

int safe_open_tty_at(int dirfd, const char *name, const char *shown, char *err, size_t errlen)
{
	int pfd = own_node_at(dirfd, name, shown, S_IFCHR, true,
			      "the terminal is another user's (write to one of your own)", err, errlen);
	int fd;

	if (pfd < 0)
		return pfd;
	if (!tty_major(pfd)) {
		close(pfd);
		return refuse_to(err, errlen, "write to", shown,
				 "it is a device but not a terminal (give a terminal, a FIFO or a new file)");
	}
	/*
	 * The owner's check came first: no other user's device is ever opened
	 * (root's is the exception: after su, root's terminal is still the
	 * login user's).
	 */
	fd = reopen(pfd, O_WRONLY | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return refuse_to(err, errlen, "write to", shown, strerror(errno));
	if (!isatty(fd)) {
		close(fd);
		return refuse_to(err, errlen, "write to", shown,
				 "it is a device but not a terminal (give a terminal, a FIFO or a new file)");
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)) {
		close(fd);
		return refuse_to(err, errlen, "write to", shown, strerror(errno));
	}
	return fd;
}
