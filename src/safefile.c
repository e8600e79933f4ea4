// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safefile.h"

static int refuse(char *err, size_t errlen, const char *path, const char *why)
{
	snprintf(err, errlen, "cannot create '%s': %s", path, why);
	return -1;
}

int safe_create_at(int dirfd, const char *name, bool force, char *err, size_t errlen)
{
	int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
	struct stat st;
	int fd;

	fd = openat(dirfd, name, flags, PS_FILE_MODE);
	/* The documented mode, whatever the umask. */
	if (fd >= 0 && fchmod(fd, PS_FILE_MODE)) {
		close(fd);
		return refuse(err, errlen, name, strerror(errno));
	}
	if (fd >= 0 || errno != EEXIST)
		goto done;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
		return refuse(err, errlen, name, "it is a symbolic link (procscope never writes through one)");
	if (!force)
		return refuse(err, errlen, name, "it already exists (use --force to overwrite it)");
	/* Non-blocking, and truncated only once known to be a regular file: a FIFO would block. */
	fd = openat(dirfd, name, (flags & ~O_EXCL & ~O_CREAT) | O_NONBLOCK);
	if (fd >= 0 && (fstat(fd, &st) || !S_ISREG(st.st_mode))) {
		close(fd);
		return refuse(err, errlen, name, "it is not a regular file");
	}
	if (fd >= 0 && (ftruncate(fd, 0) || fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK))) {
		close(fd);
		return refuse(err, errlen, name, strerror(errno));
	}
done:
	if (fd < 0 && errno == ENXIO) /* a FIFO with no reader */
		return refuse(err, errlen, name, "it is not a regular file");
	if (fd < 0 && errno == ELOOP)
		return refuse(err, errlen, name, "it is a symbolic link (procscope never writes through one)");
	if (fd < 0)
		return refuse(err, errlen, name, strerror(errno));
	return fd;
}

int safe_create(const char *path, bool force, char *err, size_t errlen)
{
	int fd = safe_create_at(AT_FDCWD, path, force, err, errlen);

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

int safe_mkdir(const char *path, bool force, char *err, size_t errlen)
{
	bool created;
	int fd;

	created = mkdir(path, PS_DIR_MODE) == 0;
	if (!created && errno != EEXIST)
		return refuse(err, errlen, path, strerror(errno));
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && (errno == ELOOP || errno == ENOTDIR))
		return refuse(err, errlen, path, "it is a symbolic link or not a directory");
	if (fd < 0)
		return refuse(err, errlen, path, strerror(errno));
	if (!force && !dir_is_empty(fd)) {
		close(fd);
		return refuse(err, errlen, path, "the directory is not empty (use --force to write into it)");
	}
	if (created && fchmod(fd, PS_DIR_MODE)) {
		close(fd);
		return refuse(err, errlen, path, strerror(errno));
	}
	return fd;
}
