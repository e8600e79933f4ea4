// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bundle/bundle_map.h"

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ULL;
	return h;
}

struct smap_ent *smap_find(const struct smap *m, const char *key)
{
	struct smap_ent *e;

	if (!m->nslots)
		return NULL;
	for (e = m->slots[fnv1a(key) & (m->nslots - 1)]; e; e = e->next)
		if (!strcmp(e->key, key))
			return e;
	return NULL;
}

void *smap_get(const struct smap *m, const char *key)
{
	struct smap_ent *e = smap_find(m, key);

	return e ? e->val : NULL;
}

static int grow(struct smap *m)
{
	size_t n = m->nslots ? m->nslots * 2 : 64, i;
	struct smap_ent **slots = calloc(n, sizeof(*slots)), *e, *next;

	if (!slots)
		return -1;
	for (i = 0; i < m->nslots; i++) {
		for (e = m->slots[i]; e; e = next) {
			size_t s = fnv1a(e->key) & (n - 1);

			next = e->next;
			e->next = slots[s];
			slots[s] = e;
		}
	}
	free(m->slots);
	m->slots = slots;
	m->nslots = n;
	return 0;
}

const char *smap_put(struct smap *m, const char *key, void *val)
{
	size_t len = strlen(key), s;
	struct smap_ent *e;

	if (m->n >= m->nslots && grow(m))
		return NULL;
	e = malloc(sizeof(*e) + len + 1);
	if (!e)
		return NULL;
	memcpy(e->key, key, len + 1);
	e->val = val;
	s = fnv1a(key) & (m->nslots - 1);
	e->next = m->slots[s];
	m->slots[s] = e;
	m->n++;
	return e->key;
}

void smap_free(struct smap *m, void (*free_val)(void *))
{
	struct smap_ent *e, *next;
	size_t i;

	for (i = 0; i < m->nslots; i++) {
		for (e = m->slots[i]; e; e = next) {
			next = e->next;
			if (free_val)
				free_val(e->val);
			free(e);
		}
	}
	free(m->slots);
	memset(m, 0, sizeof(*m));
}
