/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Where decoded events go: the live timeline (stderr), JSON Lines (stdout or
 * a file) and the evidence bundle.  Each record is rendered once per format.
 */
#ifndef PS_SINKS_H
#define PS_SINKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "output/out.h"
#include "event/render.h"
#include "kern/stats.h"

struct bundle;
struct redactor;
struct scope;

struct sinks {
	FILE *json[2];              /* JSON Lines: stdout (--json), a file (-o); NULL if not */
	FILE *timeline;             /* stderr, or NULL with -q */
	struct bundle *bundle;      /* or NULL */
	struct render_ctx rc;
	const struct redactor *redact;
	const struct scope *scope;  /* its dropped processes are never written */
	unsigned int args_max, arg_len_max;
	uint64_t seq;               /* last seq handed out */
	uint64_t last_ts;           /* of the last event, for the stats record */
	struct ps_stats *stats;
	struct out jo, to;
	uint64_t *aligned;          /* record copy buffer */
	size_t aligned_len;
};

int sinks_init(struct sinks *s);
void sinks_free(struct sinks *s);

/* The ring buffer callback: decode, render, write.  Never fails the poll. */
int sinks_record(void *ctx, void *data, size_t size);

/* Write the stats record everywhere, then flush. */
void sinks_finish(struct sinks *s, uint64_t ts_boot);

void sinks_flush(struct sinks *s);

#endif
