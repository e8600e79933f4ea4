/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Which tasks are in scope: decided once per process, in the kernel. */
#ifndef PS_SCOPE_BPF_H
#define PS_SCOPE_BPF_H

/* The hot-path check: is this process in scope? */
static __always_inline bool in_scope(__u32 tgid)
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

static __always_inline struct ps_tracked *tracked_get(__u32 tgid)
{
	return bpf_map_lookup_elem(&tracked, &tgid);
}

/*
 * Follow a new process.  Threads share their process's entry (the key is the
 * tgid), so only real processes are added.
 */
static __always_inline bool tracked_add_child(struct ps_tracked *parent,
					      struct task_struct *child)
{
	struct ps_tracked c = {};
	__u32 key = child->tgid;

	c.start_boot = child->start_boottime;
	c.depth = parent->depth + 1;
	if (bpf_map_update_elem(&tracked, &key, &c, BPF_ANY)) {
		count(PS_CNT_TRACKED_FULL);
		return false;
	}
	scope_set(key, true);
	__sync_fetch_and_add(&live_procs, 1);
	return true;
}

/* Called when the last thread of a tracked process exits. */
static __always_inline void tracked_remove(__u32 tgid)
{
	scope_set(tgid, false);
	if (bpf_map_delete_elem(&tracked, &tgid) == 0)
		__sync_fetch_and_sub(&live_procs, 1);
}

#endif
