// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The process model: lookup by key, bounds, collection after exit, ancestry, /proc seeding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "proc/model.h"
#include "proc/procfs.h"

static struct proc_key K(uint32_t pid, uint64_t start)
{
	return (struct proc_key){ pid, start };
}

static void test_add_and_get(void **state)
{
	struct model *m = model_new(16, NULL);
	bool created;
	struct proc *p;

	(void)state;
	p = model_add(m, K(10, 1000), K(1, 5), &created);
	assert_non_null(p);
	assert_true(created);
	assert_int_equal(p->parent.pid, 1);
	assert_ptr_equal(model_add(m, K(10, 1000), K(1, 5), &created), p);
	assert_false(created);
	/* Same pid, another start: another process (pid reuse). */
	assert_null(model_get(m, K(10, 2000)));
	assert_ptr_not_equal(model_add(m, K(10, 2000), K(1, 5), NULL), p);
	assert_int_equal(model_stats(m)->entries, 2);
	model_free(m);
}

static void test_bounded_and_counted(void **state)
{
	struct model *m = model_new(4, NULL);
	uint32_t i;

	(void)state;
	for (i = 0; i < 6; i++)
		model_add(m, K(100 + i, i + 1), K(1, 1), NULL);
	assert_int_equal(model_stats(m)->entries, 4);
	assert_int_equal(model_stats(m)->full, 2);
	assert_null(model_get(m, K(105, 6)));
	model_free(m);
}

static void test_gc_removes_old_exits_only(void **state)
{
	struct model *m = model_new(64, NULL);
	struct proc *a, *b, *c;
	uint32_t i;

	(void)state;
	/* Many entries on few slots: removal must keep the probe runs intact. */
	for (i = 0; i < 40; i++)
		model_add(m, K(i + 1, 7), K(0, 0), NULL);
	a = model_get(m, K(3, 7));
	b = model_get(m, K(4, 7));
	c = model_get(m, K(5, 7));
	model_exit(a, 1000, 0);
	model_exit(b, 1000, 0);
	model_hold(b);
	model_exit(c, 9000, 0);
	assert_int_equal(model_gc(m, 5000, 2000), 1);
	assert_null(model_get(m, K(3, 7)));
	assert_non_null(model_get(m, K(4, 7)));   /* held */
	assert_non_null(model_get(m, K(5, 7)));   /* too recent */
	for (i = 0; i < 40; i++)
		if (i + 1 != 3)
			assert_non_null(model_get(m, K(i + 1, 7)));
	assert_int_equal(model_stats(m)->collected, 1);
	/* The freed entry is reused. */
	assert_non_null(model_add(m, K(3, 8), K(0, 0), NULL));
	model_free(m);
}

static void test_exec_chain_and_ancestors(void **state)
{
	struct model *m = model_new(16, NULL);
	char *argv[] = { "ls", "-l" };
	struct proc *out[8], *p;
	int i;

	(void)state;
	model_add(m, K(1, 1), K(0, 0), NULL);
	model_add(m, K(2, 2), K(1, 1), NULL);
	p = model_add(m, K(3, 3), K(2, 2), NULL);
	for (i = 0; i < MODEL_EXEC_CHAIN + 3; i++)
		model_exec(p, i ? "/bin/next" : "/bin/first", argv, 2, false);
	model_exec(p, "/usr/bin/ls", argv, 2, false);
	assert_string_equal(p->exe, "/usr/bin/ls");
	assert_int_equal(p->argc, 2);
	assert_int_equal(p->argv_len, 6);
	assert_memory_equal(p->argv, "ls\0-l\0", 6);
	assert_int_equal(p->nchain, MODEL_EXEC_CHAIN);
	assert_int_equal(p->chain_dropped, 3);  /* 11 earlier exes, 8 kept */
	assert_int_equal(model_ancestors(m, K(3, 3), out, 8), 2);
	assert_int_equal(out[0]->key.pid, 2);
	assert_int_equal(out[1]->key.pid, 1);
	assert_int_equal(model_ancestors(m, K(3, 3), out, 1), 1);
	model_free(m);
}

static void test_seed_from_proc(void **state)
{
	struct model *m = model_new(16, NULL);
	struct proc *p = model_seed_proc(m, getpid());
	uint64_t start = proc_start_boot(getpid());

	(void)state;
	assert_non_null(p);
	assert_true(p->seeded && p->coarse_start);
	assert_int_equal(p->key.pid, getpid());
	assert_int_equal(p->parent.pid, getppid());
	assert_int_equal(p->uid, getuid());
	assert_non_null(p->exe);
	assert_non_null(p->argv);
	/* The kernel's exact start time finds the seeded entry and replaces the coarse one. */
	assert_ptr_equal(model_get(m, K(getpid(), start + 1234)), p);
	assert_false(p->coarse_start);
	assert_int_equal(p->key.start_boot, start + 1234);
	assert_null(model_seed_proc(m, 0));
	model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_and_get),
		cmocka_unit_test(test_bounded_and_counted),
		cmocka_unit_test(test_gc_removes_old_exits_only),
		cmocka_unit_test(test_exec_chain_and_ancestors),
		cmocka_unit_test(test_seed_from_proc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
