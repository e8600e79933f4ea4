/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Counts of everything emitted, dropped or cut short, kernel and user side. */
#ifndef PS_STATS_H
#define PS_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "records.h"

/* Processes of the traced tree still running when tracing ended (named, up to a bound). */
#define STATS_SURVIVORS_MAX 16
struct ps_survivor {
	uint32_t pid;
	uint64_t start_boot;           /* with pid: the process key */
	char comm[PS_COMM_LEN + 1];
};

struct ps_stats {
	uint64_t kernel[PS_CNT__MAX];  /* summed over CPUs */
	uint64_t delivered;            /* records decoded and written */
	uint64_t decode_failed;        /* malformed records */
	uint64_t write_failed;         /* output lines that could not be written */
	uint64_t model_full;           /* processes the process model had no room for */
	uint64_t socket_dropped;       /* records --output-socket's full queue dropped */
	uint64_t findings;             /* events that matched a rule */
	/* What -e and --path excluded that the kernel had to send (lifecycle, unresolved paths). */
	uint64_t user_filtered_events, user_filtered_paths;
	uint32_t nsurvivors;           /* all of them; the first STATS_SURVIVORS_MAX are named */
	struct ps_survivor survivors[STATS_SURVIVORS_MAX];
};

struct out;
struct render_ctx;

/* Sum the per-CPU counters map (fd). */
int stats_read(int counters_fd, struct ps_stats *st);

/* Nothing was lost: no record or task was dropped anywhere. */
bool stats_complete(const struct ps_stats *st);
uint64_t stats_lost(const struct ps_stats *st);
uint64_t stats_truncated(const struct ps_stats *st);

/* The final {"type":"stats"} JSON record. */
void stats_render(struct out *o, const struct render_ctx *c, uint64_t seq,
		  uint64_t ts_boot, const struct ps_stats *st);

/* One summary line on the terminal. */
void stats_print(FILE *f, const struct ps_stats *st);

#endif
