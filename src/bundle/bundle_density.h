/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Events per stretch of time, for report.html's activity strip: a fixed
 * number of buckets whose width doubles (neighbours merged) whenever an
 * event falls outside them, so a run of a millisecond and one of a day both
 * end up with between half and all of the buckets used, in constant memory.
 */
#ifndef PS_BUNDLE_DENSITY_H
#define PS_BUNDLE_DENSITY_H

#include <stdbool.h>
#include <stdint.h>

#define BDENS_BUCKETS 400
#define BDENS_WIDTH0  1024   /* ns: the first bucket width */

enum { BDENS_PROC, BDENS_FILE, BDENS_NET, BDENS_OTHER, BDENS_CATS };

struct bdensity {
	int64_t base;        /* bucket i: [base + i * width, base + (i + 1) * width) */
	uint64_t width;      /* 0: no event yet */
	unsigned int used;   /* buckets 0 .. used - 1 hold the events */
	uint64_t n[BDENS_BUCKETS][BDENS_CATS];
	uint64_t failed[BDENS_BUCKETS];
};

/* Count one event of `type` at `ts` (ns since boot; 0 is ignored). */
void density_add(struct bdensity *d, uint64_t ts, const char *type, bool failed);
/* The category a type is drawn in. */
int density_cat(const char *type);

#endif
