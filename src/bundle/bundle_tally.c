// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Per-item tallies (paths, endpoints, types, errors) and their JSON files. */
#include <stdlib.h>
#include <string.h>

#include "bundle/bundle_index.h"
#include "bundle/bundle_out.h"

static struct bitem *item_new(struct bidx *x, struct btally *t, const char *key)
{
	struct bitem *it, **items;

	if (!t->names_only &&
	    (t->n >= BIDX_MAX_ITEMS || !bidx_charge(x, sizeof(*it) + strlen(key) + 48)))
		return NULL;
	if (t->n == t->cap) {
		items = realloc(t->items, (t->cap ? t->cap * 2 : 64) * sizeof(*items));
		if (!items)
			return NULL;
		t->items = items;
		t->cap = t->cap ? t->cap * 2 : 64;
	}
	it = calloc(1, sizeof(*it));
	if (!it)
		return NULL;
	it->key = smap_put(&t->map, key, it);
	if (!it->key) {
		free(it);
		return NULL;
	}
	t->items[t->n++] = it;
	return it;
}

static struct bcell *cell_get(struct bidx *x, struct btally *t, struct bitem *it, const char *op,
			      const char *error)
{
	struct bcell *c, **tail = &it->cells;

	for (c = it->cells; c; tail = &c->next, c = c->next)
		if (c->op == op && c->error == error)
			return c;
	if (!t->names_only && !bidx_charge(x, sizeof(*c)))
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->op = op;
	c->error = error;
	*tail = c;
	return c;
}

void tally_add(struct bidx *x, struct btally *t, const char *key, json_t *(*ident)(json_t *ev),
	       json_t *ev, const char *op, const char *error, unsigned int access, uint64_t ts)
{
	struct bitem *it = smap_get(&t->map, key);
	struct bcell *c;

	if (!it) {
		it = item_new(x, t, key);
		if (!it) {
			t->omitted++;
			return;
		}
		if (ident)
			it->ident = ident(ev);
		it->first_ns = ts;
	}
	c = cell_get(x, t, it, op, error);
	if (!c) {
		t->omitted++;
		return;
	}
	c->n++;
	it->total++;
	it->access |= access;
	if (ts && (!it->first_ns || ts < it->first_ns))
		it->first_ns = ts;
	if (ts > it->last_ns)
		it->last_ns = ts;
}

void tally_free(struct btally *t)
{
	struct bcell *c, *next;
	size_t i;

	for (i = 0; i < t->n; i++) {
		for (c = t->items[i]->cells; c; c = next) {
			next = c->next;
			free(c);
		}
		json_decref(t->items[i]->ident);
		free(t->items[i]);
	}
	free(t->items);
	smap_free(&t->map, NULL);
	memset(t, 0, sizeof(*t));
}

static int by_key(const void *a, const void *b)
{
	return strcmp((*(struct bitem *const *)a)->key, (*(struct bitem *const *)b)->key);
}

void tally_sort(struct btally *t)
{
	if (t->n)
		qsort(t->items, t->n, sizeof(*t->items), by_key);
}

uint64_t tally_failures(const struct bitem *it)
{
	const struct bcell *c;
	uint64_t n = 0;

	for (c = it->cells; c; c = c->next)
		if (c->error)
			n += c->n;
	return n;
}

/* Has `op` already been described (it appeared in an earlier cell)? */
static bool op_seen(const struct bitem *it, const struct bcell *upto)
{
	const struct bcell *c;

	for (c = it->cells; c != upto; c = c->next)
		if (c->op == upto->op)
			return true;
	return false;
}

/* {"file.open":{"count":3,"ok":2,"errors":{"ENOENT":1}}} */
static json_t *ops_json(const struct bitem *it)
{
	json_t *ops = json_object(), *op, *errs;
	const struct bcell *c, *d;
	uint64_t count, ok;

	for (c = it->cells; ops && c; c = c->next) {
		if (op_seen(it, c))
			continue;
		count = ok = 0;
		errs = json_object();
		for (d = c; d; d = d->next) {
			if (d->op != c->op)
				continue;
			count += d->n;
			if (!d->error)
				ok += d->n;
			else
				json_object_set_new(errs, d->error, json_integer(d->n));
		}
		op = json_pack("{sIsIso}", "count", (json_int_t)count, "ok", (json_int_t)ok,
			       "errors", errs);
		json_object_set_new(ops, c->op, op);
	}
	return ops;
}

/* "file.open 3" when all succeeded, else "file.open 3 (ok 1, ENOENT 2)". */
void tally_describe(const struct bitem *it, char *buf, size_t len)
{
	const struct bcell *c, *d;
	size_t off = 0;
	uint64_t count, ok;
	bool first;

	buf[0] = '\0';
	for (c = it->cells; c && off < len; c = c->next) {
		if (op_seen(it, c))
			continue;
		count = ok = 0;
		for (d = c; d; d = d->next)
			if (d->op == c->op) {
				count += d->n;
				ok += d->error ? 0 : d->n;
			}
		off += snprintf(buf + off, len - off, "%s%s %llu", off ? "; " : "", c->op,
				(unsigned long long)count);
		if (ok == count || off >= len)
			continue;
		first = !ok;
		if (ok)
			off += snprintf(buf + off, len - off, " (ok %llu", (unsigned long long)ok);
		for (d = c; d && off < len; d = d->next) {
			if (d->op != c->op || !d->error)
				continue;
			off += snprintf(buf + off, len - off, "%s%s %llu", first ? " (" : ", ",
					d->error, (unsigned long long)d->n);
			first = false;
		}
		if (off < len)
			off += snprintf(buf + off, len - off, ")");
	}
}

const char *const access_names[ACC_NAMES] = { "read", "write", "create", "truncate", "change" };

static json_t *access_json(unsigned int acc)
{
	json_t *a = json_array();
	unsigned int i;

	for (i = 0; i < ACC_NAMES; i++)
		if (acc & (1u << i))
			json_array_append_new(a, json_string(access_names[i]));
	return a;
}

static void add_times(struct bidx *x, json_t *o, const struct bitem *it)
{
	char t[48];

	bidx_time(x, it->first_ns, t, sizeof(t));
	json_object_set_new(o, "first", json_string(t));
	bidx_time(x, it->last_ns, t, sizeof(t));
	json_object_set_new(o, "last", json_string(t));
}

/* Items one per line inside `"name":[...]`, so the file streams out flat. */
static int write_items(struct bidx *x, struct btally *t, FILE *f, const char *name,
		       json_t *(*item_json)(struct bidx *x, const struct bitem *it))
{
	size_t i;
	json_t *o;

	tally_sort(t);
	fprintf(f, "{\"format\":1,\"%s\":[", name);
	for (i = 0; i < t->n; i++) {
		o = item_json(x, t->items[i]);
		if (!o)
			return -1;
		fprintf(f, "%s\n", i ? "," : "");
		json_dumpf(o, f, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(o);
	}
	fprintf(f, "\n],\"omitted_events\":%llu}\n", (unsigned long long)t->omitted);
	return ferror(f) ? -1 : 0;
}

static json_t *file_json(struct bidx *x, const struct bitem *it)
{
	json_t *o = json_pack("{sososI}", "path", json_text(it->key),
			      "outside_cwd", json_boolean(bidx_outside_cwd(x, it->key)),
			      "total", (json_int_t)it->total);

	if (!o)
		return NULL;
	json_object_set_new(o, "access", access_json(it->access));
	add_times(x, o, it);
	json_object_set_new(o, "ops", ops_json(it));
	return o;
}

static json_t *endpoint_json(struct bidx *x, const struct bitem *it)
{
	json_t *o = json_pack("{so}", "endpoint", json_text(it->key));

	if (!o)
		return NULL;
	if (it->ident)
		json_object_update(o, it->ident);
	json_object_set_new(o, "total", json_integer(it->total));
	add_times(x, o, it);
	json_object_set_new(o, "ops", ops_json(it));
	return o;
}

int tally_write_files(struct bidx *x, FILE *f)
{
	return write_items(x, &x->files, f, "paths", file_json);
}

int tally_write_network(struct bidx *x, FILE *f)
{
	return write_items(x, &x->net, f, "endpoints", endpoint_json);
}
