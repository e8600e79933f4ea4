// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <zlib.h>

#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/capability.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>

#include "machine/probe.h"

/* The inode of the initial PID namespace, fixed since Linux 3.8. */
#define PROC_PID_INIT_INO 0xEFFFFFFCUL
#define SMALL_FILE_MAX        16384
#define CMDLINE_MAX       4096
#define KCONFIG_MAX       (4 << 20)

const char *probe_root(void)
{
	static char root[PATH_MAX];
	const char *env = secure_getenv("PROCSCOPE_SYSROOT");
	size_t n = env ? strlen(env) : 0;

	while (n && env[n - 1] == '/')
		n--;
	/* A root that does not fit must leave nothing readable, not fall back to "/". */
	if (n >= sizeof(root)) {
		env = "/nonexistent";
		n = strlen(env);
	}
	if (n)
		memcpy(root, env, n);
	root[n] = '\0';
	return root;
}

static int rooted(char *buf, size_t len, const char *path)
{
	int n = snprintf(buf, len, "%s%s", probe_root(), path);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* Read a small file below the root, NUL-terminated; bytes read or -errno. */
static ssize_t read_file(const char *path, char *buf, size_t len)
{
	char full[PATH_MAX];
	size_t total = 0;
	ssize_t n;
	int fd, err;

	err = rooted(full, sizeof(full), path);
	if (err)
		return err;
	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (total < len - 1) {
		n = read(fd, buf + total, len - 1 - total);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			close(fd);
			return err;
		}
		if (!n)
			break;
		total += n;
	}
	close(fd);
	buf[total] = '\0';
	return total;
}

static FILE *open_file(const char *path)
{
	char full[PATH_MAX];

	if (rooted(full, sizeof(full), path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return fopen(full, "re");
}

static bool path_exists(const char *path)
{
	char full[PATH_MAX];
	struct stat st;

	return !rooted(full, sizeof(full), path) && !lstat(full, &st);
}

/* The value after "field:" on the line that starts with it, or NULL. */
static const char *status_value(const char *text, const char *field)
{
	size_t n = strlen(field);
	const char *line = text;

	while (line && *line) {
		if (!strncmp(line, field, n) && line[n] == ':')
			return line + n + 1;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return NULL;
}

int parse_cap_hex(const char *status_text, const char *field, unsigned long long *out)
{
	unsigned long long val = 0;
	const char *v;
	int digits = 0;

	if (!status_text || !field || !*field || !out)
		return -EINVAL;
	v = status_value(status_text, field);
	if (!v)
		return -ENOENT;
	v += strspn(v, " \t");
	for (; isxdigit((unsigned char)*v); v++) {
		if (++digits > 16)
			return -EINVAL;
		val = val << 4 | (isdigit((unsigned char)*v) ? *v - '0' :
				  tolower((unsigned char)*v) - 'a' + 10);
	}
	v += strspn(v, " \t");
	if (!digits || (*v && *v != '\n'))
		return -EINVAL;
	*out = val;
	return 0;
}

static void probe_kernel(struct probe_kernel *k)
{
	struct utsname u;

	/* The file, not uname(), so that a test root can name another kernel. */
	if (read_file("/proc/sys/kernel/osrelease", k->release, sizeof(k->release)) > 0)
		k->release[strcspn(k->release, "\n")] = '\0';
	else if (!uname(&u))
		memcpy(k->release, u.release, sizeof(k->release) - 1);
	k->parsed = sscanf(k->release, "%d.%d", &k->major, &k->minor) == 2;
	k->version_ok = k->parsed && (k->major > PROBE_MIN_MAJOR ||
				      (k->major == PROBE_MIN_MAJOR && k->minor >= PROBE_MIN_MINOR));
}

static void probe_btf_file(struct probe_btf *b)
{
	char full[PATH_MAX];
	uint16_t magic;
	ssize_t n;
	int fd;

	b->err = -rooted(full, sizeof(full), PROBE_BTF_PATH);
	if (b->err)
		return;
	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		b->err = errno;
		b->present = errno != ENOENT && errno != ENOTDIR;
		return;
	}
	b->present = true;
	n = read(fd, &magic, sizeof(magic));
	if (n < 0)
		b->err = errno;
	else if (n != sizeof(magic) || magic != BTF_MAGIC)
		b->err = EPROTO;
	else
		b->readable = true;
	close(fd);
}

static void probe_caps(struct probe_caps *c)
{
	char *buf = malloc(SMALL_FILE_MAX);
	unsigned int ruid;
	const char *v;

	if (!buf || read_file("/proc/self/status", buf, SMALL_FILE_MAX) < 0)
		goto cleanup;
	c->known = !parse_cap_hex(buf, "CapEff", &c->effective) &&
		   !parse_cap_hex(buf, "CapPrm", &c->permitted) &&
		   !parse_cap_hex(buf, "CapBnd", &c->bounding);
	v = status_value(buf, "Uid");
	c->uid_known = v && sscanf(v, "%u %u", &ruid, &c->euid) == 2;
	/* A container runtime's default profile is a filter (2) that allows bpf() only with CAP_SYS_ADMIN. */
	v = status_value(buf, "Seccomp");
	if (!v || sscanf(v, "%d", &c->seccomp) != 1)
		c->seccomp = -1;
cleanup:
	free(buf);
}

void probe_basic(struct probe *p)
{
	memset(p, 0, sizeof(*p));
	probe_kernel(&p->kernel);
	probe_btf_file(&p->btf);
	probe_caps(&p->caps);
}

bool probe_cap_effective(const struct probe *p, int cap)
{
	return p->caps.known && (p->caps.effective >> cap & 1);
}

bool probe_caps_sufficient(const struct probe *p)
{
	if (!p->caps.known)
		return true;
	return probe_cap_effective(p, CAP_SYS_ADMIN) ||
	       (probe_cap_effective(p, CAP_BPF) && probe_cap_effective(p, CAP_PERFMON));
}

/* The kernel's build configuration, when it publishes it. */
struct kconfig {
	char *text;
};

static void kconfig_load(struct kconfig *kc, const char *release)
{
	char path[128], full[PATH_MAX];
	size_t len = 0, cap = 0;
	gzFile gz = NULL;
	char *grown;
	int n;

	/* gzread() reads an uncompressed /boot/config-* as is. */
	if (!rooted(full, sizeof(full), "/proc/config.gz"))
		gz = gzopen(full, "rbe");
	snprintf(path, sizeof(path), "/boot/config-%s", release);
	if (!gz && !rooted(full, sizeof(full), path))
		gz = gzopen(full, "rbe");
	if (!gz)
		return;
	for (;;) {
		if (cap - len < 4096) {
			if (cap >= KCONFIG_MAX)
				break;
			cap = cap ? cap * 2 : 65536;
			grown = realloc(kc->text, cap + 1);
			if (!grown)
				break;
			kc->text = grown;
		}
		n = gzread(gz, kc->text + len, cap - len);
		if (n <= 0)
			break;
		len += n;
	}
	gzclose(gz);
	if (kc->text)
		kc->text[len] = '\0';
}

/* The value of `sym` without quotes ("y", "m", a list), or false. */
static bool kconfig_get(const struct kconfig *kc, const char *sym, char *val, size_t len)
{
	size_t n = strlen(sym), vlen;
	const char *s = kc->text;

	while (s && (s = strstr(s, sym))) {
		if ((s == kc->text || s[-1] == '\n') && s[n] == '=') {
			s += n + 1;
			if (*s == '"')
				s++;
			vlen = strcspn(s, "\"\n");
			if (vlen >= len)
				return false;
			memcpy(val, s, vlen);
			val[vlen] = '\0';
			return true;
		}
		s += n;
	}
	return false;
}

static bool kconfig_builtin(const struct kconfig *kc, const char *sym)
{
	char v[4];

	return kconfig_get(kc, sym, v, sizeof(v)) && !strcmp(v, "y");
}

/* The value of `name=` on the kernel command line (before "--"), or false. */
static bool cmdline_get(const char *cmdline, const char *name, char *val, size_t len)
{
	size_t n = strlen(name), wlen;
	const char *w = cmdline;

	for (w += strspn(w, " \n"); *w; w += strspn(w, " \n")) {
		wlen = strcspn(w, " \n");
		if (wlen == 2 && !strncmp(w, "--", 2))
			break;
		if (wlen > n && !strncmp(w, name, n) && w[n] == '=' && wlen - n - 1 < len) {
			memcpy(val, w + n + 1, wlen - n - 1);
			val[wlen - n - 1] = '\0';
			return true;
		}
		w += wlen;
	}
	return false;
}

static void probe_mounts(struct probe_mounts *m)
{
	char mnt[PATH_MAX], type[64], *line = NULL;
	size_t cap = 0;
	FILE *f = open_file("/proc/self/mounts");

	if (!f)
		return;
	m->known = true;
	while (getline(&line, &cap, f) > 0) {
		if (sscanf(line, "%*s %4095s %63s", mnt, type) != 2)
			continue;
		if (!strcmp(type, "securityfs") && !strcmp(mnt, "/sys/kernel/security"))
			m->securityfs = true;
		if (!strcmp(type, "tracefs") &&
		    (!m->tracefs[0] || !strcmp(mnt, "/sys/kernel/tracing")))
			memcpy(m->tracefs, mnt, strlen(mnt) + 1);
	}
	free(line);
	fclose(f);
}

static int lockdown_level(const char *mode)
{
	static const char *const levels[] = { "none", "integrity", "confidentiality" };
	int i;

	for (i = 0; i < 3; i++)
		if (!strcmp(mode, levels[i]))
			return i;
	return -1;
}

/* lockdown= and the config's forced level both apply: the stronger wins. */
static void lockdown_minimum(struct probe_lockdown *l, const char *cmdline, const struct kconfig *kc)
{
	const char *forced = NULL;
	char arg[32];

	if (kconfig_builtin(kc, "CONFIG_LOCK_DOWN_KERNEL_FORCE_CONFIDENTIALITY"))
		forced = "confidentiality";
	else if (kconfig_builtin(kc, "CONFIG_LOCK_DOWN_KERNEL_FORCE_INTEGRITY"))
		forced = "integrity";
	if (cmdline_get(cmdline, "lockdown", arg, sizeof(arg)) && lockdown_level(arg) > 0 &&
	    (!forced || lockdown_level(arg) > lockdown_level(forced))) {
		strcpy(l->minimum, arg);
		l->minimum_source = "kernel command line";
	} else if (forced) {
		strcpy(l->minimum, forced);
		l->minimum_source = "kernel config";
	}
}

static void probe_lockdown(struct probe_lockdown *l, const struct probe_mounts *m,
			   const char *cmdline, const struct kconfig *kc)
{
	char buf[128], *lb, *rb;
	ssize_t n = read_file("/sys/kernel/security/lockdown", buf, sizeof(buf));

	/* "none [integrity] confidentiality": the active mode is bracketed. */
	if (n > 0 && (lb = strchr(buf, '[')) && (rb = strchr(lb, ']')) &&
	    (size_t)(rb - lb) <= sizeof(l->mode)) {
		memcpy(l->mode, lb + 1, rb - lb - 1);
		l->mode[rb - lb - 1] = '\0';
	} else if (n == -ENOENT && m->known && !m->securityfs) {
		l->reason = "securityfs not mounted";
	} else if (n == -ENOENT && m->known) {
		l->reason = "the lockdown LSM is not built in";
	} else if (n == -ENOENT) {
		l->reason = "/sys/kernel/security/lockdown is absent";
	} else {
		l->reason = "/sys/kernel/security/lockdown cannot be read";
	}
	lockdown_minimum(l, cmdline, kc);
}

static const struct lsm_info {
	const char *name;
	const char *config;
	bool exclusive;   /* only the first exclusive LSM in the order starts */
} lsm_infos[] = {
	{ "lockdown", "CONFIG_SECURITY_LOCKDOWN_LSM", false },
	{ "yama", "CONFIG_SECURITY_YAMA", false },
	{ "loadpin", "CONFIG_SECURITY_LOADPIN", false },
	{ "safesetid", "CONFIG_SECURITY_SAFESETID", false },
	{ "integrity", "CONFIG_INTEGRITY", false },
	{ "ima", "CONFIG_IMA", false },
	{ "evm", "CONFIG_EVM", false },
	{ "selinux", "CONFIG_SECURITY_SELINUX", true },
	{ "smack", "CONFIG_SECURITY_SMACK", true },
	{ "tomoyo", "CONFIG_SECURITY_TOMOYO", false },
	{ "apparmor", "CONFIG_SECURITY_APPARMOR", true },
	{ "landlock", "CONFIG_SECURITY_LANDLOCK", false },
	{ "ipe", "CONFIG_SECURITY_IPE", false },
	{ "bpf", "CONFIG_BPF_LSM", false },
};

static const struct lsm_info *lsm_find(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(lsm_infos) / sizeof(lsm_infos[0]); i++)
		if (strlen(lsm_infos[i].name) == len && !strncmp(lsm_infos[i].name, name, len))
			return &lsm_infos[i];
	return NULL;
}

static bool list_has(const char *list, const char *name)
{
	size_t n = strlen(name), wlen;

	for (; *list; list += wlen + (list[wlen] == ',')) {
		wlen = strcspn(list, ",\n");
		if (wlen == n && !strncmp(list, name, n))
			return true;
		if (!list[wlen] || list[wlen] == '\n')
			break;
	}
	return false;
}

static void list_add(char *list, size_t len, const char *name, size_t n)
{
	size_t used = strlen(list);

	if (used + n + 2 > len)
		return;
	if (used)
		list[used++] = ',';
	memcpy(list + used, name, n);
	list[used + n] = '\0';
}

/*
 * Rebuild the active LSM list the way the kernel does at boot: lsm= or
 * CONFIG_LSM gives the order, modules not built in are skipped, capability
 * always runs, an early lockdown comes first, one exclusive LSM at most.
 */
static void lsm_from_config(struct probe_lsm *l, const char *order, const struct kconfig *kc)
{
	bool early = kconfig_builtin(kc, "CONFIG_SECURITY_LOCKDOWN_LSM_EARLY") &&
		     kconfig_builtin(kc, "CONFIG_SECURITY_LOCKDOWN_LSM");
	const struct lsm_info *info;
	bool exclusive = false;
	size_t wlen;

	if (early)
		list_add(l->list, sizeof(l->list), "lockdown", 8);
	list_add(l->list, sizeof(l->list), "capability", 10);
	for (; *order; order += wlen + (order[wlen] == ',')) {
		wlen = strcspn(order, ",");
		info = lsm_find(order, wlen);
		/* Without a config, trust lsm= for what is built in. */
		if (info && (!kc->text || kconfig_builtin(kc, info->config)) &&
		    !list_has(l->list, info->name) &&
		    !(info->exclusive && exclusive)) {
			exclusive |= info->exclusive;
			list_add(l->list, sizeof(l->list), info->name, wlen);
		}
		if (!order[wlen])
			break;
	}
}

static void probe_lsm(struct probe_lsm *l, const char *cmdline, const struct kconfig *kc)
{
	char order[PROBE_TEXT];
	bool from_cmdline;

	if (read_file("/sys/kernel/security/lsm", l->list, sizeof(l->list)) > 0) {
		l->list[strcspn(l->list, "\n")] = '\0';
		l->source = "securityfs";
	} else {
		from_cmdline = cmdline_get(cmdline, "lsm", order, sizeof(order));
		if (from_cmdline || kconfig_get(kc, "CONFIG_LSM", order, sizeof(order))) {
			lsm_from_config(l, order, kc);
			l->source = !from_cmdline ? "kernel config" :
				    kc->text ? "kernel command line and config" : "kernel command line";
		}
	}
	l->bpf_in_list = list_has(l->list, "bpf");
}

static void probe_sysctl(struct probe_sysctl *s, const char *path)
{
	char buf[32], *end;
	ssize_t n = read_file(path, buf, sizeof(buf));

	s->present = n == -ENOENT ? PROBE_NO : PROBE_UNKNOWN;
	if (n <= 0)
		return;
	errno = 0;
	s->value = strtol(buf, &end, 10);
	if (!errno && end != buf)
		s->present = PROBE_YES;
}

static const struct {
	const char *token;
	const char *runtime;
} cgroup_runtimes[] = {
	{ "kubepods", "kubernetes" },
	{ "docker", "docker" },
	{ "libpod", "podman" },
	{ "crio", "cri-o" },
	{ "containerd", "containerd" },
	{ "lxc", "lxc" },
};

static void probe_cgroup(struct probe_container *c)
{
	char *buf = malloc(SMALL_FILE_MAX);
	size_t i;

	if (!buf || read_file("/proc/1/cgroup", buf, SMALL_FILE_MAX) <= 0)
		goto cleanup;
	for (i = 0; i < sizeof(cgroup_runtimes) / sizeof(cgroup_runtimes[0]); i++) {
		if (strstr(buf, cgroup_runtimes[i].token)) {
			strcpy(c->cgroup_runtime, cgroup_runtimes[i].runtime);
			c->evidence[c->nevidence++] = "/proc/1/cgroup names a container runtime";
			break;
		}
	}
cleanup:
	free(buf);
}

static void probe_container(struct probe_container *c)
{
	char full[PATH_MAX];
	struct stat st;

	c->pidns_initial = PROBE_UNKNOWN;
	if (path_exists("/.dockerenv"))
		c->evidence[c->nevidence++] = "/.dockerenv exists";
	if (path_exists("/run/.containerenv"))
		c->evidence[c->nevidence++] = "/run/.containerenv exists";
	probe_cgroup(c);
	/* The initial PID namespace has a fixed inode: anything else is nested. */
	c->pidns_err = -rooted(full, sizeof(full), "/proc/self/ns/pid");
	if (!c->pidns_err && stat(full, &st))
		c->pidns_err = errno;
	if (c->pidns_err)
		return;
	c->pidns_initial = st.st_ino == PROC_PID_INIT_INO ? PROBE_YES : PROBE_NO;
	if (c->pidns_initial == PROBE_NO)
		c->evidence[c->nevidence++] = "the PID namespace is not the initial one";
}

void probe_machine(struct probe *p)
{
	struct kconfig kc = { 0 };
	char cmdline[CMDLINE_MAX] = "";
	struct rlimit rl;

	probe_basic(p);
	/* Before any libbpf call: libbpf raises the limit itself on old kernels. */
	if (!getrlimit(RLIMIT_MEMLOCK, &rl)) {
		p->memory.memlock_cur = rl.rlim_cur;
		p->memory.memlock_max = rl.rlim_max;
	}
	p->memory.memcg = PROBE_UNKNOWN;
	if (read_file("/proc/cmdline", cmdline, sizeof(cmdline)) < 0)
		cmdline[0] = '\0';
	kconfig_load(&kc, p->kernel.release);
	probe_mounts(&p->mounts);
	probe_lockdown(&p->lockdown, &p->mounts, cmdline, &kc);
	probe_lsm(&p->lsm, cmdline, &kc);
	probe_sysctl(&p->unpriv_bpf, "/proc/sys/kernel/unprivileged_bpf_disabled");
	probe_sysctl(&p->perf_paranoid, "/proc/sys/kernel/perf_event_paranoid");
	probe_sysctl(&p->yama, "/proc/sys/kernel/yama/ptrace_scope");
	probe_container(&p->container);
	free(kc.text);
}

/* Programs of two to four instructions: enough for the verifier to judge the type. */
static const struct bpf_insn insns_ret0[] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
	{ .code = BPF_JMP | BPF_EXIT },
};

/* Loaded, never attached: attached, it would kill every forking task. */
static const struct bpf_insn insns_send_signal[] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_1, .imm = SIGKILL },
	{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_send_signal },
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
	{ .code = BPF_JMP | BPF_EXIT },
};

enum attach_how { ATTACH_LINK, ATTACH_RAW_TP, ATTACH_NONE, MAP_ONLY };

static const struct prog_spec {
	const char *name;          /* as procscope reports it */
	const char *kname;         /* the program's name in the kernel (bpftool shows it) */
	enum bpf_prog_type type;
	enum bpf_attach_type attach_type;
	const char *btf_name;      /* attach target in vmlinux BTF, or NULL */
	int btf_kind;
	const char *target;
	enum attach_how how;
	const struct bpf_insn *insns;
	size_t ninsns;
} prog_specs[] = {
	[PROBE_TP_BTF] = { "tp_btf", "ps_probe_tpbtf", BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP,
			   "btf_trace_sched_process_fork", BTF_KIND_TYPEDEF, "sched_process_fork",
			   ATTACH_LINK, insns_ret0, 2 },
	[PROBE_RAW_TP] = { "raw_tp", "ps_probe_rawtp", BPF_PROG_TYPE_RAW_TRACEPOINT, 0,
			   NULL, 0, "sched_process_fork", ATTACH_RAW_TP, insns_ret0, 2 },
	[PROBE_FENTRY] = { "fentry", "ps_probe_fentry", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY,
			   "security_file_open", BTF_KIND_FUNC, "security_file_open",
			   ATTACH_LINK, insns_ret0, 2 },
	[PROBE_LSM] = { "lsm", "ps_probe_lsm", BPF_PROG_TYPE_LSM, BPF_LSM_MAC,
			"bpf_lsm_file_open", BTF_KIND_FUNC, "file_open",
			ATTACH_LINK, insns_ret0, 2 },
	[PROBE_RINGBUF] = { "ringbuf", "ps_probe_rb", .target = "ring buffer map", .how = MAP_ONLY },
	[PROBE_SEND_SIGNAL] = { "send_signal", "ps_probe_signal", BPF_PROG_TYPE_TRACING,
				BPF_TRACE_RAW_TP, "btf_trace_sched_process_fork", BTF_KIND_TYPEDEF,
				"bpf_send_signal in tp_btf", ATTACH_NONE, insns_send_signal, 4 },
};

static void prog_failed(struct probe_prog *r, const char *stage, int err)
{
	r->stage = stage;
	r->err = err < 0 ? -err : err;
}

static void probe_prog(struct probe_prog *r, const struct prog_spec *s, const struct btf *btf,
		       const char *no_btf)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = s->attach_type);
	int fd, link, id;

	r->target = s->target;
	if (s->btf_name && !btf) {
		r->note = no_btf;
		return;
	}
	r->probed = true;
	if (s->btf_name) {
		id = btf__find_by_name_kind(btf, s->btf_name, s->btf_kind);
		if (id < 0) {
			prog_failed(r, "find", id);
			return;
		}
		opts.attach_btf_id = id;
	}
	fd = bpf_prog_load(s->type, s->kname, "GPL", s->insns, s->ninsns, &opts);
	if (fd < 0) {
		prog_failed(r, "load", fd);
		return;
	}
	if (s->how != ATTACH_NONE) {
		link = s->how == ATTACH_RAW_TP ? bpf_raw_tracepoint_open(s->target, fd) :
			bpf_link_create(fd, 0, s->attach_type, NULL);
		if (link < 0)
			prog_failed(r, "attach", link);
		else
			close(link);
	}
	close(fd);
	r->works = !r->err;
}

static void probe_ringbuf(struct probe_prog *r, const struct prog_spec *s)
{
	int fd;

	r->target = s->target;
	r->probed = true;
	fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, s->kname, 0, 0, getpagesize(), NULL);
	if (fd < 0) {
		prog_failed(r, "create", fd);
		return;
	}
	close(fd);
	r->works = true;
}

/* The raw syscall: libbpf's wrapper would raise RLIMIT_MEMLOCK on old kernels. */
static int create_small_map(void)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = 8;
	attr.max_entries = 1;
	memcpy(attr.map_name, "ps_probe_mem", sizeof("ps_probe_mem"));
	fd = syscall(__NR_bpf, BPF_MAP_CREATE, &attr, sizeof(attr));
	return fd < 0 ? -errno : fd;
}

/*
 * Kernels before 5.11 charge BPF memory to RLIMIT_MEMLOCK, later ones to the
 * memory cgroup: a map that can be created with a zero limit proves the latter.
 */
static void probe_memcg(struct probe_memory *m)
{
	struct rlimit saved, zero;
	int fd = create_small_map();

	if (fd < 0) {
		m->memcg_err = -fd;
		return;
	}
	close(fd);
	if (getrlimit(RLIMIT_MEMLOCK, &saved)) {
		m->memcg_err = errno;
		return;
	}
	zero = saved;
	zero.rlim_cur = 0;
	if (setrlimit(RLIMIT_MEMLOCK, &zero)) {
		m->memcg_err = errno;
		return;
	}
	fd = create_small_map();
	/* Lowering only the soft limit is always reversible. */
	setrlimit(RLIMIT_MEMLOCK, &saved);
	if (fd >= 0) {
		close(fd);
		m->memcg = PROBE_YES;
	} else if (fd == -EPERM) {
		m->memcg = PROBE_NO;
	} else {
		m->memcg_err = -fd;
	}
}

void probe_programs(struct probe *p)
{
	const char *no_btf = "needs the kernel's BTF, which is missing or unreadable";
	char full[PATH_MAX];
	struct btf *btf = NULL;
	int i;

	p->programs_probed = true;
	if (p->btf.readable && !rooted(full, sizeof(full), PROBE_BTF_PATH)) {
		btf = btf__parse(full, NULL);
		if (!btf) {
			p->btf.err = errno;
			no_btf = "needs the kernel's BTF, which does not parse";
		}
	}
	if (btf) {
		p->btf.parsed = true;
		p->btf.types = btf__type_cnt(btf);
	}
	probe_memcg(&p->memory);
	for (i = 0; i < PROBE__NR; i++) {
		p->prog[i].name = prog_specs[i].name;
		if (prog_specs[i].how == MAP_ONLY)
			probe_ringbuf(&p->prog[i], &prog_specs[i]);
		else
			probe_prog(&p->prog[i], &prog_specs[i], btf, no_btf);
	}
	btf__free(btf);
}

static bool shell_safe(const char *s)
{
	return s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./+-=:@%,")] == '\0';
}

void probe_self_path(char *buf, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	size_t out = 0;
	const char *s;

	if (n <= 0)
		goto fallback;
	exe[n] = '\0';
	if (shell_safe(exe)) {
		if ((size_t)n >= len)
			goto fallback;
		memcpy(buf, exe, n + 1);
		return;
	}
	/* Single quotes; a quote inside becomes '\'' */
	buf[out++] = '\'';
	for (s = exe; *s; s++) {
		if (out + 6 >= len)
			goto fallback;
		if (*s == '\'') {
			memcpy(buf + out, "'\\''", 4);
			out += 4;
		} else {
			buf[out++] = *s;
		}
	}
	buf[out++] = '\'';
	buf[out] = '\0';
	return;
fallback:
	snprintf(buf, len, "procscope");
}
