/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Record layouts shared by the BPF programs (bpf/) and user space (src/).
 *
 * Every record in the ring buffer is a struct ps_hdr followed by a
 * kind-specific fixed part and then zero or more variable-length blobs
 * (struct ps_blob + bytes).  The header carries the total size so the
 * consumer can bounds-check every record before looking inside it.
 *
 * Both compilers see this file: BPF includes vmlinux.h first (kernel
 * types), user space includes <linux/types.h>.
 */
#ifndef PROCSCOPE_RECORDS_H
#define PROCSCOPE_RECORDS_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define PS_SCHEMA_VERSION 1

/* Bounds (documented in docs/limits.md). */
#define PS_COMM_LEN      16
#define PS_PATH_MAX      4096   /* one path string, including NUL */
#define PS_PATH_DEPTH    64     /* dentry components walked for one path */
#define PS_ARGS_MAX      65536  /* bytes of argv (or envp) read at exec */
#define PS_BLOB_MAX      256    /* sockaddr, open_how, clone_args ... */
#define PS_MAX_BLOBS     4      /* blobs captured for one syscall */
#define PS_SCRATCH_SIZE  (2 * PS_ARGS_MAX + 2 * PS_PATH_MAX)
#define PS_PATHS_MAX     8      /* --path prefixes */
#define PS_PATH_PREFIX_MAX 256  /* one --path prefix, including NUL */
#define PS_SYSCALL_MAX   512    /* syscall numbers of one ABI covered by the spec map */
/* The spec map holds x86-64 numbers, then IA-32 numbers from this offset. */
#define PS_IA32_BASE     PS_SYSCALL_MAX
#define PS_SPEC_SLOTS    (2 * PS_SYSCALL_MAX)
#define PS_PID_LIMIT     4194304 /* the kernel's PID_MAX_LIMIT */
#define PS_SCOPE_WORDS   (PS_PID_LIMIT / 64)

/* Record kinds. */
enum ps_rec_kind {
	PS_REC_EXEC = 1,    /* sched_process_exec: successful exec */
	PS_REC_FORK = 2,    /* sched_process_fork of a new process */
	PS_REC_EXIT = 3,    /* sched_process_exit of the last thread */
	PS_REC_SYSCALL = 4, /* sys_exit of a covered syscall */
};

/* ps_hdr.flags */
#define PS_HF_TRUNCATED   (1u << 0) /* some string or blob was cut short */
#define PS_HF_READ_FAILED (1u << 1) /* some user memory could not be read */
#define PS_HF_KILLED      (1u << 2) /* a rule's sandbox killed the process (bpf_send_signal) */
/* --path: an absolute path that does not mean what procscope's "/" means (chroot, another
 * mount namespace, openat2 RESOLVE_IN_ROOT): no prefix can judge it, so it is kept. */
#define PS_HF_FOREIGN_ROOT (1u << 3)
/* With PS_HF_KILLED: the index of the rule in its hook, plus one, in bits 8..15. */
#define PS_HF_RULE_SHIFT  8

struct ps_hdr {
	__u32 size;       /* whole record, header included */
	__u16 kind;       /* enum ps_rec_kind */
	__u16 flags;      /* PS_HF_* */
	__u64 ts_boot;    /* bpf_ktime_get_boot_ns() */
	__u64 start_boot; /* group leader's start_boottime: process key */
	__u64 parent_start_boot; /* the real parent's: its process key */
	__u32 pid;        /* tgid */
	__u32 tid;
	__u32 ppid;       /* real parent's tgid */
	__u32 uid;
	__u32 gid;
	__u32 euid;
	char comm[PS_COMM_LEN];
};

/* Blob kinds, attached after the fixed part. */
enum ps_blob_kind {
	PS_BLOB_STR = 1,      /* user string (NUL not included) */
	PS_BLOB_DIRENTS = 2,  /* kernel path as components leaf-first, NUL separated */
	PS_BLOB_BYTES = 3,    /* raw user bytes (sockaddr, open_how ...) */
	PS_BLOB_ARGV = 4,     /* argv area, NUL separated */
	PS_BLOB_ENVP = 5,     /* envp area, NUL separated */
	PS_BLOB_CREDS = 6,    /* struct ps_creds; arg PS_ARG_BEFORE or PS_ARG_AFTER */
	PS_BLOB_NS = 7,       /* struct ps_ns; arg PS_ARG_BEFORE or PS_ARG_AFTER */
	PS_BLOB_TARGET = 8,   /* struct ps_target: the process acted upon */
	PS_BLOB_SOCK = 9,     /* struct ps_sock: a socket's kernel state */
};

/* ps_blob.flags */
#define PS_BF_TRUNCATED   (1u << 0)
#define PS_BF_READ_FAILED (1u << 1)
#define PS_BF_ROOTED      (1u << 2) /* DIRENTS reached the root: path is absolute */
#define PS_BF_DELETED     (1u << 3) /* DIRENTS of a file with no links left */

struct ps_blob {
	__u8 kind;  /* enum ps_blob_kind */
	__u8 arg;   /* syscall argument it came from, or PS_ARG_* below */
	__u16 flags;
	__u32 len;  /* bytes that follow, padded to 8 in the stream */
};

/* ps_blob.arg values that are not syscall argument indexes. */
#define PS_ARG_BASE  0x40 /* OR'ed with an arg index: base dir of a relative path */
#define PS_ARG_RETFD 0x80 /* path of the fd the syscall returned */
#define PS_ARG_EXE   0x81 /* exec: the executable file's path */
#define PS_ARG_BEFORE 0x90 /* CREDS/NS: at syscall entry */
#define PS_ARG_AFTER  0x91 /* CREDS/NS: after the syscall (for clone: the child's) */

#define PS_NGROUPS 32

struct ps_creds {
	__u32 uid, euid, suid, fsuid;
	__u32 gid, egid, sgid, fsgid;
	__u64 cap_inh, cap_prm, cap_eff, cap_bnd, cap_amb;
	__u32 securebits;
	__u32 ngroups;              /* may exceed PS_NGROUPS; groups[] holds the first ones */
	__u32 groups[PS_NGROUPS];
};

/* Namespace inode numbers (what `ls -l /proc/PID/ns` shows). */
struct ps_ns {
	__u32 mnt, pid, net, uts, ipc, user, cgroup, time; /* pid: pid_for_children */
};

struct ps_target {
	__s64 id;          /* the pid argument as given (<= 0: a process group) */
	__u32 pid;         /* resolved tgid, 0 if no such process */
	__u32 tid;
	__u64 start_boot;
	__u8 in_tree;      /* the target is in the traced tree */
	__u8 unresolved;   /* the caller is in a PID namespace: id is not a global pid */
	__u8 pad[6];
	char comm[PS_COMM_LEN];
};

#define PS_UNIX_PATH 108 /* sizeof(sun_path) */

struct ps_sock {
	__u16 family;
	__u16 type;
	__u16 protocol;
	__u16 state;
	__u16 sport;       /* host byte order */
	__u16 dport;
	__u32 pad;
	__u8 saddr[16];    /* IPv4 in the first 4 bytes */
	__u8 daddr[16];
	/* AF_UNIX: the bound names (sun_path bytes; a leading NUL is abstract). */
	__u16 unix_local_len;
	__u16 unix_peer_len;
	__u32 pad2;
	char unix_local[PS_UNIX_PATH];
	char unix_peer[PS_UNIX_PATH];
};

#define PS_EXEC_SECURE (1u << 0) /* the kernel set AT_SECURE: setuid/setgid/file caps */
#define PS_EXEC_UNFOLLOWED (1u << 1) /* confined run: the process is no longer followed */
#define PS_EXEC_NONDUMP    (1u << 2) /* the new image is not dumpable: ptrace refuses unprivileged tracers */
#define PS_EXEC_UNREADABLE (1u << 3) /* the caller may not read the executable (e.g. mode 0711) */

struct ps_exec {
	__u32 argc;       /* argc reported by the kernel */
	__u32 envc;
	__u32 old_pid;    /* tid that called exec (differs after de_thread) */
	__u32 flags;      /* PS_EXEC_* */
	/* The executable's identity, so user space can hash the very file (0: none). */
	__u32 exe_mnt_id;   /* the mount it ran from (mount ids are unique across namespaces) */
	__u32 exe_fs_magic; /* its file system's s_magic (low 32 bits): FUSE, NFS ... */
	__u64 exe_ino;
	__u64 exe_size;
	__s64 exe_ctime_ns; /* its inode's ctime; 0: not readable on this kernel */
	/* blobs: STR filename, [DIRENTS base], [DIRENTS exe], ARGV, [ENVP], [CREDS before, after] */
};

struct ps_fork {
	__u32 child_pid;
	__u32 pad;
	__u64 child_start_boot;
};

struct ps_exit {
	__s32 exit_code;  /* raw wait status: (code << 8) | signal | core */
	__u32 pad;
};

/* ps_syscall.abi: the entry point the call came through. */
#define PS_ABI_X64  0
#define PS_ABI_IA32 1  /* int $0x80 / sysenter: IA-32 numbers and 32-bit arguments */

struct ps_syscall {
	__u32 nr;         /* in the numbering of `abi` */
	__u16 abi;        /* PS_ABI_* */
	__u16 subcall;    /* IA-32 socketcall(2): its call number (nr is the direct twin) */
	__s64 ret;
	__u64 args[6];
	/* blobs as the spec says */
};

/* What sys_enter/sys_exit capture for one syscall number. */
enum ps_cap_kind {
	PS_CAP_NONE = 0,
	PS_CAP_PATH,       /* user path string; if relative, base dir of dirfd arg `aux` (0xff: cwd) */
	PS_CAP_STR,        /* user string */
	PS_CAP_BYTES,      /* user bytes: length = aux, or arg[aux & 0x7] when PS_CAP_LEN_ARG set */
	PS_CAP_FD_PATH,    /* kernel path of the fd in this argument */
	PS_CAP_ARGV,       /* a user char *[] (execve argv) as an ARGV blob (aux 1: 32-bit pointers) */
	PS_CAP_SOCK,       /* kernel socket state of the fd in this argument */
	PS_CAP_MSGNAME,    /* sendmsg: the msghdr's address; no address: no event (aux 1: compat msghdr) */
	PS_CAP_TARGET,     /* the process named by this pid argument (aux PS_TGT_*) */
};

#define PS_TGT_PID    0  /* a pid, <= 0 for process groups (kill) */
#define PS_TGT_PIDFD  1  /* a pidfd */

#define PS_CAP_LEN_ARG   0x80  /* BYTES: aux names the argument holding the length */
#define PS_CAP_LEN_PTR   0x40  /* BYTES: that argument is a pointer to an int length */
#define PS_AUX_CWD       0xff

struct ps_cap {
	__u8 kind; /* enum ps_cap_kind */
	__u8 arg;  /* which syscall argument */
	__u8 aux;
	__u8 pad;
};

#define PS_SPEC_ENABLED   (1u << 0)
#define PS_SPEC_RETFD     (1u << 1) /* on success, walk the path of the returned fd */
#define PS_SPEC_CREDS     (1u << 2) /* credentials before and after the call */
#define PS_SPEC_NS        (1u << 3) /* namespaces before and after the call */
#define PS_SPEC_CLONE     (1u << 4) /* clone/clone3: only failures and new namespaces */
#define PS_SPEC_IF_ARG    (1u << 5) /* only when argument `cond_arg` is non-zero */
#define PS_SPEC_RETSOCK   (1u << 6) /* on success, the socket of the returned fd */
#define PS_SPEC_EXEC      (1u << 7) /* execve/execveat: success is sched_process_exec's */
#define PS_SPEC_NOFLAGS   (1u << 8) /* with CLONE: fork/vfork, no flags argument */
#define PS_SPEC_CLONE3    (1u << 9) /* with CLONE: flags in the struct clone_args of arg 0 */
/* An IA-32 call that is not an act procscope reports (read, mmap2 ...): not counted. */
#define PS_SPEC_KNOWN     (1u << 10)
#define PS_SPEC_DROP      (1u << 11) /* -e excludes every record of it: judged by rules, never sent */
#define PS_SPEC_FILE      (1u << 12) /* a file event: --path applies */

struct ps_spec {
	__u32 flags;
	__u8 ncaps;
	__u8 cond_arg;
	__u8 khook;       /* enum ps_khook + 1 whose rules judge it; 0: none */
	__u8 flags_arg;   /* file.open: open flags in args[n - 1]; PS_FLAGS_* below; 0: none */
	struct ps_cap caps[PS_MAX_BLOBS];
};

/* ps_spec.flags_arg beyond an argument: creat's implied flags, openat2's struct open_how. */
#define PS_FLAGS_CREAT   0xfe
#define PS_FLAGS_HOW     0xfd

/* cfg_result: which syscall results are sent (--failed, --succeeded). */
enum ps_result_filter { PS_RESULT_ALL = 0, PS_RESULT_FAILED = 1, PS_RESULT_SUCCEEDED = 2 };

/* Per-CPU counters of everything that can be lost, cut short or filtered. */

enum ps_counter {
	PS_CNT_EVENTS = 0,     /* records submitted to the ring buffer */
	PS_CNT_RB_FULL,        /* records dropped: ring buffer full */
	PS_CNT_TRACKED_FULL,   /* tasks not followed: tracked map full */
	PS_CNT_STASH_FULL,     /* syscalls not recorded: stash map full */
	PS_CNT_STR_TRUNC,      /* strings cut at a bound */
	PS_CNT_PATH_TRUNC,     /* kernel paths cut at PS_PATH_DEPTH or size */
	PS_CNT_ARGS_TRUNC,     /* exec argv/env areas cut at PS_ARGS_MAX */
	PS_CNT_READ_FAIL,      /* user memory that could not be read */
	PS_CNT_REC_TRUNC,      /* records that outgrew the scratch buffer */
	PS_CNT_COMPAT,         /* IA-32 syscalls that could not be decoded */
	PS_CNT_UNFOLLOWED,     /* processes let go: the invoker may not watch them */
	PS_CNT_FILTERED,       /* syscalls not sent: --failed / --succeeded */
	PS_CNT_FILTERED_EVENTS,/* syscalls not sent: -e / --events */
	PS_CNT_FILTERED_PATHS, /* file events not sent: --path */
	PS_CNT__MAX,
};

/* Value of the tracked-task map (key: tgid). */
struct ps_tracked {
	__u64 start_boot;  /* guards against pid reuse */
	__u32 depth;       /* 0 for roots, parent's depth + 1 for children */
	__u32 pad;
};

/* Extra per-thread state for PS_SPEC_CREDS / PS_SPEC_NS syscalls (key: tid). */
struct ps_stash_ext {
	struct ps_creds creds;
	struct ps_ns ns;
};

/* Value of the per-thread stash (key: tid). */
struct ps_stash {
	__u64 args[6];
	__u32 nr;         /* spec map key: PS_IA32_BASE + nr for IA-32 calls */
	__u32 subcall;    /* IA-32 socketcall(2) call number, else 0 */
};

/*
 * Rules the kernel enforces: the sandboxed hooks whose every attribute the
 * kernel has, compiled by user space (src/rules/rules_kernel.c) into one
 * program of ops per hook, evaluated at the hook's tracepoint.
 */
enum ps_khook { PS_KH_SETUID, PS_KH_SETGID, PS_KH_CAPSET, PS_KH_BPRM, PS_KH_FILE_OPEN, PS_KH__COUNT };

/* Facts: numbers, then strings (each a zero-padded PS_RSTR_LEN buffer). */
enum ps_rfact {
	PS_RF_UID, PS_RF_EUID, PS_RF_PREV_EUID, PS_RF_GID, PS_RF_EGID,
	PS_RF_ECAPS, PS_RF_PCAPS, PS_RF_GAINED_CAPS, PS_RF_ACCESS_MODE, PS_RF_CREATION_FLAGS,
	PS_RF__NUM,
	PS_RF_PATH = 16, PS_RF_NAME, PS_RF_BIN, PS_RF_BIN_NAME, PS_RF_PARENT, PS_RF_PARENT_NAME,
	PS_RF__MAX,
};
#define PS_RF_NUM_SLOTS 16  /* numeric facts' array, a power of two */
#define PS_RF_NSTR (PS_RF__MAX - PS_RF_PATH)

/* Ops, in postfix order; each rule is [scope] SCOPE_END [event] RULE_END. */
enum ps_rop {
	PS_ROP_TRUE = 1,
	PS_ROP_CMP,        /* numeric fact `fact` compared (`cmp`: enum rule_op <=) with val */
	PS_ROP_ALL,        /* every bit of val set in fact */
	PS_ROP_ANY,        /* some bit of val set in fact */
	PS_ROP_STR,        /* string fact equals rule_strs[aux] */
	PS_ROP_PREFIX,     /* string fact starts with rule_strs[aux] */
	PS_ROP_NOT, PS_ROP_AND, PS_ROP_OR,
	PS_ROP_SCOPE_END,
	PS_ROP_RULE_END,   /* aux: the rule's index in its hook */
};

/* Comparisons of PS_ROP_CMP (the same order as enum rule_op). */
enum ps_rcmp { PS_RCMP_EQ, PS_RCMP_NE, PS_RCMP_LT, PS_RCMP_LE, PS_RCMP_GT, PS_RCMP_GE };

struct ps_rule_op {
	__u8 op;           /* enum ps_rop */
	__u8 fact;         /* enum ps_rfact */
	__u8 cmp;          /* enum ps_rcmp */
	__u8 pad;
	__u32 aux;
	__u64 val;
};

#define PS_RULE_OPS  1024   /* per hook, a power of two */
#define PS_RULE_STRS 1024   /* string literals, all hooks together */
#define PS_RSTR_LEN  256
#define PS_RULE_DEPTH 60    /* evaluation stack: bits of a __u64 */

#define PS_RH_DENY_LIST (1u << 0)
/* ps_rule_hook.needs: the string facts its ops read. */
#define PS_RN_PATH   (1u << 0)
#define PS_RN_BIN    (1u << 1)
#define PS_RN_PARENT (1u << 2)

/*
 * Screens: a rule can only hold when one of a set of atoms holds (a term of
 * a top-level AND; every side of an OR), an atom being "fact == v" (a
 * lookup of (hook, fact, value) in a screen map), "string fact starts with
 * p" (a lookup in the prefix trie, whose entry holds the rules of every
 * shorter prefix too) or "flags fact has a bit of m" (a mask in the hook).
 * So an act is judged only by the rules its facts admit (plus those with no
 * screen), in rule order.
 */
#define PS_RSCREENS 6       /* screened facts per hook */
#define PS_RFSCREENS 8      /* flag masks per hook */
#define PS_RULES_MAX 64
#define PS_RSCREEN_NUM 16384
#define PS_RSCREEN_STR 4096
#define PS_RSCREEN_PFX 4096
#define PS_RPFX_LEN 254     /* prefix trie data: hook, fact, then the prefix */

/* ps_rule_hook.screen_kind */
#define PS_RSK_EXACT  (1u << 0)
#define PS_RSK_PREFIX (1u << 1)

struct ps_rscreen_num {
	__u8 hook;
	__u8 fact;
	__u8 pad[6];
	__u64 val;
};

struct ps_rscreen_str {
	__u8 hook;
	__u8 fact;
	__u8 pad[6];
	char s[PS_RSTR_LEN];   /* zero-padded */
};

struct ps_rscreen_pfx {
	__u32 prefixlen;   /* bits: (2 + the prefix's length) * 8 */
	__u8 hook;
	__u8 fact;
	char s[PS_RPFX_LEN];
};

struct ps_rscreen_flags {
	__u8 fact;         /* 0xff: unused */
	__u8 pad[7];
	__u64 bits;        /* admits when the fact has any of these */
	__u64 rules;
};

struct ps_rule_hook {
	__u32 nops;
	__u16 flags;       /* PS_RH_* */
	__u16 needs;       /* PS_RN_* */
	__u32 nrules;
	__u32 pad;
	__u64 always;      /* bit per rule: judged whatever the screens say */
	__u8 screen_fact[PS_RSCREENS];   /* enum ps_rfact, 0xff: unused */
	__u8 screen_kind[PS_RSCREENS];   /* PS_RSK_*: the lookups the fact gets */
	__u32 pad2;
	__u64 screened[PS_RSCREENS];     /* the rules with an atom on each */
	struct ps_rscreen_flags fscreen[PS_RFSCREENS];
	__u16 rule_start[PS_RULES_MAX];  /* index of each rule's first op */
	struct ps_rule_op ops[PS_RULE_OPS];
};

struct ps_rule_str {
	__u32 len;
	__u32 pad;
	char s[PS_RSTR_LEN];   /* zero-padded */
};

#endif /* PROCSCOPE_RECORDS_H */
