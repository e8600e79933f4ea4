// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The calls summary: counted per (type, syscall) in a small hash table. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "output/calls.h"
#include "output/out.h"

#define CALLS_MAX_PROBE 64    /* a longer chain: the row is counted as omitted */

void calls_init(struct calls *c)
{
	memset(c, 0, sizeof(*c));
	if (getrandom(&c->seed, sizeof(c->seed), GRND_NONBLOCK) != sizeof(c->seed))
		c->seed = (uint64_t)(uintptr_t)c;
}

static void row_free(struct calls_row *r)
{
	unsigned int i;

	free(r->type);
	free(r->syscall);
	for (i = 0; i < r->nerr; i++)
		free(r->err[i].name);
}

void calls_free(struct calls *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		row_free(&c->rows[i]);
	free(c->rows);
	free(c->slots);
	memset(c, 0, sizeof(*c));
}

static uint64_t hash(uint64_t seed, const char *type, const char *syscall)
{
	uint64_t h = 1469598103934665603ULL ^ seed;   /* FNV-1a, seeded */
	const char *s;

	for (s = type; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	h = (h ^ '\t') * 1099511628211ULL;
	for (s = syscall; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h ^ (h >> 31);
}

/* Twice the rows' capacity, so that the table stays at most half full. */
static int grow(struct calls *c)
{
	size_t cap = c->cap ? c->cap * 2 : 64, nslots = cap * 2, i, j;
	struct calls_row *rows = realloc(c->rows, cap * sizeof(*rows));
	uint32_t *slots;

	if (!rows)
		return -1;
	c->rows = rows;
	slots = calloc(nslots, sizeof(*slots));
	if (!slots)
		return -1;
	for (i = 0; i < c->n; i++) {
		j = hash(c->seed, rows[i].type, rows[i].syscall) & (nslots - 1);
		while (slots[j])
			j = (j + 1) & (nslots - 1);
		slots[j] = (uint32_t)i + 1;
	}
	free(c->slots);
	c->slots = slots;
	c->nslots = nslots;
	c->cap = cap;
	return 0;
}

static struct calls_row *row_get(struct calls *c, const char *type, const char *syscall)
{
	uint64_t h = hash(c->seed, type, syscall);
	struct calls_row *r;
	size_t j, probes = 0;

	if (c->nslots)
		for (j = h & (c->nslots - 1); c->slots[j]; j = (j + 1) & (c->nslots - 1)) {
			r = &c->rows[c->slots[j] - 1];
			if (!strcmp(r->type, type) && !strcmp(r->syscall, syscall))
				return r;
			if (++probes == CALLS_MAX_PROBE)
				return NULL;
		}
	if (c->n >= CALLS_MAX_ROWS || (c->n == c->cap && grow(c)))
		return NULL;
	r = &c->rows[c->n];
	memset(r, 0, sizeof(*r));
	r->type = strdup(type);
	r->syscall = strdup(syscall);
	if (!r->type || !r->syscall) {
		row_free(r);
		return NULL;
	}
	for (j = h & (c->nslots - 1); c->slots[j]; j = (j + 1) & (c->nslots - 1))
		;
	c->slots[j] = (uint32_t)++c->n;
	return r;
}

/* An errno as records name one (ENOENT, or a number): anything else is "other". */
static bool errno_like(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

static void count_error(struct calls_row *r, const char *error)
{
	unsigned int i;

	r->failed++;
	if (!errno_like(error)) {
		r->other_failed++;
		return;
	}
	for (i = 0; i < r->nerr; i++)
		if (!strcmp(r->err[i].name, error)) {
			r->err[i].n++;
			return;
		}
	if (r->nerr == CALLS_MAX_ERRS || !(r->err[r->nerr].name = strdup(error))) {
		r->other_failed++;
		return;
	}
	r->err[r->nerr++].n = 1;
}

void calls_add(struct calls *c, const char *type, const char *syscall, const char *error,
	       uint64_t ts_ns)
{
	struct calls_row *r = row_get(c, type, syscall ? syscall : "");

	c->total++;
	if (error)
		c->failed++;
	if (!r) {
		c->omitted++;
		return;
	}
	r->n++;
	if (error)
		count_error(r, error);
	if (!r->first_ns || ts_ns < r->first_ns)
		r->first_ns = ts_ns;
	if (ts_ns > r->last_ns)
		r->last_ns = ts_ns;
}

static int by_count(const void *a, const void *b)
{
	const struct calls_row *x = a, *y = b;
	int d;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	d = strcmp(x->type, y->type);
	return d ? d : strcmp(x->syscall, y->syscall);
}

static int err_by_count(const void *a, const void *b)
{
	const struct calls_err *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->name, y->name);
}

void calls_sort(struct calls *c)
{
	size_t i, j;

	if (!c->n)
		return;
	for (i = 0; i < c->n; i++)
		qsort(c->rows[i].err, c->rows[i].nerr, sizeof(c->rows[i].err[0]), err_by_count);
	qsort(c->rows, c->n, sizeof(*c->rows), by_count);
	/* Rows moved: the slots are rebuilt so that calls_add keeps working. */
	memset(c->slots, 0, c->nslots * sizeof(*c->slots));
	for (i = 0; i < c->n; i++) {
		j = hash(c->seed, c->rows[i].type, c->rows[i].syscall) & (c->nslots - 1);
		while (c->slots[j])
			j = (j + 1) & (c->nslots - 1);
		c->slots[j] = (uint32_t)i + 1;
	}
}

/* "ENOENT:3,EACCES:1" (sep ":" and ","), or "ENOENT 3, EACCES 1" for people. */
static void errors_by_errno(struct out *o, const struct calls_row *r, const char *kv,
			    const char *sep)
{
	unsigned int i;

	for (i = 0; i < r->nerr; i++) {
		out_raw(o, "%s", i ? sep : "");
		out_text_escape(o, r->err[i].name, strlen(r->err[i].name));
		out_raw(o, "%s%llu", kv, (unsigned long long)r->err[i].n);
	}
	if (r->other_failed)
		out_raw(o, "%sother%s%llu", r->nerr ? sep : "", kv,
			(unsigned long long)r->other_failed);
}

static double rel_s(uint64_t ts, uint64_t origin)
{
	return (double)(int64_t)(ts - origin) / 1e9;
}

/* An escaped name padded to `width` columns (escapes are ASCII, so bytes are columns). */
static void padded(struct out *o, const char *s, int width)
{
	size_t at = o->len;

	out_text_escape(o, *s ? s : "-", *s ? strlen(s) : 1);
	if ((int)(o->len - at) < width)
		out_raw(o, "%*s", width - (int)(o->len - at), "");
}

int calls_write_table(const struct calls *c, uint64_t origin_ns, FILE *f)
{
	struct out o;
	size_t i;

	out_init(&o, OUT_TEXT);
	fprintf(f, "%-16s %-18s %9s %9s %12s %12s  %s\n", "type", "syscall", "calls", "errors",
		"first", "last", "errors by errno");
	for (i = 0; i < c->n; i++) {
		const struct calls_row *r = &c->rows[i];

		out_reset(&o);
		padded(&o, r->type, 16);
		out_raw(&o, " ");
		padded(&o, r->syscall, 18);
		out_raw(&o, " %9llu %9llu %12.6f %12.6f%s", (unsigned long long)r->n,
			(unsigned long long)r->failed, rel_s(r->first_ns, origin_ns),
			rel_s(r->last_ns, origin_ns), r->failed ? "  " : "");
		errors_by_errno(&o, r, " ", ", ");
		if (!o.failed)
			fprintf(f, "%s\n", o.buf);
	}
	fprintf(f, "%-16s %-18s %9llu %9llu\n", "total", "", (unsigned long long)c->total,
		(unsigned long long)c->failed);
	if (c->omitted)
		fprintf(f, "(%llu events in rows past the first %d are only in the total)\n",
			(unsigned long long)c->omitted, CALLS_MAX_ROWS);
	out_free(&o);
	return ferror(f) ? -1 : 0;
}

int calls_write_tsv(const struct calls *c, FILE *f)
{
	struct out o;
	size_t i;

	out_init(&o, OUT_TEXT);
	fprintf(f, "type\tsyscall\tcalls\terrors\terrors_by_errno\tfirst_ns\tlast_ns\n");
	for (i = 0; i < c->n; i++) {
		const struct calls_row *r = &c->rows[i];

		out_reset(&o);
		out_text_escape(&o, r->type, strlen(r->type));
		out_raw(&o, "\t");
		out_text_escape(&o, r->syscall, strlen(r->syscall));
		out_raw(&o, "\t%llu\t%llu\t", (unsigned long long)r->n,
			(unsigned long long)r->failed);
		errors_by_errno(&o, r, ":", ",");
		out_raw(&o, "\t%llu\t%llu", (unsigned long long)r->first_ns,
			(unsigned long long)r->last_ns);
		if (!o.failed)
			fprintf(f, "%s\n", o.buf);
	}
	if (c->omitted)
		fprintf(f, "(omitted)\t\t%llu\t\t\t\t\n", (unsigned long long)c->omitted);
	out_free(&o);
	return ferror(f) ? -1 : 0;
}
