// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * procscope's kernel side.  Everything runs on BTF raw tracepoints, which
 * load with CAP_BPF + CAP_PERFMON and need neither tracefs nor kprobes.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "records.h"
#include "maps.bpf.h"
#include "scope.bpf.h"
#include "emit.bpf.h"
#include "path.bpf.h"
#include "task.bpf.h"
#include "process.bpf.h"
#include "syscall.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("tp_btf/sched_process_fork")
int BPF_PROG(ps_fork, struct task_struct *parent, struct task_struct *child)
{
	return proc_on_fork(parent, child);
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(ps_exec, struct task_struct *task, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	return proc_on_exec(task, old_pid, bprm);
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(ps_exit, struct task_struct *task)
{
	return proc_on_exit(task);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(ps_sys_enter, struct pt_regs *regs, long id)
{
	sc_stash_args(regs, id);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(ps_sys_exit, struct pt_regs *regs, long ret)
{
	sc_emit(regs, ret);
	return 0;
}
