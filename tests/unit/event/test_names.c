// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Name tables.  Expected values are written as numbers (not the headers'
 * macros) so a wrong value in a table fails here; errno, signal and
 * capability names are also checked against glibc and libcap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>
#include <cmocka.h>

#include "event/names.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void check_flags(const struct ps_nametab *t, unsigned long long v,
			unsigned long long want_rest, const char *const *want, size_t nwant)
{
	const char *out[64];
	unsigned long long rest = ~0ULL;
	size_t i, n = flag_names(t, v, out, ARRAY_SIZE(out), &rest);

	assert_int_equal(n, nwant);
	for (i = 0; i < n; i++)
		assert_string_equal(out[i], want[i]);
	assert_int_equal(rest, want_rest);
}

#define FLAGS(t, v, rest, ...) do {					\
	static const char *const want_[] = { __VA_ARGS__ };		\
	check_flags(&(t), (v), (rest), want_, ARRAY_SIZE(want_));	\
} while (0)

static void check_open(unsigned long long v, unsigned long long want_rest,
		       const char *const *want, size_t nwant)
{
	const char *out[64];
	unsigned long long rest = ~0ULL;
	size_t i, n = open_flag_names(v, out, ARRAY_SIZE(out), &rest);

	assert_int_equal(n, nwant);
	for (i = 0; i < n; i++)
		assert_string_equal(out[i], want[i]);
	assert_int_equal(rest, want_rest);
}

#define OPEN(v, rest, ...) do {						\
	static const char *const want_[] = { __VA_ARGS__ };		\
	check_open((v), (rest), want_, ARRAY_SIZE(want_));		\
} while (0)

/* A NULL where a name was expected fails the test instead of crashing it. */
static void expect_name(const char *got, const char *want)
{
	assert_non_null(got);
	assert_string_equal(got, want);
}

#define NAME(t, v, want) expect_name(name_of(&(t), (v)), (want))

static void test_open_flags(void **state)
{
	(void)state;
	OPEN(0, 0, "O_RDONLY");
	OPEN(01 | 0100 | 01000 | 02000000, 0, "O_WRONLY", "O_CREAT", "O_TRUNC", "O_CLOEXEC");
	OPEN(02 | 0200 | 04000 | 02000, 0, "O_RDWR", "O_EXCL", "O_APPEND", "O_NONBLOCK");
	/* O_TMPFILE is __O_TMPFILE | O_DIRECTORY, one name. */
	OPEN(02 | 020200000, 0, "O_RDWR", "O_TMPFILE");
	OPEN(0200000, 0, "O_RDONLY", "O_DIRECTORY");
	/* __O_TMPFILE alone has no name. */
	OPEN(020000000, 020000000, "O_RDONLY");
	/* O_SYNC contains O_DSYNC. */
	OPEN(01 | 04010000, 0, "O_WRONLY", "O_SYNC");
	OPEN(01 | 010000, 0, "O_WRONLY", "O_DSYNC");
	OPEN(0100000 | 040000 | 01000000 | 0400, 0,
	     "O_RDONLY", "O_NOCTTY", "O_DIRECT", "O_LARGEFILE", "O_NOATIME");
	/* O_PATH replaces O_RDONLY as the access mode. */
	OPEN(010000000 | 0400000 | 0200000, 0, "O_PATH", "O_DIRECTORY", "O_NOFOLLOW");
	OPEN(010000000 | 01, 0, "O_PATH", "O_WRONLY");
	/* Bits no name covers, and access mode 3, are reported. */
	OPEN(01 | 0100 | (1ULL << 30), 1ULL << 30, "O_WRONLY", "O_CREAT");
	OPEN(03 | 0100, 03, "O_CREAT");
}

static void test_open_flags_truncated(void **state)
{
	const char *out[2];
	unsigned long long rest;

	(void)state;
	assert_int_equal(open_flag_names(01 | 0100 | 01000, out, 2, &rest), 2);
	assert_string_equal(out[0], "O_WRONLY");
	assert_string_equal(out[1], "O_CREAT");
	assert_int_equal(rest, 01000);
	assert_int_equal(open_flag_names(01 | 0100, out, 0, &rest), 0);
	assert_int_equal(rest, 01 | 0100);
	assert_int_equal(open_flag_names(010000000 | 0200000, out, 1, NULL), 1);
	assert_string_equal(out[0], "O_PATH");
}

static void test_flag_names_truncated(void **state)
{
	const char *out[3] = { NULL, NULL, "untouched" };
	unsigned long long rest;

	(void)state;
	/* CLONE_VM | CLONE_FS | CLONE_FILES with room for two names. */
	assert_int_equal(flag_names(&ps_clone_flags, 0x700, out, 2, &rest), 2);
	assert_string_equal(out[0], "CLONE_VM");
	assert_string_equal(out[1], "CLONE_FS");
	assert_string_equal(out[2], "untouched");
	assert_int_equal(rest, 0x400);
	assert_int_equal(flag_names(&ps_clone_flags, 0x700, out, 0, &rest), 0);
	assert_int_equal(rest, 0x700);
	assert_int_equal(flag_names(&ps_clone_flags, 0x700, out, 3, NULL), 3);
	assert_int_equal(flag_names(&ps_clone_flags, 0, out, 3, &rest), 0);
	assert_int_equal(rest, 0);
}

static void test_file_tables(void **state)
{
	(void)state;
	FLAGS(ps_at_flags, 0x100 | 0x1000, 0, "AT_SYMLINK_NOFOLLOW", "AT_EMPTY_PATH");
	FLAGS(ps_at_flags, 0x200, 0, "AT_REMOVEDIR");
	FLAGS(ps_at_flags, 0x400 | 0x800 | 0x8000, 0,
	      "AT_SYMLINK_FOLLOW", "AT_NO_AUTOMOUNT", "AT_RECURSIVE");
	FLAGS(ps_at_flags, 0x2000 | 0x10000, 0, "AT_STATX_FORCE_SYNC", "AT_EXECVE_CHECK");
	FLAGS(ps_at_flags, 0x1001, 0x1, "AT_EMPTY_PATH");
	FLAGS(ps_faccessat_flags, 0x200 | 0x100, 0, "AT_SYMLINK_NOFOLLOW", "AT_EACCESS");
	FLAGS(ps_rename_flags, 0x2, 0, "RENAME_EXCHANGE");
	FLAGS(ps_rename_flags, 0x5, 0, "RENAME_NOREPLACE", "RENAME_WHITEOUT");
	FLAGS(ps_memfd_flags, 0x1 | 0x8, 0, "MFD_CLOEXEC", "MFD_NOEXEC_SEAL");
	FLAGS(ps_memfd_flags, 0x2 | 0x10, 0, "MFD_ALLOW_SEALING", "MFD_EXEC");
	/* MFD_HUGE_2MB is a size, not a flag. */
	FLAGS(ps_memfd_flags, 0x4 | 21ULL << 26, 21ULL << 26, "MFD_HUGETLB");
	FLAGS(ps_resolve_flags, 0x08 | 0x04, 0, "RESOLVE_NO_SYMLINKS", "RESOLVE_BENEATH");
	FLAGS(ps_resolve_flags, 0x01 | 0x02 | 0x10 | 0x20, 0, "RESOLVE_NO_XDEV",
	      "RESOLVE_NO_MAGICLINKS", "RESOLVE_IN_ROOT", "RESOLVE_CACHED");
	NAME(ps_file_types, 0100000, "S_IFREG");
	NAME(ps_file_types, 0020000, "S_IFCHR");
	NAME(ps_file_types, 0060000, "S_IFBLK");
	NAME(ps_file_types, 0010000, "S_IFIFO");
	NAME(ps_file_types, 0140000, "S_IFSOCK");
	assert_null(name_of(&ps_file_types, 0));
}

static void test_process_tables(void **state)
{
	(void)state;
	/* What glibc's pthread_create passes to clone3. */
	FLAGS(ps_clone_flags, 0x3d0f00, 0, "CLONE_VM", "CLONE_FS", "CLONE_FILES",
	      "CLONE_SIGHAND", "CLONE_THREAD", "CLONE_SYSVSEM", "CLONE_SETTLS",
	      "CLONE_PARENT_SETTID", "CLONE_CHILD_CLEARTID");
	FLAGS(ps_clone_flags, 0x1000 | 0x4000 | 0x100000000ULL | 0x200000000ULL, 0,
	      "CLONE_PIDFD", "CLONE_VFORK", "CLONE_CLEAR_SIGHAND", "CLONE_INTO_CGROUP");
	FLAGS(ps_clone_flags, 0x80 | 0x20000 | 0x2000000 | 0x4000000 | 0x8000000, 0,
	      "CLONE_NEWTIME", "CLONE_NEWNS", "CLONE_NEWCGROUP", "CLONE_NEWUTS",
	      "CLONE_NEWIPC");
	FLAGS(ps_clone_flags, 0x80000000 | 0x400000000ULL, 0x400000000ULL, "CLONE_IO");
	FLAGS(ps_ns_flags, 0x10000000 | 0x20000000 | 0x40000000, 0,
	      "CLONE_NEWUSER", "CLONE_NEWPID", "CLONE_NEWNET");
	FLAGS(ps_ns_flags, 0x80 | 0x400, 0x400, "CLONE_NEWTIME");

	NAME(ps_prctl_options, 1, "PR_SET_PDEATHSIG");
	NAME(ps_prctl_options, 4, "PR_SET_DUMPABLE");
	NAME(ps_prctl_options, 8, "PR_SET_KEEPCAPS");
	NAME(ps_prctl_options, 15, "PR_SET_NAME");
	NAME(ps_prctl_options, 22, "PR_SET_SECCOMP");
	NAME(ps_prctl_options, 24, "PR_CAPBSET_DROP");
	NAME(ps_prctl_options, 28, "PR_SET_SECUREBITS");
	NAME(ps_prctl_options, 35, "PR_SET_MM");
	NAME(ps_prctl_options, 36, "PR_SET_CHILD_SUBREAPER");
	NAME(ps_prctl_options, 38, "PR_SET_NO_NEW_PRIVS");
	NAME(ps_prctl_options, 47, "PR_CAP_AMBIENT");
	NAME(ps_prctl_options, 65, "PR_SET_MDWE");
	NAME(ps_prctl_options, 78, "PR_FUTEX_HASH");
	NAME(ps_prctl_options, 0x59616d61, "PR_SET_PTRACER");
	NAME(ps_prctl_options, 0x53564d41, "PR_SET_VMA");
	NAME(ps_prctl_options, 0x41555856, "PR_GET_AUXV");
	assert_null(name_of(&ps_prctl_options, 0));
	assert_null(name_of(&ps_prctl_options, 17));

	NAME(ps_seccomp_ops, 0, "SECCOMP_SET_MODE_STRICT");
	NAME(ps_seccomp_ops, 1, "SECCOMP_SET_MODE_FILTER");
	NAME(ps_seccomp_ops, 2, "SECCOMP_GET_ACTION_AVAIL");
	NAME(ps_seccomp_ops, 3, "SECCOMP_GET_NOTIF_SIZES");
	assert_null(name_of(&ps_seccomp_ops, 4));

	NAME(ps_ptrace_requests, 0, "PTRACE_TRACEME");
	NAME(ps_ptrace_requests, 3, "PTRACE_PEEKUSER");
	NAME(ps_ptrace_requests, 16, "PTRACE_ATTACH");
	NAME(ps_ptrace_requests, 21, "PTRACE_OLDSETOPTIONS");
	NAME(ps_ptrace_requests, 24, "PTRACE_SYSCALL");
	NAME(ps_ptrace_requests, 0x4206, "PTRACE_SEIZE");
	NAME(ps_ptrace_requests, 0x420e, "PTRACE_GET_SYSCALL_INFO");
	NAME(ps_ptrace_requests, 0x4212, "PTRACE_SET_SYSCALL_INFO");
	assert_null(name_of(&ps_ptrace_requests, 0x4213));
}

static void test_mount_tables(void **state)
{
	(void)state;
	FLAGS(ps_mount_flags, 0x1000 | 0x4000, 0, "MS_BIND", "MS_REC");
	FLAGS(ps_mount_flags, 0x40000 | 0x4000, 0, "MS_REC", "MS_PRIVATE");
	FLAGS(ps_mount_flags, 0x20 | 0x1 | 0x2 | 0x4 | 0x8, 0,
	      "MS_RDONLY", "MS_NOSUID", "MS_NODEV", "MS_NOEXEC", "MS_REMOUNT");
	/* The legacy magic is one name, not eight flags. */
	FLAGS(ps_mount_flags, 0xc0ed0000 | 0x1, 0, "MS_MGC_VAL", "MS_RDONLY");
	/* Bit 31 must not be sign-extended out of the table. */
	FLAGS(ps_mount_flags, 0x80000000, 0, "MS_NOUSER");
	check_flags(&ps_mount_flags, 1ULL << 32, 1ULL << 32, NULL, 0);
	FLAGS(ps_umount_flags, 0x2, 0, "MNT_DETACH");
	FLAGS(ps_umount_flags, 0x1 | 0x8, 0, "MNT_FORCE", "UMOUNT_NOFOLLOW");
	FLAGS(ps_move_mount_flags, 0x4 | 0x40, 0, "MOVE_MOUNT_F_EMPTY_PATH",
	      "MOVE_MOUNT_T_EMPTY_PATH");
	FLAGS(ps_move_mount_flags, 0x100 | 0x200, 0, "MOVE_MOUNT_SET_GROUP",
	      "MOVE_MOUNT_BENEATH");
	FLAGS(ps_open_tree_flags, 0x1 | 0x8000 | 0x80000, 0, "OPEN_TREE_CLONE",
	      "AT_RECURSIVE", "OPEN_TREE_CLOEXEC");
	FLAGS(ps_fsmount_flags, 0x1, 0, "FSMOUNT_CLOEXEC");
	FLAGS(ps_mount_attr_flags, 0x1 | 0x100000, 0, "MOUNT_ATTR_RDONLY", "MOUNT_ATTR_IDMAP");
	FLAGS(ps_mount_attr_flags, 0x10 | 0x200000, 0, "MOUNT_ATTR_NOATIME",
	      "MOUNT_ATTR_NOSYMFOLLOW");
}

static void test_net_tables(void **state)
{
	(void)state;
	NAME(ps_socket_families, 0, "AF_UNSPEC");
	NAME(ps_socket_families, 1, "AF_UNIX");
	NAME(ps_socket_families, 2, "AF_INET");
	NAME(ps_socket_families, 10, "AF_INET6");
	NAME(ps_socket_families, 16, "AF_NETLINK");
	NAME(ps_socket_families, 17, "AF_PACKET");
	NAME(ps_socket_families, 40, "AF_VSOCK");
	NAME(ps_socket_families, 44, "AF_XDP");
	NAME(ps_socket_families, 45, "AF_MCTP");
	assert_null(name_of(&ps_socket_families, 46));
	NAME(ps_socket_types, 1, "SOCK_STREAM");
	NAME(ps_socket_types, 2, "SOCK_DGRAM");
	NAME(ps_socket_types, 3, "SOCK_RAW");
	NAME(ps_socket_types, 5, "SOCK_SEQPACKET");
	NAME(ps_socket_types, 10, "SOCK_PACKET");
	FLAGS(ps_socket_type_flags, 0x800 | 0x80000 | 0x1, 0x1, "SOCK_NONBLOCK", "SOCK_CLOEXEC");
	NAME(ps_ip_protocols, 0, "IPPROTO_IP");
	NAME(ps_ip_protocols, 1, "IPPROTO_ICMP");
	NAME(ps_ip_protocols, 6, "IPPROTO_TCP");
	NAME(ps_ip_protocols, 17, "IPPROTO_UDP");
	NAME(ps_ip_protocols, 58, "IPPROTO_ICMPV6");
	NAME(ps_ip_protocols, 132, "IPPROTO_SCTP");
	NAME(ps_ip_protocols, 255, "IPPROTO_RAW");
	NAME(ps_ip_protocols, 256, "IPPROTO_SMC");
	NAME(ps_ip_protocols, 262, "IPPROTO_MPTCP");
	assert_null(name_of(&ps_ip_protocols, 3));
}

static void test_kernel_tables(void **state)
{
	(void)state;
	NAME(ps_bpf_cmds, 0, "BPF_MAP_CREATE");
	NAME(ps_bpf_cmds, 5, "BPF_PROG_LOAD");
	NAME(ps_bpf_cmds, 10, "BPF_PROG_TEST_RUN");
	NAME(ps_bpf_cmds, 17, "BPF_RAW_TRACEPOINT_OPEN");
	NAME(ps_bpf_cmds, 28, "BPF_LINK_CREATE");
	NAME(ps_bpf_cmds, 35, "BPF_PROG_BIND_MAP");
	NAME(ps_bpf_cmds, 36, "BPF_TOKEN_CREATE");
	NAME(ps_bpf_cmds, 37, "BPF_PROG_STREAM_READ_BY_FD");
	assert_null(name_of(&ps_bpf_cmds, 38));
	NAME(ps_bpf_prog_types, 2, "BPF_PROG_TYPE_KPROBE");
	NAME(ps_bpf_prog_types, 26, "BPF_PROG_TYPE_TRACING");
	NAME(ps_bpf_prog_types, 29, "BPF_PROG_TYPE_LSM");
	NAME(ps_bpf_prog_types, 32, "BPF_PROG_TYPE_NETFILTER");
	NAME(ps_bpf_map_types, 1, "BPF_MAP_TYPE_HASH");
	NAME(ps_bpf_map_types, 19, "BPF_MAP_TYPE_CGROUP_STORAGE");
	NAME(ps_bpf_map_types, 27, "BPF_MAP_TYPE_RINGBUF");
	NAME(ps_bpf_map_types, 32, "BPF_MAP_TYPE_CGRP_STORAGE");
	NAME(ps_bpf_map_types, 33, "BPF_MAP_TYPE_ARENA");
	NAME(ps_perf_types, 1, "PERF_TYPE_SOFTWARE");
	NAME(ps_perf_types, 5, "PERF_TYPE_BREAKPOINT");
	FLAGS(ps_io_uring_setup_flags, 0x2 | 0x1000, 0, "IORING_SETUP_SQPOLL",
	      "IORING_SETUP_SINGLE_ISSUER");
	FLAGS(ps_io_uring_setup_flags, 1ULL << 18 | 1ULL << 19, 1ULL << 19,
	      "IORING_SETUP_CQE_MIXED");
	FLAGS(ps_module_flags, 0x3, 0, "MODULE_INIT_IGNORE_MODVERSIONS",
	      "MODULE_INIT_IGNORE_VERMAGIC");
	FLAGS(ps_module_flags, 0x4, 0, "MODULE_INIT_COMPRESSED_FILE");
	FLAGS(ps_kexec_flags, 0x1 | 0x4, 0, "KEXEC_ON_CRASH", "KEXEC_UPDATE_ELFCOREHDR");
	NAME(ps_kexec_archs, 62 << 16, "KEXEC_ARCH_X86_64");
	NAME(ps_kexec_archs, 0, "KEXEC_ARCH_DEFAULT");
	FLAGS(ps_kexec_file_flags, 0x1 | 0x4, 0, "KEXEC_FILE_UNLOAD", "KEXEC_FILE_NO_INITRAMFS");
}

static void test_errno(void **state)
{
	int e;

	(void)state;
	expect_name(errno_name(2), "ENOENT");
	expect_name(errno_name(1), "EPERM");
	expect_name(errno_name(11), "EAGAIN");
	expect_name(errno_name(133), "EHWPOISON");
	expect_name(errno_name(512), "ERESTARTSYS");
	expect_name(errno_name(516), "ERESTART_RESTARTBLOCK");
	expect_name(errno_name(517), "EPROBE_DEFER");
	expect_name(errno_name(519), "ENOPARAM");
	expect_name(errno_name(521), "EBADHANDLE");
	expect_name(errno_name(524), "ENOTSUPP");
	expect_name(errno_name(530), "ERECALLCONFLICT");
	expect_name(errno_name(531), "ENOGRACE");
	assert_null(errno_name(0));
	assert_null(errno_name(-2));
	assert_null(errno_name(41));
	assert_null(errno_name(134));
	assert_null(errno_name(511));
	assert_null(errno_name(520));
	assert_null(errno_name(532));
	assert_null(errno_name(99999));
	/* Every errno glibc knows, by the same name (its aliases are not in glibc's list). */
	for (e = 1; e < 512; e++) {
		const char *libc = strerrorname_np(e), *ours = errno_name(e);

		if (libc)
			expect_name(ours, libc);
		else
			assert_null(ours);
	}
}

static void test_signals(void **state)
{
	char want[16];
	int s;

	(void)state;
	expect_name(signal_name(9), "SIGKILL");
	expect_name(signal_name(17), "SIGCHLD");
	expect_name(signal_name(31), "SIGSYS");
	expect_name(signal_name(34), "SIGRTMIN");
	expect_name(signal_name(35), "SIGRTMIN+1");
	expect_name(signal_name(64), "SIGRTMIN+30");
	assert_null(signal_name(0));
	assert_null(signal_name(-9));
	assert_null(signal_name(32));
	assert_null(signal_name(33));
	assert_null(signal_name(65));
	/* glibc's abbreviations, except that it calls 29 POLL: kernel and
	 * shells call it SIGIO. */
	expect_name(signal_name(29), "SIGIO");
	for (s = 1; s < 32; s++) {
		if (s == 29)
			continue;
		snprintf(want, sizeof(want), "SIG%s", sigabbrev_np(s));
		expect_name(signal_name(s), want);
	}
	/* Each RT name is its own static string, not a reused buffer. */
	assert_ptr_not_equal(signal_name(40), signal_name(41));
	expect_name(signal_name(40), "SIGRTMIN+6");
}

static void test_capabilities(void **state)
{
	const char *out[64];
	unsigned long long rest;
	int c;

	(void)state;
	assert_int_equal(flag_names(&ps_capabilities, 0x1 | 1ULL << 21, out, 64, &rest), 2);
	assert_string_equal(out[0], "CAP_CHOWN");
	assert_string_equal(out[1], "CAP_SYS_ADMIN");
	assert_int_equal(rest, 0);
	/* A full 6.x set (caps 0..40) and one bit past it. */
	assert_int_equal(flag_names(&ps_capabilities, (1ULL << 42) - 1, out, 64, &rest), 41);
	assert_int_equal(rest, 1ULL << 41);
	expect_name(cap_name(0), "CAP_CHOWN");
	expect_name(cap_name(39), "CAP_BPF");
	expect_name(cap_name(40), "CAP_CHECKPOINT_RESTORE");
	assert_null(cap_name(41));
	assert_null(cap_name(-1));
	assert_null(cap_name(64));
	/* libcap spells them in lower case. */
	for (c = 0; c <= 40; c++) {
		char *lib = cap_to_name(c);

		assert_non_null(lib);
		assert_non_null(cap_name(c));
		assert_int_equal(strcasecmp(cap_name(c), lib), 0);
		cap_free(lib);
	}
}

/* Every entry must be reachable: no duplicate values, no zero flags, no flag
 * that an earlier entry's bits always swallow. */
static void test_every_entry_reachable(void **state)
{
	static const struct ps_nametab *const enums[] = {
		&ps_kexec_archs, &ps_prctl_options, &ps_seccomp_ops,
		&ps_socket_families, &ps_socket_types, &ps_ip_protocols,
		&ps_ptrace_requests, &ps_bpf_cmds, &ps_bpf_prog_types,
		&ps_bpf_map_types, &ps_perf_types, &ps_file_types,
	};
	static const struct ps_nametab *const flags[] = {
		&ps_capabilities, &ps_at_flags, &ps_faccessat_flags, &ps_rename_flags,
		&ps_memfd_flags, &ps_resolve_flags, &ps_clone_flags, &ps_ns_flags,
		&ps_mount_flags, &ps_umount_flags, &ps_move_mount_flags,
		&ps_open_tree_flags, &ps_fsmount_flags, &ps_mount_attr_flags,
		&ps_socket_type_flags, &ps_io_uring_setup_flags, &ps_module_flags,
		&ps_kexec_flags, &ps_kexec_file_flags,
	};
	size_t t, i;

	(void)state;
	for (t = 0; t < ARRAY_SIZE(enums); t++) {
		assert_true(enums[t]->n > 0);
		for (i = 0; i < enums[t]->n; i++) {
			const struct ps_name *e = &enums[t]->names[i];

			expect_name(name_of(enums[t], e->value), e->name);
		}
	}
	for (t = 0; t < ARRAY_SIZE(flags); t++) {
		assert_true(flags[t]->n > 0);
		for (i = 0; i < flags[t]->n; i++) {
			const struct ps_name *e = &flags[t]->names[i];
			const char *out[64];
			unsigned long long rest;

			assert_int_equal(flag_names(flags[t], e->value, out, 64, &rest), 1);
			assert_string_equal(out[0], e->name);
			assert_int_equal(rest, 0);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_flags),
		cmocka_unit_test(test_open_flags_truncated),
		cmocka_unit_test(test_flag_names_truncated),
		cmocka_unit_test(test_file_tables),
		cmocka_unit_test(test_process_tables),
		cmocka_unit_test(test_mount_tables),
		cmocka_unit_test(test_net_tables),
		cmocka_unit_test(test_kernel_tables),
		cmocka_unit_test(test_errno),
		cmocka_unit_test(test_signals),
		cmocka_unit_test(test_capabilities),
		cmocka_unit_test(test_every_entry_reachable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
