/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Generic syscall capture: sys_enter stashes the arguments of covered
 * syscalls per thread; sys_exit reads what the spec asks for (user memory
 * is resident by then) and emits one record carrying the result.
 */
#ifndef PS_SYSCALL_BPF_H
#define PS_SYSCALL_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "records.h"
#include "maps.bpf.h"
#include "emit.bpf.h"
#include "scope.bpf.h"
#include "path.bpf.h"
#include "task.bpf.h"
#include "rules.bpf.h"
#include "filter.bpf.h"

#define PS_CLONE_NEW_MASK (0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | \
			   0x10000000 | 0x20000000 | 0x40000000 | 0x00000080)

#define PS_ARGV_MAX 64

static __always_inline void sc_stash_ext_save(__u32 tid, struct task_struct *task)
{
	struct ps_stash_ext *ext = (struct ps_stash_ext *)maps_scratch_buf();

	if (!ext)
		return;
	task_read_creds(task, &ext->creds);
	__builtin_memset(&ext->ns, 0, sizeof(ext->ns));
	task_read_ns(task, &ext->ns);
	if (bpf_map_update_elem(&stash_ext, &tid, ext, BPF_ANY))
		maps_count(PS_CNT_STASH_FULL);
}

/* ps_stash.nr when the thread has nothing stashed. */
#define PS_NR_NONE 0xffffffff

#define PS_X32_BIT 0x40000000L /* __X32_SYSCALL_BIT */

#define PS_TS_COMPAT 0x0002 /* x86 thread_info.status: a 32-bit syscall */

/* The x86-64 syscall arguments; regs is a trusted BTF pointer: plain loads. */
static __always_inline void sc_read_args(struct pt_regs *regs, struct ps_stash *s)
{
	s->args[0] = regs->di;
	s->args[1] = regs->si;
	s->args[2] = regs->dx;
	s->args[3] = regs->r10;
	s->args[4] = regs->r8;
	s->args[5] = regs->r9;
}

/*
 * IA-32 arguments: the low halves of ebx, ecx, edx, esi, edi, ebp.  A 64-bit
 * process entering through int $0x80 leaves whatever it likes in the upper
 * halves, and the kernel ignores them: so do we.
 */
static __always_inline void sc_read_args_ia32(struct pt_regs *regs, struct ps_stash *s)
{
	s->args[0] = (__u32)regs->bx;
	s->args[1] = (__u32)regs->cx;
	s->args[2] = (__u32)regs->dx;
	s->args[3] = (__u32)regs->si;
	s->args[4] = (__u32)regs->di;
	s->args[5] = (__u32)regs->bp;
}

/* A 32-bit syscall (int $0x80, sysenter, or a 32-bit process). */
static __always_inline bool sc_in_compat(struct task_struct *task)
{
	if (!bpf_core_field_exists(task->thread_info.status))
		return false;
	return task->thread_info.status & PS_TS_COMPAT;
}

#define PS_NR32_SOCKETCALL 102

/*
 * IA-32 socketcall(2) multiplexes the socket calls: its call numbers
 * (linux/net.h) that are acts map to their direct IA-32 syscalls, with the
 * argument count the kernel copies.  accept becomes accept4 with flags 0.
 */
static __always_inline __u32 sc_socketcall_nr(__u32 call, __u32 *nargs)
{
	switch (call) {
	case 1: *nargs = 3; return 359;  /* socket */
	case 2: *nargs = 3; return 361;  /* bind */
	case 3: *nargs = 3; return 362;  /* connect */
	case 4: *nargs = 2; return 363;  /* listen */
	case 5: *nargs = 3; return 364;  /* accept */
	case 11: *nargs = 6; return 369; /* sendto */
	case 16: *nargs = 3; return 370; /* sendmsg */
	case 18: *nargs = 4; return 364; /* accept4 */
	}
	return 0;
}

/*
 * Replace socketcall's (call, args pointer) with the call's own arguments,
 * read from user memory as the kernel reads them.  False: not an act, or
 * unreadable (the kernel then fails the call with EFAULT before acting).
 */
static __always_inline bool sc_socketcall_unpack(struct ps_stash *s)
{
	__u32 call = s->args[0], nargs = 0, nr, a[6] = {};
	__u64 uargs = s->args[1];
	int i;

	nr = sc_socketcall_nr(call, &nargs);
	if (!nr || nargs > 6)
		return false;
	barrier_var(nargs);
	/*
	 * At entry a page the kernel has not faulted in yet reads as missing,
	 * though the call will succeed: an act that cannot be unpacked is
	 * counted, never silently lost.
	 */
	if (nargs == 0 || nargs > 6 || bpf_probe_read_user(a, nargs * sizeof(__u32), (void *)uargs)) {
		maps_count(PS_CNT_COMPAT);
		return false;
	}
	for (i = 0; i < 6; i++)
		s->args[i] = a[i];
	s->nr = PS_IA32_BASE + nr;
	s->subcall = call;
	return true;
}

/*
 * The spec map key and arguments of the call in flight.  Returns false for
 * a call that is not captured; an IA-32 call that is neither captured nor
 * known to be harmless is counted, so the capture says it is incomplete.
 */
static __always_inline struct ps_spec *sc_spec_for(struct pt_regs *regs, struct task_struct *task,
						long id, struct ps_stash *s, bool at_entry)
{
	struct ps_spec *spec;
	bool compat = sc_in_compat(task);
	__u32 key;

	/*
	 * An x32 call is an x86-64 number with bit 30 set and the same act:
	 * judged and recorded as its x86-64 twin, never skipped.
	 */
	if (!compat && id >= 0 && (id & PS_X32_BIT))
		id &= ~PS_X32_BIT;
	key = id;
	if (id < 0 || id >= PS_SYSCALL_MAX) {
		if (compat && at_entry)
			maps_count(PS_CNT_COMPAT);
		return NULL;
	}
	s->subcall = 0;
	if (!compat) {
		spec = bpf_map_lookup_elem(&specs, &key);
		if (!spec || !(spec->flags & PS_SPEC_ENABLED))
			return NULL;
		sc_read_args(regs, s);
		s->nr = key;
		return spec;
	}
	sc_read_args_ia32(regs, s);
	s->nr = PS_IA32_BASE + key;
	/* A socketcall seccomp refused is not unpacked: its arguments were never read. */
	if (key == PS_NR32_SOCKETCALL && (!at_entry || !sc_socketcall_unpack(s)))
		return NULL;
	spec = bpf_map_lookup_elem(&specs, &s->nr);
	if (spec && (spec->flags & PS_SPEC_ENABLED))
		return spec;
	/* Counted once, at entry; sys_exit's second look must not count again. */
	if (at_entry && (!spec || !(spec->flags & PS_SPEC_KNOWN)))
		maps_count(PS_CNT_COMPAT);
	return NULL;
}

/*
 * A failed call with nothing stashed never reached sys_enter: seccomp
 * refused it (it acts before the tracepoint), or it began before the
 * process was in scope.  Its arguments are still in pt_regs.
 */
static __noinline bool sc_stash_from_regs(struct pt_regs *regs, struct task_struct *task,
					    long ret, struct ps_stash *s)
{
	struct ps_spec *spec;

	if (ret >= 0)
		return false;
	spec = sc_spec_for(regs, task, regs->orig_ax, s, false);
	/* Credentials before the call are unknown here: leave those to sys_enter. */
	return spec && !(spec->flags & (PS_SPEC_CREDS | PS_SPEC_NS | PS_SPEC_DROP));
}

/* A call some kernel-enforced rule judges, whatever -e says of its record. */
static __always_inline bool sc_judged(struct ps_spec *spec)
{
	if (spec->flags & PS_SPEC_EXEC)
		return rules_on(PS_KH_BPRM);
	return spec->khook && spec->khook <= PS_KH__COUNT && rules_on(spec->khook - 1);
}

static __always_inline void sc_stash_args(struct pt_regs *regs, long id)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct task_struct *task;
	struct ps_stash *s, tmp;
	struct ps_spec *spec;

	if (!scope_has(pid_tgid >> 32))
		return;
	task = bpf_get_current_task_btf();
	if (!task_watchable(task))
		return;
	spec = sc_spec_for(regs, task, id, &tmp, true);
	if (!spec)
		return;
	/* bprm_check's scope is the program calling exec: its image is gone by sched_process_exec. */
	if ((cfg_rules_hooks & (1u << PS_KH_BPRM)) && (spec->flags & PS_SPEC_EXEC))
		rules_save_caller(task);
	/* -e excluded it: nothing is kept unless a rule must judge it. */
	if ((spec->flags & PS_SPEC_DROP) && !sc_judged(spec)) {
		maps_count(PS_CNT_FILTERED_EVENTS);
		return;
	}
	s = bpf_task_storage_get(&stash, task, NULL, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!s) {
		maps_count(PS_CNT_STASH_FULL);
		return;
	}
	*s = tmp;
	if (spec->flags & (PS_SPEC_CREDS | PS_SPEC_NS))
		sc_stash_ext_save((__u32)pid_tgid, task);
}

struct cap_ctx {
	__u8 *buf;
	struct ps_spec *spec;
	struct ps_stash *s;
	struct task_struct *task;
	bool skip;          /* the record is not wanted after all */
	bool path_keep;     /* --path: a path is under a prefix, or the kernel cannot tell */
	bool path_miss;     /* --path: a path is under none */
};

struct argv_ctx {
	__u8 *data;
	__u64 uargv;
	__u32 pos;
	__u16 flags;
	bool ptr32;         /* an IA-32 caller's array of 32-bit pointers */
};

/* One argv element, as a bpf_loop() callback. */
static long sc_argv_one(__u32 i, void *ctx)
{
	struct argv_ctx *a = ctx;
	const char *p = NULL;
	__u32 pos = a->pos;
	long n;

	if (a->ptr32) {
		__u32 p32 = 0;

		if (bpf_probe_read_user(&p32, sizeof(p32), (void *)(a->uargv + 4 * (__u64)i)))
			return 1;
		p = (const char *)(unsigned long)p32;
	} else if (bpf_probe_read_user(&p, sizeof(p), (void *)(a->uargv + 8 * (__u64)i))) {
		return 1;
	}
	if (!p)
		return 1;
	if (pos > PS_ARGS_MAX - PS_PATH_MAX) {
		a->flags |= PS_BF_TRUNCATED;
		return 1;
	}
	barrier_var(pos);
	pos &= PS_ARGS_MAX - 1;
	n = emit_read_user_str((char *)a->data + pos, PS_PATH_MAX, p, &a->flags);
	if (n <= 0) {
		a->flags |= PS_BF_READ_FAILED;
		return 1;
	}
	if (n == PS_PATH_MAX)
		a->flags |= PS_BF_TRUNCATED;
	a->pos += n;
	return 0;
}

/* An exec's argv array from user memory; global, as the path blobs (path.bpf.h). */
__noinline int ps_sc_blob_user_argv(__u32 arg, __u64 uargv, __u32 ptr32)
{
	__u8 *buf = maps_scratch_buf();
	struct argv_ctx a = {};
	struct ps_blob *b;
	__u64 off;
	long n;

	if (!buf)
		return 0;
	b = emit_blob_start(buf, PS_BLOB_ARGV, (__u8)arg, &off);
	if (!b)
		return 0;
	a.data = buf + off + sizeof(*b);
	a.uargv = uargv;
	a.ptr32 = ptr32;
	n = bpf_loop(PS_ARGV_MAX, sc_argv_one, &a, 0);
	if (n == PS_ARGV_MAX)
		a.flags |= PS_BF_TRUNCATED;
	b->flags |= a.flags;
	emit_blob_end(buf, off, b, a.pos);
	return 0;
}

/* The head of an IA-32 caller's struct msghdr (compat_msghdr). */
struct ps_msghdr32 {
	__u32 msg_name;
	__s32 msg_namelen;
};

/* sendmsg's destination: msghdr.msg_name / msg_namelen. */
static __noinline void sc_blob_msgname(struct cap_ctx *c, __u8 arg, __u64 umsg, bool compat)
{
	struct user_msghdr m = {};
	struct ps_msghdr32 m32 = {};

	long err;

	if (compat) {
		err = bpf_probe_read_user(&m32, sizeof(m32), (void *)umsg);
		m.msg_name = (void *)(unsigned long)m32.msg_name;
		m.msg_namelen = m32.msg_namelen;
	} else {
		err = bpf_probe_read_user(&m, sizeof(m), (void *)umsg);
	}
	/* An unreadable msghdr may have named a destination: report the send, marked. */
	if (err) {
		__u64 off;
		struct ps_blob *b = emit_blob_start(c->buf, PS_BLOB_BYTES, arg, &off);

		maps_count(PS_CNT_READ_FAIL);
		if (b) {
			b->flags |= PS_BF_READ_FAILED;
			emit_blob_end(c->buf, off, b, 0);
		}
		return;
	}
	if (!m.msg_name) {
		c->skip = true;
		return;
	}
	ps_emit_user_bytes(arg, (__u64)m.msg_name, m.msg_namelen);
}

/* Capture one argument as the spec says; a bpf_loop() callback. */
static long sc_capture_one(__u32 i, void *ctx)
{
	struct cap_ctx *c = ctx;
	struct ps_stash *s = c->s;
	struct ps_cap *cap;
	__u64 v, len, at;
	__u8 arg;
	int first;

	if (i >= PS_MAX_BLOBS || i >= c->spec->ncaps)
		return 1;
	barrier_var(i);
	cap = &c->spec->caps[i & (PS_MAX_BLOBS - 1)];
	arg = cap->arg & 7;
	v = s->args[arg & 7];
	switch (cap->kind) {
	case PS_CAP_PATH:
		at = ((struct ps_hdr *)c->buf)->size;
		/* Relative, or "" with AT_EMPTY_PATH: the base directory tells. */
		first = ps_emit_user_str(arg, v);
		if (first >= 0 && first != '/')
			ps_path_blob_base_dir(PS_ARG_BASE | arg,
					      cap->aux == PS_AUX_CWD ? -100 : (int)s->args[cap->aux & 7]);
		if (cfg_npaths && (c->spec->flags & PS_SPEC_FILE)) {
			/* Relative ones too: RESOLVE_IN_ROOT stops ".." at the directory. */
			if (first >= 0 && !filter_root_is_ours(c->task, s)) {
				((struct ps_hdr *)c->buf)->flags |= PS_HF_FOREIGN_ROOT;
				c->path_keep = true;
			} else if (first == '/' && !ps_filter_path_keeps(at)) {
				c->path_miss = true;
			} else {
				c->path_keep = true;
			}
		}
		break;
	case PS_CAP_STR:
		if (v)
			ps_emit_user_str(arg, v);
		break;
	case PS_CAP_BYTES:
		len = cap->aux;
		if (cap->aux & PS_CAP_LEN_ARG) {
			len = s->args[cap->aux & 7];
			if (cap->aux & PS_CAP_LEN_PTR) {
				int l = 0;

				bpf_probe_read_user(&l, sizeof(l), (void *)len);
				len = l < 0 ? 0 : l;
			}
		}
		if (v)
			ps_emit_user_bytes(arg, v, len);
		break;
	case PS_CAP_FD_PATH:
		ps_path_blob_fd(arg, (int)v);
		/* A walked path is the consumer's to judge against --path. */
		c->path_keep = true;
		break;
	case PS_CAP_ARGV:
		if (v)
			ps_sc_blob_user_argv(arg, v, cap->aux);
		break;
	case PS_CAP_SOCK:
		ps_task_blob_sock(arg, (int)v);
		break;
	case PS_CAP_MSGNAME:
		sc_blob_msgname(c, arg, v, cap->aux);
		break;
	case PS_CAP_TARGET:
		if (cap->aux == PS_TGT_PIDFD)
			task_blob_target(c->buf, arg, (int)v, task_pidfd_pid(c->task, (int)v), true);
		else
			task_blob_target(c->buf, arg, (int)v, (int)v, false);
		break;
	}
	return 0;
}

/* clone/clone3 are reported when they fail or create namespaces. */
static __always_inline bool sc_clone_wanted(struct ps_spec *spec, struct ps_stash *s, long ret)
{
	__u64 flags = s->args[0];

	if (ret < 0)
		return true;
	/* fork and vfork take no arguments and create no namespace. */
	if (spec->flags & PS_SPEC_NOFLAGS)
		return false;
	if ((spec->flags & PS_SPEC_CLONE3) &&
	    bpf_probe_read_user(&flags, sizeof(flags), (void *)s->args[0]))
		return false;
	return flags & PS_CLONE_NEW_MASK;
}

/*
 * --failed / --succeeded, decided before anything is read or sent.  A clone
 * is process lifecycle and always kept; a failure is an errno (-4095..-1).
 */
static __always_inline bool sc_result_wanted(struct ps_spec *spec, long ret)
{
	bool failed = ret < 0 && ret >= -4095;

	if (!cfg_result || (spec->flags & PS_SPEC_CLONE))
		return true;
	return cfg_result == PS_RESULT_FAILED ? failed : !failed;
}

#define PS_O_WRONLY 01
#define PS_O_CREAT  0100
#define PS_O_TRUNC  01000


/* The flags an open call asked for; false when they cannot be read (openat2's struct open_how). */
static __always_inline bool sc_open_flags(struct ps_spec *spec, struct ps_stash *s, __u64 *flags)
{
	__u32 a = spec->flags_arg;

	if (a == PS_FLAGS_CREAT) {
		*flags = PS_O_CREAT | PS_O_WRONLY | PS_O_TRUNC;
		return true;
	}
	if (a == PS_FLAGS_HOW)
		return !bpf_probe_read_user(flags, sizeof(*flags), (const void *)s->args[2]);
	if (a - 1 < 6) {
		*flags = (__u32)s->args[a - 1]; /* the kernel takes an int */
		return true;
	}
	return false;
}

/*
 * file_open's sandbox on an open that succeeded: the flags it asked for and
 * the file the kernel opened (a failed open opened nothing: the consumer
 * judges it, on the path as given).  Returns the record flags of a kill, or
 * 0; *judged is the file whose path the kernel walked, or 0.
 */
static __noinline __u16 sc_rules_open(struct ps_spec *spec, struct ps_stash *s,
				      struct task_struct *task, long ret, __u64 *judged)
{
	struct ps_rule_facts *f = rules_facts_get();
	__u32 hook = PS_KH_FILE_OPEN;
	struct ps_rule_hook *h = bpf_map_lookup_elem(&rule_hooks, &hook);
	__u64 flags = 0, file;

	if (!f || !h || ret < 0)
		return 0;
	if (sc_open_flags(spec, s, &flags)) {
		rules_fact(f, PS_RF_ACCESS_MODE, flags & 3);
		rules_fact(f, PS_RF_CREATION_FLAGS, flags & ~3ULL);
	}
	if (!rules_scope_facts(hook, f, task, true))
		return 0;
	if (!(h->needs & PS_RN_PATH))
		return rules_kill(rules_eval_hook(hook, f));
	file = path_fd_file(task, ret);
	if (file)
		rules_path_fact(f, PS_RF_PATH,
				(const struct path *)(file + bpf_core_field_offset(struct file, f_path)));
	*judged = file;
	return rules_kill(rules_eval_hook(hook, f));
}

/*
 * The rules of a setuid, setgid or capset hook, on a call that succeeded:
 * the new ids and sets are the task's now, the old ones were stashed at
 * entry.  Returns the record flags of a kill, or 0.
 */
static __noinline __u16 sc_rules(struct ps_spec *spec, struct task_struct *task, __u32 tid, long ret)
{
	__u32 hook = spec->khook - 1;
	struct ps_stash_ext *ext;
	struct ps_rule_facts *f;
	const struct cred *cred;
	__u64 eff, prm;

	if (!spec->khook || ret < 0 || hook >= PS_KH__COUNT || !rules_on(hook))
		return 0;
	f = rules_facts_get();
	if (!f)
		return 0;
	cred = BPF_CORE_READ(task, cred);
	eff = task_read_caps(&cred->cap_effective);
	prm = task_read_caps(&cred->cap_permitted);
	rules_fact(f, PS_RF_UID, BPF_CORE_READ(cred, uid.val));
	rules_fact(f, PS_RF_EUID, BPF_CORE_READ(cred, euid.val));
	rules_fact(f, PS_RF_GID, BPF_CORE_READ(cred, gid.val));
	rules_fact(f, PS_RF_EGID, BPF_CORE_READ(cred, egid.val));
	rules_fact(f, PS_RF_ECAPS, eff);
	rules_fact(f, PS_RF_PCAPS, prm);
	ext = bpf_map_lookup_elem(&stash_ext, &tid);
	if (ext) {
		rules_fact(f, PS_RF_PREV_EUID, ext->creds.euid);
		rules_fact(f, PS_RF_GAINED_CAPS, (eff & ~ext->creds.cap_eff) | (prm & ~ext->creds.cap_prm));
	}
	if (!rules_scope_facts(hook, f, task, true))
		return 0;
	return rules_kill(rules_eval_hook(hook, f));
}

/* Credentials and namespaces, before and after; for clone the child's after. */
static __noinline void sc_emit_state(__u8 *buf, struct ps_spec *spec,
				       struct task_struct *task, __u32 tid, long ret)
{
	struct ps_stash_ext *ext = bpf_map_lookup_elem(&stash_ext, &tid);
	struct task_struct *child;

	if (!ext)
		return;
	if (spec->flags & PS_SPEC_CREDS) {
		task_blob_creds(buf, PS_ARG_BEFORE, task, &ext->creds);
		task_blob_creds(buf, PS_ARG_AFTER, task, NULL);
	}
	if (spec->flags & PS_SPEC_NS) {
		task_blob_ns(buf, PS_ARG_BEFORE, task, &ext->ns);
		if ((spec->flags & PS_SPEC_CLONE) && ret > 0) {
			/* ret is the child's pid in the caller's namespace. */
			child = task_in_init_pidns(task) ? bpf_task_from_pid(ret) : NULL;
			task_blob_ns(buf, PS_ARG_AFTER, child, NULL);
			if (child)
				bpf_task_release(child);
		} else {
			task_blob_ns(buf, PS_ARG_AFTER, task, NULL);
		}
	}
	bpf_map_delete_elem(&stash_ext, &tid);
}

static __always_inline void sc_emit(struct pt_regs *regs, long ret)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	struct task_struct *task;
	struct ps_syscall *sc;
	struct ps_spec *spec;
	struct ps_stash s, *sp;
	struct cap_ctx c;
	__u64 judged = 0;
	__u16 kill = 0;
	__u8 *buf;

	if (!scope_has(pid_tgid >> 32))
		return;
	task = bpf_get_current_task_btf();
	if (!task_watchable(task))
		return;
	sp = bpf_task_storage_get(&stash, task, NULL, 0);
	if (sp && sp->nr != PS_NR_NONE) {
		s = *sp;
		sp->nr = PS_NR_NONE;
	} else if (!sc_stash_from_regs(regs, task, ret, &s)) {
		return;
	}
	spec = bpf_map_lookup_elem(&specs, &s.nr);
	buf = maps_scratch_buf();
	if (!spec || !buf || !(spec->flags & PS_SPEC_ENABLED))
		return;
	/* Before any filter: a refused act is stopped whether or not it is sent. */
	if (cfg_rules_hooks & (1u << PS_KH_FILE_OPEN) && spec->khook == PS_KH_FILE_OPEN + 1)
		kill = sc_rules_open(spec, &s, task, ret, &judged);
	else if (cfg_rules_hooks)
		kill = sc_rules(spec, task, tid, ret);
	/* A successful exec is reported by sched_process_exec. */
	if ((spec->flags & PS_SPEC_EXEC) && ret == 0)
		goto drop;
	if ((spec->flags & PS_SPEC_DROP) && !kill) {
		maps_count(PS_CNT_FILTERED_EVENTS);
		goto drop;
	}
	if ((spec->flags & PS_SPEC_CLONE) && !sc_clone_wanted(spec, &s, ret))
		goto drop;
	if ((spec->flags & PS_SPEC_IF_ARG) && !s.args[spec->cond_arg & 7])
		goto drop;
	/* A kill is always reported, whatever the filter. */
	if (!kill && !sc_result_wanted(spec, ret)) {
		maps_count(PS_CNT_FILTERED);
		goto drop;
	}
	emit_fill_hdr((struct ps_hdr *)buf, PS_REC_SYSCALL, task);
	((struct ps_hdr *)buf)->flags |= kill;
	sc = (struct ps_syscall *)(buf + sizeof(struct ps_hdr));
	sc->nr = s.nr;
	sc->abi = PS_ABI_X64;
	if (s.nr >= PS_IA32_BASE) {
		sc->nr = s.nr - PS_IA32_BASE;
		sc->abi = PS_ABI_IA32;
	}
	sc->subcall = s.subcall;
	sc->ret = ret;
	__builtin_memcpy(sc->args, s.args, sizeof(sc->args));
	emit_rec_init(buf, sizeof(*sc));
	c.buf = buf;
	c.spec = spec;
	c.s = &s;
	c.task = task;
	c.skip = false;
	c.path_keep = false;
	c.path_miss = false;
	bpf_loop(PS_MAX_BLOBS, sc_capture_one, &c, 0);
	if (c.skip)
		goto drop;
	if (c.path_miss && !c.path_keep && !kill) {
		maps_count(PS_CNT_FILTERED_PATHS);
		goto drop;
	}
	/* An open the kernel's rules judged: the consumer's rules see the very file judged. */
	if (judged)
		ps_path_blob_kpath(PS_ARG_RETFD, judged + bpf_core_field_offset(struct file, f_path), 0);
	else if ((spec->flags & PS_SPEC_RETFD) && ret >= 0)
		ps_path_blob_fd(PS_ARG_RETFD, ret);
	if ((spec->flags & PS_SPEC_RETSOCK) && ret >= 0)
		ps_task_blob_sock(PS_ARG_RETFD, ret);
	if (spec->flags & (PS_SPEC_CREDS | PS_SPEC_NS))
		sc_emit_state(buf, spec, task, tid, ret);
	emit_submit(buf);
	return;
drop:
	if (spec->flags & (PS_SPEC_CREDS | PS_SPEC_NS))
		bpf_map_delete_elem(&stash_ext, &tid);
}

#endif
