// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Prints docs/procscope.schema.json, the JSON Schema (2020-12) of the JSON
 * Lines records, from the field catalog (src/catalog.c): `make schema`.
 * Each event type is one definition under $defs, selected by its "type";
 * every object the catalog describes refuses keys it does not declare.
 * Exits 1, saying why, when the catalog contradicts itself (a key declared
 * twice in one object, a name set with no names, two definitions of one name).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "event/catalog.h"
#include "event/names.h"
#include "records.h"

#define WIDTH 100	/* a value that fits on a line of this many columns stays on it */

struct gen {
	json_t *defs;		/* the event types' definitions, then the shared ones */
	json_t *shared;		/* shared definitions, in the order of first use */
	bool failed;
};

static void fail(struct gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(struct gen *g, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("gen-schema: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	g->failed = true;
}

static json_t *ref_to(const char *id)
{
	return json_pack("{s:s+}", "$ref", "#/$defs/", id);
}

static bool has_name(json_t *arr, const char *name)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v)
		if (!strcmp(json_string_value(v), name))
			return true;
	return false;
}

static void add_name(json_t *arr, const char *name)
{
	if (name && !has_name(arr, name))
		json_array_append_new(arr, json_string(name));
}

/* {"type": "string", "enum": [...]} of a name set, in table order. */
static json_t *names_schema(const struct cat_names *n)
{
	json_t *arr = json_array();
	size_t t, i;
	int v;

	for (t = 0; t < 3 && n->tabs[t]; t++)
		for (i = 0; i < n->tabs[t]->n; i++)
			add_name(arr, n->tabs[t]->names[i].name);
	for (v = 0; n->name_of && v < n->max; v++)
		add_name(arr, n->name_of(v));
	for (i = 0; n->list && n->list[i]; i++)
		add_name(arr, n->list[i]);
	return json_pack("{s:s,s:o}", "type", "string", "enum", arr);
}

/* A shared definition, made on first use; a reference to it. */
static json_t *shared_ref(struct gen *g, const char *id, json_t *(*make)(struct gen *, const void *),
			  const void *arg)
{
	json_t *def;

	if (!json_object_get(g->shared, id)) {
		/* Reserve the name first: a definition may refer to itself. */
		json_object_set_new(g->shared, id, json_null());
		def = make(g, arg);
		if (!def) {
			fail(g, "cannot build the definition %s", id);
			return ref_to(id);
		}
		json_object_set_new(g->shared, id, def);
	}
	return ref_to(id);
}

static json_t *make_names(struct gen *g, const void *arg)
{
	const struct cat_names *n = arg;
	json_t *s = names_schema(n);

	if (!json_array_size(json_object_get(s, "enum")))
		fail(g, "the name set %s has no names", n->id);
	return s;
}

static json_t *make_key(struct gen *g, const void *arg)
{
	(void)g, (void)arg;
	return json_pack("{s:s,s:s,s:s}", "type", "string", "pattern", "^[0-9]+@[0-9]+$",
			 "description", "pid@start: a pid and the process's start time in ns since boot");
}

static json_t *make_time(struct gen *g, const void *arg)
{
	(void)g, (void)arg;
	return json_pack("{s:s,s:s,s:s}", "type", "string", "pattern",
			 "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{9}Z$",
			 "description", "RFC 3339, UTC, with nanoseconds");
}

static json_t *object_schema(struct gen *g, const struct cat_object *obj);

static json_t *make_object(struct gen *g, const void *arg)
{
	return object_schema(g, arg);
}

static json_t *names_ref(struct gen *g, const struct cat_names *n, const char *field)
{
	if (!n) {
		fail(g, "%s has no names", field);
		return json_object();
	}
	return shared_ref(g, n->id, make_names, n);
}

static json_t *nullable(json_t *s)
{
	json_t *type = json_object_get(s, "type");

	if (json_is_string(type) && !json_object_get(s, "enum")) {
		json_object_set_new(s, "type", json_pack("[s,s]", json_string_value(type), "null"));
		return s;
	}
	return json_pack("{s:[o,{s:s}]}", "anyOf", s, "type", "null");
}

static json_t *uint_schema(void)
{
	return json_pack("{s:s,s:i}", "type", "integer", "minimum", 0);
}

static json_t *array_of(json_t *items, bool unique)
{
	json_t *s = json_pack("{s:s,s:o}", "type", "array", "items", items);

	if (unique)
		json_object_set_new(s, "uniqueItems", json_true());
	return s;
}

/* The value's schema; the type's own name for CAT_TYPE. */
static json_t *value_schema(struct gen *g, const struct cat_field *f, const char *type)
{
	switch (f->kind) {
	case CAT_INT:
		return json_pack("{s:s}", "type", "integer");
	case CAT_UINT:
		return uint_schema();
	case CAT_BOOL:
		return f->flags & CF_TRUE ? json_pack("{s:b}", "const", 1) : json_pack("{s:s}", "type", "boolean");
	case CAT_STRING:
		return f->names ? names_ref(g, f->names, f->name) : json_pack("{s:s}", "type", "string");
	case CAT_PATH:
	case CAT_FILE:
		return json_pack("{s:[s,s]}", "type", "string", "null");
	case CAT_FLAGS:
	case CAT_NAMES:
		return array_of(names_ref(g, f->names, f->name), true);
	case CAT_ENUM:
		return json_pack("{s:[o,{s:s}]}", "anyOf", names_ref(g, f->names, f->name), "type", "integer");
	case CAT_KEY:
		return shared_ref(g, "key", make_key, NULL);
	case CAT_TIME:
		return shared_ref(g, "time", make_time, NULL);
	case CAT_VERSION:
		return json_pack("{s:i}", "const", PS_SCHEMA_VERSION);
	case CAT_TYPE:
		return type ? json_pack("{s:s}", "const", type) : json_pack("{s:s}", "type", "string");
	case CAT_STRINGS:
		return array_of(json_pack("{s:s}", "type", "string"), false);
	case CAT_UINTS:
		return array_of(uint_schema(), false);
	case CAT_OBJECT:
		if (f->obj->id)
			return shared_ref(g, f->obj->id, make_object, f->obj);
		return object_schema(g, f->obj);
	case CAT_OBJECTS:
		return array_of(f->obj->id ? shared_ref(g, f->obj->id, make_object, f->obj)
					   : object_schema(g, f->obj), false);
	case CAT_INCLUDE:
		break;
	}
	fail(g, "%s: kind %d has no schema", f->name, f->kind);
	return json_object();
}

/* s with its description first, where a reader looks for it. */
static json_t *describe(json_t *s, const char *doc, const char *unit)
{
	json_t *d;

	if (!doc)
		return s;
	d = json_object();
	if (unit)
		json_object_set_new(d, "description", json_sprintf("%s (unit: %s)", doc, unit));
	else
		json_object_set_new(d, "description", json_string(doc));
	json_object_update(d, s);
	json_decref(s);
	return d;
}

/* Add `name` to an object schema's properties (and to required unless optional). */
static void add_property(struct gen *g, json_t *props, json_t *req, const char *name, json_t *s,
			 bool required)
{
	if (json_object_get(props, name))
		fail(g, "the key %s is declared twice in one object", name);
	json_object_set_new(props, name, s);
	if (required)
		json_array_append_new(req, json_string(name));
}

/* The keys written beside a field: "<name>_arg", the descriptor, "<name>_unknown". */
static void add_companions(struct gen *g, json_t *props, const struct cat_field *f)
{
	char key[128];
	json_t *s;

	if (f->kind == CAT_PATH || f->kind == CAT_FILE) {
		snprintf(key, sizeof(key), "%s_arg", f->name);
		s = json_pack("{s:s+,s:s}", "description", f->name,
			      " as the program passed it, when that was relative", "type", "string");
		add_property(g, props, NULL, key, s, false);
	}
	if (f->kind == CAT_FILE) {
		if (!strcmp(f->name, "path"))
			snprintf(key, sizeof(key), "fd");
		else
			snprintf(key, sizeof(key), "%s_fd", f->name);
		s = json_pack("{s:s++,s:s}", "description", "the descriptor ", f->name,
			      " names, when the argument is one (or an empty path with AT_EMPTY_PATH)",
			      "type", "integer");
		add_property(g, props, NULL, key, s, false);
	}
	if (f->kind == CAT_FLAGS) {
		snprintf(key, sizeof(key), "%s_unknown", f->name);
		s = json_pack("{s:s++,s:s,s:i}", "description", "the bits of ", f->name,
			      " no name covers, when there are any", "type", "integer", "minimum", 1);
		add_property(g, props, NULL, key, s, false);
	}
}

static void add_fields(struct gen *g, json_t *props, json_t *req, const struct cat_field *fields,
		       const char *type)
{
	const struct cat_field *f;
	json_t *s;

	for (f = fields; f->name; f++) {
		if (f->kind == CAT_INCLUDE) {
			add_fields(g, props, req, f->obj->fields, type);
			continue;
		}
		s = value_schema(g, f, type);
		if (f->flags & CF_NULL)
			s = nullable(s);
		s = describe(s, f->doc, f->unit);
		add_property(g, props, req, f->name, s, !(f->flags & CF_OPT));
		add_companions(g, props, f);
	}
}

static json_t *closed_object(json_t *props, json_t *req, const char *doc)
{
	json_t *s = json_object();

	json_object_set_new(s, "type", json_string("object"));
	json_object_set_new(s, "properties", props);
	if (json_array_size(req))
		json_object_set_new(s, "required", req);
	else
		json_decref(req);
	json_object_set_new(s, "additionalProperties", json_false());
	return describe(s, doc, NULL);
}

static json_t *object_schema(struct gen *g, const struct cat_object *obj)
{
	json_t *props = json_object(), *req = json_array();

	add_fields(g, props, req, obj->fields, NULL);
	return closed_object(props, req, obj->doc);
}

/* A top-level field: a reference into "common", or the type's own name. */
static void add_common(struct gen *g, json_t *props, json_t *req, const struct cat_object *set,
		       const char *type)
{
	const struct cat_field *f;
	json_t *s;

	for (f = set->fields; f->name; f++) {
		if (f->kind == CAT_TYPE)
			s = json_pack("{s:s}", "const", type);
		else
			s = json_pack("{s:s+}", "$ref", "#/$defs/common/properties/", f->name);
		add_property(g, props, req, f->name, s, !(f->flags & CF_OPT));
	}
}

/* One way a record of type t is written: the common keys, then the category object. */
static json_t *shape_schema(struct gen *g, const struct cat_type *t, const struct cat_shape *sh)
{
	json_t *props = json_object(), *req = json_array();
	bool stats = t->flags & CT_STATS;
	char cat[32];

	add_common(g, props, req, &cat_record, t->type);
	if (!stats)
		add_common(g, props, req, &cat_actor, t->type);
	if (sh->flags & CS_SYSCALL)
		add_common(g, props, req, &cat_syscall, t->type);
	if (!stats)
		add_common(g, props, req, &cat_marks, t->type);
	if (stats) {
		add_fields(g, props, req, sh->obj->fields, t->type);
	} else if (cat_category(t, cat, sizeof(cat))) {
		add_property(g, props, req, cat, object_schema(g, sh->obj), true);
	} else {
		fail(g, "%s has no category", t->type);
	}
	return closed_object(props, req, sh->doc);
}

static json_t *type_schema(struct gen *g, const struct cat_type *t)
{
	unsigned int i, n = cat_shape_count(t);
	json_t *s, *any;

	if (!n) {
		fail(g, "%s has no shape", t->type);
		return json_object();
	}
	if (n == 1) {
		s = shape_schema(g, t, &t->shapes[0]);
		json_object_del(s, "description");
		return describe(s, t->doc, NULL);
	}
	any = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(any, shape_schema(g, t, &t->shapes[i]));
	return json_pack("{s:s,s:o}", "description", t->doc, "anyOf", any);
}

/* "common": every top-level key but "type", as the shapes refer to them. */
static json_t *common_schema(struct gen *g)
{
	const struct cat_object *sets[] = { &cat_record, &cat_actor, &cat_syscall, &cat_marks };
	json_t *props = json_object(), *req = json_array();
	size_t i;

	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++)
		add_fields(g, props, req, sets[i]->fields, NULL);
	json_decref(req);
	return json_pack("{s:s,s:o}", "description", "The keys records share; each type's "
			 "definition says which it has and which are required.", "properties", props);
}

static json_t *build(struct gen *g)
{
	json_t *types = json_array(), *dispatch = json_array(), *root;
	const char *id;
	json_t *v;
	unsigned int i;

	g->defs = json_object();
	g->shared = json_object();
	for (i = 0; i < cat_type_count; i++) {
		const struct cat_type *t = &cat_types[i];

		if (json_object_get(g->defs, t->type))
			fail(g, "the type %s is declared twice", t->type);
		json_object_set_new(g->defs, t->type, type_schema(g, t));
		json_array_append_new(types, json_string(t->type));
		json_array_append_new(dispatch, json_pack("{s:{s:{s:{s:s}}},s:o}", "if", "properties",
					"type", "const", t->type, "then", ref_to(t->type)));
	}
	json_object_set_new(g->shared, "common", common_schema(g));
	json_object_foreach(g->shared, id, v) {
		if (json_object_get(g->defs, id))
			fail(g, "the definition %s is both an event type and a shared one", id);
		json_object_set(g->defs, id, v);
	}
	root = json_pack("{s:s,s:s,s:s,s:s,s:[s],s:{s:{s:o}},s:o,s:o}",
			 "$schema", "https://json-schema.org/draft/2020-12/schema",
			 "title", "procscope JSON Lines record",
			 "description", "One line of procscope's JSON Lines output: an event, or the "
			 "stats record that ends a run. The definition named by the record's type "
			 "applies. Generated from the field catalog (src/catalog.c) by `make schema`.",
			 "type", "object", "required", "type",
			 "properties", "type", "enum", types,
			 "allOf", dispatch, "$defs", g->defs);
	json_decref(g->shared);
	return root;
}

/* Like JSON_INDENT(2), but a value that fits on the line stays on one line. */
static void emit(FILE *f, json_t *v, int col, int ind);

static void emit_strings(FILE *f, json_t *arr, int ind)
{
	size_t i;
	json_t *item;
	int col = ind + 2;

	fprintf(f, "[\n%*s", ind + 2, "");
	json_array_foreach(arr, i, item) {
		char *s = json_dumps(item, JSON_ENCODE_ANY);
		int len = s ? (int)strlen(s) + 1 : 0;

		if (col > ind + 2 && col + len + 1 > WIDTH) {
			fprintf(f, "\n%*s", ind + 2, "");
			col = ind + 2;
		} else if (col > ind + 2) {
			fputc(' ', f);
			col++;
		}
		fprintf(f, "%s%s", s ? s : "null", i + 1 < json_array_size(arr) ? "," : "");
		col += len;
		free(s);
	}
	fprintf(f, "\n%*s]", ind, "");
}

static bool all_strings(json_t *arr)
{
	size_t i;
	json_t *item;

	json_array_foreach(arr, i, item)
		if (!json_is_string(item))
			return false;
	return true;
}

static void emit(FILE *f, json_t *v, int col, int ind)
{
	char *flat = json_dumps(v, JSON_ENCODE_ANY);
	size_t i, n;
	const char *k;
	json_t *item;

	/* Scalars have no shorter form. */
	if (flat && (col + (int)strlen(flat) + 1 <= WIDTH || !(json_is_array(v) || json_is_object(v)))) {
		fputs(flat, f);
		free(flat);
		return;
	}
	free(flat);
	if (json_is_array(v) && all_strings(v)) {
		emit_strings(f, v, ind);
	} else if (json_is_array(v)) {
		fputs("[\n", f);
		n = json_array_size(v);
		json_array_foreach(v, i, item) {
			fprintf(f, "%*s", ind + 2, "");
			emit(f, item, ind + 2, ind + 2);
			fputs(i + 1 < n ? ",\n" : "\n", f);
		}
		fprintf(f, "%*s]", ind, "");
	} else {
		fputs("{\n", f);
		n = json_object_size(v);
		i = 0;
		json_object_foreach(v, k, item) {
			json_t *key = json_string(k);
			char *ks = json_dumps(key, JSON_ENCODE_ANY);

			fprintf(f, "%*s%s: ", ind + 2, "", ks);
			emit(f, item, ind + 4 + (int)strlen(ks), ind + 2);
			fputs(++i < n ? ",\n" : "\n", f);
			free(ks);
			json_decref(key);
		}
		fprintf(f, "%*s}", ind, "");
	}
}

int main(void)
{
	struct gen g = { 0 };
	json_t *root = build(&g);

	if (!root || g.failed) {
		json_decref(root);
		return 1;
	}
	emit(stdout, root, 0, 0);
	fputc('\n', stdout);
	json_decref(root);
	if (fflush(stdout) || ferror(stdout)) {
		perror("gen-schema: stdout");
		return 1;
	}
	return 0;
}
