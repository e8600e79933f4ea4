// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <linux/capability.h>

#include "cmd/doctor.h"
#include "common/exitcodes.h"
#include "common/tty.h"
#include "event/names.h"
#include "output/out.h"
#include "machine/preflight.h"
#include "machine/probe.h"

#define MAX_NOTES 8
#define NOTE_LEN  768

struct notes {
	int n;
	char text[MAX_NOTES][NOTE_LEN];
};

struct verdict {
	bool can_trace;
	int exit_code;
	const char *backend;
	char backend_reason[128];
	const char *enforcement;
	struct notes problems, warnings;
};

struct remedy {
	char setcap[PATH_MAX + 128];
	const char *docker;
	const char *kubernetes;
};

static const struct cap_use {
	int cap;
	bool required;
	const char *use;
} cap_uses[] = {
	{ CAP_BPF, true, "load BPF programs and create maps" },
	{ CAP_PERFMON, true, "attach tracing programs" },
	{ CAP_SYS_ADMIN, false, "stands in for CAP_BPF and CAP_PERFMON; lifts the --buffer-size and --max-procs limits" },
	{ CAP_SYS_PTRACE, false, "trace other users' processes (-p)" },
	{ CAP_SYS_RESOURCE, false, "raise RLIMIT_MEMLOCK where BPF memory is charged to it" },
	{ CAP_NET_ADMIN, false, "network BPF program types (not used for tracing)" },
};

#define NCAP_USES (sizeof(cap_uses) / sizeof(cap_uses[0]))

static const char *err_name(int err)
{
	const char *name = errno_name(err);

	return name ? name : "unknown error";
}

static void add_note(struct notes *n, const char *fmt, ...)
{
	va_list ap;

	if (n->n == MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(n->text[n->n++], NOTE_LEN, fmt, ap);
	va_end(ap);
}

static bool cap_in(unsigned long long set, int cap)
{
	return set >> cap & 1;
}

/* A required capability is missing only when CAP_SYS_ADMIN does not stand in. */
static bool cap_missing(const struct probe *p, const struct cap_use *u)
{
	return p->caps.known && u->required && !probe_cap_effective(p, u->cap) &&
	       !probe_cap_effective(p, CAP_SYS_ADMIN);
}

static bool not_permitted(int err)
{
	return err == EPERM || err == EACCES;
}

/* A required program type that does not work is a problem of the kernel or of permissions. */
static void prog_problem(struct verdict *v, const struct probe_prog *r, const char *what,
			 bool *kernel_lacks)
{
	if (r->works)
		return;
	if (!r->probed) {
		add_note(&v->problems, "%s cannot be tried: %s", what, r->note);
		*kernel_lacks = true;
		return;
	}
	add_note(&v->problems, "the kernel refuses %s: %s at %s (%s)", what, err_name(r->err),
		 r->stage, strerror(r->err));
	if (!not_permitted(r->err))
		*kernel_lacks = true;
}

static void choose_backend(const struct probe *p, struct verdict *v)
{
	const struct probe_prog *lsm = &p->prog[PROBE_LSM];

	if (!p->prog[PROBE_TP_BTF].works) {
		v->backend = "none";
		snprintf(v->backend_reason, sizeof(v->backend_reason), "BTF raw tracepoints do not load");
	} else if (lsm->works) {
		v->backend = "lsm";
		snprintf(v->backend_reason, sizeof(v->backend_reason),
			 "BPF LSM programs load: rules can deny an operation");
	} else {
		v->backend = "tracepoints";
		if (p->lsm.source && !p->lsm.bpf_in_list)
			snprintf(v->backend_reason, sizeof(v->backend_reason),
				 "\"bpf\" is not in the active LSM list");
		else if (lsm->probed)
			snprintf(v->backend_reason, sizeof(v->backend_reason),
				 "BPF LSM does not load here: %s", err_name(lsm->err));
		else
			snprintf(v->backend_reason, sizeof(v->backend_reason), "BPF LSM not tried: %s", lsm->note);
	}
	if (lsm->works)
		v->enforcement = "BPF LSM (deny with EPERM)";
	else if (p->prog[PROBE_SEND_SIGNAL].works)
		v->enforcement = "bpf_send_signal (SIGKILL)";
	else
		v->enforcement = "none (rules can only alert)";
}

static void add_warnings(const struct probe *p, struct verdict *v)
{
	const char *lockdown = p->lockdown.mode[0] ? p->lockdown.mode : p->lockdown.minimum;
	const struct probe_memory *m = &p->memory;

	if (!strcmp(lockdown, "confidentiality"))
		add_note(&v->warnings, "lockdown is confidentiality: BPF programs may not read kernel memory, which procscope's programs do");
	if (m->memcg == PROBE_NO && m->memlock_cur != RLIM_INFINITY && m->memlock_cur < (64ULL << 20))
		add_note(&v->warnings, "BPF memory is charged to RLIMIT_MEMLOCK (%llu KiB): if loading fails, raise it with ulimit -l unlimited (needs CAP_SYS_RESOURCE)",
			 m->memlock_cur >> 10);
	if (p->prog[PROBE_TP_BTF].works && !p->prog[PROBE_SEND_SIGNAL].works)
		add_note(&v->warnings, "bpf_send_signal is not available: rules cannot stop a process here");
}

static void judge(const struct probe *p, struct verdict *v)
{
	bool kernel_lacks = false;
	char msg[NOTE_LEN];
	int ret;

	ret = preflight_judge(p, msg, sizeof(msg));
	if (ret) {
		add_note(&v->problems, "%s", msg);
		kernel_lacks = ret == PS_EXIT_UNAVAILABLE;
	}
	/* Without BTF the preflight sentence already says all there is to say. */
	if (p->btf.readable)
		prog_problem(v, &p->prog[PROBE_TP_BTF], "tp_btf programs (BTF raw tracepoints, which procscope is built on)",
			     &kernel_lacks);
	prog_problem(v, &p->prog[PROBE_RINGBUF], "a BPF ring buffer", &kernel_lacks);
	if (p->caps.seccomp == 2 && p->prog[PROBE_TP_BTF].probed && not_permitted(p->prog[PROBE_TP_BTF].err))
		add_note(&v->problems, "a seccomp filter is active (Seccomp: 2 in /proc/self/status), which is how a container runtime's default profile refuses bpf() without CAP_SYS_ADMIN; %s",
			 PREFLIGHT_SECCOMP_FIX);
	v->can_trace = !v->problems.n;
	v->exit_code = v->can_trace ? PS_EXIT_OK : kernel_lacks ? PS_EXIT_UNAVAILABLE : PS_EXIT_NOPERM;
	choose_backend(p, v);
	add_warnings(p, v);
}

static void remedies(struct remedy *r)
{
	preflight_setcap_line(r->setcap, sizeof(r->setcap));
	r->docker = PREFLIGHT_DOCKER_RUN;
	r->kubernetes = PREFLIGHT_K8S_POD "; " PREFLIGHT_K8S_CONTAINER;
}

#define CONTAINER_LIMITS "needs " PREFLIGHT_DOCKER_CAPS ", the host's /sys/kernel/btf and a seccomp " \
	"profile that allows bpf and perf_event_open (deploy/seccomp.json); Docker before 23 blocks bpf() " \
	"even with CAP_BPF"

static const char *seccomp_name(int mode)
{
	static const char *const names[] = { "none", "strict", "filter" };

	return mode >= 0 && mode <= 2 ? names[mode] : NULL;
}

static const char *tristate_ns(enum probe_tristate t)
{
	return t == PROBE_YES ? "initial" : t == PROBE_NO ? "nested" : "unknown";
}

static const char *memcg_name(enum probe_tristate t)
{
	return t == PROBE_YES ? "memcg" : t == PROBE_NO ? "memlock" : "unknown";
}

static void fmt_limit(char *buf, size_t len, unsigned long long v)
{
	if (v == RLIM_INFINITY)
		snprintf(buf, len, "unlimited");
	else if (v >= (1ULL << 20) && !(v & ((1ULL << 20) - 1)))
		snprintf(buf, len, "%llu MiB", v >> 20);
	else
		snprintf(buf, len, "%llu KiB", v >> 10);
}

/* ---- JSON ---- */

/* Rendered with the project's JSON writer; these helpers add doctor's value kinds. */
static void jw_tristate(struct out *w, const char *key, enum probe_tristate v)
{
	if (v == PROBE_UNKNOWN)
		out_null(w, key);
	else
		out_bool(w, key, v == PROBE_YES);
}

static void jw_limit(struct out *w, const char *key, unsigned long long v)
{
	if (v == RLIM_INFINITY)
		out_str(w, key, "unlimited");
	else
		out_int(w, key, (long long)v);
}

static void jw_sysctl(struct out *w, const char *key, const struct probe_sysctl *s)
{
	if (s->present == PROBE_YES)
		out_int(w, key, s->value);
	else
		out_str(w, key, NULL);
}

static void jw_notes(struct out *w, const char *key, const struct notes *n)
{
	int i;

	out_arr_begin(w, key);
	for (i = 0; i < n->n; i++)
		out_str(w, NULL, n->text[i]);
	out_arr_end(w);
}

/* A comma-separated list as an array. */
static void jw_list(struct out *w, const char *key, const char *list)
{
	char item[PROBE_TEXT];
	size_t n;

	out_arr_begin(w, key);
	while (*list) {
		n = strcspn(list, ",");
		snprintf(item, sizeof(item), "%.*s", (int)n, list);
		out_str(w, NULL, item);
		list += n + (list[n] == ',');
	}
	out_arr_end(w);
}

static void json_caps(struct out *w, const struct probe *p)
{
	static const char *const keys[] = { "effective", "permitted", "bounding" };
	const unsigned long long sets[] = { p->caps.effective, p->caps.permitted, p->caps.bounding };
	size_t i, j;

	out_obj_begin(w, "capabilities");
	out_bool(w, "known", p->caps.known);
	if (p->caps.uid_known)
		out_int(w, "euid", p->caps.euid);
	else
		out_str(w, "euid", NULL);
	/* Only the capabilities procscope cares about are listed. */
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		out_arr_begin(w, keys[i]);
		for (j = 0; p->caps.known && j < NCAP_USES; j++)
			if (cap_in(sets[i], cap_uses[j].cap))
				out_str(w, NULL, cap_name(cap_uses[j].cap));
		out_arr_end(w);
	}
	out_arr_begin(w, "required");
	for (j = 0; j < NCAP_USES; j++)
		if (cap_uses[j].required)
			out_str(w, NULL, cap_name(cap_uses[j].cap));
	out_arr_end(w);
	out_arr_begin(w, "missing");
	for (j = 0; j < NCAP_USES; j++)
		if (cap_missing(p, &cap_uses[j]))
			out_str(w, NULL, cap_name(cap_uses[j].cap));
	out_arr_end(w);
	out_obj_end(w);
}

static void json_prog(struct out *w, const struct probe_prog *r)
{
	out_obj_begin(w, r->name);
	out_bool(w, "loads", r->works);
	out_bool(w, "probed", r->probed);
	out_str(w, "target", r->target);
	out_str(w, "stage", r->works ? NULL : r->stage);
	out_str(w, "error", r->err ? err_name(r->err) : NULL);
	out_str(w, "message", r->err ? strerror(r->err) : NULL);
	out_str(w, "note", r->note);
	out_obj_end(w);
}

static void json_security(struct out *w, const struct probe *p)
{
	const struct probe_prog *lsm = &p->prog[PROBE_LSM];

	out_obj_begin(w, "lockdown");
	out_str(w, "mode", p->lockdown.mode[0] ? p->lockdown.mode : NULL);
	out_str(w, "reason", p->lockdown.reason);
	out_str(w, "minimum", p->lockdown.minimum[0] ? p->lockdown.minimum : NULL);
	out_str(w, "minimum_source", p->lockdown.minimum_source);
	out_obj_end(w);
	out_obj_begin(w, "lsm");
	jw_list(w, "list", p->lsm.list);
	out_str(w, "source", p->lsm.source);
	jw_tristate(w, "bpf_in_list", !p->lsm.source ? PROBE_UNKNOWN :
		    p->lsm.bpf_in_list ? PROBE_YES : PROBE_NO);
	out_bool(w, "bpf_lsm_loads", lsm->works);
	out_str(w, "bpf_lsm_error", lsm->err ? err_name(lsm->err) : NULL);
	out_obj_end(w);
	out_obj_begin(w, "seccomp");
	out_str(w, "mode", seccomp_name(p->caps.seccomp));
	out_obj_end(w);
	out_obj_begin(w, "sysctl");
	jw_sysctl(w, "unprivileged_bpf_disabled", &p->unpriv_bpf);
	jw_sysctl(w, "perf_event_paranoid", &p->perf_paranoid);
	out_obj_end(w);
	out_obj_begin(w, "yama");
	/* An unreadable ptrace_scope still proves Yama is built in. */
	jw_tristate(w, "built_in", p->yama.present == PROBE_NO ? PROBE_NO : PROBE_YES);
	jw_sysctl(w, "ptrace_scope", &p->yama);
	out_obj_end(w);
}

static void json_environment(struct out *w, const struct probe *p)
{
	const struct probe_container *c = &p->container;
	int i;

	out_obj_begin(w, "memory");
	out_str(w, "accounting", memcg_name(p->memory.memcg));
	out_str(w, "error", p->memory.memcg_err ? err_name(p->memory.memcg_err) : NULL);
	jw_limit(w, "memlock_limit", p->memory.memlock_cur);
	jw_limit(w, "memlock_max", p->memory.memlock_max);
	out_obj_end(w);
	out_obj_begin(w, "tracefs");
	jw_tristate(w, "mounted", !p->mounts.known ? PROBE_UNKNOWN :
		    p->mounts.tracefs[0] ? PROBE_YES : PROBE_NO);
	out_str(w, "path", p->mounts.tracefs[0] ? p->mounts.tracefs : NULL);
	out_obj_end(w);
	out_obj_begin(w, "container");
	out_bool(w, "detected", c->nevidence > 0);
	out_arr_begin(w, "evidence");
	for (i = 0; i < c->nevidence; i++)
		out_str(w, NULL, c->evidence[i]);
	out_arr_end(w);
	out_str(w, "pid_namespace", tristate_ns(c->pidns_initial));
	out_str(w, "cgroup_runtime", c->cgroup_runtime[0] ? c->cgroup_runtime : NULL);
	out_str(w, "limits", c->nevidence ? CONTAINER_LIMITS : NULL);
	out_obj_end(w);
}

static void print_json(const struct probe *p, const struct verdict *v, const struct remedy *r)
{
	const char *root = probe_root();
	struct out w;
	int i;

	out_init(&w, OUT_JSON);
	out_obj_begin(&w, NULL);
	out_int(&w, "schema", 1);
	out_str(&w, "sysroot", root[0] ? root : NULL);
	out_obj_begin(&w, "kernel");
	out_str(&w, "release", p->kernel.release);
	out_bool(&w, "version_ok", p->kernel.version_ok);
	out_str(&w, "minimum", "5.8");
	out_obj_end(&w);
	out_obj_begin(&w, "btf");
	out_str(&w, "path", PROBE_BTF_PATH);
	out_bool(&w, "present", p->btf.present);
	out_bool(&w, "readable", p->btf.readable);
	out_bool(&w, "parsed", p->btf.parsed);
	out_int(&w, "types", p->btf.types);
	out_str(&w, "error", p->btf.err ? err_name(p->btf.err) : NULL);
	out_obj_end(&w);
	json_caps(&w, p);
	json_security(&w, p);
	out_obj_begin(&w, "program_types");
	for (i = 0; i < PROBE__NR; i++)
		json_prog(&w, &p->prog[i]);
	out_obj_end(&w);
	json_environment(&w, p);
	out_obj_begin(&w, "verdict");
	out_bool(&w, "can_trace", v->can_trace);
	out_str(&w, "backend", v->backend);
	out_str(&w, "backend_reason", v->backend_reason);
	out_str(&w, "enforcement", v->enforcement);
	out_int(&w, "exit_code", v->exit_code);
	jw_notes(&w, "problems", &v->problems);
	jw_notes(&w, "warnings", &v->warnings);
	out_obj_end(&w);
	out_obj_begin(&w, "remediation");
	out_str(&w, "setcap", r->setcap);
	out_str(&w, "docker", r->docker);
	out_str(&w, "kubernetes", r->kubernetes);
	out_obj_end(&w);
	out_obj_end(&w);
	printf("%s\n", w.buf);
	out_free(&w);
}

/* ---- text ---- */

enum mark { MARK_OK, MARK_WARN, MARK_FAIL, MARK_INFO };

static bool use_color;

static void section(const char *title)
{
	printf(use_color ? "\n\033[1m%s\033[0m\n" : "\n%s\n", title);
}

static void fact(enum mark m, const char *fmt, ...)
{
	static const char *const label[] = { "ok", "warn", "fail", "info" };
	static const char *const color[] = { "\033[32m", "\033[33m", "\033[31m", "\033[2m" };
	va_list ap;

	if (use_color)
		printf("  %s%-4s\033[0m  ", color[m], label[m]);
	else
		printf("  %-4s  ", label[m]);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void text_kernel(const struct probe *p)
{
	const struct probe_btf *b = &p->btf;

	section("Kernel");
	if (!p->kernel.parsed)
		fact(MARK_WARN, "release \"%s\" not understood", p->kernel.release);
	else
		fact(p->kernel.version_ok ? MARK_OK : MARK_FAIL, "release %s (%s 5.8: ring buffer, CAP_BPF)",
		     p->kernel.release, p->kernel.version_ok ? "at least" : "older than");
	if (!b->present)
		fact(MARK_FAIL, "no BTF at %s", PROBE_BTF_PATH);
	else if (!b->readable)
		fact(MARK_FAIL, "BTF at %s cannot be read: %s", PROBE_BTF_PATH,
		     b->err == EPROTO ? "not in BTF format" : strerror(b->err));
	else if (!b->parsed)
		fact(MARK_FAIL, "BTF at %s does not parse: %s", PROBE_BTF_PATH, strerror(b->err));
	else
		fact(MARK_OK, "BTF at %s: readable, parsed (%u types)", PROBE_BTF_PATH, b->types);
}

static void text_caps(const struct probe *p)
{
	const struct cap_use *u;
	size_t i;

	section("Capabilities (effective)");
	if (!p->caps.known) {
		fact(MARK_WARN, "unknown: /proc/self/status cannot be read");
		return;
	}
	for (i = 0; i < NCAP_USES; i++) {
		u = &cap_uses[i];
		if (probe_cap_effective(p, u->cap))
			fact(MARK_OK, "%s: %s", cap_name(u->cap), u->use);
		else if (u->required && !cap_missing(p, u))
			fact(MARK_OK, "%s: covered by CAP_SYS_ADMIN", cap_name(u->cap));
		else
			fact(u->required ? MARK_FAIL : MARK_INFO, "%s not effective%s: cannot %s",
			     cap_name(u->cap), cap_in(p->caps.bounding, u->cap) ? "" : " (not in the bounding set)",
			     u->use);
	}
}

static void text_sysctl(const char *name, const struct probe_sysctl *s, const char *meaning)
{
	if (s->present == PROBE_YES)
		fact(MARK_INFO, "%s = %ld%s", name, s->value, meaning);
	else
		fact(MARK_INFO, "%s: %s", name, s->present == PROBE_NO ? "absent" : "cannot be read");
}

static void text_security(const struct probe *p)
{
	const struct probe_lockdown *l = &p->lockdown;
	static const char *const unpriv[] = {
		" (unprivileged users may use bpf())",
		" (only CAP_BPF may use bpf(), fixed until reboot)",
		" (only CAP_BPF may use bpf())",
	};
	long u = p->unpriv_bpf.value;

	section("Security settings");
	if (l->mode[0])
		fact(strcmp(l->mode, "confidentiality") ? MARK_INFO : MARK_WARN, "lockdown: %s", l->mode);
	else if (l->minimum[0])
		fact(strcmp(l->minimum, "confidentiality") ? MARK_INFO : MARK_WARN,
		     "lockdown: unknown (%s); the %s sets at least %s", l->reason, l->minimum_source, l->minimum);
	else
		fact(MARK_INFO, "lockdown: unknown (%s)", l->reason);
	if (p->lsm.source)
		fact(MARK_INFO, "active LSMs: %s (from the %s); \"bpf\" is %sin the list", p->lsm.list,
		     p->lsm.source, p->lsm.bpf_in_list ? "" : "not ");
	else
		fact(MARK_INFO, "active LSMs: unknown (securityfs not mounted, no lsm= and no kernel config)");
	if (p->caps.seccomp == 2)
		fact(MARK_WARN, "seccomp: filter (a container runtime's default profile allows bpf only with CAP_SYS_ADMIN; use deploy/seccomp.json)");
	else
		fact(MARK_INFO, "seccomp: %s", seccomp_name(p->caps.seccomp) ? seccomp_name(p->caps.seccomp) : "unknown");
	text_sysctl("unprivileged_bpf_disabled", &p->unpriv_bpf, u >= 0 && u <= 2 ? unpriv[u] : "");
	text_sysctl("perf_event_paranoid", &p->perf_paranoid, " (procscope does not use perf events)");
	if (p->yama.present == PROBE_NO)
		fact(MARK_INFO, "Yama: not built in");
	else
		text_sysctl("Yama ptrace_scope", &p->yama, "");
}

static void text_prog(const struct probe_prog *r, bool required)
{
	enum mark bad = required ? MARK_FAIL : MARK_WARN;

	if (r->works)
		fact(MARK_OK, "%-11s works (%s)", r->name, r->target);
	else if (!r->probed)
		fact(bad, "%-11s not tried: %s", r->name, r->note);
	else
		fact(bad, "%-11s %s at %s (%s) (%s)", r->name, err_name(r->err), r->stage,
		     strerror(r->err), r->target);
}

static void text_programs(const struct probe *p)
{
	int i;

	section("BPF program types (tiny programs loaded, attached, then closed)");
	for (i = 0; i < PROBE__NR; i++)
		text_prog(&p->prog[i], i == PROBE_TP_BTF || i == PROBE_RINGBUF);
}

static void text_environment(const struct probe *p)
{
	const struct probe_container *c = &p->container;
	char cur[32], max[32];
	int i;

	section("Memory");
	fmt_limit(cur, sizeof(cur), p->memory.memlock_cur);
	fmt_limit(max, sizeof(max), p->memory.memlock_max);
	if (p->memory.memcg == PROBE_YES)
		fact(MARK_OK, "BPF memory is charged to the memory cgroup: RLIMIT_MEMLOCK (%s, hard %s) does not limit it",
		     cur, max);
	else if (p->memory.memcg == PROBE_NO)
		fact(MARK_WARN, "BPF memory is charged to RLIMIT_MEMLOCK (%s, hard %s)", cur, max);
	else
		fact(MARK_INFO, "BPF memory accounting unknown (%s); RLIMIT_MEMLOCK %s, hard %s",
		     err_name(p->memory.memcg_err), cur, max);
	section("Tracefs");
	if (!p->mounts.known)
		fact(MARK_INFO, "unknown: /proc/self/mounts cannot be read");
	else if (p->mounts.tracefs[0])
		fact(MARK_INFO, "mounted at %s (procscope does not need it)", p->mounts.tracefs);
	else
		fact(MARK_INFO, "not mounted (procscope does not need it)");
	section("Container");
	for (i = 0; i < c->nevidence; i++)
		fact(MARK_INFO, "%s", c->evidence[i]);
	if (c->cgroup_runtime[0])
		fact(MARK_INFO, "container runtime in /proc/1/cgroup: %s", c->cgroup_runtime);
	if (c->pidns_initial == PROBE_UNKNOWN)
		fact(MARK_INFO, "PID namespace: unknown (%s)", strerror(c->pidns_err));
	else
		fact(MARK_INFO, "PID namespace: %s", tristate_ns(c->pidns_initial));
	/* A marker file alone, in the host's PID namespace, may be a leftover of an image. */
	if (c->nevidence && (c->pidns_initial == PROBE_NO || c->cgroup_runtime[0]))
		fact(MARK_INFO, "inside a container: %s", CONTAINER_LIMITS);
	else if (c->nevidence)
		fact(MARK_INFO, "if this is a container, it %s", CONTAINER_LIMITS);
	else
		fact(MARK_INFO, "no sign of a container");
}

static void print_text(const struct probe *p, const struct verdict *v, const struct remedy *r)
{
	const char *root = probe_root();
	int i;

	printf("procscope doctor: what this machine allows\n");
	if (root[0])
		printf("(facts read below %s)\n", root);
	text_kernel(p);
	text_caps(p);
	text_security(p);
	text_programs(p);
	text_environment(p);
	section("Verdict");
	fact(v->can_trace ? MARK_OK : MARK_FAIL, "procscope %s trace here", v->can_trace ? "can" : "cannot");
	fact(MARK_INFO, "backend: %s (%s)", v->backend, v->backend_reason);
	fact(MARK_INFO, "enforcement: %s", v->enforcement);
	for (i = 0; i < v->problems.n; i++)
		fact(MARK_FAIL, "%s", v->problems.text[i]);
	for (i = 0; i < v->warnings.n; i++)
		fact(MARK_WARN, "%s", v->warnings.text[i]);
	section("Remediation");
	printf("  setcap      %s\n", r->setcap);
	printf("  docker      %s\n", r->docker);
	printf("  kubernetes  %s\n", r->kubernetes);
}

int doctor_main(int argc, char **argv)
{
	struct verdict v = { 0 };
	struct remedy r;
	struct probe *p;
	bool json = false;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			printf("Usage: procscope doctor [--json]\n");
			return PS_EXIT_OK;
		} else {
			fprintf(stderr, "procscope doctor: unknown argument '%s'; usage: procscope doctor [--json]\n",
				argv[i]);
			return PS_EXIT_USAGE;
		}
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		fprintf(stderr, "procscope doctor: out of memory\n");
		return PS_EXIT_OSERR;
	}
	probe_machine(p);
	probe_programs(p);
	judge(p, &v);
	remedies(&r);
	use_color = !json && tty_color_ok(STDOUT_FILENO);
	if (json)
		print_json(p, &v, &r);
	else
		print_text(p, &v, &r);
	free(p);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "procscope doctor: cannot write the report: %s\n", strerror(errno));
		return PS_EXIT_OSERR;
	}
	return v.exit_code;
}
