/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * A rules file: YAML (libyaml's document API, which keeps every node's
 * line and column) into a checked, folded struct ruleset.  The file's
 * shape is the ProcMon one: top-level `lists`, `macros` and one key per
 * hook holding `enabled`, `sandbox: {enabled, deny_list}` and `rules`.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "rules/rules_int.h"

#define RULES_FILE_MAX (4 << 20)

struct loader {
	yaml_document_t doc;
	const char *file;
	struct rdefs defs;
	struct rerr e;
};

static struct rpos pos_of(const struct loader *ld, const yaml_node_t *n)
{
	return (struct rpos){ ld->file, (unsigned int)n->start_mark.line + 1,
			      (unsigned int)n->start_mark.column + 1 };
}

static void *fail(struct loader *ld, const yaml_node_t *n, const char *fmt, const char *a)
{
	struct rpos p = pos_of(ld, n);

	rerr_at(&ld->e, &p, fmt, a);
	return NULL;
}

static yaml_node_t *node(struct loader *ld, int id)
{
	return yaml_document_get_node(&ld->doc, id);
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static bool is_quoted(const yaml_node_t *n)
{
	return n->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
	       n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
}

/* Mapping iteration: each key must be a scalar and appear once. */
#define FOR_PAIRS(ld, map, k, v, pair)							\
	for (yaml_node_pair_t *pair = (map)->data.mapping.pairs.start;			\
	     pair < (map)->data.mapping.pairs.top &&					\
	     ((k) = node(ld, pair->key), (v) = node(ld, pair->value), 1); pair++)

static int check_keys_unique(struct loader *ld, yaml_node_t *map)
{
	yaml_node_pair_t *p, *q;

	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		const char *k = scalar(node(ld, p->key));

		if (!k) {
			fail(ld, node(ld, p->key), "%s", "a key must be a plain name");
			return -1;
		}
		for (q = map->data.mapping.pairs.start; q < p; q++)
			if (!strcmp(k, scalar(node(ld, q->key)))) {
				fail(ld, node(ld, p->key), "duplicate key '%s'", k);
				return -1;
			}
	}
	return 0;
}

static yaml_node_t *want(struct loader *ld, yaml_node_t *n, yaml_node_type_t t, const char *what)
{
	if (n && n->type == t)
		return n;
	fail(ld, n, "expected %s", what);
	return NULL;
}

static int get_bool(struct loader *ld, yaml_node_t *n, bool *out)
{
	const char *s = scalar(n);

	if (s && (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))) {
		*out = true;
		return 0;
	}
	if (s && (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))) {
		*out = false;
		return 0;
	}
	fail(ld, n, "%s", "expected true or false");
	return -1;
}

static bool name_ok(const char *s)
{
	size_t i;

	if (!s[0] || !(s[0] == '_' || (s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')))
		return false;
	for (i = 1; s[i]; i++)
		if (!(s[i] == '_' || (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= 'a' && s[i] <= 'z')))
			return false;
	return strcmp(s, "AND") && strcmp(s, "OR") && strcmp(s, "NOT") && strcmp(s, "in") &&
	       rules_attr_find(s) < 0;
}

/* A list or macro name: an identifier, not an attribute, defined once. */
static int def_name(struct loader *ld, yaml_node_t *n, char **out)
{
	const char *s = scalar(n);
	size_t i;

	if (!s || !name_ok(s)) {
		fail(ld, n, "'%s' cannot name a list or macro: use letters, digits and _, "
			 "and not an attribute's or operator's name", s ? s : "");
		return -1;
	}
	for (i = 0; i < ld->defs.nlists; i++)
		if (!strcmp(ld->defs.lists[i].name, s))
			goto dup;
	for (i = 0; i < ld->defs.nmacros; i++)
		if (!strcmp(ld->defs.macros[i].name, s))
			goto dup;
	*out = strdup(s);
	return *out ? 0 : -1;
dup:
	fail(ld, n, "'%s' is defined twice", s);
	return -1;
}

static int load_list(struct loader *ld, yaml_node_t *ent)
{
	yaml_node_t *k, *v, *items = NULL, *namen = NULL;
	struct rlist l = { 0 }, *nl;
	yaml_node_item_t *it;

	if (!want(ld, ent, YAML_MAPPING_NODE, "a list: {list: NAME, items: [...]}") ||
	    check_keys_unique(ld, ent))
		return -1;
	FOR_PAIRS(ld, ent, k, v, p) {
		if (!strcmp(scalar(k), "list"))
			namen = v;
		else if (!strcmp(scalar(k), "items"))
			items = v;
		else
			return fail(ld, k, "unknown key '%s' in a list (list, items)", scalar(k)), -1;
	}
	if (!namen || !items)
		return fail(ld, ent, "%s", "a list needs `list` and `items`"), -1;
	if (!want(ld, items, YAML_SEQUENCE_NODE, "items: [ ... ]"))
		return -1;
	l.pos = pos_of(ld, namen);
	for (it = items->data.sequence.items.start; it < items->data.sequence.items.top; it++) {
		yaml_node_t *in = node(ld, *it);
		struct rlit *lit;
		const char *s = scalar(in);
		char *end;

		if (!s)
			goto bad_item;
		if (l.n == RULES_MAX_LIST) {
			fail(ld, in, "list of more than %s items", "256");
			goto out;
		}
		lit = realloc(l.items, (l.n + 1) * sizeof(*lit));
		if (!lit)
			goto out;
		l.items = lit;
		lit = &l.items[l.n];
		memset(lit, 0, sizeof(*lit));
		lit->pos = pos_of(ld, in);
		errno = 0;
		lit->u = strtoull(s, &end, 0);
		/* A plain scalar that reads as a number is one; anything else a string. */
		lit->is_str = is_quoted(in) || !*s || *end || errno || s[0] == '-' || s[0] == '+';
		if (lit->is_str && !(lit->s = strdup(s)))
			goto out;
		l.n++;
	}
	if (def_name(ld, namen, &l.name))
		goto out;
	nl = realloc(ld->defs.lists, (ld->defs.nlists + 1) * sizeof(*nl));
	if (!nl)
		goto out;
	ld->defs.lists = nl;
	nl[ld->defs.nlists++] = l;
	return 0;
bad_item:
	fail(ld, node(ld, *it), "%s", "a list item is a string or a number");
out:
	while (l.n--)
		free(l.items[l.n].s);
	free(l.items);
	free(l.name);
	return -1;
}

/* Where a scalar's text starts: after the quote of a quoted scalar. */
static struct rpos text_pos(struct loader *ld, yaml_node_t *n)
{
	struct rpos p = pos_of(ld, n);

	if (is_quoted(n))
		p.col++;
	return p;
}

static int load_macro(struct loader *ld, yaml_node_t *ent)
{
	yaml_node_t *k, *v, *cond = NULL, *namen = NULL;
	struct rmacro m = { 0 }, *nm;

	if (!want(ld, ent, YAML_MAPPING_NODE, "a macro: {macro: NAME, condition: ...}") ||
	    check_keys_unique(ld, ent))
		return -1;
	FOR_PAIRS(ld, ent, k, v, p) {
		if (!strcmp(scalar(k), "macro"))
			namen = v;
		else if (!strcmp(scalar(k), "condition"))
			cond = v;
		else
			return fail(ld, k, "unknown key '%s' in a macro (macro, condition)", scalar(k)), -1;
	}
	if (!namen || !cond || !scalar(cond))
		return fail(ld, ent, "%s", "a macro needs `macro` and a `condition` string"), -1;
	m.pos = text_pos(ld, cond);
	if (def_name(ld, namen, &m.name))
		return -1;
	if (!(m.text = strdup(scalar(cond)))) {
		free(m.name);
		return -1;
	}
	nm = realloc(ld->defs.macros, (ld->defs.nmacros + 1) * sizeof(*nm));
	if (!nm) {
		free(m.name);
		free(m.text);
		return -1;
	}
	ld->defs.macros = nm;
	nm[ld->defs.nmacros++] = m;
	return 0;
}

static int load_defs(struct loader *ld, yaml_node_t *seq, int (*one)(struct loader *, yaml_node_t *))
{
	yaml_node_item_t *it;

	if (!want(ld, seq, YAML_SEQUENCE_NODE, "a sequence"))
		return -1;
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++)
		if (one(ld, node(ld, *it)))
			return -1;
	return 0;
}

static struct rule_expr *load_cond(struct loader *ld, yaml_node_t *n, enum rule_hook h, bool scope)
{
	struct rpos p = text_pos(ld, n);
	struct rule_expr *x;

	if (!scalar(n))
		return fail(ld, n, "%s", "a condition is a string");
	x = rexpr_parse(scalar(n), &p, h, scope, &ld->defs, &ld->e);
	return x ? rexpr_fold(x, ld->file, &ld->e) : NULL;
}

static bool severity_ok(const char *s)
{
	return !strcmp(s, "low") || !strcmp(s, "medium") || !strcmp(s, "high") ||
	       !strcmp(s, "critical");
}

/* T1234 or T1234.567 */
static bool mitre_ok(const char *s)
{
	int i;

	if (s[0] != 'T')
		return false;
	for (i = 1; i <= 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	if (!s[5])
		return true;
	if (s[5] != '.')
		return false;
	for (i = 6; i <= 8; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return !s[9];
}

static int dup_scalar(struct loader *ld, yaml_node_t *n, char **out)
{
	const char *s = scalar(n);

	if (!s)
		return fail(ld, n, "%s", "expected a string"), -1;
	*out = strdup(s);
	return *out ? 0 : -1;
}

#define RULE_NAME_MAX 128
#define RULE_DESC_MAX 1024

/* Every finding carries a rule's name, every `rules list` its description: no control bytes. */
static bool text_ok(const char *s, size_t max)
{
	size_t n = strlen(s), i;

	if (!n || n > max)
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

static int load_rule(struct loader *ld, yaml_node_t *ent, enum rule_hook h, struct rule *r)
{
	yaml_node_t *k, *v;

	if (!want(ld, ent, YAML_MAPPING_NODE, "a rule: {rule: NAME, scope: ..., event: ...}") ||
	    check_keys_unique(ld, ent))
		return -1;
	r->line = ent->start_mark.line + 1;
	r->col = ent->start_mark.column + 1;
	FOR_PAIRS(ld, ent, k, v, p) {
		const char *key = scalar(k);
		int rc = 0;

		if (!strcmp(key, "rule"))
			rc = dup_scalar(ld, v, &r->name);
		else if (!strcmp(key, "scope"))
			rc = (r->scope = load_cond(ld, v, h, true)) ? 0 : -1;
		else if (!strcmp(key, "event"))
			rc = (r->event = load_cond(ld, v, h, false)) ? 0 : -1;
		else if (!strcmp(key, "severity")) {
			rc = dup_scalar(ld, v, &r->severity);
			if (!rc && !severity_ok(r->severity))
				return fail(ld, v, "severity '%s': low, medium, high or critical",
					    r->severity), -1;
		} else if (!strcmp(key, "mitre")) {
			rc = dup_scalar(ld, v, &r->mitre);
			if (!rc && !mitre_ok(r->mitre))
				return fail(ld, v, "mitre '%s': an ATT&CK technique id, T1234 or T1234.001",
					    r->mitre), -1;
		} else if (!strcmp(key, "description"))
			rc = dup_scalar(ld, v, &r->desc);
		else
			return fail(ld, k, "unknown key '%s' in a rule (rule, scope, event, severity, "
				    "mitre, description)", key), -1;
		if (rc)
			return -1;
	}
	if (!r->name)
		return fail(ld, ent, "%s", "a rule needs a name: `rule: NAME`"), -1;
	if (!text_ok(r->name, RULE_NAME_MAX) || (r->desc && !text_ok(r->desc, RULE_DESC_MAX)))
		return fail(ld, ent, "rule names are 1 to 128 and descriptions up to 1024 printable "
			    "characters, with no control characters%s", ""), -1;
	if (rexpr_ops(r->scope) + rexpr_ops(r->event) > RULES_MAX_OPS)
		return fail(ld, ent, "rule %s has more than 32 operations after folding", r->name), -1;
	return 0;
}

static void rule_free(struct rule *r)
{
	free(r->name);
	rexpr_free(r->scope);
	rexpr_free(r->event);
	free(r->severity);
	free(r->mitre);
	free(r->desc);
}

static int load_rules(struct loader *ld, yaml_node_t *seq, enum rule_hook h, struct rule_hook_cfg *c)
{
	yaml_node_item_t *it;
	size_t i;

	if (!want(ld, seq, YAML_SEQUENCE_NODE, "rules: [ ... ]"))
		return -1;
	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		struct rule *nr;

		if (c->nrules == RULES_MAX_PER_HOOK)
			return fail(ld, node(ld, *it), "hook %s has more than 64 rules",
				    rules_hook_name(h)), -1;
		nr = realloc(c->rules, (c->nrules + 1) * sizeof(*nr));
		if (!nr)
			return -1;
		c->rules = nr;
		memset(&nr[c->nrules], 0, sizeof(*nr));
		if (load_rule(ld, node(ld, *it), h, &nr[c->nrules])) {
			rule_free(&nr[c->nrules]);
			return -1;
		}
		for (i = 0; i < c->nrules; i++)
			if (!strcmp(nr[i].name, nr[c->nrules].name)) {
				fail(ld, node(ld, *it), "rule %s is defined twice in this hook",
				     nr[i].name);
				rule_free(&nr[c->nrules]);
				return -1;
			}
		c->nrules++;
	}
	return 0;
}

static int load_sandbox(struct loader *ld, yaml_node_t *map, enum rule_hook h, struct rule_hook_cfg *c)
{
	yaml_node_t *k, *v;

	if (!want(ld, map, YAML_MAPPING_NODE, "sandbox: {enabled: BOOL, deny_list: BOOL}") ||
	    check_keys_unique(ld, map))
		return -1;
	FOR_PAIRS(ld, map, k, v, p) {
		if (!strcmp(scalar(k), "enabled")) {
			if (get_bool(ld, v, &c->sandbox))
				return -1;
		} else if (!strcmp(scalar(k), "deny_list")) {
			if (get_bool(ld, v, &c->deny_list))
				return -1;
		} else {
			return fail(ld, k, "unknown key '%s' in sandbox (enabled, deny_list)", scalar(k)), -1;
		}
	}
	if (c->sandbox && !rules_hook_sandboxable(h))
		return fail(ld, map, "hook %s has no sandbox: it can only report", rules_hook_name(h)), -1;
	return 0;
}

static int load_hook(struct loader *ld, yaml_node_t *key, yaml_node_t *map, struct ruleset *rs)
{
	int h = rules_hook_find(scalar(key));
	struct rule_hook_cfg *c;
	yaml_node_t *k, *v;

	if (h < 0)
		return fail(ld, key, "unknown hook '%s' (procscope rules list --hooks names them)",
			    scalar(key)), -1;
	c = &rs->hooks[h];
	if (c->present)
		return fail(ld, key, "hook %s is already defined by another rules file",
			    rules_hook_name(h)), -1;
	if (!want(ld, map, YAML_MAPPING_NODE, "a hook: {enabled: BOOL, rules: [...]}") ||
	    check_keys_unique(ld, map))
		return -1;
	c->present = true;
	FOR_PAIRS(ld, map, k, v, p) {
		const char *name = scalar(k);
		int rc;

		if (!strcmp(name, "enabled"))
			rc = get_bool(ld, v, &c->enabled);
		else if (!strcmp(name, "sandbox"))
			rc = load_sandbox(ld, v, h, c);
		else if (!strcmp(name, "rules"))
			rc = load_rules(ld, v, h, c);
		else
			return fail(ld, k, "unknown key '%s' in a hook (enabled, sandbox, rules)", name), -1;
		if (rc)
			return -1;
	}
	return 0;
}

static void defs_free(struct rdefs *d)
{
	size_t i, j;

	for (i = 0; i < d->nlists; i++) {
		for (j = 0; j < d->lists[i].n; j++)
			free(d->lists[i].items[j].s);
		free(d->lists[i].items);
		free(d->lists[i].name);
	}
	for (i = 0; i < d->nmacros; i++) {
		free(d->macros[i].name);
		free(d->macros[i].text);
	}
	free(d->lists);
	free(d->macros);
}

static int load_doc(struct loader *ld, struct ruleset *rs)
{
	yaml_node_t *root = yaml_document_get_root_node(&ld->doc), *k, *v;

	if (!root)
		return 0; /* an empty file: no hooks */
	if (!want(ld, root, YAML_MAPPING_NODE, "a mapping of lists, macros and hooks") ||
	    check_keys_unique(ld, root))
		return -1;
	/* Lists and macros first: a hook may come before them in the file. */
	FOR_PAIRS(ld, root, k, v, p) {
		if (!strcmp(scalar(k), "lists") && load_defs(ld, v, load_list))
			return -1;
		if (!strcmp(scalar(k), "macros") && load_defs(ld, v, load_macro))
			return -1;
	}
	FOR_PAIRS(ld, root, k, v, p) {
		if (strcmp(scalar(k), "lists") && strcmp(scalar(k), "macros") && load_hook(ld, k, v, rs))
			return -1;
	}
	return 0;
}

static int add_file_name(struct ruleset *rs, const char *name)
{
	size_t old = rs->files ? strlen(rs->files) + 1 : 0;
	char *f = realloc(rs->files, old + strlen(name) + 1);

	if (!f)
		return -1;
	if (old)
		f[old - 1] = ',';
	strcpy(f + old, name);
	rs->files = f;
	return 0;
}

int rules_load_string(struct ruleset *rs, const char *name, const char *text,
		      char *err, size_t errlen)
{
	struct loader ld = { .file = name, .e = { err, errlen, false } };
	yaml_parser_t parser;
	int rc = -1;

	if (!yaml_parser_initialize(&parser)) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, strlen(text));
	if (!yaml_parser_load(&parser, &ld.doc)) {
		snprintf(err, errlen, "%s:%zu:%zu: not valid YAML: %s", name,
			 parser.problem_mark.line + 1, parser.problem_mark.column + 1,
			 parser.problem ? parser.problem : "unreadable");
		yaml_parser_delete(&parser);
		return -1;
	}
	rc = load_doc(&ld, rs);
	if (!rc)
		rc = add_file_name(rs, name);
	if (rc && !ld.e.set)
		snprintf(err, errlen, "%s: out of memory", name);
	yaml_document_delete(&ld.doc);
	yaml_parser_delete(&parser);
	defs_free(&ld.defs);
	return rc;
}

int rules_load_file(struct ruleset *rs, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");
	char *text = NULL;
	size_t n;
	int rc = -1;

	if (!f) {
		snprintf(err, errlen, "%s: cannot read the rules file: %s", path, strerror(errno));
		return -1;
	}
	text = malloc(RULES_FILE_MAX + 1);
	if (!text) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	n = fread(text, 1, RULES_FILE_MAX + 1, f);
	if (ferror(f)) {
		snprintf(err, errlen, "%s: cannot read the rules file: %s", path, strerror(errno));
		goto out;
	}
	if (n > RULES_FILE_MAX) {
		snprintf(err, errlen, "%s: a rules file of more than 4 MiB", path);
		goto out;
	}
	text[n] = 0;
	if (memchr(text, 0, n)) {
		snprintf(err, errlen, "%s: not a text file (it holds a NUL byte)", path);
		goto out;
	}
	rc = rules_load_string(rs, path, text, err, errlen);
out:
	free(text);
	fclose(f);
	return rc;
}

void rules_free(struct ruleset *rs)
{
	size_t h, i;

	for (h = 0; h < RH__COUNT; h++) {
		for (i = 0; i < rs->hooks[h].nrules; i++)
			rule_free(&rs->hooks[h].rules[i]);
		free(rs->hooks[h].rules);
	}
	free(rs->files);
	memset(rs, 0, sizeof(*rs));
}

size_t rules_count(const struct ruleset *rs)
{
	size_t h, n = 0;

	for (h = 0; h < RH__COUNT; h++)
		if (rs->hooks[h].enabled)
			n += rs->hooks[h].nrules;
	return n;
}

int rules_load_default(struct ruleset *rs, char *err, size_t errlen)
{
	return rules_load_string(rs, "default.yaml", rules_default_yaml, err, errlen);
}
