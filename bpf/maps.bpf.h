/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Maps and load-time configuration shared by every program. */
#ifndef PS_MAPS_BPF_H
#define PS_MAPS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "records.h"

/* Set by the loader before load (rodata). */
const volatile __u32 cfg_args_bytes = 16384;   /* <= PS_ARGS_MAX */
const volatile bool cfg_capture_env = false;
const volatile __u64 cfg_wakeup_bytes = 1 << 20;
/* The invoker is not root: stop following a process that gains privileges. */
/* --failed / --succeeded: PS_RESULT_FAILED or _SUCCEEDED; 0 keeps every result. */
const volatile __u8 cfg_result = 0;
const volatile bool cfg_confine = false;
/* --all: a process whose parent is not followed is followed from its fork on. */
const volatile bool cfg_all = false;
/* With cfg_confine: the invoker's ids, which a followed task must keep. */
const volatile __u32 cfg_invoker_uid = 0;
const volatile __u32 cfg_invoker_gid = 0;

/* Number of tracked processes still alive; user space ends on zero. */
__u64 live_procs = 0;

/*
 * Processes in scope, one bit per tgid: the one lookup out-of-scope tasks
 * pay at each syscall is an array access the verifier inlines.  User space
 * maps it to set bits atomically for the processes it adds.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, PS_SCOPE_WORDS);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, __u64);
} scope_bits SEC(".maps");

/* Details of each process in scope, by tgid. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, struct ps_tracked);
} tracked SEC(".maps");

/* Arguments stashed at sys_enter, per thread, consumed at sys_exit. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct ps_stash);
} stash SEC(".maps");

/* Credentials and namespaces at entry, for the few syscalls that change them. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct ps_stash_ext);
} stash_ext SEC(".maps");

/* What to capture for each syscall number (x86-64, then IA-32); filled by user space. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, PS_SPEC_SLOTS);
	__type(key, __u32);
	__type(value, struct ps_spec);
} specs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 << 20);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PS_CNT__MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/*
 * Records are assembled here before bpf_ringbuf_output().  A per-CPU array
 * cannot hold values over 32 KiB, so this is a plain array with one slot per
 * possible CPU (max_entries set by the loader); tracepoint programs run with
 * preemption disabled, so a slot is never shared by two programs at once.
 */
struct scratch {
	__u8 buf[PS_SCRATCH_SIZE];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch_map SEC(".maps");

static __always_inline void maps_count(__u32 which)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &which);

	if (v)
		*v += 1;
}

static __always_inline __u8 *maps_scratch_buf(void)
{
	__u32 cpu = bpf_get_smp_processor_id();

	return bpf_map_lookup_elem(&scratch_map, &cpu);
}

#endif
