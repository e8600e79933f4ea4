/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The compiled form of a ruleset, as `procscope rules check` and `rules list` print it. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules_int.h"
#include "rules/rules_kernel.h"
#include "event/names.h"

/* A literal from a rules file, quoted, with control bytes as \xNN: never raw on a terminal. */
static void print_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f || c == '"' || c == '\\')
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void print_value(FILE *f, enum rule_hook h, enum rule_attr a, const struct rule_value *v)
{
	const struct ps_nametab *names = rules_attr_names(h, a);
	char ip[INET6_ADDRSTRLEN];
	const char *n;

	switch (rules_attr_type(a)) {
	case RT_STR: case RT_PREFIX:
		print_str(f, v->s);
		return;
	case RT_CIDR4: case RT_CIDR6:
		inet_ntop(rules_attr_type(a) == RT_CIDR4 ? AF_INET : AF_INET6, v->addr, ip, sizeof(ip));
		fprintf(f, "\"%s/%u\"", ip, v->plen);
		return;
	case RT_ENUM:
		n = names ? name_of(names, v->u) : NULL;
		if (n)
			fputs(n, f);
		else
			fprintf(f, "%llu", (unsigned long long)v->u);
		return;
	case RT_FLAGS: {
		const char *bits[64];
		unsigned long long rest = 0;
		size_t i, k = names ? flag_names(names, v->u, bits, 64, &rest) : 0;

		if (!names)
			rest = v->u;
		for (i = 0; i < k; i++)
			fprintf(f, "%s%s", i ? "|" : "", bits[i]);
		if (rest)
			fprintf(f, "%s%#llx", k ? "|" : "", rest);
		return;
	}
	default:
		fprintf(f, "%llu", (unsigned long long)v->u);
	}
}

static const char *op_text[] = { "==", "!=", "<", "<=", ">", ">=", "in" };

/* The hook decides how `type` names print; the printer is told it once per hook. */
static enum rule_hook cur_hook;

static void print_expr(FILE *f, const struct rule_expr *e, int parent)
{
	size_t i;
	bool paren;

	switch (e->kind) {
	case RN_TRUE:
		fputs("true", f);
		return;
	case RN_NOT:
		fputs("NOT ", f);
		print_expr(f, e->l, RN_NOT);
		return;
	case RN_AND:
	case RN_OR:
		paren = parent == RN_NOT || (parent == RN_AND && e->kind == RN_OR);
		fputs(paren ? "(" : "", f);
		print_expr(f, e->l, e->kind);
		fputs(e->kind == RN_AND ? " AND " : " OR ", f);
		print_expr(f, e->r, e->kind);
		fputs(paren ? ")" : "", f);
		return;
	case RN_CMP:
		break;
	}
	if (rules_attr_type(e->attr) == RT_FLAGS) {
		fprintf(f, "%s %s ", rules_attr_name(e->attr),
			e->op == RO_IN ? "has any of" : e->op == RO_NE ? "lacks some of" : "has all of");
		print_value(f, cur_hook, e->attr, &e->vals[0]);
		return;
	}
	fprintf(f, "%s %s ", rules_attr_name(e->attr), op_text[e->op]);
	if (e->op != RO_IN) {
		print_value(f, cur_hook, e->attr, &e->vals[0]);
		return;
	}
	fputc('[', f);
	for (i = 0; i < e->nvals; i++) {
		fputs(i ? ", " : "", f);
		print_value(f, cur_hook, e->attr, &e->vals[i]);
	}
	fputc(']', f);
}

void rules_print_expr(FILE *f, const struct rule_expr *e)
{
	print_expr(f, e, RN_TRUE);
}

static const char *mode_text(const struct rule_hook_cfg *c)
{
	if (!c->sandbox)
		return "report";
	return c->deny_list ? "sandbox, deny list: block what matches"
			    : "sandbox, allow list: block what a rule's scope does outside its event";
}

void rules_print(FILE *f, const struct ruleset *rs)
{
	struct rules_kernel *k = malloc(sizeof(*k));
	size_t h, i;

	if (k)
		rules_kernel_compile(rs, k);

	for (h = 0; h < RH__COUNT; h++) {
		const struct rule_hook_cfg *c = &rs->hooks[h];

		if (!c->present)
			continue;
		cur_hook = h;
		fprintf(f, "%s: %s, %s", rules_hook_name(h), c->enabled ? "enabled" : "disabled",
			mode_text(c));
		if (c->sandbox && c->enabled) {
			const char *why = k ? k->why[h] : "out of memory";

			/* BPF LSM programs do not load on the kernels procscope is built for: no deny. */
			if (!why)
				fputs("; enforcement: kill (in the kernel, before the process returns to "
				      "user space; the act itself has happened)", f);
			else
				fprintf(f, "; enforcement: none (%s: what it would block is reported only)", why);
		}
		fputc('\n', f);
		if (c->enabled && !c->nrules)
			fputs("  (no rules: every act is reported)\n", f);
		for (i = 0; i < c->nrules; i++) {
			const struct rule *r = &c->rules[i];

			fprintf(f, "  rule %s", r->name);
			if (r->severity || r->mitre)
				fprintf(f, " [%s%s%s]", r->severity ? r->severity : "",
					r->severity && r->mitre ? ", " : "", r->mitre ? r->mitre : "");
			fputc('\n', f);
			if (r->desc)
				fprintf(f, "    %s\n", r->desc);
			fputs("    scope: ", f);
			if (r->scope)
				rules_print_expr(f, r->scope);
			else
				fputs("any process", f);
			fputs("\n    event: ", f);
			if (r->event)
				rules_print_expr(f, r->event);
			else
				fputs("any act", f);
			fputc('\n', f);
		}
	}
	free(k);
}
