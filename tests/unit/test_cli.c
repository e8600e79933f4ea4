// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"
#include "exitcodes.h"

/* argv outlives the call: the options keep pointers into it. */
static char *argv[32];

static int parse(struct ps_opts *o, ...)
{
	int argc = 1;
	va_list ap;

	argv[0] = "procscope";
	va_start(ap, o);
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	return cli_parse(argc, argv, o);
}

static void test_launch(void **state)
{
	struct ps_opts o;

	(void)state;
	assert_int_equal(parse(&o, "-q", "-o", "x.jsonl", "--timeout", "1.5", "--", "ls", "-l", NULL), -1);
	assert_true(o.quiet);
	assert_string_equal(o.output, "x.jsonl");
	assert_true(o.timeout > 1.4 && o.timeout < 1.6);
	assert_string_equal(o.argv[0], "ls");
	assert_string_equal(o.argv[1], "-l");
	assert_int_equal(o.args_max, 64);
	assert_int_equal(o.buffer_bytes, 16UL << 20);
}

static void test_command_options_are_not_ours(void **state)
{
	struct ps_opts o;

	(void)state;
	assert_int_equal(parse(&o, "make", "-q", "--json", NULL), -1);
	assert_false(o.quiet);
	assert_false(o.json_stdout);
	assert_string_equal(o.argv[1], "-q");
}

static void test_pids(void **state)
{
	struct ps_opts o;

	(void)state;
	assert_int_equal(parse(&o, "-p", "12,34", NULL), -1);
	assert_int_equal(o.npids, 2);
	assert_int_equal(o.pids[1], 34);
	assert_int_equal(parse(&o, "-p", "12,", NULL), -1);
	assert_int_equal(o.npids, 1);
}

static void test_errors(void **state)
{
	struct ps_opts o;

	(void)state;
	assert_int_equal(parse(&o, NULL), PS_EXIT_USAGE);
	assert_int_equal(parse(&o, "--bogus", "--", "ls", NULL), PS_EXIT_USAGE);
	assert_int_equal(parse(&o, "-p", "0", NULL), PS_EXIT_USAGE);
	assert_int_equal(parse(&o, "-p", "1x", NULL), PS_EXIT_USAGE);
	assert_int_equal(parse(&o, "-p", "1", "--", "ls", NULL), PS_EXIT_USAGE);
	assert_int_equal(parse(&o, "--buffer-size", "3", "--", "ls", NULL), PS_EXIT_USAGE);
	assert_int_equal(parse(&o, "--max-args", "0", "--", "ls", NULL), PS_EXIT_USAGE);
	assert_int_equal(parse(&o, "--timeout", "-1", "--", "ls", NULL), PS_EXIT_USAGE);
	assert_int_equal(parse(&o, "--color", "pink", "--", "ls", NULL), PS_EXIT_USAGE);
	assert_int_equal(parse(&o, "-o", "-", "--", "ls", NULL), PS_EXIT_USAGE);
}

/* Kernel memory an ordinary user may pin: at most 64 MiB of ring buffer, 65536 processes. */
static void test_limits_without_privilege(void **state)
{
	struct ps_opts o;

	(void)state;
	assert_int_equal(parse(&o, "--buffer-size", "64", "--max-procs", "65536", "--", "ls", NULL), -1);
	assert_int_equal(cli_check_limits(&o, false), -1);
	assert_int_equal(parse(&o, "--buffer-size", "128", "--", "ls", NULL), -1);
	assert_int_equal(cli_check_limits(&o, false), PS_EXIT_USAGE);
	assert_int_equal(cli_check_limits(&o, true), -1);
	assert_int_equal(parse(&o, "--max-procs", "65537", "--", "ls", NULL), -1);
	assert_int_equal(cli_check_limits(&o, false), PS_EXIT_USAGE);
	assert_int_equal(cli_check_limits(&o, true), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_launch),
		cmocka_unit_test(test_command_options_are_not_ours),
		cmocka_unit_test(test_pids),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits_without_privilege),
	};

	/* The error sentences go to stderr; the tests only look at codes. */
	if (!freopen("/dev/null", "w", stderr))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
