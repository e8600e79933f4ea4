// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* -e and --path: what a list keeps, what a row drops in the kernel, and the errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <cmocka.h>

#include "event/filter.h"
#include "event/syscalls.h"
#include "event/syscalls_ia32.h"

static bool parse(struct ev_filter *f, const char *arg)
{
	char err[256];

	memset(f, 0, sizeof(*f));
	return filter_add_events(f, arg, err, sizeof(err)) == 0;
}

static bool wants(const struct ev_filter *f, const char *type, const char *sc)
{
	const char *names[2] = { sc, NULL };

	return filter_type_wanted(f, type, sc ? names : NULL);
}

static void test_classes_types_and_syscalls(void **state)
{
	struct ev_filter f;

	(void)state;
	assert_true(parse(&f, "file,net"));
	assert_true(wants(&f, "file.open", "openat"));
	assert_true(wants(&f, "net.connect", "connect"));
	assert_false(wants(&f, "priv.setuid", "setuid"));
	/* Lifecycle stays with an include list. */
	assert_true(wants(&f, "process.exec", NULL));
	assert_true(wants(&f, "process.exit", NULL));

	assert_true(parse(&f, "trace=%network,openat"));
	assert_true(wants(&f, "net.socket", "socket"));
	assert_true(wants(&f, "file.open", "openat"));
	assert_false(wants(&f, "file.open", "open"));

	assert_true(parse(&f, "file.*,!file.open"));
	assert_true(wants(&f, "file.unlink", "unlink"));
	assert_false(wants(&f, "file.open", "openat"));
}

static void test_exclusions_win_and_lifecycle_goes_when_named(void **state)
{
	struct ev_filter f;

	(void)state;
	assert_true(parse(&f, "!openat,file"));
	assert_false(wants(&f, "file.open", "openat"));
	assert_true(wants(&f, "file.open", "open"));
	assert_true(parse(&f, "!process"));
	assert_false(wants(&f, "process.exec", NULL));
	assert_true(wants(&f, "file.open", "openat"));
	assert_true(parse(&f, "-open*"));
	assert_false(wants(&f, "file.open", "openat2"));
	assert_true(wants(&f, "file.open", "creat"));
}

static void test_rows_dropped_in_the_kernel(void **state)
{
	struct ev_filter f;
	const struct syscall_desc *unlinkat = syscall_find(SYS_unlinkat);
	const struct syscall_desc *setuid = syscall_find(SYS_setuid);

	(void)state;
	/* unlinkat can be file.rmdir: kept for the consumer to decide. */
	assert_true(parse(&f, "file.rmdir"));
	assert_false(filter_row_dropped(&f, unlinkat, NULL));
	assert_true(filter_row_dropped(&f, setuid, NULL));
	/* An IA-32 spelling names the same row. */
	assert_true(parse(&f, "setuid32"));
	assert_false(filter_row_dropped(&f, setuid, "setuid32"));
	assert_true(filter_row_dropped(&f, setuid, NULL));
	/* No -e: nothing is dropped. */
	memset(&f, 0, sizeof(f));
	assert_false(filter_row_dropped(&f, setuid, NULL));
}

static void test_errors(void **state)
{
	struct ev_filter f;

	(void)state;
	assert_false(parse(&f, "bogus"));
	assert_false(parse(&f, "file.nothing"));
	assert_false(parse(&f, "file,"));
	assert_false(parse(&f, "!"));
	assert_false(parse(&f, "signal=all"));
	assert_false(parse(&f, "Open"));
	assert_false(parse(&f, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
}

static void test_paths(void **state)
{
	struct ev_filter f;
	char err[256];

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_int_equal(filter_add_path(&f, "/etc//ssh/", err, sizeof(err)), 0);
	assert_string_equal(f.paths[0], "/etc/ssh");
	assert_true(filter_paths_on(&f));
	assert_true(filter_path_under(&f, "/etc/ssh"));
	assert_true(filter_path_under(&f, "/etc/ssh/sshd_config"));
	assert_false(filter_path_under(&f, "/etc/sshd"));
	assert_false(filter_path_under(&f, "/etc"));
	assert_int_equal(filter_add_path(&f, "etc", err, sizeof(err)), -1);
	assert_int_equal(filter_add_path(&f, "/", err, sizeof(err)), 0);
	assert_false(filter_paths_on(&f));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classes_types_and_syscalls),
		cmocka_unit_test(test_exclusions_win_and_lifecycle_goes_when_named),
		cmocka_unit_test(test_rows_dropped_in_the_kernel),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_paths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
