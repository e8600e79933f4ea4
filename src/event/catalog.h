/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The field catalog: every key of every record procscope writes, declared
 * once as data: its name, JSON type, name table, whether it is always
 * there, unit and meaning.  docs/procscope.schema.json is generated from it
 * (`make schema`), and the tests check every event they produce against
 * that schema, so a key a formatter writes that is not declared here, or
 * one of another type, fails.
 *
 * A record is the fields every record has (cat_record), then those of every
 * event (cat_actor), of syscall events (cat_syscall) and the marks
 * (cat_marks), then one object named for the category ("file", "net"...)
 * written by the formatter of the row that produced it.  Types a formatter
 * writes in more than one way have one shape per way.
 */
#ifndef PS_CATALOG_H
#define PS_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

struct ps_event;
struct ps_nametab;
struct out;

enum cat_kind {
	CAT_INT,	/* an integer */
	CAT_UINT,	/* an integer >= 0 */
	CAT_BOOL,
	CAT_STRING,	/* with `names`: one of them */
	CAT_PATH,	/* a string, null when unreadable; "<name>_arg" (as passed) beside it when relative */
	CAT_FILE,	/* a CAT_PATH, and its descriptor ("fd" beside "path", "<name>_fd" otherwise)
			 * when the argument is one or an empty path names it */
	CAT_FLAGS,	/* an array of `names`; "<name>_unknown" holds the bits no name covers */
	CAT_NAMES,	/* an array of `names` */
	CAT_ENUM,	/* one of `names`, or the number when it has none */
	CAT_KEY,	/* "pid@start" */
	CAT_TIME,	/* RFC 3339 UTC, nanoseconds */
	CAT_VERSION,	/* the schema version, PS_SCHEMA_VERSION */
	CAT_TYPE,	/* the record's type: the name of its catalog entry */
	CAT_STRINGS,	/* an array of strings */
	CAT_UINTS,	/* an array of integers >= 0 */
	CAT_OBJECT,	/* an object of `obj`'s fields */
	CAT_OBJECTS,	/* an array of such objects */
	CAT_INCLUDE,	/* no key: `obj`'s fields are spliced in here */
};

/* cat_field.flags */
#define CF_OPT	(1u << 0)	/* not in every record: the doc says when */
#define CF_NULL	(1u << 1)	/* may be null */
#define CF_TRUE	(1u << 2)	/* a bool only ever written as true */

/*
 * Where a field's names come from: name tables, a name function tried on
 * [0, max), and a list; their union, in that order, without repeats.
 */
struct cat_names {
	const char *id;				/* its definition's name in the schema */
	const struct ps_nametab *tabs[3];	/* NULL-terminated */
	const char *(*name_of)(int);
	int max;
	const char *const *list;		/* NULL-terminated */
};

struct cat_object;

struct cat_field {
	const char *name;			/* NULL ends a list */
	enum cat_kind kind;
	unsigned int flags;			/* CF_* */
	const struct cat_names *names;		/* STRING, FLAGS, NAMES, ENUM */
	const struct cat_object *obj;		/* OBJECT, INCLUDE */
	const char *unit;			/* "ns", "bytes" */
	const char *doc;
};

struct cat_object {
	const char *id;				/* non-NULL: one shared schema definition */
	const struct cat_field *fields;
	const char *doc;
};

/* cat_shape.flags */
#define CS_SYSCALL	(1u << 0)	/* a syscall event: cat_syscall's fields too */

struct cat_shape {
	/* The formatter that writes the category object (NULL: no row has one). */
	void (*fmt)(const struct ps_event *ev, struct out *o);
	unsigned int flags;			/* CS_* */
	const struct cat_object *obj;
	const char *doc;			/* when a record has this shape */
};

#define CAT_MAX_SHAPES 5

/* cat_type.flags */
#define CT_STATS	(1u << 0)	/* procscope's own record (run, stats): no actor, fields at the top level */

struct cat_type {
	const char *type;			/* "file.open" */
	unsigned int flags;			/* CT_* */
	const char *doc;
	struct cat_shape shapes[CAT_MAX_SHAPES];
};

extern const struct cat_type cat_types[];
extern const unsigned int cat_type_count;

/* Every record; every event; syscall events; the marks, present when true. */
extern const struct cat_object cat_record;
extern const struct cat_object cat_actor;
extern const struct cat_object cat_syscall;
extern const struct cat_object cat_marks;

const struct cat_type *cat_find(const char *type);

/* "file" for "file.open": the key of the type's category object; false for stats. */
bool cat_category(const struct cat_type *t, char *buf, size_t len);

/* Shapes in use (a shape with no object ends the list). */
unsigned int cat_shape_count(const struct cat_type *t);

#endif
