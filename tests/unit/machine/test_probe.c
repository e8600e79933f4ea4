// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The environment probe and preflight against directory trees that describe
 * a machine (PROCSCOPE_SYSROOT), and the /proc/<pid>/status parser.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "common/exitcodes.h"
#include "machine/preflight.h"
#include "machine/probe.h"

static const char status_root[] =
	"Name:\tcat\n"
	"Umask:\t0022\n"
	"State:\tR (running)\n"
	"Uid:\t0\t0\t0\t0\n"
	"Gid:\t0\t0\t0\t0\n"
	"Groups:\t0 \n"
	"CapInh:\t0000000000000000\n"
	"CapPrm:\t000001fffeffffff\n"
	"CapEff:\t000001fffeffffff\n"
	"CapBnd:\t000001ffffffffff\n"
	"CapAmb:\t0000000000000000\n"
	"NoNewPrivs:\t0\n";

struct tree {
	char root[64];
};

static void put(const struct tree *t, const char *rel, const void *data, size_t len)
{
	char path[PATH_MAX], *slash;
	int fd;

	snprintf(path, sizeof(path), "%s%s", t->root, rel);
	for (slash = strchr(path + strlen(t->root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		assert_true(mkdir(path, 0755) == 0 || errno == EEXIST);
		*slash = '/';
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static void put_str(const struct tree *t, const char *rel, const char *text)
{
	put(t, rel, text, strlen(text));
}

static void put_status(const struct tree *t, unsigned int uid, unsigned long long eff)
{
	char text[256];

	snprintf(text, sizeof(text), "Name:\tprocscope\nUid:\t%u\t%u\t%u\t%u\nCapPrm:\t%016llx\nCapEff:\t%016llx\nCapBnd:\t000001ffffffffff\n",
		 uid, uid, uid, uid, eff, eff);
	put_str(t, "/proc/self/status", text);
}

/* A machine procscope can trace: BTF, kernel 6.1, root with every capability. */
static void put_good_machine(const struct tree *t)
{
	static const unsigned char btf[] = { 0x9f, 0xeb, 0x01, 0x00, 0x18, 0, 0, 0 };

	put(t, "/sys/kernel/btf/vmlinux", btf, sizeof(btf));
	put_str(t, "/proc/sys/kernel/osrelease", "6.1.0-13-amd64\n");
	put_str(t, "/proc/self/status", status_root);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int tree_setup(void **state)
{
	struct tree *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	snprintf(t->root, sizeof(t->root), "/tmp/procscope-probe-XXXXXX");
	if (!mkdtemp(t->root))
		return -1;
	setenv("PROCSCOPE_SYSROOT", t->root, 1);
	*state = t;
	return 0;
}

static int tree_teardown(void **state)
{
	struct tree *t = *state;

	unsetenv("PROCSCOPE_SYSROOT");
	nftw(t->root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(t);
	return 0;
}

static void test_parse_cap_hex_fields(void **state)
{
	unsigned long long v = 1;

	(void)state;
	assert_int_equal(parse_cap_hex(status_root, "CapEff", &v), 0);
	assert_true(v == 0x000001fffeffffffULL);
	assert_int_equal(parse_cap_hex(status_root, "CapBnd", &v), 0);
	assert_true(v == 0x000001ffffffffffULL);
	assert_int_equal(parse_cap_hex(status_root, "CapInh", &v), 0);
	assert_true(v == 0);
	/* First line, no final newline, upper case, trailing blanks. */
	assert_int_equal(parse_cap_hex("CapEff:\t00000000000000A3", "CapEff", &v), 0);
	assert_true(v == 0xa3);
	assert_int_equal(parse_cap_hex("CapEff:  ff \t\nx", "CapEff", &v), 0);
	assert_true(v == 0xff);
	assert_int_equal(parse_cap_hex("CapEff:\tffffffffffffffff\n", "CapEff", &v), 0);
	assert_true(v == ~0ULL);
}

static void test_parse_cap_hex_missing(void **state)
{
	unsigned long long v = 7;

	(void)state;
	assert_int_equal(parse_cap_hex(status_root, "CapXyz", &v), -ENOENT);
	/* A prefix of a field, a longer name, and a name that is not at a line start. */
	assert_int_equal(parse_cap_hex(status_root, "Cap", &v), -ENOENT);
	assert_int_equal(parse_cap_hex("CapEffX:\t1\n", "CapEff", &v), -ENOENT);
	assert_int_equal(parse_cap_hex("Name:\tCapEff:\t1\n", "CapEff", &v), -ENOENT);
	assert_int_equal(parse_cap_hex("", "CapEff", &v), -ENOENT);
	assert_true(v == 7);
}

static void test_parse_cap_hex_malformed(void **state)
{
	unsigned long long v = 7;

	(void)state;
	assert_int_equal(parse_cap_hex("CapEff:\t\n", "CapEff", &v), -EINVAL);
	assert_int_equal(parse_cap_hex("CapEff:\tzz\n", "CapEff", &v), -EINVAL);
	assert_int_equal(parse_cap_hex("CapEff:\t0x1f\n", "CapEff", &v), -EINVAL);
	assert_int_equal(parse_cap_hex("CapEff:\t12 34\n", "CapEff", &v), -EINVAL);
	assert_int_equal(parse_cap_hex("CapEff:\t10000000000000000\n", "CapEff", &v), -EINVAL);
	assert_int_equal(parse_cap_hex(NULL, "CapEff", &v), -EINVAL);
	assert_int_equal(parse_cap_hex(status_root, NULL, &v), -EINVAL);
	assert_int_equal(parse_cap_hex(status_root, "CapEff", NULL), -EINVAL);
	assert_true(v == 7);
}

static void test_root_override(void **state)
{
	struct tree *t = *state;
	char with_slash[80];

	assert_string_equal(probe_root(), t->root);
	snprintf(with_slash, sizeof(with_slash), "%s//", t->root);
	setenv("PROCSCOPE_SYSROOT", with_slash, 1);
	assert_string_equal(probe_root(), t->root);
	setenv("PROCSCOPE_SYSROOT", "/", 1);
	assert_string_equal(probe_root(), "");
	unsetenv("PROCSCOPE_SYSROOT");
	assert_string_equal(probe_root(), "");
}

static void test_preflight_no_btf(void **state)
{
	struct tree *t = *state;
	char msg[512];

	put_str(t, "/proc/sys/kernel/osrelease", "6.1.0-13-amd64\n");
	put_str(t, "/proc/self/status", status_root);
	assert_int_equal(preflight_check(msg, sizeof(msg)), PS_EXIT_UNAVAILABLE);
	assert_string_equal(msg, "this kernel has no BTF at /sys/kernel/btf/vmlinux; procscope needs a kernel built with CONFIG_DEBUG_INFO_BTF=y");
}

static void test_preflight_bad_btf(void **state)
{
	struct tree *t = *state;
	char msg[512];

	put_good_machine(t);
	put_str(t, "/sys/kernel/btf/vmlinux", "\x7f" "ELF not raw BTF");
	assert_int_equal(preflight_check(msg, sizeof(msg)), PS_EXIT_UNAVAILABLE);
	assert_string_equal(msg, "the kernel's BTF at /sys/kernel/btf/vmlinux cannot be read (not in BTF format); procscope needs a kernel built with CONFIG_DEBUG_INFO_BTF=y and the file readable");
}

static void test_preflight_old_kernel(void **state)
{
	struct tree *t = *state;
	char msg[512];

	put_good_machine(t);
	put_str(t, "/proc/sys/kernel/osrelease", "5.4.0-150-generic\n");
	assert_int_equal(preflight_check(msg, sizeof(msg)), PS_EXIT_UNAVAILABLE);
	assert_string_equal(msg, "kernel 5.4.0-150-generic is older than 5.8, which procscope needs for the BPF ring buffer and CAP_BPF; boot a kernel 5.8 or later");
	put_str(t, "/proc/sys/kernel/osrelease", "4.19.0\n");
	assert_int_equal(preflight_check(msg, sizeof(msg)), PS_EXIT_UNAVAILABLE);
	/* 5.8 itself is enough, and 10.0 is not "older" by string comparison. */
	put_str(t, "/proc/sys/kernel/osrelease", "5.8.0\n");
	assert_int_equal(preflight_check(msg, sizeof(msg)), PS_EXIT_OK);
	put_str(t, "/proc/sys/kernel/osrelease", "10.0.1\n");
	assert_int_equal(preflight_check(msg, sizeof(msg)), PS_EXIT_OK);
}

static void test_preflight_good(void **state)
{
	struct tree *t = *state;
	char msg[512] = "stale";

	put_good_machine(t);
	assert_int_equal(preflight_check(msg, sizeof(msg)), PS_EXIT_OK);
	assert_string_equal(msg, "");
}

static void self_setcap(char *buf, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	assert_true(n > 0);
	exe[n] = '\0';
	snprintf(buf, len, "procscope needs CAP_BPF and CAP_PERFMON to load its BPF programs; grant them with: sudo setcap cap_bpf,cap_perfmon+ep %s",
		 exe);
}

static void test_preflight_caps(void **state)
{
	struct tree *t = *state;
	char msg[512], want[PATH_MAX + 200];

	put_good_machine(t);
	self_setcap(want, sizeof(want));
	put_status(t, 1000, 0);
	assert_int_equal(preflight_check(msg, sizeof(msg)), PS_EXIT_NOPERM);
	assert_string_equal(msg, want);
	/* One of the two is not enough. */
	put_status(t, 1000, 1ULL << 39);
	assert_int_equal(preflight_check(msg, sizeof(msg)), PS_EXIT_NOPERM);
	put_status(t, 1000, 1ULL << 38);
	assert_int_equal(preflight_check(msg, sizeof(msg)), PS_EXIT_NOPERM);
	put_status(t, 1000, 1ULL << 38 | 1ULL << 39);
	assert_int_equal(preflight_check(msg, sizeof(msg)), PS_EXIT_OK);
	/* CAP_SYS_ADMIN stands in for both. */
	put_status(t, 1000, 1ULL << 21);
	assert_int_equal(preflight_check(msg, sizeof(msg)), PS_EXIT_OK);
}

static void test_preflight_root_without_caps(void **state)
{
	struct tree *t = *state;
	char msg[512];

	put_good_machine(t);
	put_status(t, 0, 1ULL << 0 | 1ULL << 1);
	assert_int_equal(preflight_check(msg, sizeof(msg)), PS_EXIT_NOPERM);
	assert_string_equal(msg, "procscope runs as root but without CAP_BPF and CAP_PERFMON; start it with them, e.g. docker run --cap-add BPF --cap-add PERFMON ...");
}

static void test_explain_load_error(void **state)
{
	struct tree *t = *state;
	char msg[512], want[PATH_MAX + 200];

	put_good_machine(t);
	assert_int_equal(preflight_explain_load_error(ENOMEM, msg, sizeof(msg)), PS_EXIT_OSERR);
	assert_string_equal(msg, "could not create BPF map (ENOMEM: Cannot allocate memory): lower --buffer-size / --max-procs");
	assert_int_equal(preflight_explain_load_error(-E2BIG, msg, sizeof(msg)), PS_EXIT_OSERR);
	assert_non_null(strstr(msg, "(E2BIG: "));
	assert_int_equal(preflight_explain_load_error(EINVAL, msg, sizeof(msg)), PS_EXIT_UNAVAILABLE);
	assert_string_equal(msg, "the kernel rejected procscope's BPF programs (EINVAL): it lacks a feature procscope needs; run procscope doctor to see which");
	assert_int_equal(preflight_explain_load_error(-EOPNOTSUPP, msg, sizeof(msg)), PS_EXIT_UNAVAILABLE);
	assert_int_equal(preflight_explain_load_error(ESRCH, msg, sizeof(msg)), PS_EXIT_UNAVAILABLE);
	assert_int_equal(preflight_explain_load_error(EIO, msg, sizeof(msg)), PS_EXIT_SOFTWARE);
	assert_string_equal(msg, "loading procscope's BPF programs failed (EIO: Input/output error)");
	/* EPERM with the capabilities: something else forbids it. */
	assert_int_equal(preflight_explain_load_error(-EPERM, msg, sizeof(msg)), PS_EXIT_NOPERM);
	assert_non_null(strstr(msg, "although CAP_BPF and CAP_PERFMON are effective"));
	put_status(t, 1000, 0);
	self_setcap(want, sizeof(want));
	assert_int_equal(preflight_explain_load_error(EACCES, msg, sizeof(msg)), PS_EXIT_NOPERM);
	assert_string_equal(msg, want);
}

static const char kconfig[] =
	"# Linux/x86 6.1.0 Kernel Configuration\n"
	"CONFIG_SECURITY=y\n"
	"CONFIG_SECURITY_SELINUX=y\n"
	"CONFIG_SECURITY_APPARMOR=y\n"
	"CONFIG_SECURITY_LANDLOCK=y\n"
	"CONFIG_SECURITY_LOCKDOWN_LSM=y\n"
	"CONFIG_SECURITY_LOCKDOWN_LSM_EARLY=y\n"
	"CONFIG_LOCK_DOWN_KERNEL_FORCE_INTEGRITY=y\n"
	"# CONFIG_SECURITY_YAMA is not set\n"
	"CONFIG_BPF_LSM=y\n"
	"CONFIG_LSM=\"landlock,lockdown,yama,integrity,apparmor,selinux,bpf\"\n";

static void test_lsm_from_boot_config(void **state)
{
	struct tree *t = *state;
	struct probe p;

	put_good_machine(t);
	put_str(t, "/boot/config-6.1.0-13-amd64", kconfig);
	put_str(t, "/proc/self/mounts", "proc /proc proc rw 0 0\nsysfs /sys sysfs rw 0 0\n");
	probe_machine(&p);
	/* Early lockdown first, capability always, no Yama (not built), one exclusive LSM. */
	assert_string_equal(p.lsm.list, "lockdown,capability,landlock,apparmor,bpf");
	assert_string_equal(p.lsm.source, "kernel config");
	assert_true(p.lsm.bpf_in_list);
	assert_string_equal(p.lockdown.mode, "");
	assert_string_equal(p.lockdown.reason, "securityfs not mounted");
	assert_string_equal(p.lockdown.minimum, "integrity");
	assert_string_equal(p.lockdown.minimum_source, "kernel config");
	assert_true(p.mounts.known);
	assert_string_equal(p.mounts.tracefs, "");
}

static void test_lsm_from_cmdline_and_gz_config(void **state)
{
	struct tree *t = *state;
	char path[PATH_MAX];
	struct probe p;
	gzFile gz;

	put_good_machine(t);
	put_str(t, "/proc/cmdline", "ro quiet lsm=bpf,selinux,yama,apparmor lockdown=confidentiality -- lsm=landlock\n");
	snprintf(path, sizeof(path), "%s/proc/config.gz", t->root);
	gz = gzopen(path, "wb");
	assert_non_null(gz);
	assert_int_equal(gzwrite(gz, kconfig, sizeof(kconfig) - 1), (int)sizeof(kconfig) - 1);
	gzclose(gz);
	probe_machine(&p);
	assert_string_equal(p.lsm.list, "lockdown,capability,bpf,selinux");
	assert_string_equal(p.lsm.source, "kernel command line and config");
	assert_string_equal(p.lockdown.minimum, "confidentiality");
	assert_string_equal(p.lockdown.minimum_source, "kernel command line");
	/* What follows "--" belongs to init, not to the kernel. */
	put_str(t, "/proc/cmdline", "ro quiet -- lsm=landlock lockdown=none\n");
	probe_machine(&p);
	assert_string_equal(p.lsm.source, "kernel config");
	assert_string_equal(p.lockdown.minimum, "integrity");
	/* lockdown=none cannot lower what the config forces. */
	put_str(t, "/proc/cmdline", "ro lockdown=none\n");
	probe_machine(&p);
	assert_string_equal(p.lockdown.minimum, "integrity");
	assert_string_equal(p.lockdown.minimum_source, "kernel config");
}

static void test_no_lsm_source(void **state)
{
	struct tree *t = *state;
	struct probe p;

	put_good_machine(t);
	probe_machine(&p);
	assert_string_equal(p.lsm.list, "");
	assert_null(p.lsm.source);
	assert_false(p.lsm.bpf_in_list);
	assert_false(p.mounts.known);
}

static void test_securityfs_and_sysctls(void **state)
{
	struct tree *t = *state;
	struct probe p;

	put_good_machine(t);
	put_str(t, "/boot/config-6.1.0-13-amd64", kconfig);
	put_str(t, "/proc/self/mounts",
		"securityfs /sys/kernel/security securityfs rw 0 0\n"
		"debugfs /sys/kernel/debug debugfs rw 0 0\n"
		"tracefs /sys/kernel/debug/tracing tracefs rw 0 0\n"
		"tracefs /sys/kernel/tracing tracefs rw 0 0\n");
	put_str(t, "/sys/kernel/security/lsm", "capability,yama,apparmor\n");
	put_str(t, "/sys/kernel/security/lockdown", "none integrity [confidentiality]\n");
	put_str(t, "/proc/sys/kernel/unprivileged_bpf_disabled", "2\n");
	put_str(t, "/proc/sys/kernel/perf_event_paranoid", "-1\n");
	probe_machine(&p);
	/* securityfs is the truth when it is there. */
	assert_string_equal(p.lsm.list, "capability,yama,apparmor");
	assert_string_equal(p.lsm.source, "securityfs");
	assert_false(p.lsm.bpf_in_list);
	assert_string_equal(p.lockdown.mode, "confidentiality");
	assert_string_equal(p.mounts.tracefs, "/sys/kernel/tracing");
	assert_int_equal(p.unpriv_bpf.present, PROBE_YES);
	assert_int_equal(p.unpriv_bpf.value, 2);
	assert_int_equal(p.perf_paranoid.value, -1);
	assert_int_equal(p.yama.present, PROBE_NO);
}

static void test_container_markers(void **state)
{
	struct tree *t = *state;
	struct probe p;

	put_good_machine(t);
	probe_machine(&p);
	assert_int_equal(p.container.nevidence, 0);
	put_str(t, "/.dockerenv", "");
	put_str(t, "/proc/1/cgroup", "0::/system.slice/docker-0123abcd.scope\n");
	probe_machine(&p);
	assert_int_equal(p.container.nevidence, 2);
	assert_string_equal(p.container.evidence[0], "/.dockerenv exists");
	assert_string_equal(p.container.cgroup_runtime, "docker");
}

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* The real kernel: every program, link and map fd is closed again. */
static void test_programs_leave_no_fd(void **state)
{
	struct probe p;
	int before, i;

	(void)state;
	if (geteuid() != 0)
		skip();
	probe_machine(&p);
	before = open_fds();
	probe_programs(&p);
	assert_int_equal(open_fds(), before);
	assert_true(p.programs_probed);
	for (i = 0; i < PROBE__NR; i++) {
		assert_non_null(p.prog[i].name);
		assert_true(p.prog[i].works == (p.prog[i].probed && !p.prog[i].err));
	}
	/* Root on a kernel with BTF: the core program type and the ring buffer work. */
	if (p.btf.readable) {
		assert_true(p.btf.parsed);
		assert_true(p.prog[PROBE_TP_BTF].works);
		assert_true(p.prog[PROBE_RINGBUF].works);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_cap_hex_fields),
		cmocka_unit_test(test_parse_cap_hex_missing),
		cmocka_unit_test(test_parse_cap_hex_malformed),
		cmocka_unit_test_setup_teardown(test_root_override, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_preflight_no_btf, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_preflight_bad_btf, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_preflight_old_kernel, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_preflight_good, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_preflight_caps, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_preflight_root_without_caps, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_explain_load_error, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_lsm_from_boot_config, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_lsm_from_cmdline_and_gz_config, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_no_lsm_source, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_securityfs_and_sysctls, tree_setup, tree_teardown),
		cmocka_unit_test_setup_teardown(test_container_markers, tree_setup, tree_teardown),
		cmocka_unit_test(test_programs_leave_no_fd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
