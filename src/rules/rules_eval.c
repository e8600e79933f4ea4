/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Evaluating a hook's rules against one act's facts.  Three-valued: a test
 * of an attribute the act lacks (an unreadable path, say) is unknown, so
 * that an allow list can fail closed on it rather than wave it through.
 */
#include <string.h>

#include "rules/rules_int.h"

enum tri { NO = 0, YES = 1, UNKNOWN = 2 };

static bool has(const struct rule_facts *f, enum rule_attr a)
{
	if (a >= RA_ARG0)
		return f->args_present & (1ULL << (a - RA_ARG0));
	return f->present & (1ULL << a);
}

static bool net_has(const struct rule_value *net, const uint8_t *addr)
{
	int i;

	for (i = 0; i < net->plen; i++) {
		uint8_t m = 0x80 >> (i % 8);

		if ((net->addr[i / 8] & m) != (addr[i / 8] & m))
			return false;
	}
	return true;
}

static bool member(const struct rule_expr *e, const struct rule_facts *f)
{
	const char *s = f->s[e->attr];
	uint64_t u = f->u[e->attr];
	size_t i;

	for (i = 0; i < e->nvals; i++) {
		const struct rule_value *v = &e->vals[i];

		switch (rules_attr_type(e->attr)) {
		case RT_STR:
			if (!strcmp(s, v->s))
				return true;
			break;
		case RT_PREFIX:
			if (!strncmp(s, v->s, v->len))
				return true;
			break;
		case RT_CIDR4: case RT_CIDR6:
			if (net_has(v, f->addr))
				return true;
			break;
		default:
			if (u == v->u)
				return true;
		}
	}
	return false;
}

static bool compare(const struct rule_expr *e, const struct rule_facts *f)
{
	uint64_t u = f->u[e->attr], k = e->vals[0].u;

	if (rules_attr_type(e->attr) == RT_FLAGS)
		return e->op == RO_IN ? (u & k) != 0 : (u & k) == k;
	switch (e->op) {
	case RO_EQ: case RO_IN: return member(e, f);
	case RO_NE: return !member(e, f);
	case RO_LT: return u < k;
	case RO_LE: return u <= k;
	case RO_GT: return u > k;
	case RO_GE: return u >= k;
	}
	return false;
}

static enum tri eval(const struct rule_expr *e, const struct rule_facts *f)
{
	enum tri l, r;

	if (!e)
		return YES;
	switch (e->kind) {
	case RN_TRUE:
		return YES;
	case RN_CMP:
		if (!has(f, e->attr))
			return UNKNOWN;
		if (rules_attr_type(e->attr) == RT_FLAGS && e->op == RO_NE)
			return (f->u[e->attr] & e->vals[0].u) != e->vals[0].u ? YES : NO;
		return compare(e, f) ? YES : NO;
	case RN_NOT:
		l = eval(e->l, f);
		return l == UNKNOWN ? UNKNOWN : l == YES ? NO : YES;
	case RN_AND:
		l = eval(e->l, f);
		if (l == NO)
			return NO;
		r = eval(e->r, f);
		return r == NO ? NO : (l == YES && r == YES) ? YES : UNKNOWN;
	case RN_OR:
		l = eval(e->l, f);
		if (l == YES)
			return YES;
		r = eval(e->r, f);
		return r == YES ? YES : (l == NO && r == NO) ? NO : UNKNOWN;
	}
	return UNKNOWN;
}

bool rules_eval(const struct ruleset *rs, enum rule_hook h, const struct rule_facts *f,
		struct rule_verdict *v)
{
	const struct rule_hook_cfg *c = &rs->hooks[h];
	bool allow_list = c->sandbox && !c->deny_list;
	size_t i;

	memset(v, 0, sizeof(*v));
	if (!c->enabled)
		return false;
	if (!c->nrules)
		return true; /* every act is reported */
	for (i = 0; i < c->nrules; i++) {
		const struct rule *r = &c->rules[i];
		enum tri scope = eval(r->scope, f), event;

		if (scope == NO)
			continue;
		event = scope == YES ? eval(r->event, f) : UNKNOWN;
		if (!allow_list) {
			if (scope == YES && event == YES) {
				v->rule = r;
				v->block = c->sandbox;
				return true;
			}
			continue;
		}
		/* Allow list: the first rule in scope decides; what it cannot decide is refused. */
		if (event == YES)
			return false;
		v->rule = r;
		v->block = true;
		v->unknown = event == UNKNOWN;
		return true;
	}
	return false;
}
