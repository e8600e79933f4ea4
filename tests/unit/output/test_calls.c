// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The calls summary: counts, errnos, times, order, caps and escaping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "output/calls.h"

static char *tsv(struct calls *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	calls_sort(c);
	assert_int_equal(calls_write_tsv(c, f), 0);
	fclose(f);
	return buf;
}

static void test_counts_errors_and_order(void **state)
{
	struct calls c;
	char *out;

	(void)state;
	calls_init(&c);
	calls_add(&c, "file.open", "openat", NULL, 30);
	calls_add(&c, "file.open", "openat", "ENOENT", 10);
	calls_add(&c, "file.open", "openat", "ENOENT", 20);
	calls_add(&c, "file.open", "openat", "EACCES", 40);
	calls_add(&c, "process.exec", NULL, NULL, 5);
	calls_add(&c, "file.open", "open", NULL, 7);
	out = tsv(&c);
	assert_string_equal(out,
		"type\tsyscall\tcalls\terrors\terrors_by_errno\tfirst_ns\tlast_ns\n"
		"file.open\topenat\t4\t3\tENOENT:2,EACCES:1\t10\t40\n"
		"file.open\topen\t1\t0\t\t7\t7\n"
		"process.exec\t\t1\t0\t\t5\t5\n");
	assert_int_equal(c.total, 6);
	assert_int_equal(c.failed, 3);
	/* Still counting after the sort moved the rows. */
	calls_add(&c, "process.exec", "", NULL, 9);
	assert_int_equal(c.n, 3);
	free(out);
	calls_free(&c);
}

static void test_caps_and_hostile_names(void **state)
{
	char name[32], err[32];
	struct calls c;
	char *out;
	int i;

	(void)state;
	calls_init(&c);
	for (i = 0; i < CALLS_MAX_ROWS + 10; i++) {
		snprintf(name, sizeof(name), "t%d", i);
		calls_add(&c, name, "x", NULL, 1);
	}
	assert_int_equal(c.n, CALLS_MAX_ROWS);
	assert_int_equal(c.omitted, 10);
	assert_int_equal(c.total, CALLS_MAX_ROWS + 10);
	calls_free(&c);

	calls_init(&c);
	for (i = 0; i < CALLS_MAX_ERRS + 3; i++) {
		snprintf(err, sizeof(err), "E%d", i);
		calls_add(&c, "a\tb\nc", "s\x1b[31m", err, 1);
	}
	out = tsv(&c);
	/* A tab, a newline or an escape sequence from a tampered bundle never splits or paints a line. */
	assert_null(strchr(strchr(out, '\n') + 1, '\x1b'));
	assert_int_equal(c.rows[0].nerr, CALLS_MAX_ERRS);
	assert_int_equal(c.rows[0].other_failed, 3);
	assert_non_null(strstr(out, ",other:3\t"));
	{
		int lines = 0, tabs = 0;
		char *p;

		for (p = out; *p; p++) {
			lines += *p == '\n';
			tabs += *p == '\t';
		}
		assert_int_equal(lines, 2);
		assert_int_equal(tabs, 12);
	}
	free(out);
	calls_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_errors_and_order),
		cmocka_unit_test(test_caps_and_hostile_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
