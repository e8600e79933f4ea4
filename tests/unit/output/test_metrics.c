// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "output/metrics.h"

static char *render(const struct metrics *m, const struct metrics_snapshot *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	metrics_render(m, s, f);
	fclose(f);
	return buf;
}

static void test_render(void **state)
{
	static const char exec_type[] = "process.exec";
	char exec_copy[] = "process.exec", err[256], *text;
	struct ps_stats st = { .delivered = 3, .socket_dropped = 7, .write_failed = 1 };
	struct metrics_snapshot s = { .stats = &st, .procs_tracked = 2, .socket_connected = -1,
				      .has_output = { [METRICS_OUT_FILE] = true },
				      .bytes = { [METRICS_OUT_FILE] = 1234 } };
	struct metrics *m = metrics_open("/tmp/x.prom", 5, err, sizeof(err));

	(void)state;
	assert_non_null(m);
	st.kernel[PS_CNT_RB_FULL] = 4;
	st.kernel[PS_CNT_PATH_TRUNC] = 5;
	metrics_event(m, exec_type);
	metrics_event(m, exec_type);
	/* The same name at another address is the same series. */
	metrics_event(m, exec_copy);
	metrics_event(m, "file.open");
	metrics_rule_match(m, "shell \"in\" container\n", 2);
	metrics_rule_match(m, "shell \"in\" container\n", 1);
	text = render(m, &s);
	assert_non_null(strstr(text, "# TYPE procscope_events_total counter\n"));
	assert_non_null(strstr(text, "procscope_events_total{type=\"process.exec\"} 3\n"));
	assert_non_null(strstr(text, "procscope_events_total{type=\"file.open\"} 1\n"));
	assert_non_null(strstr(text, "procscope_dropped_total{reason=\"ringbuf_full\"} 4\n"));
	assert_non_null(strstr(text, "procscope_dropped_total{reason=\"socket_dropped\"} 7\n"));
	assert_non_null(strstr(text, "procscope_dropped_total{reason=\"write_failed\"} 1\n"));
	assert_non_null(strstr(text, "procscope_truncated_total{reason=\"path_truncated\"} 5\n"));
	assert_non_null(strstr(text, "procscope_rule_matches_total{rule=\"shell \\\"in\\\" container\\n\"} 3\n"));
	assert_non_null(strstr(text, "procscope_processes_tracked 2\n"));
	assert_non_null(strstr(text, "procscope_output_bytes_total{output=\"file\"} 1234\n"));
	assert_null(strstr(text, "output=\"socket\""));
	assert_null(strstr(text, "procscope_socket_connected"));
	free(text);
	metrics_close(m);
}

static void test_due(void **state)
{
	char err[256];
	struct metrics *m = metrics_open("/tmp/x.prom", 5, err, sizeof(err));

	(void)state;
	assert_true(metrics_due(m, 1));
	assert_false(metrics_due(m, 2));
	assert_false(metrics_due(m, 5000000000ULL));
	assert_true(metrics_due(m, 5000000001ULL));
	metrics_close(m);
}

static void test_write_replaces_atomically(void **state)
{
	char dir[] = "/tmp/ps-metrics-XXXXXX", path[64], tmp[64], err[256], cmd[96];
	struct ps_stats st = { 0 };
	struct metrics_snapshot s = { .stats = &st, .socket_connected = -1 };
	struct metrics *m;
	struct stat sb;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/procscope.prom", dir);
	snprintf(tmp, sizeof(tmp), "%s/.procscope.prom.tmp", dir);
	/* A stale temporary file (even a symlink) is replaced, never written through. */
	assert_int_equal(symlink("/etc/passwd", tmp), 0);
	m = metrics_open(path, 5, err, sizeof(err));
	assert_int_equal(metrics_write(m, &s, err, sizeof(err)), 0);
	assert_int_equal(metrics_write(m, &s, err, sizeof(err)), 0);
	assert_int_equal(stat(path, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_int_equal(sb.st_mode & 0777, 0640);
	assert_int_equal(lstat(tmp, &sb), -1);
	metrics_close(m);
	/* A directory in the way is an error, with a sentence. */
	snprintf(path, sizeof(path), "%s/d", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	m = metrics_open(path, 5, err, sizeof(err));
	assert_int_equal(metrics_write(m, &s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot write metrics"));
	metrics_close(m);
	assert_null(metrics_open("/nonexistent-dir/x.prom", 5, err, sizeof(err)));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_due),
		cmocka_unit_test(test_write_replaces_atomically),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
