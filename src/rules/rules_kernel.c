/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Compiling a hook's rules into ops for the kernel: each expression in
 * postfix order, a set test as an OR of single tests, string literals in a
 * table shared by the hooks.  What the kernel cannot evaluate (an attribute
 * it does not read, a literal too long, too many ops) leaves the hook to the
 * consumer, which reports the sandbox's verdict without enforcing it.
 */
#include <stddef.h>
#include <string.h>

#include "rules/rules_kernel.h"

struct kc {
	struct ps_rule_hook *h;
	struct rules_kernel *k;
	unsigned int depth, max_depth;
	uint16_t needs;
	const char *why;
};

int rules_khook(enum rule_hook h)
{
	switch (h) {
	case RH_SETUID: return PS_KH_SETUID;
	case RH_SETGID: return PS_KH_SETGID;
	case RH_CAPSET: return PS_KH_CAPSET;
	case RH_BPRM_CHECK: return PS_KH_BPRM;
	case RH_FILE_OPEN: return PS_KH_FILE_OPEN;
	default: return -1;
	}
}

/* The kernel's fact for an attribute, or -1; *is_prefix for the prefix attributes. */
static int fact_of(enum rule_attr a, bool *is_prefix, uint16_t *needs)
{
	*is_prefix = false;
	switch (a) {
	case RA_UID: return PS_RF_UID;
	case RA_EUID: return PS_RF_EUID;
	case RA_PREV_EUID: return PS_RF_PREV_EUID;
	case RA_GID: return PS_RF_GID;
	case RA_EGID: return PS_RF_EGID;
	case RA_ECAPS: return PS_RF_ECAPS;
	case RA_PCAPS: return PS_RF_PCAPS;
	case RA_GAINED_CAPS: return PS_RF_GAINED_CAPS;
	case RA_ACCESS_MODE: return PS_RF_ACCESS_MODE;
	case RA_CREATION_FLAGS: return PS_RF_CREATION_FLAGS;
	case RA_PATH_PREFIX: *is_prefix = true; /* fall through */
	case RA_PATH: *needs |= PS_RN_PATH; return PS_RF_PATH;
	case RA_NAME: *needs |= PS_RN_PATH; return PS_RF_NAME;
	case RA_BINARY_PREFIX: *is_prefix = true; /* fall through */
	case RA_BINARY_PATH: *needs |= PS_RN_BIN; return PS_RF_BIN;
	case RA_BINARY_NAME: *needs |= PS_RN_BIN; return PS_RF_BIN_NAME;
	case RA_PARENT_BINARY_PREFIX: *is_prefix = true; /* fall through */
	case RA_PARENT_BINARY_PATH: *needs |= PS_RN_PARENT; return PS_RF_PARENT;
	case RA_PARENT_BINARY_NAME: *needs |= PS_RN_PARENT; return PS_RF_PARENT_NAME;
	default: return -1;
	}
}

static int emit(struct kc *c, uint8_t op, uint8_t fact, uint8_t cmp, uint32_t aux, uint64_t val)
{
	struct ps_rule_op *o;

	if (c->h->nops == PS_RULE_OPS) {
		c->why = "more than 1024 kernel operations";
		return -1;
	}
	o = &c->h->ops[c->h->nops++];
	*o = (struct ps_rule_op){ op, fact, cmp, 0, aux, val };
	if (op <= PS_ROP_PREFIX) {
		if (++c->depth > c->max_depth)
			c->max_depth = c->depth;
	} else if (op == PS_ROP_AND || op == PS_ROP_OR) {
		c->depth--;
	}
	if (c->max_depth > PS_RULE_DEPTH) {
		c->why = "an expression nested too deep";
		return -1;
	}
	return 0;
}

static int intern(struct kc *c, const char *s, uint32_t *idx)
{
	size_t n = strlen(s);
	uint32_t i;

	if (n >= PS_RSTR_LEN) {
		c->why = "a string of 256 bytes or more";
		return -1;
	}
	for (i = 0; i < c->k->nstrs; i++)
		if (c->k->strs[i].len == n && !memcmp(c->k->strs[i].s, s, n)) {
			*idx = i;
			return 0;
		}
	if (c->k->nstrs == PS_RULE_STRS) {
		c->why = "more than 1024 distinct strings";
		return -1;
	}
	*idx = c->k->nstrs++;
	c->k->strs[*idx].len = n;
	memcpy(c->k->strs[*idx].s, s, n);
	return 0;
}

static int emit_cmp(struct kc *c, const struct rule_expr *e)
{
	bool prefix;
	int fact = fact_of(e->attr, &prefix, &c->needs);
	enum rule_type t = rules_attr_type(e->attr);
	size_t i;
	uint32_t idx;

	if (fact < 0) {
		c->why = "an attribute the kernel does not read";
		return -1;
	}
	if (t == RT_FLAGS) {
		if (emit(c, e->op == RO_IN ? PS_ROP_ANY : PS_ROP_ALL, fact, 0, 0, e->vals[0].u))
			return -1;
		return e->op == RO_NE ? emit(c, PS_ROP_NOT, 0, 0, 0, 0) : 0;
	}
	if (e->op >= RO_LT && e->op <= RO_GE)
		return emit(c, PS_ROP_CMP, fact, (uint8_t)e->op, 0, e->vals[0].u);
	/* ==, in, !=: a set, tested one member at a time. */
	for (i = 0; i < e->nvals; i++) {
		if (t == RT_STR || t == RT_PREFIX) {
			if (intern(c, e->vals[i].s, &idx) ||
			    emit(c, prefix ? PS_ROP_PREFIX : PS_ROP_STR, fact, 0, idx, 0))
				return -1;
		} else if (emit(c, PS_ROP_CMP, fact, PS_RCMP_EQ, 0, e->vals[i].u)) {
			return -1;
		}
		if (i && emit(c, PS_ROP_OR, 0, 0, 0, 0))
			return -1;
	}
	return e->op == RO_NE ? emit(c, PS_ROP_NOT, 0, 0, 0, 0) : 0;
}

static int emit_expr(struct kc *c, const struct rule_expr *e)
{
	if (!e)
		return emit(c, PS_ROP_TRUE, 0, 0, 0, 0);
	switch (e->kind) {
	case RN_TRUE:
		return emit(c, PS_ROP_TRUE, 0, 0, 0, 0);
	case RN_CMP:
		return emit_cmp(c, e);
	case RN_NOT:
		return emit_expr(c, e->l) || emit(c, PS_ROP_NOT, 0, 0, 0, 0) ? -1 : 0;
	case RN_AND:
	case RN_OR:
		if (emit_expr(c, e->l) || emit_expr(c, e->r))
			return -1;
		return emit(c, e->kind == RN_AND ? PS_ROP_AND : PS_ROP_OR, 0, 0, 0, 0);
	}
	return -1;
}

/*
 * The rules mask of `key` in a table of screen entries (`stride` bytes each,
 * the key first, the mask at `mask_off`), appended when absent; NULL when
 * the table is full.
 */
static uint64_t *screen_entry(void *tab, uint32_t *n, uint32_t max, size_t stride,
			      const void *key, size_t keylen, size_t mask_off)
{
	char *e = tab;
	uint32_t i;

	for (i = 0; i < *n; i++, e += stride)
		if (!memcmp(e, key, keylen))
			return (uint64_t *)(e + mask_off);
	if (*n == max)
		return NULL;
	memcpy(e, key, keylen);
	*(uint64_t *)(e + mask_off) = 0;
	(*n)++;
	return (uint64_t *)(e + mask_off);
}

/* Add (fact, value) -> rule to the exact screen maps; false when they are full. */
static bool screen_add(struct kc *c, int kh, int fact, const struct rule_value *v, size_t rule)
{
	struct rules_kernel *k = c->k;
	uint64_t *mask;

	if (fact < PS_RF_PATH) {
		struct ps_rscreen_num key = { .hook = (uint8_t)kh, .fact = (uint8_t)fact, .val = v->u };

		mask = screen_entry(k->num, &k->nnum, PS_RSCREEN_NUM, sizeof(k->num[0]), &key, sizeof(key),
				    offsetof(struct rules_screen_num, rules));
	} else {
		struct ps_rscreen_str key = { .hook = (uint8_t)kh, .fact = (uint8_t)fact };

		memcpy(key.s, v->s, strlen(v->s));
		mask = screen_entry(k->str, &k->nstr, PS_RSCREEN_STR, sizeof(k->str[0]), &key, sizeof(key),
				    offsetof(struct rules_screen_str, rules));
	}
	if (mask)
		*mask |= 1ULL << rule;
	return mask != NULL;
}

/* Add (fact, prefix) -> rule to the prefix trie's entries; false when they are full. */
static bool screen_add_prefix(struct kc *c, int kh, int fact, const char *p, size_t rule)
{
	struct ps_rscreen_pfx key = { .hook = (uint8_t)kh, .fact = (uint8_t)fact };
	size_t n = strlen(p);
	uint64_t *mask;

	key.prefixlen = (uint32_t)(2 + n) * 8;
	memcpy(key.s, p, n);
	mask = screen_entry(c->k->pfx, &c->k->npfx, PS_RSCREEN_PFX, sizeof(c->k->pfx[0]), &key,
			    sizeof(key), offsetof(struct rules_screen_pfx, rules));
	if (mask)
		*mask |= 1ULL << rule;
	return mask != NULL;
}

/* Add "fact has a bit of `bits`" -> rule to the hook's flag masks; false when they are full. */
static bool screen_add_flags(struct ps_rule_hook *h, int fact, uint64_t bits, size_t rule)
{
	int j;

	for (j = 0; j < PS_RFSCREENS; j++)
		if (h->fscreen[j].fact == 0xff || (h->fscreen[j].fact == fact && h->fscreen[j].bits == bits))
			break;
	if (j == PS_RFSCREENS)
		return false;
	h->fscreen[j].fact = (uint8_t)fact;
	h->fscreen[j].bits = bits;
	h->fscreen[j].rules |= 1ULL << rule;
	return true;
}

/* The screen slot of a fact in this hook, taken if free; -1 when all are taken. */
static int screen_slot(struct ps_rule_hook *h, int fact)
{
	int j;

	for (j = 0; j < PS_RSCREENS; j++)
		if (h->screen_fact[j] == fact)
			return j;
	for (j = 0; j < PS_RSCREENS; j++)
		if (h->screen_fact[j] == 0xff) {
			h->screen_fact[j] = (uint8_t)fact;
			return j;
		}
	return -1;
}

/*
 * Can term `e` be an atom: "fact in {exact values}", "fact starts with one
 * of {prefixes}" or "flags fact has a bit of m", on a fact the kernel reads?
 * Its fact, or -1.
 */
static int atom_fact(const struct rule_expr *e)
{
	enum rule_type t;
	uint16_t needs = 0;
	bool prefix;
	int fact;
	size_t i;

	if (e->kind != RN_CMP || (e->op != RO_EQ && e->op != RO_IN))
		return -1;
	t = rules_attr_type(e->attr);
	fact = fact_of(e->attr, &prefix, &needs);
	if (fact < 0)
		return -1;
	if (t == RT_FLAGS)
		return e->vals[0].u ? fact : -1; /* no bit: always true */
	if (t != RT_UINT && t != RT_ENUM && t != RT_STR && t != RT_PREFIX)
		return -1;
	for (i = 0; i < e->nvals; i++)
		if ((t == RT_STR && strlen(e->vals[i].s) >= PS_RSTR_LEN) ||
		    (t == RT_PREFIX && strlen(e->vals[i].s) >= PS_RPFX_LEN))
			return -1;
	return fact;
}

#define MAX_ATOMS (2 * RULES_MAX_OPS)

struct atoms {
	const struct rule_expr *e[MAX_ATOMS];
	size_t n;
	bool strings; /* some atom is on a string: the kernel must walk a path to test it */
};

/*
 * Atoms of which one holds whenever `e` does, into a; false when there are
 * none.  An OR needs both sides'; an AND either side's, the one that can be
 * tested without a path walk if it can, else the smaller.
 */
static bool atoms_of(const struct rule_expr *e, struct atoms *a)
{
	struct atoms l, r;
	int fact;

	a->n = 0;
	a->strings = false;
	if (!e)
		return false;
	switch (e->kind) {
	case RN_CMP:
		fact = atom_fact(e);
		if (fact < 0)
			return false;
		a->e[a->n++] = e;
		a->strings = fact >= PS_RF_PATH;
		return true;
	case RN_OR:
		if (!atoms_of(e->l, &l) || !atoms_of(e->r, &r) || l.n + r.n > MAX_ATOMS)
			return false;
		*a = l;
		memcpy(&a->e[a->n], r.e, r.n * sizeof(r.e[0]));
		a->n += r.n;
		a->strings = l.strings || r.strings;
		return true;
	case RN_AND: {
		bool hl = atoms_of(e->l, &l), hr = atoms_of(e->r, &r);

		if (hl && (!hr || (l.strings == r.strings ? l.n <= r.n : r.strings)))
			*a = l;
		else if (hr)
			*a = r;
		return hl || hr;
	}
	default:
		return false;
	}
}

/* Register atom e of rule `rule`; false when the slots or maps are full. */
static bool atom_add(struct kc *c, int kh, const struct rule_expr *e, size_t rule)
{
	uint16_t needs = 0;
	bool prefix;
	int fact = fact_of(e->attr, &prefix, &needs), j;
	size_t v;

	if (rules_attr_type(e->attr) == RT_FLAGS)
		return screen_add_flags(c->h, fact, e->vals[0].u, rule);
	j = screen_slot(c->h, fact);
	if (j < 0)
		return false;
	c->h->screen_kind[j] |= prefix ? PS_RSK_PREFIX : PS_RSK_EXACT;
	c->h->screened[j] |= 1ULL << rule;
	for (v = 0; v < e->nvals; v++)
		if (!(prefix ? screen_add_prefix(c, kh, fact, e->vals[v].s, rule)
			     : screen_add(c, kh, fact, &e->vals[v], rule)))
			return false;
	return true;
}

/*
 * Screen rule i by atoms of its scope (an allow list judges a rule whenever
 * its scope may hold), and otherwise of its scope AND its event.  A rule
 * with none is always judged.
 */
static void screen_rule(struct kc *c, int kh, const struct rule *r, size_t i, bool allow)
{
	struct rule_expr both = { .kind = RN_AND, .l = r->scope, .r = r->event };
	struct ps_rule_hook *h = c->h;
	uint8_t fact[PS_RSCREENS], kind[PS_RSCREENS];
	uint64_t screened[PS_RSCREENS];
	struct ps_rscreen_flags fs[PS_RFSCREENS];
	uint32_t nnum = c->k->nnum, nstr = c->k->nstr, npfx = c->k->npfx;
	struct atoms a;
	size_t t;

	if (!atoms_of(allow ? r->scope : &both, &a))
		goto always;
	memcpy(fact, h->screen_fact, sizeof(fact));
	memcpy(kind, h->screen_kind, sizeof(kind));
	memcpy(screened, h->screened, sizeof(screened));
	memcpy(fs, h->fscreen, sizeof(fs));
	for (t = 0; t < a.n; t++)
		if (!atom_add(c, kh, a.e[t], i))
			goto full;
	return;
full:
	/* Out of room: judge this rule always (map entries it added admit it anyway). */
	memcpy(h->screen_fact, fact, sizeof(fact));
	memcpy(h->screen_kind, kind, sizeof(kind));
	memcpy(h->screened, screened, sizeof(screened));
	memcpy(h->fscreen, fs, sizeof(fs));
	c->k->nnum = nnum;
	c->k->nstr = nstr;
	c->k->npfx = npfx;
always:
	h->always |= 1ULL << i;
}

/* Compile hook h into c->h; the string table grows in c->k. */
static int compile_hook(struct kc *c, const struct rule_hook_cfg *cfg, int kh)
{
	size_t i;

	memset(c->h, 0, sizeof(*c->h));
	memset(c->h->screen_fact, 0xff, sizeof(c->h->screen_fact));
	for (i = 0; i < PS_RFSCREENS; i++)
		c->h->fscreen[i].fact = 0xff;
	c->needs = 0;
	if (!cfg->nrules) {
		c->why = "a sandbox with no rules";
		return -1;
	}
	c->h->nrules = cfg->nrules;
	for (i = 0; i < cfg->nrules; i++) {
		c->h->rule_start[i] = (uint16_t)c->h->nops;
		screen_rule(c, kh, &cfg->rules[i], i, !cfg->deny_list);
		c->depth = c->max_depth = 0;
		if (emit_expr(c, cfg->rules[i].scope) || emit(c, PS_ROP_SCOPE_END, 0, 0, 0, 0))
			return -1;
		c->depth = 0;
		if (emit_expr(c, cfg->rules[i].event) || emit(c, PS_ROP_RULE_END, 0, 0, (uint32_t)i, 0))
			return -1;
		c->depth = 0;
	}
	c->h->flags = cfg->deny_list ? PS_RH_DENY_LIST : 0;
	c->h->needs = c->needs;
	return 0;
}

static const char *try_hook(const struct ruleset *rs, enum rule_hook h, struct rules_kernel *k)
{
	const struct rule_hook_cfg *cfg = &rs->hooks[h];
	int kh = rules_khook(h);
	struct kc c = { .k = k };

	if (!cfg->enabled || !cfg->sandbox)
		return "no sandbox";
	if (kh < 0)
		return "the kernel has no enforcing program for this hook yet";
	c.h = &k->hook[kh];
	if (compile_hook(&c, cfg, kh))
		return c.why;
	k->hooks |= 1u << kh;
	return NULL;
}

/* A prefix entry admits the rules of every shorter prefix of it: the trie finds only the longest. */
static void close_prefixes(struct rules_kernel *k)
{
	uint32_t i, j;

	for (i = 0; i < k->npfx; i++)
		for (j = 0; j < k->npfx; j++) {
			const struct ps_rscreen_pfx *p = &k->pfx[i].key, *q = &k->pfx[j].key;

			if (i != j && p->hook == q->hook && p->fact == q->fact && q->prefixlen < p->prefixlen &&
			    !memcmp(p->s, q->s, q->prefixlen / 8 - 2))
				k->pfx[i].rules |= k->pfx[j].rules;
		}
}

void rules_kernel_compile(const struct ruleset *rs, struct rules_kernel *k)
{
	int h;

	memset(k, 0, sizeof(*k));
	for (h = 0; h < RH__COUNT; h++) {
		uint32_t nstrs = k->nstrs, nnum = k->nnum, nstr = k->nstr, npfx = k->npfx;

		/* A hook that does not compile keeps no strings and no screens. */
		k->why[h] = try_hook(rs, h, k);
		if (k->why[h]) {
			k->nstrs = nstrs;
			k->nnum = nnum;
			k->nstr = nstr;
			k->npfx = npfx;
		}
	}
	close_prefixes(k);
}
