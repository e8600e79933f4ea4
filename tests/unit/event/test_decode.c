// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The decoder must accept exactly the records the kernel builds and nothing else. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>

#include <cmocka.h>

#include "event/event.h"
#include "event/syscalls.h"

static uint64_t rec[1024];

static struct ps_hdr *hdr(void)
{
	return (struct ps_hdr *)(void *)rec;
}

/* Append a blob at *off; returns the new offset. */
static size_t blob(size_t off, uint8_t kind, uint8_t arg, uint16_t flags, const void *data,
		   uint32_t len)
{
	struct ps_blob *b = (struct ps_blob *)((char *)rec + off);

	b->kind = kind;
	b->arg = arg;
	b->flags = flags;
	b->len = len;
	memcpy(b + 1, data, len);
	return off + sizeof(*b) + ((len + 7) & ~7u);
}

/* An openat record with a relative path and its base directory. */
static size_t openat_record(void)
{
	struct ps_hdr *h = hdr();
	struct ps_syscall *sc = (struct ps_syscall *)(h + 1);
	static const char base[] = "work\0home";   /* /home/work, leaf first */
	size_t off = sizeof(*h) + sizeof(*sc);

	memset(rec, 0, sizeof(rec));
	h->kind = PS_REC_SYSCALL;
	h->pid = 10;
	sc->nr = SYS_openat;
	sc->ret = 3;
	sc->args[0] = (uint64_t)-100;
	off = blob(off, PS_BLOB_STR, 1, 0, "./a/../b.txt", 12);
	off = blob(off, PS_BLOB_DIRENTS, PS_ARG_BASE | 1, PS_BF_ROOTED, base, sizeof(base));
	h->size = off;
	return off;
}

static void test_openat_relative(void **state)
{
	struct ps_event ev;
	size_t n = openat_record();
	char path[256];

	(void)state;
	assert_int_equal(decode_record(rec, n, &ev), 0);
	assert_string_equal(ev.type, "file.open");
	assert_false(ev.notable);
	assert_int_equal(ev.nblobs, 2);
	assert_true(ev_path(&ev, 1, path, sizeof(path)));
	assert_string_equal(path, "/home/work/b.txt");
}

static void test_size_mismatch_rejected(void **state)
{
	struct ps_event ev;
	size_t n = openat_record();

	(void)state;
	assert_int_equal(decode_record(rec, n - 8, &ev), -1);
	hdr()->size = n + 8;
	assert_int_equal(decode_record(rec, n, &ev), -1);
	assert_int_equal(decode_record(rec, 8, &ev), -1);
}

static void test_blob_overrun_rejected(void **state)
{
	struct ps_event ev;
	size_t n = openat_record();
	struct ps_blob *b = (struct ps_blob *)((char *)rec + sizeof(struct ps_hdr) +
					       sizeof(struct ps_syscall));

	(void)state;
	b->len = 4096;
	assert_int_equal(decode_record(rec, n, &ev), -1);
}

static void test_unknown_kind_and_syscall(void **state)
{
	struct ps_event ev;
	size_t n = openat_record();

	(void)state;
	hdr()->kind = 99;
	assert_int_equal(decode_record(rec, n, &ev), -1);
	n = openat_record();
	((struct ps_syscall *)(hdr() + 1))->nr = 511;
	assert_int_equal(decode_record(rec, n, &ev), -1);
}

static void test_dirents(void **state)
{
	static const char comps[] = "c\0b\0a";
	struct ev_blob b = { .kind = PS_BLOB_DIRENTS, .flags = PS_BF_ROOTED, .data = comps,
			     .len = sizeof(comps) };
	struct ev_blob root = { .kind = PS_BLOB_DIRENTS, .flags = PS_BF_ROOTED, .data = "", .len = 0 };
	struct ev_blob pseudo = { .kind = PS_BLOB_DIRENTS, .data = "memfd:x", .len = 8 };
	char path[16], small[4];

	(void)state;
	assert_true(dirents_path(&b, path, sizeof(path)));
	assert_string_equal(path, "/a/b/c");
	assert_true(dirents_path(&root, path, sizeof(path)));
	assert_string_equal(path, "/");
	assert_true(dirents_path(&pseudo, path, sizeof(path)));
	assert_string_equal(path, "memfd:x");
	/* Cut, never overrun. */
	assert_true(dirents_path(&b, small, sizeof(small)));
	assert_string_equal(small, "/a/");
}

static void test_unreadable_path(void **state)
{
	struct ps_event ev;
	size_t n = openat_record();
	struct ps_blob *b = (struct ps_blob *)((char *)rec + sizeof(struct ps_hdr) +
					       sizeof(struct ps_syscall));
	char path[64];

	(void)state;
	b->flags = PS_BF_READ_FAILED;
	assert_int_equal(decode_record(rec, n, &ev), 0);
	assert_false(ev_path(&ev, 1, path, sizeof(path)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_openat_relative),
		cmocka_unit_test(test_size_mismatch_rejected),
		cmocka_unit_test(test_blob_overrun_rejected),
		cmocka_unit_test(test_unknown_kind_and_syscall),
		cmocka_unit_test(test_dirents),
		cmocka_unit_test(test_unreadable_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
