/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Folding that knows attribute types.  Under OR, tests of one attribute
 * against sets become one set (their union).  Under AND they become their
 * meet, which depends on the type:
 *   exact strings, names, numbers  the intersection of the sets;
 *   prefixes                       the longer of every two prefixes of which
 *                                  one extends the other ("/usr" AND
 *                                  "/usr/lib" is "/usr/lib", not false);
 *   networks                       the narrower of every two nested ones;
 *   flags                          "these bits set" tests add their bits
 *                                  (ecaps == A AND ecaps == B: both set);
 *   numbers with < <= > >= !=      the set filtered by the bounds.
 * A meet that is empty is an error: the rule could never match.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules_int.h"

struct chain {
	struct rule_expr **v;
	size_t n, cap;
};

static int chain_push(struct chain *c, struct rule_expr *x)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 8;
		struct rule_expr **v = realloc(c->v, cap * sizeof(*v));

		if (!v)
			return -1;
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n++] = x;
	return 0;
}

/* The leaves of a chain of `kind` nodes; the chain's own nodes are freed. */
static int flatten(struct rule_expr *x, enum rule_node kind, struct chain *c)
{
	struct rule_expr *l, *r;

	if (x->kind != kind)
		return chain_push(c, x);
	l = x->l;
	r = x->r;
	x->l = x->r = NULL;
	rexpr_free(x);
	if (flatten(l, kind, c)) {
		rexpr_free(r);
		return -1;
	}
	return flatten(r, kind, c);
}

static bool is_set(const struct rule_expr *x)
{
	return x->kind == RN_CMP && (x->op == RO_EQ || x->op == RO_IN) &&
	       rules_attr_type(x->attr) != RT_FLAGS;
}

static bool same_value(enum rule_type t, const struct rule_value *a, const struct rule_value *b)
{
	switch (t) {
	case RT_STR: case RT_PREFIX:
		return !strcmp(a->s, b->s);
	case RT_CIDR4: case RT_CIDR6:
		return a->plen == b->plen && !memcmp(a->addr, b->addr, sizeof(a->addr));
	default:
		return a->u == b->u;
	}
}

/* Does network `outer` contain `inner`? */
static bool net_contains(const struct rule_value *outer, const struct rule_value *inner)
{
	int i;

	if (outer->plen > inner->plen)
		return false;
	for (i = 0; i < outer->plen; i++) {
		uint8_t m = 0x80 >> (i % 8);

		if ((outer->addr[i / 8] & m) != (inner->addr[i / 8] & m))
			return false;
	}
	return true;
}

/* The meet of two values, or NULL when nothing satisfies both. */
static const struct rule_value *meet(enum rule_type t, const struct rule_value *a,
				     const struct rule_value *b)
{
	size_t la, lb;

	switch (t) {
	case RT_PREFIX:
		la = strlen(a->s);
		lb = strlen(b->s);
		if (la <= lb)
			return strncmp(a->s, b->s, la) ? NULL : b;
		return strncmp(a->s, b->s, lb) ? NULL : a;
	case RT_CIDR4: case RT_CIDR6:
		if (net_contains(a, b))
			return b;
		return net_contains(b, a) ? a : NULL;
	default:
		return same_value(t, a, b) ? a : NULL;
	}
}

static int value_copy(struct rule_value *dst, const struct rule_value *src)
{
	*dst = *src;
	if (src->s && !(dst->s = strdup(src->s)))
		return -1;
	return 0;
}

static bool set_has(enum rule_type t, const struct rule_value *v, size_t n,
		    const struct rule_value *x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (same_value(t, &v[i], x))
			return true;
	return false;
}

/* Replace a's values by `v` (n of them, owned now by a). */
static void set_replace(struct rule_expr *a, struct rule_value *v, size_t n)
{
	size_t i;

	for (i = 0; i < a->nvals; i++)
		free(a->vals[i].s);
	free(a->vals);
	a->vals = v;
	a->nvals = n;
	a->op = n == 1 ? RO_EQ : RO_IN;
}

/* a := a OR b (union) or a AND b (meet).  1: the meet is empty; -1: no memory. */
static int set_merge(struct rule_expr *a, const struct rule_expr *b, bool and)
{
	enum rule_type t = rules_attr_type(a->attr);
	size_t max = and ? a->nvals * b->nvals : a->nvals + b->nvals, n = 0, i, j;
	struct rule_value *v = calloc(max ? max : 1, sizeof(*v));
	const struct rule_value *m;

	if (!v)
		return -1;
	for (i = 0; i < (and ? a->nvals : a->nvals + b->nvals); i++) {
		for (j = 0; j < (and ? b->nvals : 1); j++) {
			m = !and ? (i < a->nvals ? &a->vals[i] : &b->vals[i - a->nvals])
				 : meet(t, &a->vals[i], &b->vals[j]);
			if (!m || set_has(t, v, n, m))
				continue;
			if (value_copy(&v[n], m))
				goto nomem;
			n++;
		}
	}
	if (!n) {
		free(v);
		return 1; /* empty: a is left as it was, for the message */
	}
	set_replace(a, v, n);
	return 0;
nomem:
	while (n--)
		free(v[n].s);
	free(v);
	return -1;
}

/* Keep the members of a's set that satisfy the bound or != test b. */
static void set_filter(struct rule_expr *a, const struct rule_expr *b)
{
	uint64_t k = b->vals[0].u;
	size_t i, n = 0;

	for (i = 0; i < a->nvals; i++) {
		uint64_t u = a->vals[i].u;
		bool keep = b->op == RO_NE ? u != k : b->op == RO_LT ? u < k : b->op == RO_LE ? u <= k :
			    b->op == RO_GT ? u > k : u >= k;

		if (keep)
			a->vals[n++] = a->vals[i];
	}
	a->nvals = n;
	if (n)
		a->op = n == 1 ? RO_EQ : RO_IN;
}

static bool is_any_flags(const struct rule_expr *x)
{
	return x->kind == RN_CMP && rules_attr_type(x->attr) == RT_FLAGS &&
	       (x->op == RO_IN || (x->op == RO_EQ && !(x->vals[0].u & (x->vals[0].u - 1))));
}

static bool is_all_flags(const struct rule_expr *x)
{
	return x->kind == RN_CMP && rules_attr_type(x->attr) == RT_FLAGS && x->op == RO_EQ;
}

static bool is_bound(const struct rule_expr *x)
{
	return x->kind == RN_CMP && rules_attr_type(x->attr) == RT_UINT && x->op >= RO_NE &&
	       x->op <= RO_GE;
}

static void always_false(struct rerr *e, const char *file, struct rule_expr *a,
			 struct rule_expr *b)
{
	struct rpos p = { file, b->line, b->col };
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f) {
		rules_print_expr(f, a);
		fputs(" AND ", f);
		rules_print_expr(f, b);
		fclose(f);
	}
	rerr_at(e, &p, "always false: %s can never hold", text ? text : "this condition");
	free(text);
}

/*
 * Merge b into a when their attribute and tests allow it.  1: merged (drop
 * b), 0: left alone, -1: error (always false, or no memory).
 */
static int merge_pair(struct rule_expr *a, struct rule_expr *b, bool and, const char *file,
		      struct rerr *e)
{
	if (a->kind != RN_CMP || b->kind != RN_CMP || a->attr != b->attr)
		return 0;
	if (is_set(a) && is_set(b)) {
		int r = set_merge(a, b, and);

		if (r == 1)
			always_false(e, file, a, b);
		return r ? -1 : 1;
	}
	if (!and && is_any_flags(a) && is_any_flags(b)) {
		a->vals[0].u |= b->vals[0].u;
		a->op = RO_IN;
		return 1;
	}
	if (and && is_all_flags(a) && is_all_flags(b)) {
		a->vals[0].u |= b->vals[0].u;
		return 1;
	}
	if (and && is_set(a) && is_bound(b)) {
		size_t before = a->nvals;

		set_filter(a, b);
		if (!a->nvals) {
			a->nvals = before;   /* freed by its owner: the strings are untouched */
			always_false(e, file, a, b);
			return -1;
		}
		return 1;
	}
	if (and && is_bound(a) && is_set(b))
		return 0; /* b comes later in the chain: it is merged from its own side */
	return 0;
}

/* Numbers bounded from both sides with nothing in between. */
static int check_bounds(struct chain *c, const char *file, struct rerr *e)
{
	size_t i, j;

	for (i = 0; i < c->n; i++) {
		for (j = 0; j < c->n; j++) {
			struct rule_expr *a = c->v[i], *b = c->v[j];
			uint64_t lo, hi;

			if (i == j || !is_bound(a) || !is_bound(b) || a->attr != b->attr ||
			    !(a->op == RO_GT || a->op == RO_GE) || !(b->op == RO_LT || b->op == RO_LE))
				continue;
			lo = a->vals[0].u;
			hi = b->vals[0].u;
			if (a->op == RO_GT && lo == UINT64_MAX)
				goto empty;
			if (b->op == RO_LT && hi == 0)
				goto empty;
			lo += a->op == RO_GT;
			hi -= b->op == RO_LT;
			if (lo > hi)
				goto empty;
			continue;
empty:
			always_false(e, file, a, b);
			return -1;
		}
	}
	return 0;
}

static struct rule_expr *rebuild(struct chain *c, enum rule_node kind)
{
	struct rule_expr *x = c->v[0];
	size_t i;

	for (i = 1; i < c->n && x; i++) {
		x = rexpr_new(kind, x, c->v[i]);
		c->v[i] = NULL;
	}
	if (!x)
		for (; i < c->n; i++)
			rexpr_free(c->v[i]);
	return x;
}

static struct rule_expr *fold_chain(struct rule_expr *x, const char *file, struct rerr *e)
{
	enum rule_node kind = x->kind;
	struct chain c = { 0 };
	size_t i, j, k;
	int r;

	if (flatten(x, kind, &c))
		goto fail;
	for (i = 0; i < c.n; i++)
		if (!(c.v[i] = rexpr_fold(c.v[i], file, e)))
			goto fail;
	/* Sets first, so that bounds filter a set already merged. */
	for (i = 0; i < c.n; i++) {
		for (j = i + 1; j < c.n; j++) {
			struct rule_expr *a = c.v[i], *b = c.v[j];

			if (is_bound(a) && is_set(b) && kind == RN_AND) {
				c.v[i] = b;
				c.v[j] = a;
				a = c.v[i];
				b = c.v[j];
			}
			r = merge_pair(a, b, kind == RN_AND, file, e);
			if (r < 0)
				goto fail;
			if (r == 1) {
				rexpr_free(b);
				for (k = j; k + 1 < c.n; k++)
					c.v[k] = c.v[k + 1];
				c.n--;
				j--;
			}
		}
	}
	if (kind == RN_AND && check_bounds(&c, file, e))
		goto fail;
	x = rebuild(&c, kind);
	free(c.v);
	return x;
fail:
	for (i = 0; i < c.n; i++)
		rexpr_free(c.v[i]);
	free(c.v);
	return NULL;
}

struct rule_expr *rexpr_fold(struct rule_expr *x, const char *file, struct rerr *e)
{
	struct rule_expr *in;

	switch (x->kind) {
	case RN_AND:
	case RN_OR:
		return fold_chain(x, file, e);
	case RN_NOT:
		x->l = rexpr_fold(x->l, file, e);
		if (!x->l) {
			rexpr_free(x);
			return NULL;
		}
		if (x->l->kind != RN_NOT)
			return x;
		/* NOT NOT a is a */
		in = x->l->l;
		x->l->l = NULL;
		rexpr_free(x);
		return in;
	default:
		return x;
	}
}

size_t rexpr_ops(const struct rule_expr *x)
{
	if (!x)
		return 0;
	return 1 + rexpr_ops(x->l) + rexpr_ops(x->r);
}
