/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Process lifecycle records: fork, exec, exit. */
#ifndef PS_PROCESS_BPF_H
#define PS_PROCESS_BPF_H

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

/* argv or envp area of the current (just exec'd) mm. */
static __always_inline void proc_blob_mm_area(__u8 *buf, __u8 kind, unsigned long start,
					 unsigned long end)
{
	__u64 len = end - start, off;
	__u32 max = cfg_args_bytes;
	struct ps_blob *b = emit_blob_start(buf, kind, 0, &off);

	if (!b)
		return;
	if (max > PS_ARGS_MAX)
		max = PS_ARGS_MAX;
	if (end < start)
		len = 0;
	if (len > max) {
		len = max;
		b->flags |= PS_BF_TRUNCATED;
		maps_count(PS_CNT_ARGS_TRUNC);
	}
	barrier_var(len);
	if (len > PS_ARGS_MAX)
		len = 0;
	if (len && bpf_probe_read_user(buf + off + sizeof(*b), len, (void *)start)) {
		b->flags |= PS_BF_READ_FAILED;
		maps_count(PS_CNT_READ_FAIL);
		len = 0;
	}
	emit_blob_end(buf, off, b, len);
}

/*
 * Credentials before (stashed at execve entry by the thread that called it)
 * and after: a setuid binary or file capabilities show here.
 */
static __always_inline void proc_exec_creds(__u8 *buf, struct task_struct *task, __u32 old_tid)
{
	struct ps_stash_ext *ext = bpf_map_lookup_elem(&stash_ext, &old_tid);

	if (!ext)
		return;
	task_blob_creds(buf, PS_ARG_BEFORE, task, &ext->creds);
	task_blob_creds(buf, PS_ARG_AFTER, task, NULL);
	/* A non-leader's exec changed its tid: sys_exit will not find this entry. */
	bpf_map_delete_elem(&stash_ext, &old_tid);
}

#define PS_BINPRM_ENFORCE_NONDUMP 1  /* would_dump(): the invoker may not read the file */

static __always_inline __u32 proc_exec_flags(struct mm_struct *mm, struct linux_binprm *bprm)
{
	__u32 flags = 0;

	if (BPF_CORE_READ_BITFIELD(bprm, secureexec))
		flags |= PS_EXEC_SECURE;
	if (task_mm_dumpable(mm) != PS_SUID_DUMP_USER)
		flags |= PS_EXEC_NONDUMP;
	if (BPF_CORE_READ(bprm, interp_flags) & PS_BINPRM_ENFORCE_NONDUMP)
		flags |= PS_EXEC_UNREADABLE;
	/*
	 * An invoker who is not root may not watch a process that ptrace would
	 * refuse them: one that just gained privileges or runs a file they may
	 * not read.  Report this exec, then let go.
	 */
	if (cfg_confine && (flags & (PS_EXEC_SECURE | PS_EXEC_NONDUMP)))
		flags |= PS_EXEC_UNFOLLOWED;
	return flags;
}

/*
 * bprm_check's rules on an exec that happened: the program now running,
 * the ids and capabilities it runs with, what it gained over the caller.
 * A refused exec is killed before the new image runs a single instruction.
 */
static __noinline __u16 proc_rules(struct task_struct *task, __u32 old_tid, struct file *exe)
{
	struct ps_stash_ext *ext = bpf_map_lookup_elem(&stash_ext, &old_tid);
	struct ps_rule_facts *f = rules_facts_get();
	const struct cred *cred = BPF_CORE_READ(task, cred);
	__u64 eff, prm;

	if (!f)
		return 0;
	eff = task_read_caps(&cred->cap_effective);
	prm = task_read_caps(&cred->cap_permitted);
	rules_fact(f, PS_RF_EUID, BPF_CORE_READ(cred, euid.val));
	rules_fact(f, PS_RF_EGID, BPF_CORE_READ(cred, egid.val));
	rules_fact(f, PS_RF_ECAPS, eff);
	if (ext)
		rules_fact(f, PS_RF_GAINED_CAPS, (eff & ~ext->creds.cap_eff) | (prm & ~ext->creds.cap_prm));
	rules_caller_fact(f, task);
	if (!rules_scope_facts(PS_KH_BPRM, f, task, false))
		return 0;
	if (exe)
		rules_path_fact(f, PS_RF_PATH, &exe->f_path);
	return rules_kill(rules_eval_hook(PS_KH_BPRM, f));
}

/* Which file it is: what user space checks before it hashes a file for this exec. */
static __always_inline void proc_exe_ident(struct ps_exec *ex, struct file *exe)
{
	struct inode *ino = BPF_CORE_READ(exe, f_inode);
	struct mount *mnt = container_of(BPF_CORE_READ(exe, f_path.mnt), struct mount, mnt);

	ex->exe_mnt_id = BPF_CORE_READ(mnt, mnt_id);
	ex->exe_fs_magic = (__u32)BPF_CORE_READ(ino, i_sb, s_magic);
	ex->exe_ino = BPF_CORE_READ(ino, i_ino);
	ex->exe_size = BPF_CORE_READ(ino, i_size);
	/* Bit 31 of the nanoseconds is a flag (I_CTIME_QUERIED, multigrain timestamps). */
	if (bpf_core_field_exists(ino->i_ctime_sec))
		ex->exe_ctime_ns = (__s64)BPF_CORE_READ(ino, i_ctime_sec) * 1000000000 +
				   (BPF_CORE_READ(ino, i_ctime_nsec) & 0x7fffffff);
}

static __always_inline int proc_on_exec(struct task_struct *task, pid_t old_pid,
				   struct linux_binprm *bprm)
{
	struct ps_exec *ex;
	struct mm_struct *mm;
	struct file *exe;
	const char *filename;
	__u8 *buf;
	char first;

	/* --all: a process its fork did not bring in (a user-mode helper) joins at its exec. */
	if (!scope_has(task->tgid) && (!cfg_all || !scope_tracked_add(task, 0)))
		return 0;
	buf = maps_scratch_buf();
	if (!buf)
		return 0;
	emit_fill_hdr((struct ps_hdr *)buf, PS_REC_EXEC, task);
	ex = (struct ps_exec *)(buf + sizeof(struct ps_hdr));
	ex->argc = bprm->argc;
	ex->envc = bprm->envc;
	ex->old_pid = old_pid;
	mm = task->mm;
	ex->flags = proc_exec_flags(mm, bprm);
	ex->exe_mnt_id = ex->exe_fs_magic = 0;
	ex->exe_ino = ex->exe_size = 0;
	ex->exe_ctime_ns = 0;
	emit_rec_init(buf, sizeof(*ex));

	filename = bprm->filename;
	emit_blob_kernel_str(buf, 0, filename);
	if (bpf_probe_read_kernel(&first, 1, filename) == 0 && first != '/')
		ps_path_blob_base_dir(PS_ARG_BASE | 0, -100);
	exe = BPF_CORE_READ(mm, exe_file);
	/*
	 * A process that gained privileges in a run without root is not the
	 * invoker's to judge; one that merely runs an unreadable or undumpable
	 * file still is (its ids are the invoker's), or making a file
	 * unreadable would opt out of every rule.
	 */
	if (rules_on(PS_KH_BPRM) && !(cfg_confine && (ex->flags & PS_EXEC_SECURE)))
		((struct ps_hdr *)buf)->flags |= proc_rules(task, old_pid, exe);
	/* Fileless execution shows as an executable with no links (memfd, deleted). */
	if (exe) {
		proc_exe_ident(ex, exe);
		ps_path_blob_kpath(PS_ARG_EXE, (__u64)&exe->f_path, 1);
	}
	proc_blob_mm_area(buf, PS_BLOB_ARGV, BPF_CORE_READ(mm, arg_start), BPF_CORE_READ(mm, arg_end));
	if (cfg_capture_env)
		proc_blob_mm_area(buf, PS_BLOB_ENVP, BPF_CORE_READ(mm, env_start),
			     BPF_CORE_READ(mm, env_end));
	proc_exec_creds(buf, task, old_pid);
	if (!(ex->flags & PS_EXEC_UNFOLLOWED)) {
		emit_submit(buf);
		return 0;
	}
	if (scope_tracked_claim(task->tgid)) {
		maps_count(PS_CNT_UNFOLLOWED);
		emit_submit(buf);
		scope_tracked_done(task->tgid);
	}
	return 0;
}

#define PS_PF_KTHREAD 0x00200000   /* include/linux/sched.h: a kernel thread */

static __always_inline int proc_on_fork(struct task_struct *parent,
				   struct task_struct *child)
{
	struct ps_tracked *p;
	struct ps_fork *fk;
	__u8 *buf;

	/* Threads join their process's scope through the tgid key. */
	if (child->pid != child->tgid)
		return 0;
	if (scope_has(parent->tgid) && task_watchable(parent)) {
		p = scope_tracked_get(parent->tgid);
		if (!p || !scope_tracked_add(child, p->depth + 1))
			return 0;
	} else if (!cfg_all || (child->flags & PS_PF_KTHREAD) || !scope_tracked_add(child, 0)) {
		/* --all: every user process, whoever started it; kernel threads make no calls. */
		return 0;
	}
	buf = maps_scratch_buf();
	if (!buf)
		return 0;
	emit_fill_hdr((struct ps_hdr *)buf, PS_REC_FORK, bpf_get_current_task_btf());
	fk = (struct ps_fork *)(buf + sizeof(struct ps_hdr));
	fk->child_pid = child->tgid;
	fk->pad = 0;
	fk->child_start_boot = child->start_boottime;
	emit_rec_init(buf, sizeof(*fk));
	emit_submit(buf);
	return 0;
}

#define PS_SIGNAL_GROUP_EXIT 0x00000004

static __always_inline int proc_on_exit(struct task_struct *task)
{
	__u32 tid = task->pid;
	struct signal_struct *sig;
	struct ps_exit *ex;
	__u8 *buf;
	int code;

	/* A thread that dies inside a syscall never reaches sys_exit. */
	bpf_map_delete_elem(&stash_ext, &tid);
	sig = task->signal;
	if (sig->live.counter != 0)
		return 0; /* other threads of the process live on */
	if (!scope_has(task->tgid) || !task_watchable(task) || !scope_tracked_claim(task->tgid))
		return 0;
	code = task->exit_code;
	if (sig->flags & PS_SIGNAL_GROUP_EXIT)
		code = sig->group_exit_code;
	buf = maps_scratch_buf();
	if (buf) {
		emit_fill_hdr((struct ps_hdr *)buf, PS_REC_EXIT, task);
		ex = (struct ps_exit *)(buf + sizeof(struct ps_hdr));
		ex->exit_code = code;
		ex->pad = 0;
		emit_rec_init(buf, sizeof(*ex));
		emit_submit(buf);
	}
	scope_tracked_done(task->tgid);
	return 0;
}

#endif
