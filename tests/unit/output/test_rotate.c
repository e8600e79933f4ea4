// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <fcntl.h>
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

#include "output/rotate.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ps-rotate-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

static char *path_of(const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", dir, name);
	return buf;
}

static char *slurp(const char *name, size_t *len)
{
	char p[128], *buf;
	FILE *f = fopen(path_of(name, p, sizeof(p)), "r");
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, n + 1);
	assert_int_equal(fread(buf, 1, n, f), (size_t)n);
	fclose(f);
	*len = n;
	return buf;
}

static void test_parse_size(void **state)
{
	(void)state;
	assert_int_equal(rotate_parse_size("4096"), 4096);
	assert_int_equal(rotate_parse_size("4k"), 4096);
	assert_int_equal(rotate_parse_size("4K"), 4096);
	assert_int_equal(rotate_parse_size("10M"), 10ULL << 20);
	assert_int_equal(rotate_parse_size("2G"), 2ULL << 30);
	assert_int_equal(rotate_parse_size(""), 0);
	assert_int_equal(rotate_parse_size("-1"), 0);
	assert_int_equal(rotate_parse_size(" 1"), 0);
	assert_int_equal(rotate_parse_size("1T"), 0);
	assert_int_equal(rotate_parse_size("1kB"), 0);
	assert_int_equal(rotate_parse_size("99999999999999999999"), 0);
	assert_int_equal(rotate_parse_size("2048G"), 0);
}

/* Every record once, in order, never split: the files read oldest first concatenate to the input. */
static void test_rotation_keeps_every_record(void **state)
{
	struct rotfile_opts o = { .limit = 1000, .keep = 50 };
	char p[128], rec[64], err[256], *all = calloc(1, 1 << 16), *buf;
	size_t alen = 0, len, i;
	struct rotfile *r;
	int n;

	(void)state;
	r = rotfile_open(path_of("out.jsonl", p, sizeof(p)), &o, err, sizeof(err));
	assert_non_null(r);
	for (i = 0; i < 300; i++) {
		n = snprintf(rec, sizeof(rec), "{\"seq\":%zu,\"pad\":\"%.*s\"}\n", i, (int)(i % 40), "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
		memcpy(all + alen, rec, n);
		alen += n;
		assert_int_equal(rotfile_write(r, rec, n), 0);
	}
	assert_true(rotfile_rotations(r) > 5);
	assert_int_equal(rotfile_flush(r), 0);
	assert_int_equal(rotfile_bytes(r), alen);
	n = (int)rotfile_rotations(r);
	assert_int_equal(rotfile_close(r), 0);
	/* Oldest is out.jsonl.N. */
	{
		char *cat = calloc(1, 1 << 16), name[64];
		size_t clen = 0;
		int k;

		for (k = n; k >= 0; k--) {
			if (k)
				snprintf(name, sizeof(name), "out.jsonl.%d", k);
			else
				snprintf(name, sizeof(name), "out.jsonl");
			buf = slurp(name, &len);
			assert_non_null(buf);
			assert_true(len <= 1000);
			assert_true(len > 0);
			assert_int_equal(buf[len - 1], '\n');
			memcpy(cat + clen, buf, len);
			clen += len;
			free(buf);
		}
		assert_int_equal(clen, alen);
		assert_memory_equal(cat, all, alen);
		free(cat);
	}
	free(all);
}

static void test_keep_bounds_the_files(void **state)
{
	struct rotfile_opts o = { .limit = 1024, .keep = 2 };
	char p[128], err[256], rec[100];
	struct rotfile *r;
	struct stat st;
	int i;

	(void)state;
	memset(rec, 'a', sizeof(rec));
	rec[99] = '\n';
	r = rotfile_open(path_of("k.jsonl", p, sizeof(p)), &o, err, sizeof(err));
	assert_non_null(r);
	for (i = 0; i < 100; i++)
		assert_int_equal(rotfile_write(r, rec, sizeof(rec)), 0);
	rotfile_close(r);
	assert_int_equal(stat(path_of("k.jsonl.1", p, sizeof(p)), &st), 0);
	assert_int_equal(st.st_size, 1000);
	assert_int_equal(stat(path_of("k.jsonl.2", p, sizeof(p)), &st), 0);
	assert_int_equal(stat(path_of("k.jsonl.3", p, sizeof(p)), &st), -1);
}

/* A record over the limit gets a file of its own. */
static void test_big_record_alone(void **state)
{
	struct rotfile_opts o = { .limit = 1024, .keep = 5 };
	char p[128], err[256], big[3000], *buf;
	struct rotfile *r;
	size_t len;

	(void)state;
	memset(big, 'b', sizeof(big));
	big[sizeof(big) - 1] = '\n';
	r = rotfile_open(path_of("b.jsonl", p, sizeof(p)), &o, err, sizeof(err));
	assert_int_equal(rotfile_write(r, "{}\n", 3), 0);
	assert_int_equal(rotfile_write(r, big, sizeof(big)), 0);
	assert_int_equal(rotfile_write(r, "{}\n", 3), 0);
	rotfile_close(r);
	buf = slurp("b.jsonl.2", &len);
	assert_int_equal(len, 3);
	free(buf);
	buf = slurp("b.jsonl.1", &len);
	assert_int_equal(len, sizeof(big));
	free(buf);
	buf = slurp("b.jsonl", &len);
	assert_int_equal(len, 3);
	free(buf);
}

static void test_append(void **state)
{
	struct rotfile_opts o = { .append = true };
	char p[128], err[256], *buf;
	struct rotfile *r;
	size_t len;
	FILE *f = fopen(path_of("a.jsonl", p, sizeof(p)), "w");

	(void)state;
	fputs("{\"old\":1}\n", f);
	fclose(f);
	/* Without --append or --force an existing file is refused. */
	o.append = false;
	assert_null(rotfile_open(p, &o, err, sizeof(err)));
	assert_non_null(strstr(err, "already exists"));
	o.append = true;
	r = rotfile_open(p, &o, err, sizeof(err));
	assert_non_null(r);
	rotfile_write(r, "{\"new\":2}\n", 10);
	rotfile_close(r);
	buf = slurp("a.jsonl", &len);
	assert_string_equal(buf, "{\"old\":1}\n{\"new\":2}\n");
	free(buf);
}

static void test_append_refuses_symlink_and_device(void **state)
{
	struct rotfile_opts o = { .append = true };
	char p[128], t[128], err[256];

	(void)state;
	path_of("target", t, sizeof(t));
	close(open(t, O_CREAT | O_WRONLY, 0600));
	assert_int_equal(symlink(t, path_of("link.jsonl", p, sizeof(p))), 0);
	assert_null(rotfile_open(p, &o, err, sizeof(err)));
	assert_non_null(strstr(err, "symbolic link"));
	assert_int_equal(symlink("/dev/null", path_of("null", p, sizeof(p))), 0);
	assert_null(rotfile_open(p, &o, err, sizeof(err)));
	assert_null(rotfile_open("/dev/null", &o, err, sizeof(err)));
	assert_non_null(strstr(err, "not a regular file"));
}

static void test_fifo_is_a_stream(void **state)
{
	struct rotfile_opts o = { 0 };
	char p[128], err[256], got[16] = "";
	struct rotfile *r;
	int rfd;

	(void)state;
	assert_int_equal(mkfifo(path_of("fifo", p, sizeof(p)), 0600), 0);
	rfd = open(p, O_RDONLY | O_NONBLOCK);
	assert_true(rfd >= 0);
	r = rotfile_open(p, &o, err, sizeof(err));
	assert_non_null(r);
	assert_true(rotfile_is_stream(r));
	rotfile_write(r, "{\"a\":1}\n", 8);
	assert_int_equal(rotfile_flush(r), 0);
	assert_int_equal(read(rfd, got, sizeof(got)), 8);
	assert_string_equal(got, "{\"a\":1}\n");
	rotfile_close(r);
	/* Rotation has no meaning for a stream. */
	o.limit = 4096;
	o.keep = 5;
	assert_null(rotfile_open(p, &o, err, sizeof(err)));
	assert_non_null(strstr(err, "FIFO"));
	close(rfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_rotation_keeps_every_record),
		cmocka_unit_test(test_keep_bounds_the_files),
		cmocka_unit_test(test_big_record_alone),
		cmocka_unit_test(test_append),
		cmocka_unit_test(test_append_refuses_symlink_and_device),
		cmocka_unit_test(test_fifo_is_a_stream),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
