/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Record assembly in the scratch buffer and delivery to the ring buffer. */
#ifndef PS_EMIT_BPF_H
#define PS_EMIT_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "records.h"
#include "maps.bpf.h"

/*
 * Blobs start at offsets below PS_OFF_LIMIT, so the largest read
 * (PS_ARGS_MAX bytes) always fits: the verifier sees the bound.
 */
#define PS_OFF_LIMIT (PS_SCRATCH_SIZE - PS_ARGS_MAX - sizeof(struct ps_blob) - 8)

static __always_inline __u32 emit_pad8(__u32 n)
{
	return (n + 7) & ~7u;
}

static __always_inline void emit_fill_hdr(struct ps_hdr *h, __u16 kind,
				     struct task_struct *task)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u64 uid_gid = bpf_get_current_uid_gid();

	h->kind = kind;
	h->flags = 0;
	h->ts_boot = bpf_ktime_get_boot_ns();
	h->start_boot = task->group_leader->start_boottime;
	h->pid = pid_tgid >> 32;
	h->tid = (__u32)pid_tgid;
	h->ppid = task->real_parent->tgid;
	h->parent_start_boot = task->real_parent->group_leader->start_boottime;
	h->uid = (__u32)uid_gid;
	h->gid = uid_gid >> 32;
	h->euid = task->cred->euid.val;
	bpf_get_current_comm(h->comm, sizeof(h->comm));
}

/*
 * The record's write cursor is its header's size field.  Keeping it in map
 * memory rather than a register makes it an unknown-but-bounded value to
 * the verifier, so paths that wrote different amounts converge and verifying
 * stays cheap.
 */
static __always_inline void emit_rec_init(__u8 *buf, __u32 fixed)
{
	((struct ps_hdr *)buf)->size = sizeof(struct ps_hdr) + fixed;
}

/* Start a blob at the cursor; NULL when the record has no room left. */
static __always_inline struct ps_blob *emit_blob_start(__u8 *buf, __u8 kind, __u8 arg,
						  __u64 *offp)
{
	struct ps_hdr *h = (struct ps_hdr *)buf;
	__u64 off = h->size;
	struct ps_blob *b;

	if (off > PS_OFF_LIMIT) {
		maps_count(PS_CNT_REC_TRUNC);
		h->flags |= PS_HF_TRUNCATED;
		return NULL;
	}
	b = (struct ps_blob *)(buf + off);
	b->kind = kind;
	b->arg = arg;
	b->flags = 0;
	b->len = 0;
	*offp = off;
	return b;
}

/* Close a blob of `len` data bytes and move the cursor past it. */
static __always_inline void emit_blob_end(__u8 *buf, __u64 off, struct ps_blob *b, __u32 len)
{
	struct ps_hdr *h = (struct ps_hdr *)buf;

	b->len = len;
	if (b->flags & PS_BF_TRUNCATED)
		h->flags |= PS_HF_TRUNCATED;
	if (b->flags & PS_BF_READ_FAILED)
		h->flags |= PS_HF_READ_FAILED;
	h->size = off + sizeof(*b) + emit_pad8(len);
}

/* Bytes from uptr to the end of its page: what is readable if the page is. */
static __always_inline __u32 emit_page_rest(const void *uptr)
{
	return 4096 - ((unsigned long)uptr & 4095);
}

/*
 * bpf_probe_read_user_str() fails whole when the string runs into an
 * unmapped page: then keep what the first page holds, marked truncated.
 * Returns what bpf_probe_read_user_str() returns (the NUL included).
 */
static __noinline long emit_read_user_str(char *dst, __u32 max, const void *uptr, __u16 *flags)
{
	long n = bpf_probe_read_user_str(dst, max, uptr);
	__u32 rest;

	if (n > 0)
		return n;
	/* No NUL in the first page, or the first read would have succeeded. */
	rest = emit_page_rest(uptr);
	if (rest >= max)
		return n;
	barrier_var(rest);
	if (rest == 0 || rest >= PS_PATH_MAX)
		return n;
	if (bpf_probe_read_user(dst, rest, uptr))
		return n;
	dst[rest] = '\0';
	*flags |= PS_BF_TRUNCATED;
	return rest + 1;
}

/*
 * A NUL-terminated user string at `uptr`, at most PS_PATH_MAX bytes with its NUL.  Returns
 * its first byte (0 for ""), or -1 when it could not be read.  Global, like
 * the path blobs (path.bpf.h): verified once; it appends to the CPU's
 * scratch record, looked up again.
 */
__noinline int ps_emit_user_str(__u32 arg, __u64 uptr)
{
	const __u32 max = PS_PATH_MAX;
	__u8 *buf = maps_scratch_buf();
	struct ps_blob *b;
	char *data;
	__u64 off;
	long n;

	if (!buf)
		return -1;
	b = emit_blob_start(buf, PS_BLOB_STR, (__u8)arg, &off);
	if (!b)
		return -1;
	data = (char *)b + sizeof(*b);
	n = emit_read_user_str(data, max, (const void *)uptr, &b->flags);
	if (n <= 0) {
		b->flags |= PS_BF_READ_FAILED;
		maps_count(PS_CNT_READ_FAIL);
		emit_blob_end(buf, off, b, 0);
		return -1;
	}
	if (n == max)
		b->flags |= PS_BF_TRUNCATED;
	if (b->flags & PS_BF_TRUNCATED)
		maps_count(PS_CNT_STR_TRUNC);
	emit_blob_end(buf, off, b, n - 1);
	return (__u8)data[0];
}

/* Same for a string in kernel memory (bprm->filename). */
static __always_inline void emit_blob_kernel_str(__u8 *buf, __u8 arg, const void *kptr)
{
	__u64 off;
	struct ps_blob *b = emit_blob_start(buf, PS_BLOB_STR, arg, &off);
	long n;

	if (!b)
		return;
	n = bpf_probe_read_kernel_str(buf + off + sizeof(*b), PS_PATH_MAX, kptr);
	if (n <= 0) {
		b->flags |= PS_BF_READ_FAILED;
		maps_count(PS_CNT_READ_FAIL);
		n = 1;
	}
	emit_blob_end(buf, off, b, n - 1);
}

/*
 * The bytes of a buffer that runs into an unmapped page: those of its first
 * page, marked truncated (a sockaddr's family survives a length too long).
 */
static __always_inline __u64 emit_user_bytes_prefix(void *dst, __u64 n, const void *uptr, __u16 *flags)
{
	__u64 rest = emit_page_rest(uptr);

	barrier_var(rest);
	if (rest < n && rest > 0 && rest <= PS_BLOB_MAX && !bpf_probe_read_user(dst, rest, uptr)) {
		*flags |= PS_BF_TRUNCATED;
		return rest;
	}
	maps_count(PS_CNT_READ_FAIL);
	*flags |= PS_BF_READ_FAILED;
	return 0;
}

/* Raw user bytes (sockaddr, open_how ...), at most PS_BLOB_MAX; global, as above. */
__noinline int ps_emit_user_bytes(__u32 arg, __u64 uptr_v, __u64 len)
{
	const void *uptr = (const void *)uptr_v;
	__u8 *buf = maps_scratch_buf();
	struct ps_blob *b;
	__u64 off, n = len;

	if (!buf)
		return 0;
	b = emit_blob_start(buf, PS_BLOB_BYTES, (__u8)arg, &off);
	if (!b)
		return 0;
	if (n > PS_BLOB_MAX) {
		n = PS_BLOB_MAX;
		b->flags |= PS_BF_TRUNCATED;
	}
	barrier_var(n);
	if (n == 0 || n > PS_BLOB_MAX) {
		emit_blob_end(buf, off, b, 0);
		return 0;
	}
	if (bpf_probe_read_user(buf + off + sizeof(*b), n, uptr))
		n = emit_user_bytes_prefix(buf + off + sizeof(*b), n, uptr, &b->flags);
	emit_blob_end(buf, off, b, n);
	return 0;
}

/* A fixed-size blob whose bytes the caller fills through the returned pointer. */
static __always_inline void *emit_blob_fixed(__u8 *buf, __u8 kind, __u8 arg, __u32 size)
{
	__u64 off;
	struct ps_blob *b = emit_blob_start(buf, kind, arg, &off);

	if (!b)
		return NULL;
	emit_blob_end(buf, off, b, size);
	return buf + off + sizeof(*b);
}

/* Deliver the record assembled in `buf`; its size is the cursor. */
static __always_inline void emit_submit(__u8 *buf)
{
	struct ps_hdr *h = (struct ps_hdr *)buf;
	__u64 flags = BPF_RB_NO_WAKEUP;
	__u64 size = h->size;

	if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= cfg_wakeup_bytes)
		flags = BPF_RB_FORCE_WAKEUP;
	/* Checked right before use: the compiler may not keep an earlier bound. */
	barrier_var(size);
	if (size > PS_SCRATCH_SIZE) {
		maps_count(PS_CNT_REC_TRUNC);
		return;
	}
	if (bpf_ringbuf_output(&events, buf, size, flags)) {
		maps_count(PS_CNT_RB_FULL);
		return;
	}
	maps_count(PS_CNT_EVENTS);
}

#endif
