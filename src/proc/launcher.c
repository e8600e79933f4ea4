// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/exitcodes.h"
#include "proc/launcher.h"

/* The child reports a failure as an errno on the status pipe and exits. */
static void __attribute__((noreturn)) child_fail(int fd, int err)
{
	ssize_t n = write(fd, &err, sizeof(err));

	(void)n;
	_exit(err == ENOENT ? PS_EXIT_NOTFOUND : PS_EXIT_NOEXEC);
}

static int become_user(const char *name)
{
	struct passwd *pw = getpwnam(name);

	if (!pw)
		return ESRCH;
	if (initgroups(pw->pw_name, pw->pw_gid) ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid))
		return errno;
	setenv("HOME", pw->pw_dir, 1);
	setenv("USER", pw->pw_name, 1);
	setenv("LOGNAME", pw->pw_name, 1);
	return 0;
}

/*
 * procscope may hold file capabilities; the traced command must not inherit
 * them, through any set.
 */
static int drop_capabilities(void)
{
	cap_t none = cap_init();
	int ret = 0;

	if (!none)
		return errno;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) && errno != EINVAL)
		ret = errno;
	if (!ret && cap_set_proc(none))
		ret = errno;
	cap_free(none);
	return ret;
}

/*
 * A PATH entry the shell would run: 0 for an executable regular file,
 * EACCES for a regular file that is not executable, ENOENT otherwise (a
 * directory named like the command is skipped, as the shell does).
 */
static int candidate(const char *path)
{
	struct stat st;

	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return ENOENT;
	return access(path, X_OK) ? EACCES : 0;
}

int launch_find(const char *cmd, char *out, size_t len)
{
	const char *path = getenv("PATH");
	const char *p, *end;
	int err = ENOENT, r;

	/* The shell's convention: an empty name is not found (127). */
	if (!*cmd)
		return ENOENT;
	if (strchr(cmd, '/')) {
		snprintf(out, len, "%s", cmd);
		return 0;
	}
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; p; p = *end ? end + 1 : NULL) {
		end = strchrnul(p, ':');
		snprintf(out, len, "%.*s%s%s", (int)(end - p), p, end > p ? "/" : "", cmd);
		r = candidate(out);
		if (!r)
			return 0;
		if (r == EACCES)
			err = EACCES;
	}
	return err;
}

/* The kernel says EACCES for a directory; say what the shell says. */
static int exec_errno(const char *path, int err)
{
	struct stat st;

	if (err == EACCES && !stat(path, &st) && S_ISDIR(st.st_mode))
		return EISDIR;
	return err;
}

static void __attribute__((noreturn)) child(int barrier, int status, char *const argv[],
					     const struct launch_opts *lo, bool sigchld_ignored)
{
	char path[PATH_MAX];
	sigset_t none;
	char go;
	int err;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* procscope's handlers would make the barrier's read fail with EINTR. */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	if (sigchld_ignored)
		signal(SIGCHLD, SIG_IGN);
	if (lo->stdout_to_stderr && dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
		child_fail(status, errno);
	if (lo->user && (err = become_user(lo->user)))
		child_fail(status, err);
	if (getuid() != 0 && (err = drop_capabilities()))
		child_fail(status, err);
	/* PATH is searched before the barrier, so no probing exec is traced. */
	err = launch_find(argv[0], path, sizeof(path));
	/* Ready: nothing the child does from here on but exec is seen. */
	if (write(status, "r", 1) != 1)
		_exit(PS_EXIT_SOFTWARE);
	/* EOF here means procscope died before attaching: do not run untraced. */
	if (read(barrier, &go, 1) != 1)
		_exit(PS_EXIT_SOFTWARE);
	close(barrier);
	if (err)
		child_fail(status, err);
	execv(path, argv);
	child_fail(status, exec_errno(path, errno));
}

static ssize_t read_full(int fd, void *buf, size_t len)
{
	ssize_t n;

	do {
		n = read(fd, buf, len);
	} while (n < 0 && errno == EINTR);
	return n;
}

/*
 * An ignored SIGCHLD survives exec; with it the kernel reaps the command
 * itself and its status is lost, so procscope would wait forever.  procscope
 * takes the default back; the command is given what procscope was given.
 */
static bool take_sigchld(void)
{
	struct sigaction sa;

	if (sigaction(SIGCHLD, NULL, &sa) || sa.sa_handler != SIG_IGN)
		return false;
	signal(SIGCHLD, SIG_DFL);
	return true;
}

int launch_prepare(struct launch *l, char *const argv[], const struct launch_opts *lo,
		   char *err, size_t errlen)
{
	int barrier[2], status[2], child_errno;
	bool sigchld_ignored;
	char ready = 0;

	if (lo->user && !getpwnam(lo->user)) {
		snprintf(err, errlen, "no user named '%s' on this system", lo->user);
		return PS_EXIT_NOINPUT;
	}
	if (pipe2(barrier, O_CLOEXEC))
		goto fail;
	if (pipe2(status, O_CLOEXEC)) {
		close(barrier[0]);
		close(barrier[1]);
		goto fail;
	}
	sigchld_ignored = take_sigchld();
	l->pid = fork();
	if (l->pid < 0) {
		close(barrier[0]);
		close(barrier[1]);
		close(status[0]);
		close(status[1]);
		goto fail;
	}
	if (l->pid == 0) {
		close(barrier[1]);
		close(status[0]);
		child(barrier[0], status[1], argv, lo, sigchld_ignored);
	}
	close(barrier[0]);
	close(status[1]);
	l->barrier_fd = barrier[1];
	l->status_fd = status[0];
	/* Wait until the child has prepared itself (identity, PATH search). */
	if (read_full(l->status_fd, &ready, 1) == 1 && ready == 'r')
		return PS_EXIT_OK;
	/* Otherwise it sent the errno of what failed, whose first byte we have. */
	child_errno = (unsigned char)ready;
	if (read_full(l->status_fd, (char *)&child_errno + 1, sizeof(child_errno) - 1) !=
	    (ssize_t)sizeof(child_errno) - 1)
		child_errno = ECHILD;
	snprintf(err, errlen, "cannot prepare the command to run: %s", strerror(child_errno));
	launch_abort(l);
	return PS_EXIT_OSERR;
fail:
	snprintf(err, errlen, "cannot start the command: %s", strerror(errno));
	return PS_EXIT_OSERR;
}

int launch_release(struct launch *l)
{
	int child_errno = 0;
	ssize_t n;

	n = write(l->barrier_fd, "g", 1);
	/* EPIPE: the child is already gone (a signal); its status tells why. */
	if (n != 1)
		return errno == EPIPE ? 0 : errno;
	close(l->barrier_fd);
	l->barrier_fd = -1;
	n = read_full(l->status_fd, &child_errno, sizeof(child_errno));
	close(l->status_fd);
	l->status_fd = -1;
	return n == sizeof(child_errno) ? child_errno : 0;
}

void launch_abort(struct launch *l)
{
	if (l->barrier_fd >= 0)
		close(l->barrier_fd);
	if (l->status_fd >= 0)
		close(l->status_fd);
	l->barrier_fd = l->status_fd = -1;
	if (l->pid > 0)
		waitpid(l->pid, NULL, 0);
}
