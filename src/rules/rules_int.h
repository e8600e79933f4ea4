/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* What the front end's files share: never included outside src/rules/. */
#ifndef PS_RULES_INT_H
#define PS_RULES_INT_H

#include "rules/rules.h"

struct ps_nametab;

/* A position in the rules file, for messages. */
struct rpos {
	const char *file;
	unsigned int line, col;
};

/* One item of a `lists:` entry, typed as YAML wrote it. */
struct rlit {
	bool is_str;
	bool bare;             /* an unquoted name in a condition: only names take one */
	char *s;
	uint64_t u;
	struct rpos pos;
};

struct rlist {
	char *name;
	struct rlit *items;
	size_t n;
	struct rpos pos;
};

struct rmacro {
	char *name;
	char *text;
	struct rpos pos;       /* where its condition starts */
	bool quoted;           /* the condition was a quoted scalar */
};

/* The names one file defines. */
struct rdefs {
	struct rlist *lists;
	size_t nlists;
	struct rmacro *macros;
	size_t nmacros;
};

/* Error reporting: the first error wins. */
struct rerr {
	char *buf;
	size_t len;
	bool set;
};

void rerr_at(struct rerr *e, const struct rpos *p, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Parse one condition (a scope or an event) for hook `h`, expanding the
 * file's lists and macros, type-checking every comparison.  `base` is where
 * the text starts in the file.  NULL with *e set on error.
 */
struct rule_expr *rexpr_parse(const char *text, const struct rpos *base, enum rule_hook h,
			      bool scope, const struct rdefs *defs, struct rerr *e);
void rexpr_free(struct rule_expr *x);
struct rule_expr *rexpr_new(enum rule_node kind, struct rule_expr *l, struct rule_expr *r);

/*
 * Fold AND/OR chains knowing attribute types (sets merged, intersections
 * computed); an intersection that is empty is an "always false" error.
 * Returns the folded tree (the input is consumed), NULL with *e set.
 */
struct rule_expr *rexpr_fold(struct rule_expr *x, const char *file, struct rerr *e);
/* RN_* nodes in the tree. */
size_t rexpr_ops(const struct rule_expr *x);

int rules_attr_find(const char *name);
bool rules_attr_is_scope(enum rule_attr a);
const struct ps_nametab *rules_attr_names(enum rule_hook h, enum rule_attr a);
int rules_name_value(const struct ps_nametab *t, const char *name, uint64_t *v);

#endif
