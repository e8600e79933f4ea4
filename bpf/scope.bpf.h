/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Which tasks are in scope: decided once per process, in the kernel. */
#ifndef PS_SCOPE_BPF_H
#define PS_SCOPE_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "records.h"
#include "maps.bpf.h"

/* The hot-path check: is this process in scope? */
static __always_inline bool scope_has(__u32 tgid)
{
	__u32 idx = tgid / 64;
	__u64 *w = bpf_map_lookup_elem(&scope_bits, &idx);

	return w && (*w >> (tgid % 64)) & 1;
}

static __always_inline void scope_set(__u32 tgid, bool on)
{
	__u32 idx = tgid / 64;
	__u64 *w = bpf_map_lookup_elem(&scope_bits, &idx);
	__u64 bit = 1ULL << (tgid % 64);

	if (!w)
		return;
	if (on)
		__sync_fetch_and_or(w, bit);
	else
		__sync_fetch_and_and(w, ~bit);
}

static __always_inline struct ps_tracked *scope_tracked_get(__u32 tgid)
{
	return bpf_map_lookup_elem(&tracked, &tgid);
}

/*
 * Follow a new process at `depth` (its parent's plus one; 0 for a process
 * --all follows although its parent is not followed, such as a user-mode
 * helper a kernel thread starts).  Threads share their process's entry (the
 * key is the tgid), so only real processes are added.
 */
static __always_inline bool scope_tracked_add(struct task_struct *child, __u32 depth)
{
	struct ps_tracked c = {};
	__u32 key = child->tgid;

	long err;

	c.start_boot = child->start_boottime;
	c.depth = depth;
	/*
	 * The child is visible in /proc before this tracepoint, so attach mode's
	 * scan may have added it already: then it is counted once, by user space.
	 */
	err = bpf_map_update_elem(&tracked, &key, &c, BPF_NOEXIST);
	if (err == -17 /* EEXIST */)
		return true;
	if (err) {
		maps_count(PS_CNT_TRACKED_FULL);
		return false;
	}
	scope_set(key, true);
	__sync_fetch_and_add(&live_procs, 1);
	return true;
}

/*
 * Stop following a process.  Only the caller whose delete succeeded owns the
 * removal (two threads can both see the process's last moments); it must
 * call scope_tracked_done() after submitting its last record, so that user space
 * never sees zero live processes before that record is in the ring.
 */
static __always_inline bool scope_tracked_claim(__u32 tgid)
{
	return bpf_map_delete_elem(&tracked, &tgid) == 0;
}

static __always_inline void scope_tracked_done(__u32 tgid)
{
	scope_set(tgid, false);
	__sync_fetch_and_sub(&live_procs, 1);
}

#endif
