// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The floor: empty programs on the two raw syscall tracepoints procscope
 * uses.  Attaching anything there sends every syscall of every task through
 * the kernel's tracing slow path; this measures what that alone costs.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("tp_btf/sys_enter")
int BPF_PROG(floor_enter, struct pt_regs *regs, long id)
{
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(floor_exit, struct pt_regs *regs, long ret)
{
	return 0;
}
