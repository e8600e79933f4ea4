/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Launch mode: the command is forked, prepared (identity, stdout,
 * capabilities) and held at a barrier until every probe is attached, so
 * its first exec is seen.  It stays in procscope's process group, so it
 * owns the terminal exactly as procscope does.
 */
#ifndef PS_LAUNCHER_H
#define PS_LAUNCHER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct launch_opts {
	const char *user;         /* run as this user (root only), or NULL */
	bool stdout_to_stderr;    /* keep procscope's JSON stdout clean */
};

struct launch {
	pid_t pid;
	int barrier_fd;  /* parent's end: one byte releases the child */
	int status_fd;   /* child's exec errno arrives here; EOF on success */
};

/* Fork the held child.  Returns PS_EXIT_OK or an exit code with err set. */
int launch_prepare(struct launch *l, char *const argv[], const struct launch_opts *lo,
		   char *err, size_t errlen);

/*
 * Release the child and wait for its exec.  Returns 0 when it exec'd, or the
 * errno of the failed exec (the child has then exited).
 */
int launch_release(struct launch *l);

/*
 * execvp's search of PATH, as the shell does it (regular files only): 0 with
 * the path in `out`, EACCES when only a non-executable file was found, or
 * ENOENT.  A name with a '/' is taken as it is.
 */
int launch_find(const char *cmd, char *out, size_t len);

/* Close the parent's ends without releasing: the child exits unexec'd. */
void launch_abort(struct launch *l);

#endif
