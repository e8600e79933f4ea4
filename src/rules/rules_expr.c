/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Conditions: lexing, parsing, list and macro expansion, and typing of
 * every literal against its attribute.
 *
 *   expr    := and ("OR" and)*
 *   and     := not ("AND" not)*
 *   not     := "NOT" not | primary
 *   primary := "(" expr ")" | MACRO | ATTR op LITERAL | ATTR "in" ( "[" items "]" | LIST )
 *   op      := "==" | "!=" | "<" | "<=" | ">" | ">="
 *
 * Lists and macros expand whole identifiers only (a quoted string is never
 * looked into) and one level deep: a macro may use lists, not macros.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules_int.h"
#include "event/names.h"
#include "records.h"

enum tok_kind {
	T_END, T_LP, T_RP, T_LB, T_RB, T_COMMA, T_AND, T_OR, T_NOT, T_IN, T_OP, T_IDENT,
	T_STR, T_NUM, T_BAD,
};

struct tok {
	enum tok_kind kind;
	const char *p;
	size_t len;
	enum rule_op op;
	uint64_t num;
	struct rpos pos;
};

struct lexer {
	const char *s;
	size_t i;
	struct rpos pos;       /* of s[i] */
};

struct parser {
	struct lexer lx;
	struct tok t;          /* the current token */
	enum rule_hook hook;
	bool scope;
	bool in_macro;
	const struct rdefs *defs;
	struct rerr *e;
	unsigned int *nodes;   /* shared with macro sub-parsers */
	unsigned int depth;    /* of parentheses and NOT */
};

/* Bounds before folding, so that no input can exhaust the stack or the time. */
#define PARSE_MAX_NODES 4096
#define PARSE_MAX_DEPTH 64

static bool over_budget(struct parser *ps)
{
	if (++*ps->nodes > PARSE_MAX_NODES) {
		rerr_at(ps->e, &ps->t.pos, "more than %d operations in one condition", PARSE_MAX_NODES);
		return true;
	}
	if (ps->depth > PARSE_MAX_DEPTH) {
		rerr_at(ps->e, &ps->t.pos, "parentheses and NOT nested more than %d deep", PARSE_MAX_DEPTH);
		return true;
	}
	return false;
}

void rerr_at(struct rerr *e, const struct rpos *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (e->set)
		return;
	e->set = true;
	n = snprintf(e->buf, e->len, "%s:%u:%u: ", p->file, p->line, p->col);
	if (n < 0 || (size_t)n >= e->len)
		return;
	va_start(ap, fmt);
	vsnprintf(e->buf + n, e->len - n, fmt, ap);
	va_end(ap);
}

static void lx_advance(struct lexer *lx, size_t n)
{
	while (n-- && lx->s[lx->i]) {
		if (lx->s[lx->i] == '\n') {
			lx->pos.line++;
			lx->pos.col = 1;
		} else {
			lx->pos.col++;
		}
		lx->i++;
	}
}

static bool is_ident(int c)
{
	return isalnum(c) || c == '_';
}

static bool parse_number(const char *p, size_t len, uint64_t *v)
{
	char buf[32], *end;
	unsigned long long u;

	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, p, len);
	buf[len] = 0;
	errno = 0;
	u = strtoull(buf, &end, (len > 2 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X')) ? 16 : 10);
	if (errno || *end || buf[0] == '-' || buf[0] == '+')
		return false;
	*v = u;
	return true;
}

static void lx_next(struct lexer *lx, struct tok *t)
{
	const char *s;
	size_t n = 1;

	while (lx->s[lx->i] && isspace((unsigned char)lx->s[lx->i]))
		lx_advance(lx, 1);
	s = lx->s + lx->i;
	memset(t, 0, sizeof(*t));
	t->p = s;
	t->pos = lx->pos;
	switch (*s) {
	case 0: t->kind = T_END; n = 0; break;
	case '(': t->kind = T_LP; break;
	case ')': t->kind = T_RP; break;
	case '[': t->kind = T_LB; break;
	case ']': t->kind = T_RB; break;
	case ',': t->kind = T_COMMA; break;
	case '=': case '!': case '<': case '>':
		t->kind = T_OP;
		if (s[1] == '=') {
			n = 2;
			t->op = *s == '=' ? RO_EQ : *s == '!' ? RO_NE : *s == '<' ? RO_LE : RO_GE;
		} else if (*s == '<' || *s == '>') {
			t->op = *s == '<' ? RO_LT : RO_GT;
		} else {
			t->kind = T_BAD;
		}
		break;
	case '"':
		while (s[n] && s[n] != '"')
			n++;
		if (!s[n]) {
			t->kind = T_BAD;
			break;
		}
		t->kind = T_STR;
		n++;
		break;
	default:
		if (isdigit((unsigned char)*s)) {
			while (isalnum((unsigned char)s[n]))
				n++;
			t->kind = parse_number(s, n, &t->num) ? T_NUM : T_BAD;
		} else if (is_ident((unsigned char)*s)) {
			while (is_ident((unsigned char)s[n]))
				n++;
			t->kind = T_IDENT;
			if (n == 3 && !memcmp(s, "AND", 3))
				t->kind = T_AND;
			else if (n == 2 && !memcmp(s, "OR", 2))
				t->kind = T_OR;
			else if (n == 3 && !memcmp(s, "NOT", 3))
				t->kind = T_NOT;
			else if (n == 2 && !memcmp(s, "in", 2))
				t->kind = T_IN;
		} else {
			t->kind = T_BAD;
		}
	}
	t->len = n;
	lx_advance(lx, n);
}

static void next(struct parser *ps)
{
	lx_next(&ps->lx, &ps->t);
}

static void tok_text(const struct tok *t, char *buf, size_t len)
{
	size_t n = t->len < len - 1 ? t->len : len - 1;

	if (t->kind == T_END) {
		snprintf(buf, len, "the end of the condition");
		return;
	}
	memcpy(buf, t->p, n);
	buf[n] = 0;
}

static void *fail_tok(struct parser *ps, const char *what)
{
	char got[48];

	tok_text(&ps->t, got, sizeof(got));
	if (ps->t.kind == T_BAD && ps->t.p[0] == '"')
		rerr_at(ps->e, &ps->t.pos, "unterminated string");
	else if (ps->t.kind == T_BAD && isdigit((unsigned char)ps->t.p[0]))
		rerr_at(ps->e, &ps->t.pos, "'%s' is not a number (decimal or 0x hex)", got);
	else
		rerr_at(ps->e, &ps->t.pos, "expected %s, found '%s'", what, got);
	return NULL;
}

struct rule_expr *rexpr_new(enum rule_node kind, struct rule_expr *l, struct rule_expr *r)
{
	struct rule_expr *x = calloc(1, sizeof(*x));

	if (!x) {
		rexpr_free(l);
		rexpr_free(r);
		return NULL;
	}
	x->kind = kind;
	x->l = l;
	x->r = r;
	return x;
}

void rexpr_free(struct rule_expr *x)
{
	size_t i;

	if (!x)
		return;
	rexpr_free(x->l);
	rexpr_free(x->r);
	for (i = 0; i < x->nvals; i++)
		free(x->vals[i].s);
	free(x->vals);
	free(x);
}

static const char *type_word(enum rule_type t)
{
	switch (t) {
	case RT_UINT: return "a number";
	case RT_STR: return "a string";
	case RT_PREFIX: return "a string (a prefix)";
	case RT_FLAGS: return "a flag name or a number";
	case RT_ENUM: return "a name or a number";
	case RT_CIDR4: return "an IPv4 address or CIDR string";
	case RT_CIDR6: return "an IPv6 address or CIDR string";
	}
	return "?";
}

static bool parse_cidr(const char *s, bool v6, struct rule_value *v)
{
	char buf[64], *slash, *end;
	int max = v6 ? 128 : 32;
	long plen = max;

	if (strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash) {
		*slash = 0;
		errno = 0;
		plen = strtol(slash + 1, &end, 10);
		if (errno || *end || !slash[1] || plen < 0 || plen > max)
			return false;
	}
	if (inet_pton(v6 ? AF_INET6 : AF_INET, buf, v->addr) != 1)
		return false;
	v->plen = (uint8_t)plen;
	/* Bits past the prefix are not part of the network: clear them. */
	for (int i = 0; i < max; i++)
		if (i >= plen)
			v->addr[i / 8] &= (uint8_t)~(0x80 >> (i % 8));
	return true;
}

#define ALL_CAPS ((2ULL << 40) - 1)   /* CAP_CHOWN ... CAP_CHECKPOINT_RESTORE */

/* One literal of attribute `a` into `v`; ANY_CAPS sets *any. */
static int type_literal(struct parser *ps, enum rule_attr a, const struct rlit *lit,
			struct rule_value *v, bool *any)
{
	enum rule_type t = rules_attr_type(a);
	const struct ps_nametab *names = rules_attr_names(ps->hook, a);

	memset(v, 0, sizeof(*v));
	switch (t) {
	case RT_UINT:
		if (lit->is_str)
			goto wrong;
		v->u = lit->u;
		return 0;
	case RT_STR:
	case RT_PREFIX:
		if (!lit->is_str)
			goto wrong;
		if (lit->bare) {
			rerr_at(ps->e, &lit->pos, "%s: strings are quoted: \"%s\"", rules_attr_name(a), lit->s);
			return -1;
		}
		if (!lit->s[0]) {
			rerr_at(ps->e, &lit->pos, "%s: an empty string matches %s", rules_attr_name(a),
				t == RT_PREFIX ? "everything" : "nothing");
			return -1;
		}
		if (strlen(lit->s) >= PS_PATH_MAX) {
			rerr_at(ps->e, &lit->pos, "%s: a string of %d bytes or more", rules_attr_name(a),
				PS_PATH_MAX);
			return -1;
		}
		v->s = strdup(lit->s);
		v->len = strlen(lit->s);
		return v->s ? 0 : -1;
	case RT_FLAGS:
	case RT_ENUM:
		if (!lit->is_str) {
			v->u = lit->u;
			return 0;
		}
		if (t == RT_FLAGS && names && !strcmp(lit->s, "ANY_CAPS") &&
		    (a == RA_ECAPS || a == RA_PCAPS || a == RA_GAINED_CAPS)) {
			v->u = ALL_CAPS;
			*any = true;
			return 0;
		}
		if (names && !rules_name_value(names, lit->s, &v->u))
			return 0;
		rerr_at(ps->e, &lit->pos, "%s: unknown name \"%s\"", rules_attr_name(a), lit->s);
		return -1;
	case RT_CIDR4:
	case RT_CIDR6:
		if (!lit->is_str || lit->bare)
			goto wrong;
		if (parse_cidr(lit->s, t == RT_CIDR6, v))
			return 0;
		rerr_at(ps->e, &lit->pos, "%s: \"%s\" is not %s", rules_attr_name(a), lit->s, type_word(t));
		return -1;
	}
wrong:
	rerr_at(ps->e, &lit->pos, "%s takes %s, not %s", rules_attr_name(a), type_word(t),
		lit->is_str ? "a string" : "a number");
	return -1;
}

/* A comparison node from its literals, typed; flags become one bit mask. */
static struct rule_expr *make_cmp(struct parser *ps, enum rule_attr a, enum rule_op op,
				  const struct rlit *lits, size_t n, const struct rpos *pos)
{
	enum rule_type t = rules_attr_type(a);
	struct rule_expr *x = rexpr_new(RN_CMP, NULL, NULL);
	bool any = false;
	size_t i;

	if (!x)
		return NULL;
	x->attr = a;
	x->op = op;
	x->line = pos->line;
	x->col = pos->col;
	if (op >= RO_LT && op <= RO_GE && t != RT_UINT) {
		rerr_at(ps->e, pos, "%s is not a number: only == != and in compare it", rules_attr_name(a));
		goto fail;
	}
	if (n > RULES_MAX_LIST) {
		rerr_at(ps->e, pos, "a list of %zu items: at most %d", n, RULES_MAX_LIST);
		goto fail;
	}
	x->vals = calloc(n ? n : 1, sizeof(*x->vals));
	if (!x->vals)
		goto fail;
	for (i = 0; i < n; i++) {
		if (type_literal(ps, a, &lits[i], &x->vals[i], &any))
			goto fail;
		x->nvals++;
	}
	if (t == RT_FLAGS) {
		uint64_t m = 0;

		for (i = 0; i < n; i++)
			m |= x->vals[i].u;
		x->nvals = 1;
		x->vals[0].u = m;
		if (!m) {
			rerr_at(ps->e, pos, "%s: no bit to test", rules_attr_name(a));
			goto fail;
		}
		/* A list, or ANY_CAPS, is "any of these bits"; one value is "these bits set". */
		if (op == RO_EQ && any)
			x->op = RO_IN;
		else if (op == RO_NE && any) {
			x->op = RO_IN;
			return rexpr_new(RN_NOT, x, NULL);
		}
	} else if (op == RO_IN && n == 0) {
		rerr_at(ps->e, pos, "%s in []: an empty list matches nothing", rules_attr_name(a));
		goto fail;
	} else if (op == RO_IN && n == 1) {
		x->op = RO_EQ;
	}
	return x;
fail:
	rexpr_free(x);
	return NULL;
}

static const struct rlist *find_list(const struct rdefs *d, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < d->nlists; i++)
		if (strlen(d->lists[i].name) == len && !memcmp(d->lists[i].name, name, len))
			return &d->lists[i];
	return NULL;
}

static const struct rmacro *find_macro(const struct rdefs *d, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < d->nmacros; i++)
		if (strlen(d->macros[i].name) == len && !memcmp(d->macros[i].name, name, len))
			return &d->macros[i];
	return NULL;
}

static bool tok_to_lit(const struct tok *t, struct rlit *l)
{
	memset(l, 0, sizeof(*l));
	l->pos = t->pos;
	if (t->kind == T_NUM) {
		l->u = t->num;
		return true;
	}
	if (t->kind == T_IDENT) {
		l->is_str = l->bare = true;
		l->s = strndup(t->p, t->len);
		return l->s != NULL;
	}
	if (t->kind != T_STR)
		return false;
	l->is_str = true;
	l->s = strndup(t->p + 1, t->len - 2);
	return l->s != NULL;
}

static void lits_free(struct rlit *l, size_t n)
{
	while (n--)
		free(l[n].s);
	free(l);
}

/* "[ a, b, ... ]" after `in`: the current token is "[". */
static struct rule_expr *parse_items(struct parser *ps, enum rule_attr a, const struct rpos *pos)
{
	struct rlit *lits = NULL;
	struct rule_expr *x = NULL;
	size_t n = 0;

	next(ps);
	while (ps->t.kind != T_RB) {
		struct rlit *nl;

		if (n == RULES_MAX_LIST) {
			rerr_at(ps->e, &ps->t.pos, "a list of more than %d items", RULES_MAX_LIST);
			goto out;
		}
		nl = realloc(lits, (n + 1) * sizeof(*lits));
		if (!nl)
			goto out;
		lits = nl;
		if (!tok_to_lit(&ps->t, &lits[n])) {
			fail_tok(ps, "a string, a number or a name");
			goto out;
		}
		n++;
		next(ps);
		if (ps->t.kind == T_COMMA)
			next(ps);
		else if (ps->t.kind != T_RB) {
			fail_tok(ps, "',' or ']'");
			goto out;
		}
	}
	next(ps);
	x = make_cmp(ps, a, RO_IN, lits, n, pos);
out:
	lits_free(lits, n);
	return x;
}

static struct rule_expr *parse_cmp(struct parser *ps)
{
	struct rpos pos = ps->t.pos;
	char name[64];
	struct rlit lit;
	struct rule_expr *x;
	enum rule_op op;
	int a;

	tok_text(&ps->t, name, sizeof(name));
	a = rules_attr_find(name);
	if (a < 0) {
		rerr_at(ps->e, &pos, "unknown attribute '%s'", name);
		return NULL;
	}
	if (ps->scope ? !rules_attr_is_scope(a) : !rules_hook_accepts(ps->hook, a)) {
		if (ps->scope)
			rerr_at(ps->e, &pos, "'%s' is not a scope attribute (binary_path, binary_name, "
				"binary_prefix, parent_binary_path, parent_binary_name, parent_binary_prefix)",
				name);
		else
			rerr_at(ps->e, &pos, "hook %s has no event attribute '%s'%s",
				rules_hook_name(ps->hook), name,
				rules_attr_is_scope(a) ? " (it is a scope attribute)" : "");
		return NULL;
	}
	next(ps);
	if (ps->t.kind == T_IN) {
		const struct rlist *l;

		next(ps);
		if (ps->t.kind == T_LB)
			return parse_items(ps, a, &pos);
		if (ps->t.kind != T_IDENT)
			return fail_tok(ps, "'[' or a list name");
		l = find_list(ps->defs, ps->t.p, ps->t.len);
		if (!l) {
			tok_text(&ps->t, name, sizeof(name));
			rerr_at(ps->e, &ps->t.pos, "undefined list '%s'", name);
			return NULL;
		}
		next(ps);
		return make_cmp(ps, a, RO_IN, l->items, l->n, &pos);
	}
	if (ps->t.kind != T_OP)
		return fail_tok(ps, "an operator (== != < <= > >= in)");
	op = ps->t.op;
	next(ps);
	if (!tok_to_lit(&ps->t, &lit))
		return fail_tok(ps, "a string, a number or a name");
	next(ps);
	x = make_cmp(ps, a, op, &lit, 1, &pos);
	free(lit.s);
	return x;
}

static struct rule_expr *parse_or(struct parser *ps);

static struct rule_expr *parse_macro(struct parser *ps, const struct rmacro *m)
{
	struct parser sub = *ps;
	struct rule_expr *x;
	struct rpos at = ps->t.pos;

	if (ps->in_macro) {
		rerr_at(ps->e, &at, "macro '%s' used inside a macro: macros expand one level", m->name);
		return NULL;
	}
	sub.lx = (struct lexer){ m->text, 0, m->pos };
	sub.in_macro = true;
	next(&sub);
	x = parse_or(&sub);
	if (x && sub.t.kind != T_END) {
		rexpr_free(x);
		return fail_tok(&sub, "AND, OR or the end of the macro");
	}
	next(ps);
	return x;
}

static struct rule_expr *parse_primary(struct parser *ps)
{
	struct rule_expr *x;
	const struct rmacro *m;
	char name[64];

	if (ps->t.kind == T_LP) {
		ps->depth++;
		if (over_budget(ps))
			return NULL;
		next(ps);
		x = parse_or(ps);
		ps->depth--;
		if (!x)
			return NULL;
		if (ps->t.kind != T_RP) {
			rexpr_free(x);
			return fail_tok(ps, "')'");
		}
		next(ps);
		return x;
	}
	if (ps->t.kind != T_IDENT)
		return fail_tok(ps, "an attribute, a macro, NOT or '('");
	tok_text(&ps->t, name, sizeof(name));
	m = find_macro(ps->defs, ps->t.p, ps->t.len);
	if (m)
		return parse_macro(ps, m);
	if (rules_attr_find(name) < 0) {
		struct lexer peek = ps->lx;
		struct tok t;

		if (!strcmp(name, "and") || !strcmp(name, "or") || !strcmp(name, "not")) {
			rerr_at(ps->e, &ps->t.pos, "'%s': AND, OR and NOT are upper case", name);
			return NULL;
		}
		/* Not an attribute and not compared: a macro that is not defined. */
		lx_next(&peek, &t);
		if (t.kind != T_OP && t.kind != T_IN) {
			rerr_at(ps->e, &ps->t.pos, "undefined macro '%s'", name);
			return NULL;
		}
	}
	return parse_cmp(ps);
}

static struct rule_expr *parse_not(struct parser *ps)
{
	struct rule_expr *x;

	if (ps->t.kind != T_NOT)
		return parse_primary(ps);
	ps->depth++;
	if (over_budget(ps))
		return NULL;
	next(ps);
	x = parse_not(ps);
	ps->depth--;
	return x ? rexpr_new(RN_NOT, x, NULL) : NULL;
}

static struct rule_expr *parse_chain(struct parser *ps, enum tok_kind op,
				     struct rule_expr *(*sub)(struct parser *))
{
	struct rule_expr *l = sub(ps), *r;

	while (l && ps->t.kind == op) {
		if (over_budget(ps)) {
			rexpr_free(l);
			return NULL;
		}
		next(ps);
		r = sub(ps);
		if (!r) {
			rexpr_free(l);
			return NULL;
		}
		l = rexpr_new(op == T_AND ? RN_AND : RN_OR, l, r);
	}
	return l;
}

static struct rule_expr *parse_and(struct parser *ps)
{
	return parse_chain(ps, T_AND, parse_not);
}

static struct rule_expr *parse_or(struct parser *ps)
{
	return parse_chain(ps, T_OR, parse_and);
}

struct rule_expr *rexpr_parse(const char *text, const struct rpos *base, enum rule_hook h,
			      bool scope, const struct rdefs *defs, struct rerr *e)
{
	unsigned int nodes = 0;
	struct parser ps = { .lx = { text, 0, *base }, .hook = h, .scope = scope,
			     .defs = defs, .e = e, .nodes = &nodes };
	struct rule_expr *x;

	next(&ps);
	if (ps.t.kind == T_END) {
		rerr_at(e, base, "an empty condition");
		return NULL;
	}
	x = parse_or(&ps);
	if (x && ps.t.kind != T_END) {
		rexpr_free(x);
		return fail_tok(&ps, "AND, OR or the end of the condition");
	}
	if (!x && !e->set)
		rerr_at(e, base, "out of memory");
	return x;
}
