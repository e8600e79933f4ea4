/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * --path in the kernel: a file event whose every path is an absolute string
 * that no prefix covers is not sent.  The kernel decides only what it can
 * decide exactly as the consumer would: a string that lexical clean-up
 * would change ("//", "/." anywhere), a relative one, one cut short or one
 * named by a descriptor goes to the consumer, which resolves and decides.
 */
#ifndef PS_FILTER_BPF_H
#define PS_FILTER_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "records.h"
#include "emit.bpf.h"

/* The mount id of procscope's own "/" (loader.c); 0: not known, every root taken for ours. */
const volatile __u32 cfg_root_mnt_id = 0;

#define PS_NR_OPENAT2       437    /* the same number for x86-64 and IA-32 callers */
#define PS_RESOLVE_IN_ROOT  0x10   /* include/uapi/linux/openat2.h */

/* Normalised prefixes without a trailing '/'; 0 prefixes: --path is off. */
const volatile __u32 cfg_npaths = 0;
const volatile char cfg_paths[PS_PATHS_MAX][PS_PATH_PREFIX_MAX] = {};
const volatile __u16 cfg_path_len[PS_PATHS_MAX] = {};

struct filter_scan {
	const char *s;
	char prev;
	bool plain;         /* no "//" and no "/.": clean-up leaves it as it is */
};

/* Eight bytes of the string; stops at its NUL. */
static long filter_scan_word(__u32 i, void *ctx)
{
	struct filter_scan *f = ctx;
	char w[8];
	int j;

	if (bpf_probe_read_kernel(w, sizeof(w), f->s + 8 * (__u64)i)) {
		f->plain = false;
		return 1;
	}
	for (j = 0; j < 8; j++) {
		if (!w[j])
			return 1;
		if (f->prev == '/' && (w[j] == '/' || w[j] == '.')) {
			f->plain = false;
			return 1;
		}
		f->prev = w[j];
	}
	return 0;
}

/* s is under prefix i: it starts with it, and a '/' or the end follows. */
static __always_inline bool filter_under(const char *s, __u32 i)
{
	__u32 len = cfg_path_len[i];
	char next = 0;

	if (!len || len >= PS_PATH_PREFIX_MAX)
		return false;
	if (bpf_strncmp(s, len, (const char *)cfg_paths[i]))
		return false;
	bpf_probe_read_kernel(&next, 1, s + len);
	return next == '/' || next == '\0';
}

/*
 * Whether an absolute path string of this call means what it would mean to
 * procscope: not when the task's "/" is another (chroot, another mount
 * namespace), nor for openat2 with RESOLVE_IN_ROOT, which resolves it inside
 * the directory descriptor.  Then the kernel cannot judge the path: kept.
 */
static __always_inline bool filter_root_is_ours(struct task_struct *task, const struct ps_stash *s)
{
	struct vfsmount *vfsmnt = BPF_CORE_READ(task, fs, root.mnt);
	struct dentry *root = BPF_CORE_READ(task, fs, root.dentry);
	struct mount *mnt = container_of(vfsmnt, struct mount, mnt);
	__u64 resolve = 0;

	if (s->nr == PS_NR_OPENAT2 || s->nr == PS_IA32_BASE + PS_NR_OPENAT2) {
		/* Unreadable (unmapped by another thread): it may be, so it is taken to be. */
		if (bpf_probe_read_user(&resolve, sizeof(resolve), (void *)(s->args[2] + 16)) ||
		    (resolve & PS_RESOLVE_IN_ROOT))
			return false;
	}
	/* Mount ids are unique across namespaces: another namespace's "/" has another. */
	if (!cfg_root_mnt_id)
		return true;
	return vfsmnt && root == BPF_CORE_READ(vfsmnt, mnt_root) &&
	       (__u32)BPF_CORE_READ(mnt, mnt_id) == cfg_root_mnt_id;
}

/*
 * The string blob the capture just wrote at `off`: true when the record is
 * to be kept (a prefix covers it, or the kernel cannot tell).
 */
__noinline int ps_filter_path_keeps(__u64 off)
{
	struct filter_scan f = { .plain = true };
	__u8 *buf = maps_scratch_buf();
	struct ps_blob *b;
	const char *s;
	__u32 i;

	/* Global, as the path blobs (path.bpf.h): the record is the CPU's scratch buffer. */
	if (!buf || off > PS_OFF_LIMIT)
		return true;
	b = (struct ps_blob *)(buf + off);
	if (b->kind != PS_BLOB_STR || (b->flags & (PS_BF_TRUNCATED | PS_BF_READ_FAILED)) || !b->len)
		return true;
	s = (const char *)b + sizeof(*b);
	if (s[0] != '/')
		return true;
	f.s = s;
	bpf_loop(PS_PATH_MAX / 8, filter_scan_word, &f, 0);
	if (!f.plain)
		return true;
#pragma unroll
	for (i = 0; i < PS_PATHS_MAX; i++) {
		if (i >= cfg_npaths)
			break;
		if (filter_under(s, i))
			return true;
	}
	return false;
}

#endif
