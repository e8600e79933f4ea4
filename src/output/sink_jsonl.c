// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The JSON Lines sink on a stream procscope does not own (stdout, a pipe):
 * each record's line, as rendered once.  Files given to -o are written by
 * the rotating file sink (sink_file.c).
 */
#include <stdlib.h>

#include "output/sinks.h"

struct jsonl {
	FILE *f;
};

static int jsonl_open(struct sink *s, const struct run *run, char *err, size_t errlen)
{
	struct jsonl *j = s->priv;

	(void)run;
	(void)err;
	(void)errlen;
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

	return fflush(j->f) ? -1 : 0;
}

static int jsonl_close(struct sink *s, bool finished, char *err, size_t errlen)
{
	struct jsonl *j = s->priv;

	(void)finished;
	(void)err;
	(void)errlen;
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

struct sink *sink_jsonl_new(FILE *f)
{
	struct sink *s = sink_new(&jsonl_ops, sizeof(struct jsonl));

	if (s)
		((struct jsonl *)s->priv)->f = f;
	return s;
}
