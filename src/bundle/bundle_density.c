// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <string.h>

#include "bundle/bundle_density.h"

int density_cat(const char *type)
{
	if (!type)
		return BDENS_OTHER;
	if (!strncmp(type, "process.", 8))
		return BDENS_PROC;
	if (!strncmp(type, "file.", 5))
		return BDENS_FILE;
	if (!strncmp(type, "net.", 4))
		return BDENS_NET;
	return BDENS_OTHER;
}

/* Twice the width, half the buckets: neighbours add up. */
static void merge(struct bdensity *d)
{
	unsigned int i, c;

	for (i = 0; i < BDENS_BUCKETS / 2; i++) {
		for (c = 0; c < BDENS_CATS; c++)
			d->n[i][c] = d->n[2 * i][c] + d->n[2 * i + 1][c];
		d->failed[i] = d->failed[2 * i] + d->failed[2 * i + 1];
	}
	memset(d->n + BDENS_BUCKETS / 2, 0, sizeof(d->n) / 2);
	memset(d->failed + BDENS_BUCKETS / 2, 0, sizeof(d->failed) / 2);
	d->width *= 2;
	d->used = (d->used + 1) / 2;
}

/* Make room before bucket 0 for an event earlier than every other one. */
static bool shift(struct bdensity *d, int64_t ts)
{
	uint64_t k = ((uint64_t)(d->base - ts) + d->width - 1) / d->width;

	if (d->used + k > BDENS_BUCKETS)
		return false;
	memmove(d->n + k, d->n, d->used * sizeof(d->n[0]));
	memmove(d->failed + k, d->failed, d->used * sizeof(d->failed[0]));
	memset(d->n, 0, k * sizeof(d->n[0]));
	memset(d->failed, 0, k * sizeof(d->failed[0]));
	d->base -= (int64_t)(k * d->width);
	d->used += k;
	return true;
}

void density_add(struct bdensity *d, uint64_t ts, const char *type, bool failed)
{
	int64_t t = (int64_t)ts;
	uint64_t i;

	/* Boot-time nanoseconds stay far below 2^62; anything else is not a time. */
	if (!ts || ts >= (1ULL << 62))
		return;
	if (!d->width) {
		d->width = BDENS_WIDTH0;
		d->base = t;
	}
	while (t < d->base && !shift(d, t))
		merge(d);
	while ((i = (uint64_t)(t - d->base) / d->width) >= BDENS_BUCKETS)
		merge(d);
	d->n[i][density_cat(type)]++;
	d->failed[i] += failed;
	if (i + 1 > d->used)
		d->used = i + 1;
}
