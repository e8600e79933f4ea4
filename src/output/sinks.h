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
#include "output/metrics.h"
#include "output/out.h"
#include "output/sink.h"

struct model;
struct scope;
struct ev_filter;

struct sinks {
	struct sink *list;          /* in registration order */
	struct run *run;
	struct model *model;        /* every event is folded in before the sinks see it */
	const struct scope *scope;  /* its dropped processes are never written */
	const struct ruleset *rules; /* findings are marked before any sink sees the event */
	const struct ev_filter *filter; /* what the kernel could not filter alone; NULL: none */
	uint32_t kernel_hooks;      /* bit per enum ps_khook whose sandbox the kernel enforces */
	bool matches_only;          /* --all: only findings, execs and exits reach the sinks */
	struct fleet *fleet;        /* --all: ancestors, container, exe hash; NULL: none */
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
/*
 * The timeline on f (stderr, not closed), or with path on that terminal, FIFO
 * or new file; folded (output/fold.h) unless `full`.
 */
struct sink *sink_timeline_new(FILE *f, const char *path, bool force, int color, bool full);

/* -c: the calls table on f (stderr, not closed) at the end of the run. */
struct sink *sink_summary_new(FILE *f);

/* -o FILE with --append / --rotate-size / --rotate-keep, or a FIFO (output/rotate.h). */
struct rotfile_opts;
struct output_tally;
struct sink *sink_file_new(const char *path, const struct rotfile_opts *o, struct output_tally *t);

/* --output-socket PATH; its drops go to stats->socket_dropped. */
struct sink *sink_socket_new(const char *path, struct ps_stats *stats, struct output_tally *t);

/*
 * --metrics FILE every interval_s seconds and at the end; `refresh` reads
 * the counters then.  Register it last: it reads what the others tallied.
 */
struct sink *sink_metrics_new(const char *path, unsigned int interval_s, bool count_stdout,
			      struct output_tally *t, metrics_refresh_fn refresh, void *ctx);

/*
 * The rule-match counters of a metrics sink (NULL for another sink), for
 * the rules engine: metrics_rule_match(sink_metrics_counters(k), name, n).
 */
struct sink *sink_find(struct sinks *s, const char *name);
struct metrics *sink_metrics_counters(struct sink *s);

#endif
