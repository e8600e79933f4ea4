// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Aggregation: per path, endpoint, error, process, and the kept events. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bundle/bundle_index.h"
#include "bundle/bundle_out.h"

#define COMMON(seq, ts, pid, key, comm) COMMONP(seq, ts, pid, 1, key, comm)
#define COMMONP(seq, ts, pid, ppid, key, comm) \
	"{\"schema\":1,\"seq\":" #seq ",\"time\":\"2026-11-23T12:00:00." #ts "Z\",\"ts_ns\":" #ts \
	",\"pid\":" #pid ",\"tid\":" #pid ",\"ppid\":" #ppid ",\"uid\":1000,\"comm\":\"" comm "\",\"key\":\"" key "\","

static const char *const lines[] = {
	COMMON(1, 100000000, 10, "10@50", "sh") "\"type\":\"process.exec\",\"process\":{\"filename\":\"/bin/sh\",\"args\":[\"sh\",\"-c\",\"x y\"]}}",
	COMMON(2, 110000000, 10, "10@50", "sh") "\"type\":\"file.open\",\"ret\":3,\"file\":{\"path\":\"/etc/passwd\",\"flags\":[\"O_RDONLY\"]}}",
	COMMON(3, 120000000, 10, "10@50", "sh") "\"type\":\"file.open\",\"ret\":-2,\"error\":\"ENOENT\",\"file\":{\"path\":\"/etc/passwd\",\"flags\":[\"O_RDONLY\"]}}",
	COMMON(4, 130000000, 10, "10@50", "sh") "\"type\":\"file.open\",\"ret\":3,\"file\":{\"path\":\"/work/out\",\"flags\":[\"O_WRONLY\",\"O_CREAT\",\"O_TRUNC\"],\"mode\":420}}",
	COMMON(5, 140000000, 10, "10@50", "sh") "\"type\":\"process.fork\",\"process\":{\"child_pid\":11,\"child_key\":\"11@140000000\"}}",
	COMMONP(6, 150000000, 11, 10, "11@140000000", "sh") "\"type\":\"process.exec\",\"ret\":-13,\"error\":\"EACCES\",\"process\":{\"filename\":\"/root/tool\"}}",
	COMMONP(7, 160000000, 11, 10, "11@140000000", "sh") "\"type\":\"net.connect\",\"ret\":0,\"net\":{\"family\":\"AF_INET6\",\"address\":\"::1\",\"port\":443}}",
	COMMONP(8, 170000000, 11, 10, "11@140000000", "sh") "\"type\":\"ns.unshare\",\"notable\":true,\"ret\":-1,\"error\":\"EPERM\",\"ns\":{\"flags\":[\"CLONE_NEWUSER\"]}}",
	COMMONP(9, 180000000, 11, 10, "11@140000000", "sh") "\"type\":\"process.exit\",\"process\":{\"signal\":\"SIGKILL\",\"core_dumped\":false}}",
	COMMON(10, 190000000, 10, "10@50", "sh") "\"type\":\"file.rename\",\"ret\":0,\"file\":{\"path\":\"/work/out\",\"target\":\"/etc/cron.d/x\"}}",
	COMMON(11, 200000000, 10, "10@50", "sh") "\"type\":\"process.exit\",\"process\":{\"exit_code\":3}}",
	"not json at all",
};

static struct bidx *build(void)
{
	struct bidx *x = bidx_new("/work");
	size_t i;

	assert_non_null(x);
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		bidx_add(x, lines[i], strlen(lines[i]));
	bidx_finish(x);
	return x;
}

static const struct bitem *item(const struct btally *t, const char *key)
{
	const struct bitem *it = smap_get(&t->map, key);

	assert_non_null(it);
	return it;
}

static void test_counts_and_files(void **state)
{
	struct bidx *x = build();
	const struct bitem *it;
	char desc[256];

	(void)state;
	assert_int_equal(x->lines, 12);
	assert_int_equal(x->unparsed, 1);
	assert_int_equal(bidx_type_count(x, "file.open"), 3);
	assert_int_equal(bidx_type_count(x, "process.exec"), 2);
	it = item(&x->files, "/etc/passwd");
	assert_int_equal(it->total, 2);
	assert_int_equal(it->access, ACC_READ);
	assert_int_equal(tally_failures(it), 1);
	tally_describe(it, desc, sizeof(desc));
	assert_string_equal(desc, "file.open 2 (ok 1, ENOENT 1)");
	it = item(&x->files, "/work/out");
	assert_true(it->access & ACC_CREATE);
	assert_true(it->access & ACC_CHANGE);
	assert_false(it->access & ACC_READ);
	it = item(&x->files, "/etc/cron.d/x");
	assert_true(it->access & ACC_CHANGE);
	assert_true(bidx_outside_cwd(x, "/etc/cron.d/x"));
	assert_false(bidx_outside_cwd(x, "/work/out"));
	assert_true(bidx_outside_cwd(x, "/workshop/a"));
	it = item(&x->net, "[::1]:443");
	assert_int_equal(it->total, 1);
	assert_int_equal(item(&x->errors, "EACCES")->total, 1);
	assert_int_equal(item(&x->errors, "EPERM")->total, 1);
	bidx_free(x);
}

static void test_process_tree(void **state)
{
	struct bidx *x = build();
	struct bproc *root, *child;
	char cmd[128];
	int depth = 0;

	(void)state;
	assert_int_equal(x->nproc, 2);
	root = x->roots;
	assert_non_null(root);
	assert_string_equal(root->key, "10@50");
	assert_null(root->sibling);
	child = root->child;
	assert_non_null(child);
	assert_string_equal(child->key, "11@140000000");
	assert_ptr_equal(child->parent, root);
	assert_int_equal(child->ppid, 10);
	assert_true(child->exited);
	assert_string_equal(child->signal, "SIGKILL");
	assert_int_equal(root->exit_code, 3);
	assert_int_equal(root->nexec, 1);
	exec_cmdline(root->execs, cmd, sizeof(cmd));
	assert_string_equal(cmd, "sh -c 'x y'");
	assert_string_equal(child->execs->error, "EACCES");
	assert_ptr_equal(proc_next(root, &depth), child);
	assert_int_equal(depth, 1);
	assert_null(proc_next(child, &depth));
	bidx_free(x);
}

static void test_kept_events(void **state)
{
	struct bidx *x = build();

	(void)state;
	/* The notable unshare; refusals, failed notable acts and failed execs. */
	assert_int_equal(x->notable.n, 1);
	assert_non_null(strstr(x->notable.lines[0], "ns.unshare"));
	assert_int_equal(x->failures.n, 2);
	assert_non_null(strstr(x->failures.lines[0], "/root/tool"));
	bidx_free(x);
}

static void test_caps_count_what_is_left_out(void **state)
{
	struct bidx *x = bidx_new(NULL);
	char line[256];
	int i, n;

	(void)state;
	for (i = 0; i < BIDX_MAX_KEPT + 7; i++) {
		n = snprintf(line, sizeof(line), "{\"seq\":%d,\"type\":\"mount.mount\",\"notable\":true,"
			     "\"pid\":1,\"key\":\"1@1\",\"mount\":{}}", i + 1);
		bidx_add(x, line, n);
	}
	assert_int_equal(x->notable.n, BIDX_MAX_KEPT);
	assert_int_equal(x->notable.omitted, 7);
	bidx_free(x);
}

static void test_parent_seen_later_is_not_linked(void **state)
{
	/* A crafted file claiming a parent that appears only later must not loop. */
	static const char *const crafted[] = {
		"{\"seq\":1,\"type\":\"process.fork\",\"pid\":2,\"key\":\"2@2\",\"process\":{\"child_pid\":1,\"child_key\":\"1@1\"}}",
		"{\"seq\":2,\"type\":\"process.fork\",\"pid\":1,\"key\":\"1@1\",\"process\":{\"child_pid\":2,\"child_key\":\"2@2\"}}",
	};
	struct bidx *x = bidx_new(NULL);
	struct bproc *p;
	int depth = 0, n = 0;

	(void)state;
	bidx_add(x, crafted[0], strlen(crafted[0]));
	bidx_add(x, crafted[1], strlen(crafted[1]));
	bidx_finish(x);
	for (p = x->roots; p && n < 10; p = proc_next(p, &depth))
		n++;
	assert_int_equal(n, 2);
	bidx_free(x);
}

static void test_budget_never_drops_type_counts(void **state)
{
	/* Long distinct paths use up the budget; counts per type must stay whole. */
	static char line[4400], path[4000];
	struct bidx *x = bidx_new(NULL);
	int i, n;

	(void)state;
	memset(path, 'a', sizeof(path) - 1);
	for (i = 0; i < 7000; i++) {
		n = snprintf(path, 12, "/%08d", i);
		path[n] = 'a';
		n = snprintf(line, sizeof(line), "{\"seq\":%d,\"type\":\"file.open\",\"ret\":-2,"
			     "\"error\":\"ENOENT\",\"file\":{\"path\":\"%s\"}}", i + 1, path);
		bidx_add(x, line, n);
	}
	assert_true(x->files.omitted > 0);
	n = snprintf(line, sizeof(line), "{\"seq\":7001,\"type\":\"file.stat\",\"ret\":-13,"
		     "\"error\":\"EACCES\",\"file\":{\"path\":\"/new\"}}");
	bidx_add(x, line, n);
	n = snprintf(line, sizeof(line), "{\"seq\":7002,\"type\":\"stats\",\"events\":7001}");
	bidx_add(x, line, n);
	assert_int_equal(bidx_type_count(x, "file.open"), 7000);
	assert_int_equal(bidx_type_count(x, "file.stat"), 1);
	assert_int_equal(bidx_type_count(x, "stats"), 1);
	assert_int_equal(x->types.omitted, 0);
	assert_int_equal(item(&x->errors, "EACCES")->total, 1);
	bidx_free(x);
}

/* Every generator must still write valid JSON when a value was cut mid-character. */
static void test_cut_values_stay_utf8(void **state)
{
	static const char *const crafted[] = {
		/* 30 euro signs: 90 bytes, cut to fit the process's comm. */
		"{\"seq\":1,\"type\":\"process.exec\",\"ts_ns\":5,\"pid\":2,\"key\":\"2@2\","
		"\"comm\":\"\\\\xff\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac"
		"\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac"
		"\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\",\"process\":{\"filename\":\"/x\"}}",
	};
	char line[2048], *buf = NULL;
	struct bidx *x = bidx_new(NULL);
	size_t len = 0;
	json_t *j;
	FILE *f;
	int i, n;

	(void)state;
	bidx_add(x, crafted[0], strlen(crafted[0]));
	/* A unix socket path of 2-byte characters, longer than an endpoint key. */
	n = snprintf(line, sizeof(line), "{\"seq\":2,\"type\":\"net.connect\",\"pid\":2,"
		     "\"key\":\"2@2\",\"net\":{\"family\":\"AF_UNIX\",\"path\":\"/");
	for (i = 0; i < 300; i++)
		n += snprintf(line + n, sizeof(line) - n, "\u00e9");
	n += snprintf(line + n, sizeof(line) - n, "\"}}");
	bidx_add(x, line, n);
	bidx_finish(x);
	assert_int_equal(x->nproc, 1);
	j = json_string(x->proc[0]->comm);
	assert_non_null(j);
	json_decref(j);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(tree_write_json(x, f), 0);
	assert_int_equal(tally_write_network(x, f), 0);
	fclose(f);
	assert_non_null(strstr(buf, "\\\\xff"));
	assert_non_null(strstr(buf, "..."));
	free(buf);
	bidx_free(x);
}

static void test_json_text_escapes_what_is_not_utf8(void **state)
{
	json_t *j;

	(void)state;
	j = json_text("ok \xe2\x82\xac");
	assert_string_equal(json_string_value(j), "ok \xe2\x82\xac");
	json_decref(j);
	j = json_text("d\xff/\xe2\x82");
	assert_string_equal(json_string_value(j), "d\\xff/\\xe2\\x82");
	json_decref(j);
}

/* More file events for the fast path: a null path, an escaped one, a refusal. */
static const char *const more_files[] = {
	COMMON(12, 210000000, 10, "10@50", "sh") "\"type\":\"file.open\",\"ret\":-14,\"error\":\"EFAULT\",\"file\":{\"path\":null,\"flags\":[]}}",
	COMMON(13, 220000000, 10, "10@50", "sh") "\"type\":\"file.open\",\"ret\":3,\"file\":{\"path\":\"/tmp/a\\\\b\",\"flags\":[\"O_RDONLY\"]}}",
	COMMON(14, 230000000, 10, "10@50", "sh") "\"type\":\"file.unlink\",\"ret\":-13,\"error\":\"EACCES\",\"file\":{\"path\":\"/etc/shadow\"}}",
	COMMON(15, 240000000, 10, "10@50", "sh") "\"type\":\"file.chmod\",\"ret\":0,\"file\":{\"path\":\"/work/out\",\"mode\":2541}}",
	COMMON(16, 250000000, 77, "77@1", "sh") "\"type\":\"file.open\",\"ret\":3,\"file\":{\"path\":\"/unknown/proc\",\"flags\":[\"O_RDONLY\"]}}",
};

/* Facts as the consumer would know them, read here from the line itself. */
static void add_with_facts(struct bidx *x, const char *line, size_t *fast)
{
	json_t *ev = json_loads(line, 0, NULL);
	struct bfacts f = { 0 };

	if (!ev) {
		bidx_add(x, line, strlen(line));
		return;
	}
	f.type = json_string_value(json_object_get(ev, "type"));
	f.syscall = json_string_value(json_object_get(ev, "syscall"));
	f.error = json_string_value(json_object_get(ev, "error"));
	f.key = json_string_value(json_object_get(ev, "key"));
	f.ts = json_integer_value(json_object_get(ev, "ts_ns"));
	f.notable = json_is_true(json_object_get(ev, "notable"));
	if (bidx_add_fast(x, &f, line, strlen(line)))
		(*fast)++;
	else
		bidx_add(x, line, strlen(line));
	json_decref(ev);
}

static char *dump(struct bidx *x)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(tally_write_files(x, f), 0);
	assert_int_equal(tree_write_json(x, f), 0);
	assert_int_equal(kept_write_json(&x->failures, "omitted", f), 0);
	assert_int_equal(kept_write_json(&x->notable, "omitted", f), 0);
	assert_int_equal(calls_write_tsv(&x->calls, f), 0);
	fprintf(f, "lines %llu types %llu %llu errors %zu first %llu last %llu\n",
		(unsigned long long)x->lines, (unsigned long long)bidx_type_count(x, "file.open"),
		(unsigned long long)bidx_type_count(x, "file.unlink"), x->errors.n,
		(unsigned long long)x->first_ns, (unsigned long long)x->last_ns);
	fclose(f);
	return buf;
}

/* Facts plus the scanned "file" object fold in exactly what parsing does. */
static void test_fast_path_matches_parsing(void **state)
{
	struct bidx *slow = bidx_new("/work"), *fast = bidx_new("/work");
	size_t i, nfast = 0;
	char *a, *b;

	(void)state;
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		bidx_add(slow, lines[i], strlen(lines[i]));
		add_with_facts(fast, lines[i], &nfast);
	}
	for (i = 0; i < sizeof(more_files) / sizeof(more_files[0]); i++) {
		bidx_add(slow, more_files[i], strlen(more_files[i]));
		add_with_facts(fast, more_files[i], &nfast);
	}
	/* Opens, rename, null path, refusal, chmod; not the escaped path or an unknown process. */
	assert_int_equal(nfast, 7);
	bidx_finish(slow);
	bidx_finish(fast);
	a = dump(slow);
	b = dump(fast);
	assert_string_equal(a, b);
	free(a);
	free(b);
	bidx_free(slow);
	bidx_free(fast);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_and_files),
		cmocka_unit_test(test_fast_path_matches_parsing),
		cmocka_unit_test(test_process_tree),
		cmocka_unit_test(test_kept_events),
		cmocka_unit_test(test_caps_count_what_is_left_out),
		cmocka_unit_test(test_parent_seen_later_is_not_linked),
		cmocka_unit_test(test_budget_never_drops_type_counts),
		cmocka_unit_test(test_cut_values_stay_utf8),
		cmocka_unit_test(test_json_text_escapes_what_is_not_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
