// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output/rotate.h"
#include "output/safefile.h"

/* Records are gathered and written in blocks of about this size. */
#define ROTATE_BUF (1U << 20)

struct rotfile {
	int dirfd;                  /* the directory FILE lives in: renames happen there */
	int fd;
	char name[NAME_MAX + 1];
	char *shown;                /* the path as given, for messages */
	struct rotfile_opts o;
	bool stream;                /* a FIFO: never rotated, never truncated */
	uint64_t size;              /* bytes in the current file, buffered ones included */
	uint64_t bytes, rotations;
	char *buf;
	size_t len;
	unsigned int nrec;          /* records in buf */
	bool warned;
};

uint64_t rotate_parse_size(const char *s)
{
	unsigned long long v, mult = 1;
	char *end;

	if (*s < '0' || *s > '9')
		return 0;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return 0;
	if (*end == 'k' || *end == 'K')
		mult = 1ULL << 10;
	else if (*end == 'M')
		mult = 1ULL << 20;
	else if (*end == 'G')
		mult = 1ULL << 30;
	if (mult > 1)
		end++;
	if (*end || v > ROTATE_SIZE_MAX / mult)
		return 0;
	return v * mult;
}

/* Name of rotated file `i` ("FILE.3"); false if it would not fit a name. */
static bool rotated_name(const struct rotfile *r, unsigned int i, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s.%u", r->name, i);

	return n > 0 && (size_t)n < len && n <= NAME_MAX;
}

static int open_file(struct rotfile *r, char *err, size_t errlen)
{
	unsigned long long size = 0;

	r->fd = safe_open_fifo_at(r->dirfd, r->name, r->shown, err, errlen);
	if (r->fd == -1)
		return -1;
	if (r->fd >= 0) {
		r->stream = true;
		return 0;
	}
	if (r->o.append)
		r->fd = safe_append_at(r->dirfd, r->name, r->shown, &size, err, errlen);
	else
		r->fd = safe_create_shown(r->dirfd, r->name, r->shown, r->o.force, err, errlen);
	r->size = size;
	return r->fd < 0 ? -1 : 0;
}

struct rotfile *rotfile_open(const char *path, const struct rotfile_opts *o, char *err, size_t errlen)
{
	struct rotfile *r = calloc(1, sizeof(*r));
	char probe[NAME_MAX + 16];
	struct stat st;

	if (!r) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->fd = r->dirfd = -1;
	if (!(r->buf = malloc(ROTATE_BUF)) || !(r->shown = strdup(path))) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	r->o = *o;
	r->dirfd = safe_open_parent(path, r->name, sizeof(r->name), err, errlen);
	if (r->dirfd < 0)
		goto fail;
	/* Asked before opening it: opening a FIFO waits for its reader. */
	if (o->limit && !fstatat(r->dirfd, r->name, &st, AT_SYMLINK_NOFOLLOW) && S_ISFIFO(st.st_mode)) {
		snprintf(err, errlen, "cannot rotate '%s': it is a FIFO, which is written as a stream "
			 "(drop --rotate-size)", path);
		goto fail;
	}
	if (open_file(r, err, errlen))
		goto fail;
	if (o->limit && !rotated_name(r, o->keep, probe, sizeof(probe))) {
		snprintf(err, errlen, "cannot rotate '%s': its name is too long to add '.%u'", path, o->keep);
		goto fail;
	}
	return r;
fail:
	rotfile_close(r);
	return NULL;
}

/* Write all of buf[0..len); on a failure the file is cut back to where the block began. */
static int write_all(struct rotfile *r, const char *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = write(r->fd, buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += n;
	}
	r->bytes += done;
	if (done == len)
		return 0;
	/* A regular file never keeps half a record; a FIFO's reader has it already. */
	if (!r->stream && done && !ftruncate(r->fd, r->size - r->len))
		r->bytes -= done;
	return -1;
}

unsigned int rotfile_flush(struct rotfile *r)
{
	unsigned int lost = 0;

	if (!r->len)
		return 0;
	if (write_all(r, r->buf, r->len)) {
		lost = r->nrec;
		r->size -= r->len;
	}
	r->len = 0;
	r->nrec = 0;
	return lost;
}

static void warn_once(struct rotfile *r, const char *what, int e)
{
	if (r->warned)
		return;
	r->warned = true;
	fprintf(stderr, "procscope: warning: cannot rotate '%s' (%s: %s); records go on into it\n",
		r->shown, what, strerror(e));
}

/*
 * FILE.(keep-1) -> FILE.keep, ..., FILE -> FILE.1, then a new FILE.  Each
 * rename is within the directory opened at the start, and replaces only a
 * name (a symlink planted at FILE.n is itself replaced, never followed).
 */
static void rotate(struct rotfile *r)
{
	char from[NAME_MAX + 16], to[NAME_MAX + 16], err[256];
	unsigned int i;
	int fd;

	for (i = r->o.keep; i > 1; i--) {
		if (!rotated_name(r, i - 1, from, sizeof(from)) || !rotated_name(r, i, to, sizeof(to)))
			continue;
		if (renameat(r->dirfd, from, r->dirfd, to) && errno != ENOENT)
			warn_once(r, to, errno);
	}
	rotated_name(r, 1, to, sizeof(to));
	if (renameat(r->dirfd, r->name, r->dirfd, to)) {
		warn_once(r, to, errno);
		return;
	}
	fd = safe_create_at(r->dirfd, r->name, false, err, sizeof(err));
	if (fd < 0) {
		/* Someone made FILE in between: go on in what is now FILE.1. */
		warn_once(r, r->name, EEXIST);
		return;
	}
	close(r->fd);
	r->fd = fd;
	r->size = 0;
	r->rotations++;
}

unsigned int rotfile_write_line(struct rotfile *r, const char *line, size_t len)
{
	unsigned int lost;
	char *rec;

	/* The common case: straight into the buffer, newline and all. */
	if (len + 1 <= ROTATE_BUF && (!r->o.limit || !r->size || r->size + len + 1 <= r->o.limit)) {
		lost = r->len + len + 1 > ROTATE_BUF ? rotfile_flush(r) : 0;
		memcpy(r->buf + r->len, line, len);
		r->buf[r->len + len] = '\n';
		r->len += len + 1;
		r->size += len + 1;
		r->nrec++;
		return lost;
	}
	rec = malloc(len + 1);
	if (!rec)
		return 1;
	memcpy(rec, line, len);
	rec[len] = '\n';
	lost = rotfile_write(r, rec, len + 1);
	free(rec);
	return lost;
}

unsigned int rotfile_write(struct rotfile *r, const char *rec, size_t len)
{
	unsigned int lost = 0;

	/* Rotate only between records, and never leave a file empty. */
	if (r->o.limit && r->size && r->size + len > r->o.limit) {
		lost = rotfile_flush(r);
		rotate(r);
	}
	if (r->len + len > ROTATE_BUF)
		lost += rotfile_flush(r);
	r->size += len;
	if (len > ROTATE_BUF) {
		r->len = len; /* for write_all's cut-back */
		if (write_all(r, rec, len)) {
			r->size -= len;
			lost++;
		}
		r->len = 0;
		return lost;
	}
	memcpy(r->buf + r->len, rec, len);
	r->len += len;
	r->nrec++;
	return lost;
}

unsigned int rotfile_close(struct rotfile *r)
{
	unsigned int lost = 0;

	if (!r)
		return 0;
	if (r->fd >= 0) {
		lost = rotfile_flush(r);
		close(r->fd);
	}
	if (r->dirfd >= 0)
		close(r->dirfd);
	free(r->buf);
	free(r->shown);
	free(r);
	return lost;
}

uint64_t rotfile_bytes(const struct rotfile *r)
{
	return r->bytes;
}

uint64_t rotfile_rotations(const struct rotfile *r)
{
	return r->rotations;
}

bool rotfile_is_stream(const struct rotfile *r)
{
	return r->stream;
}
