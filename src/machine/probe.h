/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Facts about this machine that decide whether and how procscope can trace.
 * Each one is measured (a file read, a tiny program loaded and attached),
 * never inferred from the kernel version.
 *
 * Every file is read below one root: "/", or the directory named by
 * PROCSCOPE_SYSROOT so that tests can describe a machine with a directory
 * tree.  The override is read with secure_getenv(), so a binary running with
 * file capabilities never honours it.
 */
#ifndef PS_PROBE_H
#define PS_PROBE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define PROBE_BTF_PATH    "/sys/kernel/btf/vmlinux"
#define PROBE_MIN_MAJOR   5   /* ring buffer and CAP_BPF arrived in 5.8 */
#define PROBE_MIN_MINOR   8
#define PROBE_TEXT        256

enum probe_tristate { PROBE_UNKNOWN = -1, PROBE_NO = 0, PROBE_YES = 1 };

struct probe_kernel {
	char release[65];
	bool parsed;               /* release understood as MAJOR.MINOR */
	int major, minor;
	bool version_ok;           /* >= 5.8 (false when not parsed) */
};

struct probe_btf {
	bool present;              /* the file exists */
	bool readable;             /* opened, and starts with the BTF magic */
	bool parsed;               /* btf__parse() accepted it (full probe only) */
	unsigned int types;
	int err;                   /* errno of the first failing step, or 0 */
};

struct probe_caps {
	bool known;                /* read from /proc/self/status */
	unsigned long long effective, permitted, bounding;
	bool uid_known;
	unsigned int euid;
	int seccomp;               /* "Seccomp:" 0 none, 1 strict, 2 filter; -1 unknown */
};

/* An integer from /proc/sys: absent files are common (Yama not built in). */
struct probe_sysctl {
	enum probe_tristate present;  /* UNKNOWN: exists but unreadable */
	long value;
};

struct probe_lockdown {
	char mode[32];             /* from securityfs; "" when unknown */
	char minimum[32];          /* from lockdown= or the kernel config; "" if none */
	const char *minimum_source;
	const char *reason;        /* why mode is unknown */
};

struct probe_lsm {
	char list[PROBE_TEXT];     /* comma-separated; "" when unknown */
	const char *source;        /* NULL when unknown */
	bool bpf_in_list;
};

struct probe_memory {
	unsigned long long memlock_cur, memlock_max;  /* RLIM_INFINITY as is */
	enum probe_tristate memcg;  /* BPF memory charged to the memory cgroup */
	int memcg_err;              /* why memcg is unknown */
};

struct probe_mounts {
	bool known;                /* /proc/self/mounts was read */
	bool securityfs;           /* mounted at /sys/kernel/security */
	char tracefs[PATH_MAX];    /* first tracefs mount point, "" if none */
};

#define PROBE_EVIDENCE 4

struct probe_container {
	const char *evidence[PROBE_EVIDENCE];
	int nevidence;
	enum probe_tristate pidns_initial;
	int pidns_err;
	char cgroup_runtime[16];   /* a runtime named in /proc/1/cgroup, or "" */
};

enum probe_prog_kind {
	PROBE_TP_BTF,
	PROBE_RAW_TP,
	PROBE_FENTRY,
	PROBE_LSM,
	PROBE_RINGBUF,
	PROBE_SEND_SIGNAL,
	PROBE__NR,
};

struct probe_prog {
	const char *name;          /* "tp_btf", "raw_tp", ... */
	bool probed;               /* false: not attempted, see note */
	bool works;                /* loaded and attached (map: created; helper: accepted) */
	int err;                   /* errno of the failing step, 0 when it works */
	const char *stage;         /* failing step: "find", "load", "attach", "create" */
	const char *target;        /* what it attaches to */
	const char *note;          /* why it was not attempted */
};

struct probe {
	struct probe_kernel kernel;
	struct probe_btf btf;
	struct probe_caps caps;
	/* probe_machine() and later */
	struct probe_lockdown lockdown;
	struct probe_lsm lsm;
	struct probe_sysctl unpriv_bpf, perf_paranoid, yama;
	struct probe_memory memory;
	struct probe_mounts mounts;
	struct probe_container container;
	/* probe_programs() */
	bool programs_probed;
	struct probe_prog prog[PROBE__NR];
};

/*
 * Parse `field` ("CapEff", "CapPrm", ...) of /proc/<pid>/status text: a
 * line "CapEff:\t000001fffeffffff".  Returns 0 with the value in *out,
 * -ENOENT when the line is missing, -EINVAL when its value is not 1 to 16 hex
 * digits.
 */
int parse_cap_hex(const char *status_text, const char *field, unsigned long long *out);

/* The root files are read below: "" for "/", else the override without a trailing slash. */
const char *probe_root(void);

/* Kernel release, BTF file, capabilities: cheap enough for every trace. */
void probe_basic(struct probe *p);

/* probe_basic() plus every fact read from files and limits (no BPF calls). */
void probe_machine(struct probe *p);

/*
 * Load and attach one tiny program of each type, create a ring buffer and
 * measure how BPF memory is charged.  Every fd is closed before it returns:
 * nothing stays loaded.  Needs probe_machine() first.
 */
void probe_programs(struct probe *p);

bool probe_cap_effective(const struct probe *p, int cap);

/* CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN, are effective (true when unknown). */
bool probe_caps_sufficient(const struct probe *p);

/*
 * This binary's real path, shell-quoted when it needs to be, for the
 * commands procscope prints.  Falls back to "procscope".
 */
void probe_self_path(char *buf, size_t len);

#endif
