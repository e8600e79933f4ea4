// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The JSON Lines sink: each record's line, as rendered once, to a stream. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/safefile.h"
#include "output/sinks.h"

struct jsonl {
	FILE *f;
	const char *path;    /* NULL: f was given */
	bool force;
};

static int jsonl_open(struct sink *s, const struct run *run, char *err, size_t errlen)
{
	struct jsonl *j = s->priv;
	int fd;

	(void)run;
	if (j->path) {
		fd = safe_create(j->path, j->force, err, errlen);
		if (fd < 0)
			return -1;
		j->f = fdopen(fd, "w");
		if (!j->f) {
			close(fd);
			snprintf(err, errlen, "cannot write '%s': %s", j->path, strerror(errno));
			return -1;
		}
	}
	setvbuf(j->f, NULL, _IOFBF, 1 << 20);
	return 0;
}

static int jsonl_event(struct sink *s, const struct sink_rec *r)
{
	struct jsonl *j = s->priv;

	/* One thread writes: no stream locking. */
	if (fwrite_unlocked(r->json, 1, r->json_len, j->f) != r->json_len ||
	    putc_unlocked('\n', j->f) == EOF)
		return -1;
	return 0;
}

static int jsonl_flush(struct sink *s)
{
	struct jsonl *j = s->priv;

	return j->f && fflush(j->f) ? -1 : 0;
}

static int jsonl_close(struct sink *s, bool finished, char *err, size_t errlen)
{
	struct jsonl *j = s->priv;

	(void)finished;
	(void)err;
	(void)errlen;
	if (j->path && j->f)
		fclose(j->f);
	else if (j->f)
		fflush(j->f);
	free(j);
	return 0;
}

static const struct sink_ops jsonl_ops = {
	.name = "jsonl",
	.want_json = true,
	.open = jsonl_open,
	.event = jsonl_event,
	.flush = jsonl_flush,
	.close = jsonl_close,
};

static struct sink *jsonl_new(FILE *f, const char *path, bool force)
{
	struct sink *s = calloc(1, sizeof(*s));
	struct jsonl *j = calloc(1, sizeof(*j));

	if (!s || !j) {
		free(s);
		free(j);
		return NULL;
	}
	j->f = f;
	j->path = path;
	j->force = force;
	s->ops = &jsonl_ops;
	s->priv = j;
	return s;
}

struct sink *sink_jsonl_new(FILE *f)
{
	return jsonl_new(f, NULL, false);
}

struct sink *sink_jsonl_file(const char *path, bool force)
{
	return jsonl_new(NULL, path, force);
}
