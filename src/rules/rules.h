/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * A rules file after parsing, list and macro expansion, type checking and
 * folding: what the language front end (parse, check, fold) hands to the
 * back end that serialises it into the kernel's maps.  Nothing here is
 * shared with BPF; the map layouts live in include/records.h.
 */
#ifndef PS_RULES_H
#define PS_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* One key per hook in the rules file (its YAML spelling in rules_hook_name()). */
enum rule_hook {
	RH_SETUID,
	RH_SETGID,
	RH_CAPSET,              /* "setcaps" is an accepted alias */
	RH_PRCTL,
	RH_CREATE_USER_NS,
	RH_PTRACE_ACCESS_CHECK,
	RH_BPRM_CHECK,
	RH_SCHED_PROCESS_EXEC,
	RH_FILE_OPEN,
	RH_PATH_TRUNCATE,
	RH_PATH_UNLINK,
	RH_PATH_SYMLINK,
	RH_PATH_CHMOD,
	RH_PATH_CHOWN,
	RH_SB_MOUNT,
	RH_SOCKET_CREATE,
	RH_SOCKET_CONNECT,
	RH_BPF_PROG_LOAD,
	RH_BPF_MAP_CREATE,
	RH_SOCKET_LISTEN,       /* listen(2): family, port_src */
	RH_KERNEL_MODULE_LOAD,  /* init_module, finit_module: scope only */
	RH_KEXEC_LOAD,          /* kexec_load, kexec_file_load: scope only */
	RH__COUNT,
};

/* Every attribute any hook accepts; which hook accepts which is in the hook table. */
enum rule_attr {
	/* scope: the acting process and its parent */
	RA_BINARY_PATH, RA_BINARY_NAME, RA_BINARY_PREFIX,
	RA_PARENT_BINARY_PATH, RA_PARENT_BINARY_NAME, RA_PARENT_BINARY_PREFIX,
	/* event */
	RA_PATH, RA_NAME, RA_PATH_PREFIX,
	RA_UID, RA_EUID, RA_GID, RA_EGID,
	RA_ECAPS, RA_PCAPS,
	RA_ACCESS_MODE, RA_CREATION_FLAGS, RA_MODE,
	RA_FAMILY, RA_TYPE, RA_PROTOCOL,
	RA_IPV4_DST, RA_IPV6_DST, RA_PORT_DST, RA_PORT_SRC,
	RA_PREFIX,              /* bpf_*: prefix of the program or map name */
	RA_GAINED_CAPS,         /* capset, bprm_check: capabilities gained over the caller's */
	RA_PREV_EUID,           /* setuid: the effective uid before the call */
	RA_ARG0,                /* sched_process_exec: RA_ARG0 + i for argv[i], i < 32 */
	RA__COUNT = RA_ARG0 + 32,
};

/* How an attribute's literals are read and compared. */
enum rule_type {
	RT_UINT,     /* decimal or hex; == != < <= > >= in */
	RT_STR,      /* exact string; == in */
	RT_PREFIX,   /* string prefix; == in (a prefix match) */
	RT_FLAGS,    /* bit names or numbers: == "this bit set", in "any of these bits" */
	RT_ENUM,     /* a name from the attribute's table, or a number; == != in */
	RT_CIDR4,    /* "a.b.c.d[/n]"; == in */
	RT_CIDR6,    /* IPv6 "addr[/n]"; == in */
};

enum rule_op { RO_EQ, RO_NE, RO_LT, RO_LE, RO_GT, RO_GE, RO_IN };

struct rule_value {
	uint64_t u;             /* RT_UINT, RT_ENUM, RT_FLAGS (a bit mask) */
	char *s;                /* RT_STR, RT_PREFIX: NUL-terminated */
	size_t len;             /* strlen(s): a prefix test needs it for every act */
	uint8_t addr[16];       /* RT_CIDR*: network byte order */
	uint8_t plen;           /* RT_CIDR*: prefix length in bits */
};

enum rule_node { RN_AND, RN_OR, RN_NOT, RN_CMP, RN_TRUE };

/* An expression after folding: RN_CMP leaves under AND/OR/NOT. */
struct rule_expr {
	enum rule_node kind;
	struct rule_expr *l, *r;    /* AND/OR: both; NOT: l */
	enum rule_attr attr;        /* RN_CMP */
	enum rule_op op;
	struct rule_value *vals;    /* one for every op but RO_IN */
	size_t nvals;
	unsigned int line, col;     /* in the rules file, for messages */
};

struct rule {
	char *name;
	struct rule_expr *scope;    /* NULL: any process */
	struct rule_expr *event;    /* NULL: any act of the hook */
	char *severity;             /* optional: low, medium, high, critical */
	char *mitre;                /* optional: ATT&CK technique id, e.g. T1548.001 */
	char *desc;                 /* optional: one line for people */
	unsigned int line, col;
};

/* Limits, documented in docs/rules.md. */
#define RULES_MAX_PER_HOOK  64
#define RULES_MAX_OPS       32  /* RN_* nodes in one rule's scope + event */
#define RULES_MAX_LIST      256 /* items in one list or in [ ... ] */

struct rule_hook_cfg {
	bool present;               /* the key is in the file */
	bool enabled;
	bool sandbox;               /* sandbox.enabled */
	bool deny_list;             /* sandbox.deny_list */
	struct rule *rules;
	size_t nrules;              /* 0 with enabled: report every act */
};

struct ruleset {
	struct rule_hook_cfg hooks[RH__COUNT];
	char *files;                /* the file names it came from, for the run header */
};

/*
 * Parse, expand, check and fold one rules file into `rs` (several files
 * merge: a hook in two files is an error).  Returns 0, or -1 with one
 * "FILE:LINE:COL: message" sentence in `err`.
 */
int rules_load_file(struct ruleset *rs, const char *path, char *err, size_t errlen);
int rules_load_string(struct ruleset *rs, const char *name, const char *text,
		      char *err, size_t errlen);
void rules_free(struct ruleset *rs);

const char *rules_hook_name(enum rule_hook h);
/* The events a hook's rules can match, as an -e list ("file.open,file.truncate"). */
const char *rules_hook_events(enum rule_hook h);
const char *rules_attr_name(enum rule_attr a);
enum rule_type rules_attr_type(enum rule_attr a);

/*
 * The compiled form, one hook per block, as `rules check` prints it, with
 * how each sandbox is enforced: killed in the kernel, or reported only.
 */
void rules_print(FILE *f, const struct ruleset *rs);
/* One expression as the compiled form spells it. */
void rules_print_expr(FILE *f, const struct rule_expr *e);

/* The hook a rules file key names ("setcaps" included), or -1. */
int rules_hook_find(const char *name);
/* The attributes hook `h` accepts in `event` (scope attributes are always accepted). */
bool rules_hook_accepts(enum rule_hook h, enum rule_attr a);
/* The hook's sandbox can be enabled (prctl, ptrace_access_check, sb_mount ... cannot). */
bool rules_hook_sandboxable(enum rule_hook h);

/*
 * What an act is, for evaluation: the value of every attribute the act has
 * (bit `a` of `present`).  Strings stay owned by the caller.
 */
struct rule_facts {
	uint64_t present;                       /* bit per enum rule_attr below RA_ARG0 */
	uint64_t args_present;                  /* bit i: argv[i] */
	uint64_t u[RA__COUNT];
	const char *s[RA__COUNT];
	uint8_t addr[16];                       /* ipv4_dst (first 4 bytes) or ipv6_dst */
};

static inline void rules_fact_u(struct rule_facts *f, enum rule_attr a, uint64_t v)
{
	f->u[a] = v;
	if (a < RA_ARG0)
		f->present |= 1ULL << a;
}

static inline void rules_fact_s(struct rule_facts *f, enum rule_attr a, const char *s)
{
	if (!s)
		return;
	f->s[a] = s;
	if (a < RA_ARG0)
		f->present |= 1ULL << a;
	else
		f->args_present |= 1ULL << (a - RA_ARG0);
}

/* What evaluating one hook's rules decided about one act. */
struct rule_verdict {
	const struct rule *rule;    /* the rule to report, NULL: nothing to report */
	bool block;                 /* the hook's sandbox says the act is not allowed */
	bool unknown;               /* an attribute the rule needed was missing */
};

/*
 * First matching rule of hook `h` for one act (scope AND event), with the
 * hook's sandbox mode applied: in allow-list mode the first rule whose scope
 * matches decides, and an act it does not allow is reported (and an act
 * whose attributes are missing fails closed).  Returns whether anything is
 * to be reported.
 */
bool rules_eval(const struct ruleset *rs, enum rule_hook h, const struct rule_facts *f,
		struct rule_verdict *v);

/* Every hook's rules count, for the run header and metrics. */
size_t rules_count(const struct ruleset *rs);

/* The default policy (rules/default.yaml, compiled into the binary). */
extern const char rules_default_yaml[];
int rules_load_default(struct ruleset *rs, char *err, size_t errlen);


#endif
