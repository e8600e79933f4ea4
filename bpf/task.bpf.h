/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Snapshots of task state: credentials, namespaces, target processes, sockets. */
#ifndef PS_TASK_BPF_H
#define PS_TASK_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "records.h"
#include "maps.bpf.h"
#include "emit.bpf.h"
#include "scope.bpf.h"
#include "path.bpf.h"
#include <bpf/bpf_endian.h>

extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;

/* kernel_cap_t was u32[2] before 6.3 and is u64 since: both read as 8 bytes. */
static __always_inline __u64 task_read_caps(const kernel_cap_t *caps)
{
	__u64 v = 0;

	bpf_probe_read_kernel(&v, sizeof(v), caps);
	return v;
}

static __always_inline void task_read_creds(struct task_struct *task, struct ps_creds *c)
{
	const struct cred *cred = BPF_CORE_READ(task, cred);
	struct group_info *gi = BPF_CORE_READ(cred, group_info);
	__u32 n;

	c->uid = BPF_CORE_READ(cred, uid.val);
	c->euid = BPF_CORE_READ(cred, euid.val);
	c->suid = BPF_CORE_READ(cred, suid.val);
	c->fsuid = BPF_CORE_READ(cred, fsuid.val);
	c->gid = BPF_CORE_READ(cred, gid.val);
	c->egid = BPF_CORE_READ(cred, egid.val);
	c->sgid = BPF_CORE_READ(cred, sgid.val);
	c->fsgid = BPF_CORE_READ(cred, fsgid.val);
	c->cap_inh = task_read_caps(&cred->cap_inheritable);
	c->cap_prm = task_read_caps(&cred->cap_permitted);
	c->cap_eff = task_read_caps(&cred->cap_effective);
	c->cap_bnd = task_read_caps(&cred->cap_bset);
	c->cap_amb = task_read_caps(&cred->cap_ambient);
	c->securebits = BPF_CORE_READ(cred, securebits);
	c->ngroups = gi ? BPF_CORE_READ(gi, ngroups) : 0;
	n = c->ngroups < PS_NGROUPS ? c->ngroups : PS_NGROUPS;
	barrier_var(n);
	if (n && n <= PS_NGROUPS)
		bpf_probe_read_kernel(c->groups, n * sizeof(__u32), &gi->gid);
}

static __always_inline void task_read_ns(struct task_struct *task, struct ps_ns *ns)
{
	struct nsproxy *nsp = BPF_CORE_READ(task, nsproxy);

	ns->user = BPF_CORE_READ(task, cred, user_ns, ns.inum);
	if (!nsp)
		return;
	ns->mnt = BPF_CORE_READ(nsp, mnt_ns, ns.inum);
	ns->pid = BPF_CORE_READ(nsp, pid_ns_for_children, ns.inum);
	ns->net = BPF_CORE_READ(nsp, net_ns, ns.inum);
	ns->uts = BPF_CORE_READ(nsp, uts_ns, ns.inum);
	ns->ipc = BPF_CORE_READ(nsp, ipc_ns, ns.inum);
	ns->cgroup = BPF_CORE_READ(nsp, cgroup_ns, ns.inum);
	ns->time = BPF_CORE_READ(nsp, time_ns, ns.inum);
}

static __noinline void task_blob_creds(__u8 *buf, __u8 arg,
				       struct task_struct *task, const struct ps_creds *from)
{
	struct ps_creds *c = emit_blob_fixed(buf, PS_BLOB_CREDS, arg, sizeof(*c));

	if (!c)
		return;
	if (from)
		__builtin_memcpy(c, from, sizeof(*c));
	else
		task_read_creds(task, c);
}

static __noinline void task_blob_ns(__u8 *buf, __u8 arg,
				    struct task_struct *task, const struct ps_ns *from)
{
	struct ps_ns *ns = emit_blob_fixed(buf, PS_BLOB_NS, arg, sizeof(*ns));

	if (!ns)
		return;
	if (from) {
		__builtin_memcpy(ns, from, sizeof(*ns));
		return;
	}
	__builtin_memset(ns, 0, sizeof(*ns));
	if (task)
		task_read_ns(task, ns);
}

#define PS_PIDFS_MAGIC 0x50494446

/*
 * The pid behind a pidfd: its struct pid is the inode's i_private on pidfs
 * (6.9 and later), the file's private_data before.
 */
static __always_inline __s64 task_pidfd_pid(struct task_struct *task, long fd)
{
	struct file *f = (struct file *)path_fd_file(task, fd);
	struct pid *pid;

	if (!f)
		return 0;
	if (BPF_CORE_READ(f, f_inode, i_sb, s_magic) == PS_PIDFS_MAGIC)
		pid = BPF_CORE_READ(f, f_inode, i_private);
	else
		pid = BPF_CORE_READ(f, private_data);
	return pid ? BPF_CORE_READ(pid, numbers[0].nr) : 0;
}

/*
 * bpf_task_from_pid() takes a global pid; a caller in a PID namespace names
 * processes by its own numbers, which are then not resolved (never guessed).
 */
static __always_inline bool task_in_init_pidns(struct task_struct *task)
{
	return BPF_CORE_READ(task, thread_pid, level) == 0;
}

/* `global`: pid is a global pid (from a pidfd); else the caller's number. */
static __noinline void task_blob_target(__u8 *buf, __u8 arg, __s64 id,
					__s64 pid, bool global)
{
	struct ps_target *t = emit_blob_fixed(buf, PS_BLOB_TARGET, arg, sizeof(*t));
	struct task_struct *p;
	__u32 tgid;

	if (!t)
		return;
	__builtin_memset(t, 0, sizeof(*t));
	t->id = id;
	if (pid <= 0 || pid > 0x7fffffff)
		return;
	if (!global && !task_in_init_pidns(bpf_get_current_task_btf())) {
		t->unresolved = 1;
		return;
	}
	p = bpf_task_from_pid(pid);
	if (!p)
		return;
	tgid = p->tgid;
	t->pid = tgid;
	t->tid = p->pid;
	t->start_boot = p->group_leader->start_boottime;
	t->in_tree = scope_has(tgid);
	bpf_probe_read_kernel_str(t->comm, sizeof(t->comm), p->comm);
	bpf_task_release(p);
}

/* The sun_path a Unix socket is bound to (len 0: unbound). */
static __always_inline void task_unix_name(struct sock *sk, char *out, __u16 *outlen)
{
	struct unix_address *addr;
	__u32 len;
	int alen;

	if (!sk)
		return;
	addr = BPF_CORE_READ((struct unix_sock *)sk, addr);
	if (!addr)
		return;
	/* len counts sun_family (2 bytes) and the path. */
	alen = BPF_CORE_READ(addr, len);
	if (alen <= 2)
		return;
	len = alen - 2;
	if (len > PS_UNIX_PATH)
		len = PS_UNIX_PATH;
	/* The mask restates the bound (108 < 128) for the verifier. */
	barrier_var(len);
	len &= 0x7f;
	if (!bpf_probe_read_kernel(out, len, &addr->name[0].sun_path))
		*outlen = len;
}

/* The socket behind the current task's `fd`; global, as the path blobs (path.bpf.h). */
__noinline int ps_task_blob_sock(__u32 arg, long fd)
{
	__u8 *buf = maps_scratch_buf();
	struct ps_sock *s = buf ? emit_blob_fixed(buf, PS_BLOB_SOCK, (__u8)arg, sizeof(*s)) : NULL;
	struct file *f = (struct file *)path_fd_file(bpf_get_current_task_btf(), fd);
	struct socket *sock;
	struct sock *sk;

	if (!s)
		return 0;
	__builtin_memset(s, 0, sizeof(*s));
	if (!f)
		return 0;
	sock = BPF_CORE_READ(f, private_data);
	/* Only sockets: their file operations are socket_file_ops. */
	if (!sock || BPF_CORE_READ(sock, file) != f)
		return 0;
	sk = BPF_CORE_READ(sock, sk);
	if (!sk)
		return 0;
	s->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	s->type = BPF_CORE_READ(sock, type);
	s->protocol = BPF_CORE_READ(sk, sk_protocol);
	s->state = BPF_CORE_READ(sk, __sk_common.skc_state);
	s->sport = BPF_CORE_READ(sk, __sk_common.skc_num);
	s->dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (s->family == 1 /* AF_UNIX */) {
		task_unix_name(sk, s->unix_local, &s->unix_local_len);
		task_unix_name(BPF_CORE_READ((struct unix_sock *)sk, peer), s->unix_peer,
			  &s->unix_peer_len);
	} else if (s->family == 2 /* AF_INET */) {
		bpf_probe_read_kernel(s->saddr, 4, &sk->__sk_common.skc_rcv_saddr);
		bpf_probe_read_kernel(s->daddr, 4, &sk->__sk_common.skc_daddr);
	} else if (s->family == 10 /* AF_INET6 */) {
		bpf_probe_read_kernel(s->saddr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_probe_read_kernel(s->daddr, 16, &sk->__sk_common.skc_v6_daddr);
	}
	return 0;
}

/* 6.18 turned mm->flags into a bitmap (mm_flags_t); before, it was one word. */
struct ps_mm_flags_bitmap {
	unsigned long __mm_flags[1];
};

struct mm_struct___bitmap {
	struct ps_mm_flags_bitmap flags;
} __attribute__((preserve_access_index));

struct mm_struct___word {
	unsigned long flags;
} __attribute__((preserve_access_index));

#define PS_MMF_DUMPABLE_MASK 3       /* the low bits of mm->flags: SUID_DUMP_* */
#define PS_SUID_DUMP_USER 1

/* The dumpable state ptrace checks: anything but SUID_DUMP_USER refuses an unprivileged tracer. */
static __always_inline unsigned long task_mm_dumpable(struct mm_struct *mm)
{
	struct mm_struct___bitmap *bm = (void *)mm;
	struct mm_struct___word *w = (void *)mm;

	if (bpf_core_field_exists(bm->flags.__mm_flags))
		return BPF_CORE_READ(bm, flags.__mm_flags[0]) & PS_MMF_DUMPABLE_MASK;
	return BPF_CORE_READ(w, flags) & PS_MMF_DUMPABLE_MASK;
}

/*
 * With cfg_confine (an invoker other than root), ptrace's rule, held at
 * every record: the task's real, effective and saved ids are the invoker's
 * and its memory is dumpable.  A task that fails it is let go at once and
 * nothing of it is recorded, whenever it changed: an exec procscope saw
 * (which says so), or one before procscope attached, in the window between
 * the -p check and the programs' start.
 */
static __always_inline bool task_watchable(struct task_struct *task)
{
	const struct cred *c;
	struct mm_struct *mm;
	__u32 uid = cfg_invoker_uid, gid = cfg_invoker_gid;

	if (!cfg_confine)
		return true;
	c = BPF_CORE_READ(task, cred);
	if (BPF_CORE_READ(c, uid.val) != uid || BPF_CORE_READ(c, euid.val) != uid ||
	    BPF_CORE_READ(c, suid.val) != uid || BPF_CORE_READ(c, gid.val) != gid ||
	    BPF_CORE_READ(c, egid.val) != gid || BPF_CORE_READ(c, sgid.val) != gid)
		goto refuse;
	mm = BPF_CORE_READ(task, mm);
	if (mm && task_mm_dumpable(mm) != PS_SUID_DUMP_USER)
		goto refuse;
	return true;
refuse:
	if (scope_tracked_claim(task->tgid)) {
		scope_tracked_done(task->tgid);
		maps_count(PS_CNT_UNFOLLOWED);
	}
	return false;
}

#endif
