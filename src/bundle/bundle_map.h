/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* A string-keyed hash map for the bundle's aggregates (keys are copied). */
#ifndef PS_BUNDLE_MAP_H
#define PS_BUNDLE_MAP_H

#include <stddef.h>

struct smap_ent {
	struct smap_ent *next;
	void *val;
	char key[];
};

struct smap {
	struct smap_ent **slots;
	size_t nslots, n;
};

struct smap_ent *smap_find(const struct smap *m, const char *key);
void *smap_get(const struct smap *m, const char *key);
/*
 * Insert `key` (absent) with `val`.  Returns the stored copy of the key,
 * which lives as long as the map, or NULL when out of memory.
 */
const char *smap_put(struct smap *m, const char *key, void *val);
/* Free the map; `free_val` (may be NULL) is called on every value. */
void smap_free(struct smap *m, void (*free_val)(void *));

#endif
