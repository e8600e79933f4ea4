/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Record assembly in the scratch buffer and delivery to the ring buffer. */
#ifndef PS_EMIT_BPF_H
#define PS_EMIT_BPF_H

/*
 * Blobs start at offsets below PS_OFF_LIMIT, so the largest read
 * (PS_ARGS_MAX bytes) always fits: the verifier sees the bound.
 */
#define PS_OFF_LIMIT (PS_SCRATCH_SIZE - PS_ARGS_MAX - sizeof(struct ps_blob) - 8)

static __always_inline __u32 pad8(__u32 n)
{
	return (n + 7) & ~7u;
}

static __always_inline void fill_hdr(struct ps_hdr *h, __u16 kind,
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
static __always_inline void rec_init(__u8 *buf, __u32 fixed)
{
	((struct ps_hdr *)buf)->size = sizeof(struct ps_hdr) + fixed;
}

/* Start a blob at the cursor; NULL when the record has no room left. */
static __always_inline struct ps_blob *blob_start(__u8 *buf, __u8 kind, __u8 arg,
						  __u64 *offp)
{
	struct ps_hdr *h = (struct ps_hdr *)buf;
	__u64 off = h->size;
	struct ps_blob *b;

	if (off > PS_OFF_LIMIT) {
		count(PS_CNT_REC_TRUNC);
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
static __always_inline void blob_end(__u8 *buf, __u64 off, struct ps_blob *b, __u32 len)
{
	struct ps_hdr *h = (struct ps_hdr *)buf;

	b->len = len;
	if (b->flags & PS_BF_TRUNCATED)
		h->flags |= PS_HF_TRUNCATED;
	if (b->flags & PS_BF_READ_FAILED)
		h->flags |= PS_HF_READ_FAILED;
	h->size = off + sizeof(*b) + pad8(len);
}

/*
 * A NUL-terminated user string; `max` includes the NUL.  Returns its first
 * byte (0 for ""), or -1 when it could not be read.
 */
static __always_inline int blob_user_str(__u8 *buf, __u8 arg, const void *uptr, __u32 max)
{
	__u64 off;
	struct ps_blob *b = blob_start(buf, PS_BLOB_STR, arg, &off);
	char *data;
	long n;

	if (!b)
		return -1;
	data = (char *)b + sizeof(*b);
	if (max > PS_PATH_MAX)
		max = PS_PATH_MAX;
	n = bpf_probe_read_user_str(data, max, uptr);
	if (n <= 0) {
		b->flags |= PS_BF_READ_FAILED;
		count(PS_CNT_READ_FAIL);
		blob_end(buf, off, b, 0);
		return -1;
	}
	if (n == max) {
		b->flags |= PS_BF_TRUNCATED;
		count(PS_CNT_STR_TRUNC);
	}
	blob_end(buf, off, b, n - 1);
	return (__u8)data[0];
}

/* Same for a string in kernel memory (bprm->filename). */
static __always_inline void blob_kernel_str(__u8 *buf, __u8 arg, const void *kptr)
{
	__u64 off;
	struct ps_blob *b = blob_start(buf, PS_BLOB_STR, arg, &off);
	long n;

	if (!b)
		return;
	n = bpf_probe_read_kernel_str(buf + off + sizeof(*b), PS_PATH_MAX, kptr);
	if (n <= 0) {
		b->flags |= PS_BF_READ_FAILED;
		count(PS_CNT_READ_FAIL);
		n = 1;
	}
	blob_end(buf, off, b, n - 1);
}

/* Raw user bytes (sockaddr, open_how ...), at most PS_BLOB_MAX. */
static __always_inline void blob_user_bytes(__u8 *buf, __u8 arg, const void *uptr, __u64 len)
{
	__u64 off, n = len;
	struct ps_blob *b = blob_start(buf, PS_BLOB_BYTES, arg, &off);

	if (!b)
		return;
	if (n > PS_BLOB_MAX) {
		n = PS_BLOB_MAX;
		b->flags |= PS_BF_TRUNCATED;
	}
	barrier_var(n);
	if (n == 0 || n > PS_BLOB_MAX) {
		blob_end(buf, off, b, 0);
		return;
	}
	if (bpf_probe_read_user(buf + off + sizeof(*b), n, uptr)) {
		count(PS_CNT_READ_FAIL);
		b->flags |= PS_BF_READ_FAILED;
		n = 0;
	}
	blob_end(buf, off, b, n);
}

/* A fixed-size blob whose bytes the caller fills through the returned pointer. */
static __always_inline void *blob_fixed(__u8 *buf, __u8 kind, __u8 arg, __u32 size)
{
	__u64 off;
	struct ps_blob *b = blob_start(buf, kind, arg, &off);

	if (!b)
		return NULL;
	blob_end(buf, off, b, size);
	return buf + off + sizeof(*b);
}

/* Deliver the record assembled in `buf`; its size is the cursor. */
static __always_inline void submit(__u8 *buf)
{
	struct ps_hdr *h = (struct ps_hdr *)buf;
	__u64 flags = BPF_RB_NO_WAKEUP;
	__u64 size = h->size;

	if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= cfg_wakeup_bytes)
		flags = BPF_RB_FORCE_WAKEUP;
	/* Checked right before use: the compiler may not keep an earlier bound. */
	barrier_var(size);
	if (size > PS_SCRATCH_SIZE) {
		count(PS_CNT_REC_TRUNC);
		return;
	}
	if (bpf_ringbuf_output(&events, buf, size, flags)) {
		count(PS_CNT_RB_FULL);
		return;
	}
	count(PS_CNT_EVENTS);
}

#endif
