// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The live timeline sink: one text line per event (not the run or stats
 * records), on stderr or, with --timeline PATH, on a terminal, FIFO or file
 * of its own, so that an interactive program keeps its screen.
 */
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/tty.h"
#include "event/render.h"
#include "output/fold.h"
#include "output/safefile.h"
#include "output/sinks.h"

struct timeline {
	FILE *f;
	struct out to;
	const char *path;   /* --timeline PATH; NULL: f is stderr, not ours */
	bool force;
	int color;          /* -1: auto (PATH's terminal decides), 0, 1 */
	struct fold *fold;  /* NULL with --full */
};

/* A terminal, a FIFO or a new file (an existing one only with --force). */
static int timeline_open(struct sink *s, const struct run *run, char *err, size_t errlen)
{
	struct timeline *t = s->priv;
	char name[NAME_MAX + 1];
	int dirfd, fd;

	(void)run;
	if (!t->path)
		return 0;
	dirfd = safe_open_parent(t->path, name, sizeof(name), err, errlen);
	if (dirfd < 0)
		return -1;
	fd = safe_open_tty_at(dirfd, name, t->path, err, errlen);
	if (fd == -2)
		fd = safe_open_fifo_at(dirfd, name, t->path, err, errlen);
	if (fd == -2)
		fd = safe_create_shown(dirfd, name, t->path, t->force, err, errlen);
	close(dirfd);
	if (fd < 0)
		return -1;
	t->f = fdopen(fd, "w");
	if (!t->f) {
		close(fd);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (t->color < 0)
		t->color = tty_color_ok(fd);
	return 0;
}

static int timeline_event(struct sink *s, const struct sink_rec *r)
{
	struct timeline *t = s->priv;
	struct render_ctx rc;

	if (!r->ev)
		return 0;
	rc = r->run->rc;
	if (t->path)
		rc.color = t->color;
	if (t->fold)
		return fold_event(t->fold, r->ev, &rc, t->f) && t->path ? -1 : 0;
	out_reset(&t->to);
	render_text(r->ev, &rc, &t->to);
	if (!t->to.failed && fprintf(t->f, "%s\n", t->to.buf) < 0 && t->path)
		return -1;
	return 0;
}

static int timeline_flush(struct sink *s)
{
	struct timeline *t = s->priv;
	int ret = t->fold ? fold_flush(t->fold, t->f) : 0;

	return (fflush(t->f) || ret) && t->path ? -1 : 0;
}

static int timeline_close(struct sink *s, bool finished, char *err, size_t errlen)
{
	struct timeline *t = s->priv;
	int ret = 0;

	if (t->f && t->fold && fold_flush(t->fold, t->f) && t->path && finished && err) {
		snprintf(err, errlen, "the last timeline lines could not be written to '%s'", t->path);
		ret = -1;
	}
	fold_free(t->fold);
	if (t->f && t->path) {
		if (fclose(t->f) && finished && err) {
			snprintf(err, errlen, "the last timeline lines could not be written to '%s'", t->path);
			ret = -1;
		}
	} else if (t->f) {
		fflush(t->f);
	}
	out_free(&t->to);
	free(t);
	return ret;
}

static const struct sink_ops timeline_ops = {
	.name = "timeline",
	.open = timeline_open,
	.event = timeline_event,
	.flush = timeline_flush,
	.close = timeline_close,
};

struct sink *sink_timeline_new(FILE *f, const char *path, bool force, int color, bool full)
{
	struct sink *s = sink_new(&timeline_ops, sizeof(struct timeline));
	struct timeline *t;

	if (!s)
		return NULL;
	t = s->priv;
	t->f = f;
	t->path = path;
	t->force = force;
	t->color = color;
	out_init(&t->to, OUT_TEXT);
	if (!full && !(t->fold = fold_new())) {
		out_free(&t->to);
		free(t);
		free(s);
		return NULL;
	}
	return s;
}
