// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The live timeline sink: one text line per event (not the run or stats records). */
#include <stdlib.h>

#include "event/render.h"
#include "output/sinks.h"

struct timeline {
	FILE *f;
	struct out to;
};

static int timeline_event(struct sink *s, const struct sink_rec *r)
{
	struct timeline *t = s->priv;

	if (!r->ev)
		return 0;
	out_reset(&t->to);
	render_text(r->ev, &r->run->rc, &t->to);
	if (!t->to.failed)
		fprintf(t->f, "%s\n", t->to.buf);
	return 0;
}

static int timeline_flush(struct sink *s)
{
	fflush(((struct timeline *)s->priv)->f);
	return 0;
}

static int timeline_close(struct sink *s, bool finished, char *err, size_t errlen)
{
	struct timeline *t = s->priv;

	(void)finished;
	(void)err;
	(void)errlen;
	fflush(t->f);
	out_free(&t->to);
	free(t);
	return 0;
}

static const struct sink_ops timeline_ops = {
	.name = "timeline",
	.event = timeline_event,
	.flush = timeline_flush,
	.close = timeline_close,
};

struct sink *sink_timeline_new(FILE *f)
{
	struct sink *s = sink_new(&timeline_ops, sizeof(struct timeline));
	struct timeline *t;

	if (!s)
		return NULL;
	t = s->priv;
	t->f = f;
	out_init(&t->to, OUT_TEXT);
	return s;
}
