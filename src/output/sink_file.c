// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* -o FILE as a sink: JSON Lines into a file that rotates by size (rotate.c), or a FIFO. */
#include <stdlib.h>

#include "output/rotate.h"
#include "output/sinks.h"

struct file_sink {
	const char *path;
	struct rotfile_opts o;
	struct rotfile *rf;
	struct output_tally *tally;
};

static int file_open(struct sink *s, const struct run *run, char *err, size_t errlen)
{
	struct file_sink *f = s->priv;

	(void)run;
	f->rf = rotfile_open(f->path, &f->o, err, errlen);
	if (!f->rf)
		return -1;
	if (f->tally)
		f->tally->has_output[METRICS_OUT_FILE] = true;
	return 0;
}

static void tally(struct file_sink *f)
{
	if (f->tally) {
		f->tally->bytes[METRICS_OUT_FILE] = rotfile_bytes(f->rf);
		f->tally->rotations = rotfile_rotations(f->rf);
	}
}

static int file_event(struct sink *s, const struct sink_rec *r)
{
	struct file_sink *f = s->priv;

	return rotfile_write_line(f->rf, r->json, r->json_len) ? -1 : 0;
}

static int file_flush(struct sink *s)
{
	struct file_sink *f = s->priv;
	int ret = rotfile_flush(f->rf) ? -1 : 0;

	tally(f);
	return ret;
}

static int file_close(struct sink *s, bool finished, char *err, size_t errlen)
{
	struct file_sink *f = s->priv;
	int ret = 0;

	if (f->rf) {
		if (rotfile_flush(f->rf) && finished && err) {
			snprintf(err, errlen, "the last records could not be written to '%s'", f->path);
			ret = -1;
		}
		tally(f);
		rotfile_close(f->rf);
	}
	free(f);
	return ret;
}

static const struct sink_ops file_ops = {
	.name = "file",
	.want_json = true,
	.open = file_open,
	.event = file_event,
	.flush = file_flush,
	.close = file_close,
};

struct sink *sink_file_new(const char *path, const struct rotfile_opts *o, struct output_tally *t)
{
	struct sink *s = sink_new(&file_ops, sizeof(struct file_sink));
	struct file_sink *f;

	if (!s)
		return NULL;
	f = s->priv;
	f->path = path;
	f->o = *o;
	f->tally = t;
	return s;
}
