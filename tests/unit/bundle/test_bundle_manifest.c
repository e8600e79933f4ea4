// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* A bundle written end to end: modes, manifest format, and what verify says of it. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "bundle/bundle.h"
#include "bundle/bundle_hash.h"
#include "bundle/bundle_out.h"
#include "common/exitcodes.h"
#include "cmd/verify.h"

static const char *const argv_[] = { "sh", "-c", "true" };

static void meta_init(struct bundle_meta *m)
{
	memset(m, 0, sizeof(*m));
	m->procscope_version = "test";
	m->argv = argv_;
	m->argc = 3;
	m->cwd = "/w";
	m->backend = "tracepoints";
	m->start_ns = 1000000000ULL * 1800000000ULL;
	m->exit_status = -1;
}

static void add_events(struct bundle *b, int n, bool stats)
{
	char line[512];
	int i, len;

	for (i = 1; i <= n; i++) {
		len = snprintf(line, sizeof(line), "{\"schema\":1,\"seq\":%d,\"time\":"
			       "\"2026-11-23T12:00:00.%09dZ\",\"ts_ns\":%d,\"type\":\"file.open\","
			       "\"pid\":7,\"ppid\":1,\"comm\":\"t\",\"key\":\"7@1\",\"ret\":3,"
			       "\"file\":{\"path\":\"/etc/f%d\",\"flags\":[\"O_RDONLY\"]}}",
			       i, i, i * 1000, i % 3);
		assert_int_equal(bundle_event(b, line, len, NULL), 0);
	}
	if (!stats)
		return;
	len = snprintf(line, sizeof(line), "{\"schema\":1,\"seq\":%d,\"time\":"
		       "\"2026-11-23T12:00:01.000000000Z\",\"ts_ns\":999999,\"type\":\"stats\","
		       "\"events\":%d,\"lost\":0,\"complete\":true,\"counters\":{\"ringbuf_full\":0}}",
		       n + 1, n);
	assert_int_equal(bundle_event(b, line, len, NULL), 0);
}

static char *tmpdir(void)
{
	char tmpl[] = "/tmp/test_bundle.XXXXXX", *d = mkdtemp(tmpl);

	assert_non_null(d);
	return strdup(d);
}

/* A finished bundle in a fresh directory DIR/b; returns the manifest's hash. */
static void write_bundle(const char *dir, char *hex)
{
	struct bundle_meta m;
	char err[256];
	struct bundle *b;

	meta_init(&m);
	b = bundle_open(dir, false, &m, err, sizeof(err));
	assert_non_null(b);
	add_events(b, 40, true);
	m.end_ns = m.start_ns + 5;
	m.exit_status = 0;
	assert_int_equal(bundle_close(b, &m, hex, err, sizeof(err)), 0);
}

static int run_verify(const char *dir)
{
	char *argv[] = { "verify", (char *)dir, NULL };

	fflush(stdout);
	return verify_main(2, argv);
}

static void rm_rf(const char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_modes_and_manifest_format(void **state)
{
	char *base = tmpdir(), dir[256], path[512], hex[SHA256_HEX_LEN + 1], own[SHA256_HEX_LEN + 1];
	char line[256];
	const char *const *n;
	struct stat st;
	FILE *f;
	int fd;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/b", base);
	write_bundle(dir, hex);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0750);
	snprintf(path, sizeof(path), "%s/%s", dir, BUNDLE_MANIFEST);
	f = fopen(path, "r");
	assert_non_null(f);
	/* `sha256sum -c` format: one "<64 hex>  <name>" per file, in a fixed order. */
	for (n = bundle_files; *n; n++) {
		assert_non_null(fgets(line, sizeof(line), f));
		assert_int_equal(strlen(line), SHA256_HEX_LEN + 2 + strlen(*n) + 1);
		assert_int_equal(strspn(line, "0123456789abcdef"), SHA256_HEX_LEN);
		assert_memory_equal(line + SHA256_HEX_LEN, "  ", 2);
		assert_string_equal(line + SHA256_HEX_LEN + 2 + strlen(*n), "\n");
		assert_memory_equal(line + SHA256_HEX_LEN + 2, *n, strlen(*n));
		snprintf(path, sizeof(path), "%s/%s", dir, *n);
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_mode & 07777, 0640);
	}
	assert_null(fgets(line, sizeof(line), f));
	fclose(f);
	snprintf(path, sizeof(path), "%s/%s", dir, BUNDLE_MANIFEST);
	fd = open(path, O_RDONLY);
	assert_int_equal(sha256_fd_hex(fd, own), 0);
	close(fd);
	assert_string_equal(own, hex);
	assert_int_equal(run_verify(dir), PS_EXIT_OK);
	rm_rf(base);
	free(base);
}

static void test_refuses_unsafe_directories(void **state)
{
	char *base = tmpdir(), dir[256], link[256], err[256], hex[SHA256_HEX_LEN + 1];
	struct bundle_meta m;
	struct bundle *b;

	(void)state;
	meta_init(&m);
	snprintf(dir, sizeof(dir), "%s/b", base);
	write_bundle(dir, hex);
	assert_null(bundle_open(dir, false, &m, err, sizeof(err)));
	assert_non_null(strstr(err, "not empty"));
	snprintf(link, sizeof(link), "%s/l", base);
	assert_int_equal(symlink(dir, link), 0);
	assert_null(bundle_open(link, true, &m, err, sizeof(err)));
	/* --force replaces the old bundle whole: no stale manifest survives. */
	b = bundle_open(dir, true, &m, err, sizeof(err));
	assert_non_null(b);
	add_events(b, 3, false);
	assert_int_equal(bundle_flush(b), 0);
	assert_int_equal(run_verify(dir), PS_EXIT_INCOMPLETE);
	assert_int_equal(bundle_close(b, &m, NULL, err, sizeof(err)), 0);
	rm_rf(base);
	free(base);
}

static void count_bad(void *ctx, size_t lineno, const char *why)
{
	(void)lineno;
	(void)why;
	(*(int *)ctx)++;
}

static void edit(const char *dir, const char *cmd)
{
	char buf[1024];

	snprintf(buf, sizeof(buf), "cd '%s' && %s", dir, cmd);
	assert_int_equal(system(buf), 0);
}

static void test_verify_catches_tampering(void **state)
{
	static const char *const edits[] = {
		"sed -i '3s/f0/f9/' events.jsonl",
		"sed -i '3d' events.jsonl",
		"sed -i '3{h;d};4{G}' events.jsonl",
		"rm files.json",
		"echo x >> report.html",
		"touch extra",
		/* The manifest regenerated after an edit: the chain still tells. */
		"sed -i '3s/f0/f9/' events.jsonl && sha256sum alerts.json calls.tsv events.jsonl files.json metadata.json "
		"network.json notable.json process-tree.json process-tree.txt report.html summary.md "
		"> MANIFEST.sha256",
		/* Cut back and made to look interrupted: the finished run's files give it away. */
		"sed -i 's/\"state\": \"finished\"/\"state\": \"running\"/' metadata.json && "
		"rm MANIFEST.sha256 && sed -i '30,$d' events.jsonl",
		/* Planted FIFOs must be named, not waited on. */
		"rm summary.md && mkfifo summary.md",
		"rm events.jsonl && mkfifo events.jsonl",
		"rm MANIFEST.sha256 && mkfifo MANIFEST.sha256",
		"mkfifo extra",
		/* A line longer than any event. */
		"head -c 3000000 /dev/zero | tr '\\0' a >> events.jsonl",
	};
	char *base = tmpdir(), dir[256], hex[SHA256_HEX_LEN + 1];
	size_t i;

	(void)state;
	alarm(60);
	for (i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		snprintf(dir, sizeof(dir), "%s/b%zu", base, i);
		write_bundle(dir, hex);
		edit(dir, edits[i]);
		assert_int_equal(run_verify(dir), PS_EXIT_FAILED);
	}
	alarm(0);
	rm_rf(base);
	free(base);
}

static int run_verify_expect(const char *dir, const char *hex)
{
	char *argv[] = { "verify", "--expect", (char *)hex, (char *)dir, NULL };

	fflush(stdout);
	return verify_main(4, argv);
}

static void test_verify_expect(void **state)
{
	char *base = tmpdir(), dir[256], hex[SHA256_HEX_LEN + 1], other[SHA256_HEX_LEN + 1];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/b", base);
	write_bundle(dir, hex);
	assert_int_equal(run_verify_expect(dir, hex), PS_EXIT_OK);
	memcpy(other, hex, sizeof(other));
	other[0] = other[0] == '0' ? '1' : '0';
	assert_int_equal(run_verify_expect(dir, other), PS_EXIT_FAILED);
	assert_int_equal(run_verify_expect(dir, "abc"), PS_EXIT_USAGE);
	/* The chain and the manifest recomputed after an edit: only --expect tells. */
	edit(dir, "rm MANIFEST.sha256 && sha256sum alerts.json calls.tsv events.jsonl files.json metadata.json "
	     "network.json notable.json process-tree.json process-tree.txt report.html summary.md "
	     "> MANIFEST.sha256 && echo >> summary.md && sha256sum alerts.json calls.tsv events.jsonl files.json "
	     "metadata.json network.json notable.json process-tree.json process-tree.txt "
	     "report.html summary.md > MANIFEST.sha256");
	assert_int_equal(run_verify(dir), PS_EXIT_OK);
	assert_int_equal(run_verify_expect(dir, hex), PS_EXIT_FAILED);
	rm_rf(base);
	free(base);
}

/* Killed while the summaries were written: complete events, counts to check, no manifest. */
static void test_killed_while_sealing(void **state)
{
	char *base = tmpdir(), dir[256], hex[SHA256_HEX_LEN + 1];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/b", base);
	write_bundle(dir, hex);
	edit(dir, "sed -i 's/\"state\": \"finished\"/\"state\": \"sealing\"/' metadata.json && "
	     "rm MANIFEST.sha256 report.html");
	assert_int_equal(run_verify(dir), PS_EXIT_INCOMPLETE);
	edit(dir, "sed -i '30,$d' events.jsonl");
	assert_int_equal(run_verify(dir), PS_EXIT_FAILED);
	rm_rf(base);
	free(base);
}

static void test_manifest_line_cap(void **state)
{
	char *base = tmpdir(), cmd[512];
	struct manifest m;
	int dirfd, bad = 0;

	(void)state;
	snprintf(cmd, sizeof(cmd), "cd '%s' && for i in $(seq 1000); do printf '%%064d  f%%d\\n' 0 $i; "
		 "done > MANIFEST.sha256", base);
	assert_int_equal(system(cmd), 0);
	dirfd = open(base, O_RDONLY | O_DIRECTORY);
	assert_true(dirfd >= 0);
	assert_int_equal(manifest_read(dirfd, &m, count_bad, &bad), 0);
	assert_int_equal(m.n, BUNDLE_MANIFEST_MAX);
	assert_int_equal(bad, 1);
	manifest_free(&m);
	close(dirfd);
	rm_rf(base);
	free(base);
}

static void test_killed_writer_is_incomplete(void **state)
{
	char *base = tmpdir(), dir[256], err[256];
	struct bundle_meta m;
	struct bundle *b;
	int status;
	pid_t pid;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/b", base);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		meta_init(&m);
		b = bundle_open(dir, false, &m, err, sizeof(err));
		if (!b)
			_exit(1);
		add_events(b, 500, false);
		bundle_flush(b);
		kill(getpid(), SIGKILL);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(run_verify(dir), PS_EXIT_INCOMPLETE);
	edit(dir, "sed -i '100d' events.jsonl");
	assert_int_equal(run_verify(dir), PS_EXIT_FAILED);
	rm_rf(base);
	free(base);
}

static void test_verify_exit_codes_for_non_bundles(void **state)
{
	char *base = tmpdir(), path[256];

	(void)state;
	snprintf(path, sizeof(path), "%s/none", base);
	assert_int_equal(run_verify(path), PS_EXIT_NOINPUT);
	assert_int_equal(run_verify(base), PS_EXIT_DATAERR);
	rm_rf(base);
	free(base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_modes_and_manifest_format),
		cmocka_unit_test(test_refuses_unsafe_directories),
		cmocka_unit_test(test_verify_catches_tampering),
		cmocka_unit_test(test_killed_writer_is_incomplete),
		cmocka_unit_test(test_verify_expect),
		cmocka_unit_test(test_killed_while_sealing),
		cmocka_unit_test(test_manifest_line_cap),
		cmocka_unit_test(test_verify_exit_codes_for_non_bundles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
