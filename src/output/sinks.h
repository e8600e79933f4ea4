/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The pipeline behind the ring buffer: decode once, update the process
 * model once, render the JSON line once, then every registered sink
 * (JSON Lines, the live timeline, the evidence bundle ...).
 */
#ifndef PS_SINKS_H
#define PS_SINKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "event/run.h"
#include "kern/stats.h"
#include "output/out.h"
#include "output/sink.h"

struct model;
struct scope;

struct sinks {
	struct sink *list;          /* in registration order */
	struct run *run;
	struct model *model;        /* every event is folded in before the sinks see it */
	const struct scope *scope;  /* its dropped processes are never written */
	struct ps_stats *stats;
	uint64_t seq;               /* last seq handed out */
	uint64_t last_ts;           /* of the last event, for the stats record */
	bool want_json;             /* some sink wants the JSON line */
	struct out jo;
	uint64_t *aligned;          /* record copy buffer */
	size_t aligned_len;
};

int sinks_init(struct sinks *s, struct run *run, struct model *model, struct ps_stats *stats);
void sinks_free(struct sinks *s);

/* Register a sink (taken over: sinks_close frees it).  Call before sinks_open. */
void sinks_add(struct sinks *s, struct sink *k);

/* Open every sink, then write the run header.  -1 with a sentence in err. */
int sinks_open(struct sinks *s, char *err, size_t errlen);

/* The ring buffer callback: decode, model, render, write.  Never fails the poll. */
int sinks_record(void *ctx, void *data, size_t size);

void sinks_flush(struct sinks *s);

/* Write the stats record everywhere, then flush. */
void sinks_finish(struct sinks *s, uint64_t ts_boot);

/*
 * Close and free every sink; `finished` as in sink_ops.close.  Returns 0,
 * or -1 with the first failure's sentence in err.
 */
int sinks_close(struct sinks *s, bool finished, char *err, size_t errlen);

/* The built-in sinks.  NULL when out of memory. */
struct sink *sink_jsonl_new(FILE *f);                      /* stdout, a pipe: not closed */
struct sink *sink_jsonl_file(const char *path, bool force); /* created by open (safefile.c) */
struct sink *sink_timeline_new(FILE *f);

#endif
