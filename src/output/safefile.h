/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Output files created the way a privileged program must: never through a
 * symlink, new files exclusively and with explicit modes, owned by the
 * invoking user (procscope may run with file capabilities).
 */
#ifndef PS_SAFEFILE_H
#define PS_SAFEFILE_H

#include <stdbool.h>
#include <stddef.h>

#define PS_FILE_MODE 0640
#define PS_DIR_MODE  0750

/*
 * `path` is looked up like any path up to its last component, and that
 * component never through a symlink, also when the path ends in "/" or "/."
 * (where the kernel would follow one); a path ending in ".." is refused.
 */

/*
 * Create `path` for writing.  A new file gets O_EXCL and mode 0640; an
 * existing regular file is refused unless `force` (then truncated); a
 * symlink, and a path ending in "/", are always refused.  Returns an fd, or
 * -1 with a sentence in err.
 */
int safe_create(const char *path, bool force, char *err, size_t errlen);

/*
 * Create directory `path` (mode 0750) or accept an existing empty one (any
 * non-empty one only with `force`).  Returns an O_DIRECTORY fd, or -1.
 */
int safe_mkdir(const char *path, bool force, char *err, size_t errlen);

/*
 * Open the existing directory `path` to write into it: never through a
 * symlink, and only one of the caller's that others may not write into.
 * Returns an fd, or -1.
 */
int safe_open_dir(const char *path, char *err, size_t errlen);

/* Create `name` inside the directory `dirfd` (O_EXCL unless force, 0640). */
int safe_create_at(int dirfd, const char *name, bool force, char *err, size_t errlen);
/* The same, naming the output as the user gave it (`shown`) in the error, with a hint. */
int safe_create_shown(int dirfd, const char *name, const char *shown, bool force,
		      char *err, size_t errlen);

/*
 * The directory `path` names a file in, opened (O_DIRECTORY), and that file's
 * name in `name`: for writers that later create or rename beside it
 * (rotation, atomic replacement) in that very directory, wherever it moves.
 * A path ending in "/", "/." or ".." is refused.  Returns the fd, or -1.
 */
int safe_open_parent(const char *path, char *name, size_t namelen, char *err, size_t errlen);

/*
 * Open `name` in `dirfd` to append to it: an existing regular file only if
 * the caller owns it (procscope never adds to another user's file), never
 * through a symlink; a missing one is created as by safe_create_at().
 * *size gets the file's length.  Returns an O_APPEND fd, or -1.
 */
int safe_append_at(int dirfd, const char *name, const char *shown, unsigned long long *size,
		   char *err, size_t errlen);

/*
 * Is `name` in `dirfd` a FIFO (not following a symlink)?  Then open it for
 * writing through an O_PATH descriptor of the node checked, so that what is
 * opened is that FIFO and never a device swapped in.  The FIFO must be the
 * caller's and have a reader already (the open does not wait); writes then
 * block as on any stream.  Returns an fd, -1 with a sentence, or -2 when
 * `name` is not a FIFO (err untouched).
 */
int safe_open_fifo_at(int dirfd, const char *name, const char *shown, char *err, size_t errlen);

/*
 * The same for a terminal (--timeline /dev/pts/N): a character device of the
 * caller's that is a tty, opened without becoming the controlling terminal.
 * Returns an fd, -1 with a sentence, or -2 when `name` is not a character
 * device (err untouched).
 */
int safe_open_tty_at(int dirfd, const char *name, const char *shown, char *err, size_t errlen);

#endif
