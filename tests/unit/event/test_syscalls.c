// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The syscall table and its formatters.  The table is checked row by row
 * against what the kernel side accepts; formatters are fed records laid
 * out exactly as the kernel writes them and their JSON is compared whole.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "event/event.h"
#include "output/out.h"
#include "event/syscalls.h"
#include "event/syscalls_ia32.h"

static const char *const categories[] = {
	"process.", "file.", "net.", "priv.", "ns.", "mount.", "proc.", "kernel.",
};

static bool known_category(const char *type)
{
	size_t i;

	for (i = 0; i < sizeof(categories) / sizeof(categories[0]); i++)
		if (!strncmp(type, categories[i], strlen(categories[i])) &&
		    type[strlen(categories[i])] != '\0')
			return true;
	return false;
}

/* The most blobs a row can make the kernel write. */
static unsigned int blob_budget(const struct syscall_desc *d)
{
	unsigned int i, n = 0;

	for (i = 0; i < PS_MAX_BLOBS && d->caps[i].kind != PS_CAP_NONE; i++)
		n += d->caps[i].kind == PS_CAP_PATH ? 2 : 1;
	if (d->spec_flags & PS_SPEC_CREDS)
		n += 2;
	if (d->spec_flags & PS_SPEC_NS)
		n += 2;
	if (d->spec_flags & PS_SPEC_RETFD)
		n++;
	if (d->spec_flags & PS_SPEC_RETSOCK)
		n++;
	return n;
}

static void check_cap(const struct syscall_desc *d, const struct ps_cap *c)
{
	assert_in_range(c->arg, 0, 5);
	switch (c->kind) {
	case PS_CAP_PATH:
		assert_true(c->aux == PS_AUX_CWD || c->aux < 6);
		assert_int_not_equal(c->aux, c->arg);
		break;
	case PS_CAP_BYTES:
		if (c->aux & PS_CAP_LEN_ARG) {
			assert_in_range(c->aux & 7, 0, 5);
			assert_int_equal(c->aux & 0x38, 0);
		} else {
			assert_in_range(c->aux, 1, PS_BLOB_MAX);
		}
		break;
	case PS_CAP_TARGET:
		assert_true(c->aux == PS_TGT_PID || c->aux == PS_TGT_PIDFD);
		break;
	case PS_CAP_STR:
	case PS_CAP_FD_PATH:
	case PS_CAP_ARGV:
	case PS_CAP_SOCK:
	case PS_CAP_MSGNAME:
		assert_int_equal(c->aux, 0);
		break;
	default:
		fail_msg("%s: unknown capture kind %u", d->name, c->kind);
	}
}

static void test_table(void **state)
{
	unsigned int i, j;

	(void)state;
	assert_true(syscall_count > 60);
	for (i = 0; i < syscall_count; i++) {
		const struct syscall_desc *d = &syscall_table[i];
		bool ended = false;

		assert_in_range(d->nr, 0, PS_SYSCALL_MAX - 1);
		assert_non_null(d->name);
		assert_true(known_category(d->type));
		assert_non_null(d->fmt);
		for (j = 0; j < i; j++) {
			assert_int_not_equal(syscall_table[j].nr, d->nr);
			assert_string_not_equal(syscall_table[j].name, d->name);
		}
		for (j = 0; j < PS_MAX_BLOBS; j++) {
			if (d->caps[j].kind == PS_CAP_NONE) {
				ended = true;
				continue;
			}
			/* The kernel stops at the first empty capture. */
			assert_false(ended);
			check_cap(d, &d->caps[j]);
		}
		/* p[] is signed: an index, or -1/-2 for none/implied. */
		for (j = 0; j < 4; j++)
			assert_true(d->p[j] >= -2 && d->p[j] < 6);
		if (d->spec_flags & PS_SPEC_IF_ARG)
			assert_in_range(d->cond_arg, 0, 5);
		else
			assert_int_equal(d->cond_arg, 0);
		if (d->spec_flags & PS_SPEC_CLONE)
			assert_non_null(d->type_of);
		if (blob_budget(d) > PS_EV_MAX_BLOBS)
			fail_msg("%s can make %u blobs", d->name, blob_budget(d));
		assert_ptr_equal(syscall_find(d->nr), d);
	}
	assert_null(syscall_find(-1));
	assert_null(syscall_find(PS_SYSCALL_MAX));
}

/* x86-64 numbers, from the kernel's syscall_64.tbl, for rows easy to mistype. */
static void test_numbers(void **state)
{
	static const struct { int nr; const char *name; } want[] = {
		{ 2, "open" }, { 21, "access" }, { 42, "connect" }, { 56, "clone" },
		{ 62, "kill" }, { 82, "rename" }, { 88, "symlink" }, { 101, "ptrace" },
		{ 133, "mknod" }, { 157, "prctl" }, { 165, "mount" }, { 166, "umount2" },
		{ 175, "init_module" }, { 176, "delete_module" }, { 234, "tgkill" },
		{ 263, "unlinkat" }, { 266, "symlinkat" }, { 272, "unshare" },
		{ 288, "accept4" }, { 298, "perf_event_open" }, { 308, "setns" },
		{ 313, "finit_module" }, { 316, "renameat2" }, { 319, "memfd_create" },
		{ 321, "bpf" }, { 425, "io_uring_setup" }, { 435, "clone3" },
		{ 438, "pidfd_getfd" }, { 439, "faccessat2" }, { 442, "mount_setattr" },
		{ 452, "fchmodat2" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct syscall_desc *d = syscall_find(want[i].nr);

		assert_non_null(d);
		assert_string_equal(d->name, want[i].name);
	}
}

static void test_spec(void **state)
{
	const struct syscall_desc *d = syscall_find(316); /* renameat2 */
	struct ps_spec spec;

	(void)state;
	syscall_spec(d, &spec);
	assert_int_equal(spec.flags, PS_SPEC_ENABLED | PS_SPEC_FILE);
	assert_int_equal(spec.ncaps, 2);
	assert_int_equal(spec.caps[1].kind, PS_CAP_PATH);
	assert_int_equal(spec.caps[1].arg, 3);
	assert_int_equal(spec.caps[1].aux, 2);

	d = syscall_find(44); /* sendto: only with a destination */
	syscall_spec(d, &spec);
	assert_int_equal(spec.flags, PS_SPEC_ENABLED | PS_SPEC_IF_ARG);
	assert_int_equal(spec.cond_arg, 4);

	assert_true(type_is_notable("priv.setuid"));
	assert_true(type_is_notable("kernel.bpf"));
	assert_false(type_is_notable("file.unlink"));
	assert_false(type_is_notable("net.connect"));
}

/* A syscall record as the kernel lays it out: header, ps_syscall, blobs. */
struct rec {
	_Alignas(8) unsigned char buf[4096];
	size_t len;
};

static void rec_start(struct rec *r, int nr, long long ret, const uint64_t args[6])
{
	struct ps_hdr *h = (struct ps_hdr *)r->buf;
	struct ps_syscall *sc = (struct ps_syscall *)(r->buf + sizeof(*h));

	memset(r, 0, sizeof(*r));
	h->kind = PS_REC_SYSCALL;
	h->pid = h->tid = 100;
	memcpy(h->comm, "test", 4);
	sc->nr = nr;
	sc->ret = ret;
	memcpy(sc->args, args, sizeof(sc->args));
	r->len = sizeof(*h) + sizeof(*sc);
	h->size = r->len;
}

static void rec_blob(struct rec *r, uint8_t kind, uint8_t arg, uint16_t flags,
		     const void *data, uint32_t len)
{
	struct ps_blob b = { kind, arg, flags, len };

	memcpy(r->buf + r->len, &b, sizeof(b));
	memcpy(r->buf + r->len + sizeof(b), data, len);
	r->len += sizeof(b) + ((len + 7) & ~7u);
	((struct ps_hdr *)r->buf)->size = r->len;
}

#define STR(r, arg, s) rec_blob((r), PS_BLOB_STR, (arg), 0, (s), sizeof(s) - 1)
/* Leaf-first components, as the kernel walks them: "x\0tmp\0" is /tmp/x. */
#define DIR(r, arg, comps) rec_blob((r), PS_BLOB_DIRENTS, (arg), PS_BF_ROOTED, \
				    (comps), sizeof(comps) - 1)

/* Decode the record; its type, and the category object its formatter writes. */
static void render(struct rec *r, const char *want_type, const char *want)
{
	struct ps_event ev;
	struct out o;

	assert_int_equal(decode_record(r->buf, r->len, &ev), 0);
	assert_string_equal(ev.type, want_type);
	out_init(&o, OUT_JSON);
	ev.desc->fmt(&ev, &o);
	assert_false(o.failed);
	assert_string_equal(o.buf, want);
	out_free(&o);
}

static void test_file(void **state)
{
	struct rec r;

	(void)state;
	/* rm -r: unlinkat(dirfd, "d", AT_REMOVEDIR) is a rmdir. */
	rec_start(&r, 263, 0, (uint64_t[6]){ 3, 0, 0x200 });
	STR(&r, 1, "d");
	DIR(&r, PS_ARG_BASE | 1, "w\0tmp\0");
	render(&r, "file.rmdir",
	       "\"file\":{\"path\":\"/tmp/w/d\",\"path_arg\":\"d\",\"flags\":[\"AT_REMOVEDIR\"]}");
	rec_start(&r, 263, -2, (uint64_t[6]){ -100, 0, 0 });
	STR(&r, 1, "/tmp/x");
	render(&r, "file.unlink", "\"file\":{\"path\":\"/tmp/x\",\"flags\":[]}");

	/* The symlink's target is what is stored in it, not resolved. */
	rec_start(&r, 266, 0, (uint64_t[6]){ 0, -100, 0 });
	STR(&r, 0, "../etc/shadow");
	STR(&r, 2, "l");
	DIR(&r, PS_ARG_BASE | 2, "w\0tmp\0");
	render(&r, "file.symlink",
	       "\"file\":{\"path\":\"/tmp/w/l\",\"path_arg\":\"l\",\"target\":\"../etc/shadow\"}");

	/* chown(path, -1, 0): -1 leaves the owner unchanged. */
	rec_start(&r, 92, 0, (uint64_t[6]){ 0, 0xffffffff, 0 });
	STR(&r, 0, "/etc/passwd");
	render(&r, "file.chown",
	       "\"file\":{\"path\":\"/etc/passwd\",\"uid\":-1,\"gid\":0}");

	/* fchmod(fd, 04755): the file behind the descriptor. */
	rec_start(&r, 91, 0, (uint64_t[6]){ 5, 0104755 });
	DIR(&r, 0, "sh\0bin\0");
	render(&r, "file.chmod", "\"file\":{\"path\":\"/bin/sh\",\"fd\":5,\"mode\":2541}");

	/* fchownat(fd, "", ..., AT_EMPTY_PATH): the descriptor itself. */
	rec_start(&r, 260, 0, (uint64_t[6]){ 7, 0, 1000, 1000, 0x1000 });
	STR(&r, 1, "");
	DIR(&r, PS_ARG_BASE | 1, "f\0tmp\0");
	render(&r, "file.chown", "\"file\":{\"path\":\"/tmp/f\",\"fd\":7,\"uid\":1000,"
	       "\"gid\":1000,\"flags\":[\"AT_EMPTY_PATH\"]}");

	/* mknod(path, S_IFCHR|0600, makedev(1, 3)) */
	rec_start(&r, 133, 0, (uint64_t[6]){ 0, 020600, 0x103 });
	STR(&r, 0, "/tmp/null");
	render(&r, "file.mknod", "\"file\":{\"path\":\"/tmp/null\",\"file_type\":\"S_IFCHR\","
	       "\"mode\":384,\"major\":1,\"minor\":3}");

	rec_start(&r, 21, 0, (uint64_t[6]){ 0, 0 });
	STR(&r, 0, "/etc");
	render(&r, "file.access", "\"file\":{\"path\":\"/etc\",\"access\":[\"F_OK\"]}");

	/* An unreadable path is null, never "". */
	rec_start(&r, 87, -14, (uint64_t[6]){ 0 });
	rec_blob(&r, PS_BLOB_STR, 0, PS_BF_READ_FAILED, "", 0);
	render(&r, "file.unlink", "\"file\":{\"path\":null}");
}

static void test_net(void **state)
{
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(80) };
	struct ps_sock s = {
		.family = AF_INET, .type = SOCK_STREAM, .protocol = IPPROTO_TCP,
		.sport = 41000, .saddr = { 127, 0, 0, 1 },
	};
	struct rec r;

	(void)state;
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	rec_start(&r, 42, 0, (uint64_t[6]){ 3, 0, sizeof(in) });
	rec_blob(&r, PS_BLOB_BYTES, 1, 0, &in, sizeof(in));
	rec_blob(&r, PS_BLOB_SOCK, 0, 0, &s, sizeof(s));
	render(&r, "net.connect", "\"net\":{\"fd\":3,\"family\":\"AF_INET\",\"address\":\"127.0.0.1\","
	       "\"port\":80,\"type\":\"SOCK_STREAM\",\"protocol\":\"IPPROTO_TCP\","
	       "\"local_address\":\"127.0.0.1\",\"local_port\":41000}");

	rec_start(&r, 41, 4, (uint64_t[6]){ AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(3) });
	render(&r, "net.socket", "\"net\":{\"family\":\"AF_PACKET\",\"type\":\"SOCK_RAW\","
	       "\"flags\":[\"SOCK_CLOEXEC\"],\"protocol\":3,\"raw\":true}");
}

static void test_clone(void **state)
{
	uint64_t args3[11] = { 0x40000000 /* CLONE_NEWNET */, 0, 0, 0, 17 };
	struct ps_ns before = { 1, 2, 3, 4, 5, 6, 7, 8 }, after = before;
	struct rec r;

	(void)state;
	after.net = 30;
	rec_start(&r, 435, 4242, (uint64_t[6]){ 0, sizeof(args3) });
	rec_blob(&r, PS_BLOB_BYTES, 0, 0, args3, sizeof(args3));
	rec_blob(&r, PS_BLOB_NS, PS_ARG_BEFORE, 0, &before, sizeof(before));
	rec_blob(&r, PS_BLOB_NS, PS_ARG_AFTER, 0, &after, sizeof(after));
	render(&r, "ns.clone", "\"ns\":{\"flags\":[\"CLONE_NEWNET\"],\"exit_signal\":\"SIGCHLD\","
	       "\"child_pid\":4242,\"before\":{\"mnt\":1,\"pid\":2,\"net\":3,\"uts\":4,\"ipc\":5,"
	       "\"user\":6,\"cgroup\":7,\"time\":8},\"after\":{\"mnt\":1,\"pid\":2,\"net\":30,"
	       "\"uts\":4,\"ipc\":5,\"user\":6,\"cgroup\":7,\"time\":8},\"changed\":[\"net\"]}");

	/* A failed clone(2) without namespaces is a failed fork. */
	rec_start(&r, 56, -11, (uint64_t[6]){ 0x01200000 | 17 });
	render(&r, "process.fork", "\"process\":{\"flags\":[\"CLONE_CHILD_CLEARTID\","
	       "\"CLONE_CHILD_SETTID\"],\"exit_signal\":\"SIGCHLD\"}");
}

static void test_signal(void **state)
{
	struct ps_target t = { .id = 0 };
	struct rec r;

	(void)state;
	rec_start(&r, 62, 0, (uint64_t[6]){ 0, 15 });
	rec_blob(&r, PS_BLOB_TARGET, 0, 0, &t, sizeof(t));
	render(&r, "proc.signal",
	       "\"proc\":{\"signal\":\"SIGTERM\",\"target\":{\"process_group\":0}}");

	t.id = -1;
	rec_start(&r, 62, 0, (uint64_t[6]){ -1, 9 });
	rec_blob(&r, PS_BLOB_TARGET, 0, 0, &t, sizeof(t));
	render(&r, "proc.signal",
	       "\"proc\":{\"signal\":\"SIGKILL\",\"target\":{\"all_processes\":true}}");

	t = (struct ps_target){ .id = 77, .pid = 77, .tid = 77, .start_boot = 5, .in_tree = 1 };
	memcpy(t.comm, "sleep", 5);
	rec_start(&r, 62, 0, (uint64_t[6]){ 77, 0 });
	rec_blob(&r, PS_BLOB_TARGET, 0, 0, &t, sizeof(t));
	render(&r, "proc.signal", "\"proc\":{\"signal\":0,\"existence_check\":true,"
	       "\"target\":{\"pid\":77,\"comm\":\"sleep\",\"in_tree\":true,\"key\":\"77@5\"}}");
}

static void test_priv(void **state)
{
	struct ps_creds before = { .cap_eff = 1 << 7, .cap_prm = 1 << 7 }, after = before;
	struct rec r;
	struct ps_event ev;
	struct out o;

	(void)state;
	after.uid = after.euid = after.suid = after.fsuid = 65534;
	after.cap_eff = 0;
	rec_start(&r, 117, 0, (uint64_t[6]){ 65534, 65534, 0xffffffff });
	rec_blob(&r, PS_BLOB_CREDS, PS_ARG_BEFORE, 0, &before, sizeof(before));
	rec_blob(&r, PS_BLOB_CREDS, PS_ARG_AFTER, 0, &after, sizeof(after));
	assert_int_equal(decode_record(r.buf, r.len, &ev), 0);
	assert_string_equal(ev.type, "priv.setuid");
	assert_true(ev.notable);

	/* The timeline shows only what changed. */
	out_init(&o, OUT_TEXT);
	ev.desc->fmt(&ev, &o);
	assert_string_equal(o.buf, " ruid=65534 euid=65534 suid=-1 changed=\"uid:0->65534,"
			    "euid:0->65534,suid:0->65534,fsuid:0->65534,cap_effective:0x80->0\"");
	out_free(&o);

	out_init(&o, OUT_JSON);
	ev.desc->fmt(&ev, &o);
	assert_non_null(strstr(o.buf, "\"changed\":[\"uid\",\"euid\",\"suid\",\"fsuid\","
			       "\"cap_effective\"]}"));
	assert_non_null(strstr(o.buf, "\"before\":{\"uid\":0,"));
	assert_non_null(strstr(o.buf, "\"cap_effective\":[\"CAP_SETUID\"]"));
	out_free(&o);
}

/* Set the IA-32 ABI (and socketcall call) on a record rec_start() made. */
static void rec_ia32(struct rec *r, unsigned int subcall)
{
	struct ps_syscall *sc = (struct ps_syscall *)(r->buf + sizeof(struct ps_hdr));

	sc->abi = PS_ABI_IA32;
	sc->subcall = subcall;
}

/* Every IA-32 spelling maps onto the x86-64 row of the same act. */
static void test_ia32_table(void **state)
{
	static const struct { unsigned int nr; const char *name, *row; } map[] = {
		{ 5, "open", "open" }, { 15, "chmod", "chmod" }, { 9, "link", "link" },
		{ 38, "rename", "rename" }, { 39, "mkdir", "mkdir" }, { 10, "unlink", "unlink" },
		{ 11, "execve", "execve" }, { 23, "setuid", "setuid" }, { 213, "setuid32", "setuid" },
		{ 212, "chown32", "chown" }, { 193, "truncate64", "truncate" },
		{ 22, "umount", "umount2" }, { 362, "connect", "connect" }, { 364, "accept4", "accept4" },
		{ 120, "clone", "clone" }, { 26, "ptrace", "ptrace" }, { 357, "bpf", "bpf" },
		{ 452, "fchmodat2", "fchmodat2" },
	};
	const struct ia32_call *c;
	struct ps_spec spec;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		c = ia32_find(map[i].nr);
		assert_non_null(c);
		assert_string_equal(c->name, map[i].name);
		assert_non_null(c->desc);
		assert_string_equal(c->desc->name, map[i].row);
	}
	/* Harmless calls are known; a number no table names is not. */
	assert_true(ia32_find(3)->known);            /* read */
	assert_true(ia32_find(192)->known);          /* mmap2 */
	assert_true(ia32_find(199)->known);          /* getuid32 */
	assert_null(ia32_find(500));
	/* execve's argv and sendmsg's msghdr hold 32-bit pointers. */
	ia32_spec(ia32_find(11), &spec);
	assert_true(spec.flags & PS_SPEC_ENABLED);
	assert_int_equal(spec.caps[1].kind, PS_CAP_ARGV);
	assert_int_equal(spec.caps[1].aux, 1);
	ia32_spec(ia32_find(3), &spec);
	assert_int_equal(spec.flags, PS_SPEC_KNOWN);
}

/* IA-32 records decode as their x86-64 twins, with the 32-bit meanings fixed. */
static void test_ia32_decode(void **state)
{
	struct ps_event ev;
	struct out o;
	struct rec r;

	(void)state;
	/* setuid (16-bit): 0xffff is -1. */
	rec_start(&r, 23, -1, (uint64_t[6]){ 0xffff });
	rec_ia32(&r, 0);
	assert_int_equal(decode_record(r.buf, r.len, &ev), 0);
	assert_true(ev.ia32);
	assert_string_equal(ev.syscall, "setuid");
	assert_int_equal(ev.sc.nr, 105);
	assert_int_equal(ev.sc.args[0], 0xffffffffu);
	/* chown16: only the low 16 bits count, as the kernel takes them. */
	rec_start(&r, 182, 0, (uint64_t[6]){ 0, 0x10000, 0x1ffff });
	rec_ia32(&r, 0);
	assert_int_equal(decode_record(r.buf, r.len, &ev), 0);
	assert_int_equal(ev.sc.args[1], 0);
	assert_int_equal(ev.sc.args[2], 0xffffffffu);

	/* truncate64: the length in two halves. */
	rec_start(&r, 193, 0, (uint64_t[6]){ 0, 16, 1 });
	rec_ia32(&r, 0);
	STR(&r, 0, "/tmp/x");
	assert_int_equal(decode_record(r.buf, r.len, &ev), 0);
	assert_string_equal(ev.type, "file.truncate");
	out_init(&o, OUT_JSON);
	ev.desc->fmt(&ev, &o);
	assert_string_equal(o.buf, "\"file\":{\"path\":\"/tmp/x\",\"length\":4294967312}");
	out_free(&o);

	/* connect through socketcall(SYS_CONNECT) is named connect. */
	rec_start(&r, 362, -111, (uint64_t[6]){ 3 });
	rec_ia32(&r, 3);
	assert_int_equal(decode_record(r.buf, r.len, &ev), 0);
	assert_string_equal(ev.syscall, "connect");
	assert_string_equal(ev.type, "net.connect");

	/* Neither an unknown socketcall call nor an undecoded number decodes. */
	rec_start(&r, 362, 0, (uint64_t[6]){ 0 });
	rec_ia32(&r, 9);
	assert_int_equal(decode_record(r.buf, r.len, &ev), -1);
	rec_start(&r, 3, 0, (uint64_t[6]){ 0 });
	rec_ia32(&r, 0);
	assert_int_equal(decode_record(r.buf, r.len, &ev), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_spec),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_net),
		cmocka_unit_test(test_clone),
		cmocka_unit_test(test_signal),
		cmocka_unit_test(test_priv),
		cmocka_unit_test(test_ia32_table),
		cmocka_unit_test(test_ia32_decode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
