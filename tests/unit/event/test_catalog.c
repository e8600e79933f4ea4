// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The field catalog against the syscall table: every row's type and
 * formatter has its shape, every shape is written by some row or record
 * kind, and every field is complete.  (That the shapes say exactly what the
 * formatters write is checked on real records by the integration tests.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "event/catalog.h"
#include "event/names.h"
#include "event/syscalls.h"

typedef void (*fmt_fn)(const struct ps_event *, struct out *);

static const struct cat_shape *shape_of(const char *type, fmt_fn fmt, unsigned int flags)
{
	const struct cat_type *t = cat_find(type);
	unsigned int i;

	if (!t)
		return NULL;
	for (i = 0; i < cat_shape_count(t); i++)
		if (t->shapes[i].fmt == fmt && t->shapes[i].flags == flags)
			return &t->shapes[i];
	return NULL;
}

static void test_every_row_has_its_shape(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < syscall_count; i++) {
		const struct syscall_desc *d = &syscall_table[i];

		if (!shape_of(d->type, d->fmt, CS_SYSCALL))
			fail_msg("%s: no %s shape for its formatter", d->name, d->type);
	}
	/* The types a row's type_of() may pick instead of its own. */
	assert_non_null(shape_of("file.rmdir", fmt_file_path, CS_SYSCALL));
	assert_non_null(shape_of("ns.clone", fmt_clone, CS_SYSCALL));
	/* Records that come from the scheduler, not from a syscall. */
	assert_non_null(shape_of("process.exec", fmt_exec, 0));
	assert_non_null(shape_of("process.fork", fmt_fork, 0));
	assert_non_null(shape_of("process.exit", fmt_exit, 0));
}

static bool row_writes(const char *type, fmt_fn fmt)
{
	unsigned int i;

	for (i = 0; i < syscall_count; i++)
		if (syscall_table[i].fmt == fmt && (!strcmp(syscall_table[i].type, type) ||
						    syscall_table[i].type_of))
			return true;
	return false;
}

static void test_every_shape_is_written(void **state)
{
	unsigned int i, j;

	(void)state;
	for (i = 0; i < cat_type_count; i++) {
		const struct cat_type *t = &cat_types[i];
		char cat[32];

		assert_true(cat_shape_count(t) > 0);
		assert_true(cat_category(t, cat, sizeof(cat)) == !(t->flags & CT_STATS));
		for (j = 0; j < cat_shape_count(t); j++) {
			const struct cat_shape *s = &t->shapes[j];

			if (t->flags & CT_STATS)
				assert_null(s->fmt);
			else if (s->flags & CS_SYSCALL)
				assert_true(row_writes(t->type, s->fmt));
			else
				assert_true(s->fmt == fmt_exec || s->fmt == fmt_fork || s->fmt == fmt_exit);
		}
	}
	assert_non_null(cat_find("stats"));
	assert_null(cat_find("file.nope"));
}

static size_t name_count(const struct cat_names *n)
{
	size_t count = 0, i;
	int v;

	for (i = 0; i < 3 && n->tabs[i]; i++)
		count += n->tabs[i]->n;
	for (v = 0; n->name_of && v < n->max; v++)
		count += n->name_of(v) != NULL;
	for (i = 0; n->list && n->list[i]; i++)
		count++;
	return count;
}

static void check_fields(const struct cat_field *f, const char *where)
{
	for (; f->name; f++) {
		if (f->kind != CAT_INCLUDE && (!f->name[0] || !f->doc || !f->doc[0]))
			fail_msg("%s: a field without a name or a doc", where);
		switch (f->kind) {
		case CAT_FLAGS:
		case CAT_NAMES:
		case CAT_ENUM:
			if (!f->names || !f->names->id || !name_count(f->names))
				fail_msg("%s.%s: no names", where, f->name);
			break;
		case CAT_OBJECT:
		case CAT_INCLUDE:
			assert_non_null(f->obj);
			check_fields(f->obj->fields, where);
			break;
		default:
			break;
		}
		if ((f->flags & CF_TRUE) && f->kind != CAT_BOOL)
			fail_msg("%s.%s: only a bool is always true", where, f->name);
	}
}

static void test_every_field_is_complete(void **state)
{
	unsigned int i, j;

	(void)state;
	check_fields(cat_record.fields, "record");
	check_fields(cat_actor.fields, "actor");
	check_fields(cat_syscall.fields, "syscall");
	check_fields(cat_marks.fields, "marks");
	for (i = 0; i < cat_type_count; i++)
		for (j = 0; j < cat_shape_count(&cat_types[i]); j++)
			check_fields(cat_types[i].shapes[j].obj->fields, cat_types[i].type);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_row_has_its_shape),
		cmocka_unit_test(test_every_shape_is_written),
		cmocka_unit_test(test_every_field_is_complete),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
