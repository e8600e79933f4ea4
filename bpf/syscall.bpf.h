/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Generic syscall capture: sys_enter stashes the arguments of covered
 * syscalls per thread; sys_exit reads what the spec asks for (user memory
 * is resident by then) and emits one record carrying the result.
 */
#ifndef PS_SYSCALL_BPF_H
#define PS_SYSCALL_BPF_H

#define PS_NR_CLONE    56
#define PS_NR_FORK     57
#define PS_NR_VFORK    58
#define PS_NR_EXECVE   59
#define PS_NR_EXECVEAT 322
#define PS_NR_CLONE3   435

#define PS_CLONE_NEW_MASK (0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | \
			   0x10000000 | 0x20000000 | 0x40000000 | 0x00000080)

#define PS_ARGV_MAX 64

static __always_inline void stash_ext_save(__u32 tid, struct task_struct *task)
{
	struct ps_stash_ext *ext = (struct ps_stash_ext *)scratch_buf();

	if (!ext)
		return;
	read_creds(task, &ext->creds);
	__builtin_memset(&ext->ns, 0, sizeof(ext->ns));
	read_ns(task, &ext->ns);
	if (bpf_map_update_elem(&stash_ext, &tid, ext, BPF_ANY))
		count(PS_CNT_STASH_FULL);
}

/* ps_stash.nr when the thread has nothing stashed. */
#define PS_NR_NONE 0xffffffff

#define PS_TS_COMPAT 0x0002 /* x86 thread_info.status: a 32-bit syscall */

/* The x86-64 syscall arguments; regs is a trusted BTF pointer: plain loads. */
static __always_inline void read_args(struct pt_regs *regs, struct ps_stash *s)
{
	s->args[0] = regs->di;
	s->args[1] = regs->si;
	s->args[2] = regs->dx;
	s->args[3] = regs->r10;
	s->args[4] = regs->r8;
	s->args[5] = regs->r9;
}

/* Compat syscalls have other numbers: they are counted, not misread. */
static __always_inline bool in_compat_syscall(struct task_struct *task)
{
	if (!bpf_core_field_exists(task->thread_info.status))
		return false;
	return task->thread_info.status & PS_TS_COMPAT;
}

/*
 * A failed call with nothing stashed never reached sys_enter: seccomp
 * refused it (it acts before the tracepoint), or it began before the
 * process was in scope.  Its arguments are still in pt_regs.
 */
static __always_inline bool stash_from_regs(struct pt_regs *regs, struct task_struct *task,
					    long ret, struct ps_stash *s)
{
	long nr = regs->orig_ax;
	struct ps_spec *spec;
	__u32 key = nr;

	if (ret >= 0 || nr < 0 || nr >= PS_SYSCALL_MAX || in_compat_syscall(task))
		return false;
	spec = bpf_map_lookup_elem(&specs, &key);
	/* Credentials before the call are unknown here: leave those to sys_enter. */
	if (!spec || !(spec->flags & PS_SPEC_ENABLED) ||
	    (spec->flags & (PS_SPEC_CREDS | PS_SPEC_NS)))
		return false;
	read_args(regs, s);
	s->nr = key;
	return true;
}

static __always_inline void stash_args(struct pt_regs *regs, long id)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct task_struct *task;
	struct ps_stash *s;
	struct ps_spec *spec;
	__u32 nr = id;

	if (!in_scope(pid_tgid >> 32))
		return;
	if (id < 0 || id >= PS_SYSCALL_MAX)
		return;
	spec = bpf_map_lookup_elem(&specs, &nr);
	if (!spec || !(spec->flags & PS_SPEC_ENABLED))
		return;
	task = bpf_get_current_task_btf();
	if (in_compat_syscall(task)) {
		count(PS_CNT_COMPAT);
		return;
	}
	s = bpf_task_storage_get(&stash, task, NULL, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!s) {
		count(PS_CNT_STASH_FULL);
		return;
	}
	read_args(regs, s);
	s->nr = nr;
	if (spec->flags & (PS_SPEC_CREDS | PS_SPEC_NS))
		stash_ext_save((__u32)pid_tgid, task);
}

struct cap_ctx {
	__u8 *buf;
	struct ps_spec *spec;
	struct ps_stash *s;
	struct task_struct *task;
	bool skip;          /* the record is not wanted after all */
};

struct argv_ctx {
	__u8 *data;
	const char *const *uargv;
	__u32 pos;
	__u16 flags;
};

/* One argv element, as a bpf_loop() callback. */
static long argv_one(__u32 i, void *ctx)
{
	struct argv_ctx *a = ctx;
	const char *p = NULL;
	__u32 pos = a->pos;
	long n;

	if (bpf_probe_read_user(&p, sizeof(p), a->uargv + i) || !p)
		return 1;
	if (pos > PS_ARGS_MAX - PS_PATH_MAX) {
		a->flags |= PS_BF_TRUNCATED;
		return 1;
	}
	barrier_var(pos);
	pos &= PS_ARGS_MAX - 1;
	n = bpf_probe_read_user_str(a->data + pos, PS_PATH_MAX, p);
	if (n <= 0) {
		a->flags |= PS_BF_READ_FAILED;
		return 1;
	}
	if (n == PS_PATH_MAX)
		a->flags |= PS_BF_TRUNCATED;
	a->pos += n;
	return 0;
}

static __always_inline void blob_user_argv(__u8 *buf, __u8 arg, __u64 uargv)
{
	struct argv_ctx a = {};
	struct ps_blob *b;
	__u64 off;
	long n;

	b = blob_start(buf, PS_BLOB_ARGV, arg, &off);
	if (!b)
		return;
	a.data = buf + off + sizeof(*b);
	a.uargv = (const char *const *)uargv;
	n = bpf_loop(PS_ARGV_MAX, argv_one, &a, 0);
	if (n == PS_ARGV_MAX)
		a.flags |= PS_BF_TRUNCATED;
	b->flags |= a.flags;
	blob_end(buf, off, b, a.pos);
}

/* sendmsg's destination: msghdr.msg_name / msg_namelen. */
static __always_inline void blob_msgname(struct cap_ctx *c, __u8 arg, __u64 umsg)
{
	struct user_msghdr m = {};

	if (bpf_probe_read_user(&m, sizeof(m), (void *)umsg) || !m.msg_name) {
		c->skip = true;
		return;
	}
	blob_user_bytes(c->buf, arg, m.msg_name, m.msg_namelen);
}

/* Capture one argument as the spec says; a bpf_loop() callback. */
static long capture_one(__u32 i, void *ctx)
{
	struct cap_ctx *c = ctx;
	struct ps_stash *s = c->s;
	struct ps_cap *cap;
	__u64 v, len;
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
		/* Relative, or "" with AT_EMPTY_PATH: the base directory tells. */
		first = blob_user_str(c->buf, arg, (void *)v, PS_PATH_MAX);
		if (first >= 0 && first != '/')
			blob_base_dir(c->buf, PS_ARG_BASE | arg, c->task,
				      cap->aux == PS_AUX_CWD ? -100 : (long)s->args[cap->aux & 7]);
		break;
	case PS_CAP_STR:
		if (v)
			blob_user_str(c->buf, arg, (void *)v, PS_PATH_MAX);
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
			blob_user_bytes(c->buf, arg, (void *)v, len);
		break;
	case PS_CAP_FD_PATH:
		blob_fd_path(c->buf, arg, c->task, (int)v);
		break;
	case PS_CAP_ARGV:
		if (v)
			blob_user_argv(c->buf, arg, v);
		break;
	case PS_CAP_SOCK:
		blob_sock(c->buf, arg, c->task, (int)v);
		break;
	case PS_CAP_MSGNAME:
		blob_msgname(c, arg, v);
		break;
	case PS_CAP_TARGET:
		if (cap->aux == PS_TGT_PIDFD)
			blob_target(c->buf, arg, (int)v, pidfd_pid(c->task, (int)v), true);
		else
			blob_target(c->buf, arg, (int)v, (int)v, false);
		break;
	}
	return 0;
}

/* clone/clone3 are reported when they fail or create namespaces. */
static __always_inline bool clone_wanted(struct ps_stash *s, long ret)
{
	__u64 flags = s->args[0];

	if (ret < 0)
		return true;
	/* fork and vfork take no arguments and create no namespace. */
	if (s->nr == PS_NR_FORK || s->nr == PS_NR_VFORK)
		return false;
	if (s->nr == PS_NR_CLONE3 && bpf_probe_read_user(&flags, sizeof(flags), (void *)s->args[0]))
		return false;
	return flags & PS_CLONE_NEW_MASK;
}

/* Credentials and namespaces, before and after; for clone the child's after. */
static __always_inline void emit_state(__u8 *buf, struct ps_spec *spec,
				       struct task_struct *task, __u32 tid, long ret)
{
	struct ps_stash_ext *ext = bpf_map_lookup_elem(&stash_ext, &tid);
	struct task_struct *child;

	if (!ext)
		return;
	if (spec->flags & PS_SPEC_CREDS) {
		blob_creds(buf, PS_ARG_BEFORE, task, &ext->creds);
		blob_creds(buf, PS_ARG_AFTER, task, NULL);
	}
	if (spec->flags & PS_SPEC_NS) {
		blob_ns(buf, PS_ARG_BEFORE, task, &ext->ns);
		if ((spec->flags & PS_SPEC_CLONE) && ret > 0) {
			/* ret is the child's pid in the caller's namespace. */
			child = in_init_pidns(task) ? bpf_task_from_pid(ret) : NULL;
			blob_ns(buf, PS_ARG_AFTER, child, NULL);
			if (child)
				bpf_task_release(child);
		} else {
			blob_ns(buf, PS_ARG_AFTER, task, NULL);
		}
	}
	bpf_map_delete_elem(&stash_ext, &tid);
}

static __always_inline void emit_syscall(struct pt_regs *regs, long ret)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	struct task_struct *task;
	struct ps_syscall *sc;
	struct ps_spec *spec;
	struct ps_stash s, *sp;
	struct cap_ctx c;
	__u8 *buf;

	if (!in_scope(pid_tgid >> 32))
		return;
	task = bpf_get_current_task_btf();
	sp = bpf_task_storage_get(&stash, task, NULL, 0);
	if (sp && sp->nr != PS_NR_NONE) {
		s = *sp;
		sp->nr = PS_NR_NONE;
	} else if (!stash_from_regs(regs, task, ret, &s)) {
		return;
	}
	spec = bpf_map_lookup_elem(&specs, &s.nr);
	buf = scratch_buf();
	if (!spec || !buf || !(spec->flags & PS_SPEC_ENABLED))
		return;
	/* A successful exec is reported by sched_process_exec. */
	if ((s.nr == PS_NR_EXECVE || s.nr == PS_NR_EXECVEAT) && ret == 0)
		goto drop;
	if ((spec->flags & PS_SPEC_CLONE) && !clone_wanted(&s, ret))
		goto drop;
	if ((spec->flags & PS_SPEC_IF_ARG) && !s.args[spec->cond_arg & 7])
		goto drop;
	fill_hdr((struct ps_hdr *)buf, PS_REC_SYSCALL, task);
	sc = (struct ps_syscall *)(buf + sizeof(struct ps_hdr));
	sc->nr = s.nr;
	sc->pad = 0;
	sc->ret = ret;
	__builtin_memcpy(sc->args, s.args, sizeof(sc->args));
	rec_init(buf, sizeof(*sc));
	c.buf = buf;
	c.spec = spec;
	c.s = &s;
	c.task = task;
	c.skip = false;
	bpf_loop(PS_MAX_BLOBS, capture_one, &c, 0);
	if (c.skip)
		goto drop;
	if ((spec->flags & PS_SPEC_RETFD) && ret >= 0)
		blob_fd_path(buf, PS_ARG_RETFD, task, ret);
	if ((spec->flags & PS_SPEC_RETSOCK) && ret >= 0)
		blob_sock(buf, PS_ARG_RETFD, task, ret);
	if (spec->flags & (PS_SPEC_CREDS | PS_SPEC_NS))
		emit_state(buf, spec, task, tid, ret);
	submit(buf);
	return;
drop:
	if (spec->flags & (PS_SPEC_CREDS | PS_SPEC_NS))
		bpf_map_delete_elem(&stash_ext, &tid);
}

#endif
