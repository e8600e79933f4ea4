/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * --metrics FILE: the Prometheus text exposition format, rewritten every
 * interval and at the end.  Each write goes to a temporary file in FILE's
 * own directory, then is renamed over FILE, so that a reader (node_exporter's
 * textfile collector, which reads only *.prom files) never sees half of one.
 */
#ifndef PS_METRICS_H
#define PS_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kern/stats.h"

#define METRICS_INTERVAL_DEFAULT 5
#define METRICS_INTERVAL_MAX     3600
#define METRICS_MAX_TYPES        512   /* event types counted apart; more go to "other" */
#define METRICS_MAX_RULES        4096  /* rules counted apart; more go to "other" */

enum metrics_output { METRICS_OUT_STDOUT, METRICS_OUT_FILE, METRICS_OUT_SOCKET,
		      METRICS_OUT_BUNDLE, METRICS_OUT__N };

/* What the caller knows at write time; the metrics object keeps the rest. */
struct metrics_snapshot {
	const struct ps_stats *stats;
	uint64_t procs_tracked;
	uint64_t bytes[METRICS_OUT__N];
	bool has_output[METRICS_OUT__N];
	int socket_connected;      /* -1: no socket output */
	uint64_t socket_connects;
	uint64_t rotations;
	double start_time;         /* seconds since the epoch */
	double now;
};

/*
 * What the output sinks tell the metrics sink: each adds the bytes it
 * wrote; the metrics sink reads them when it writes.
 */
struct output_tally {
	uint64_t bytes[METRICS_OUT__N];
	bool has_output[METRICS_OUT__N];
	uint64_t rotations;
	int socket_connected;      /* -1: no socket output */
	uint64_t socket_connects;
};

/* Fill `st` with the run's counters as of now and `procs` with the processes followed. */
typedef void (*metrics_refresh_fn)(void *ctx, struct ps_stats *st, uint64_t *procs);

struct metrics;

/* NULL with a sentence in err; writes nothing yet. */
struct metrics *metrics_open(const char *path, unsigned int interval_s, char *err, size_t errlen);
void metrics_close(struct metrics *m);

/* One delivered event of `type` (a name that lives as long as procscope: a catalog string). */
void metrics_event(struct metrics *m, const char *type);

/*
 * The rules engine's hook: `n` more matches of the rule named `rule`
 * (copied).  Rules with no match yet are not listed.
 */
void metrics_rule_match(struct metrics *m, const char *rule, uint64_t n);

/* Is a periodic write due at monotonic time `now_ns`?  Then the next is scheduled. */
bool metrics_due(struct metrics *m, uint64_t now_ns);

/* The exposition, to `f`. */
void metrics_render(const struct metrics *m, const struct metrics_snapshot *s, FILE *f);

/* Render into a temporary file and rename it over FILE.  -1 with a sentence in err. */
int metrics_write(struct metrics *m, const struct metrics_snapshot *s, char *err, size_t errlen);

#endif
