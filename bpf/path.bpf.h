/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Kernel paths.  bpf_d_path() is not allowed in tracepoint programs, so the
 * dentry chain is walked by hand, crossing mount points, and written
 * leaf-first as NUL-separated components; user space reverses them.
 */
#ifndef PS_PATH_BPF_H
#define PS_PATH_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "records.h"
#include "maps.bpf.h"
#include "emit.bpf.h"

#define PS_NAME_MAX 256 /* NAME_MAX + NUL */

struct path_walk {
	__u8 *data;
	struct dentry *dentry;
	struct vfsmount *vfsmnt;
	struct mount *mnt;
	__u32 pos;
	__u16 flags;
	bool done;
};

static __always_inline long path_walk_over(struct path_walk *w, __u16 flags)
{
	w->flags |= flags;
	w->done = true;
	return 1;
}

/* One step towards the root, as a bpf_loop() callback: 1 ends the walk. */
static long path_walk_step(__u32 i, void *ctx)
{
	struct path_walk *w = ctx;
	struct dentry *d = w->dentry;
	struct vfsmount *vfsmnt = w->vfsmnt;
	struct mount *mnt = w->mnt;
	struct dentry *parent = BPF_CORE_READ(d, d_parent);
	struct dentry *mnt_root = BPF_CORE_READ(vfsmnt, mnt_root);
	const unsigned char *name;
	__u32 pos = w->pos;
	long n;

	if (d == mnt_root) {
		struct mount *up = BPF_CORE_READ(mnt, mnt_parent);

		if (up == mnt)
			return path_walk_over(w, PS_BF_ROOTED);
		w->dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
		w->mnt = up;
		w->vfsmnt = &up->mnt;
		return 0;
	}
	if (pos > PS_PATH_MAX - PS_NAME_MAX || !w->data)
		return path_walk_over(w, PS_BF_TRUNCATED);
	name = BPF_CORE_READ(d, d_name.name);
	/* The mask restates the bound for the verifier; it changes nothing. */
	pos &= PS_PATH_MAX - 1;
	n = bpf_probe_read_kernel_str(w->data + pos, PS_NAME_MAX, name);
	if (n <= 0)
		return path_walk_over(w, PS_BF_READ_FAILED);
	w->pos += n;
	/* A dentry that is its own parent is a pseudo-file (pipe, memfd ...). */
	if (parent == d)
		return path_walk_over(w, 0);
	w->dentry = parent;
	return 0;
}

/*
 * Pseudo files (pipes, sockets, namespaces, pidfds) have no name of their
 * own: the kernel makes one up in d_dname.  Write the same "kind:[inode]".
 */
static __always_inline __u32 path_pseudo_name(struct dentry *d, __u8 *data)
{
	struct inode *inode = BPF_CORE_READ(d, d_inode);
	__u64 magic = BPF_CORE_READ(inode, i_sb, s_magic);
	__u64 args[2];
	long n;

	args[1] = BPF_CORE_READ(inode, i_ino);
	switch (magic) {
	case 0x50495045: args[0] = (__u64)"pipe"; break;
	case 0x534F434B: args[0] = (__u64)"socket"; break;
	case 0x6e736673: args[0] = (__u64)"ns"; break;
	case 0x50494446: args[0] = (__u64)"pidfd"; break;
	default: return 0;
	}
	n = bpf_snprintf((char *)data, PS_NAME_MAX, "%s:[%llu]", args, sizeof(args));
	return n > 0 ? n : 0;
}

/*
 * The blobs below are global functions: the verifier checks each once, on
 * its own, instead of again at every call site with that caller's state,
 * which was most of ps_sys_exit's load time.  A global function takes
 * numbers, so the record is the CPU's scratch buffer looked up again (a BPF
 * program does not migrate), and kernel pointers come as the values
 * BPF_CORE_READ gave (read with probe_read, never dereferenced directly).
 */

/*
 * Append a DIRENTS blob for the kernel struct path at `path`.  With `nlink`,
 * a file with no links left (deleted, or a memfd) is flagged.
 */
__noinline int ps_path_blob_kpath(__u32 arg, __u64 path, __u32 nlink)
{
	const struct path *p = (const struct path *)path;
	__u8 *buf = maps_scratch_buf();
	struct path_walk w = {};
	struct ps_blob *b;
	__u64 off;

	if (!buf)
		return 0;
	b = emit_blob_start(buf, PS_BLOB_DIRENTS, (__u8)arg, &off);
	if (!b)
		return 0;
	w.data = buf + off + sizeof(*b);
	w.dentry = BPF_CORE_READ(p, dentry);
	w.vfsmnt = BPF_CORE_READ(p, mnt);
	w.mnt = container_of(w.vfsmnt, struct mount, mnt);
	if (!w.dentry || !w.vfsmnt) {
		b->flags |= PS_BF_READ_FAILED;
		emit_blob_end(buf, off, b, 0);
		return 0;
	}
	bpf_loop(PS_PATH_DEPTH, path_walk_step, &w, 0);
	if (!w.done)
		w.flags |= PS_BF_TRUNCATED;
	if (w.flags & PS_BF_TRUNCATED)
		maps_count(PS_CNT_PATH_TRUNC);
	if (nlink && BPF_CORE_READ(p, dentry, d_inode, i_nlink) == 0)
		w.flags |= PS_BF_DELETED;
	/* A pseudo file whose own name was empty or "/". */
	if (!(w.flags & PS_BF_ROOTED) && w.done && w.pos <= 2) {
		__u32 n = path_pseudo_name(w.dentry, w.data);

		if (n)
			w.pos = n;
	}
	b->flags |= w.flags;
	emit_blob_end(buf, off, b, w.pos);
	return 0;
}

/* The struct file behind `fd` in the current task, as a number; 0 when none. */
static __always_inline __u64 path_fd_file(struct task_struct *task, long fd)
{
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds;
	__u64 f = 0;

	if (fd < 0 || !fdt || fd >= BPF_CORE_READ(fdt, max_fds))
		return 0;
	fds = BPF_CORE_READ(fdt, fd);
	if (bpf_probe_read_kernel(&f, sizeof(f), fds + fd))
		return 0;
	return f;
}

/* The path of the current task's descriptor `fd` (a failed read says so). */
__noinline int ps_path_blob_fd(__u32 arg, long fd)
{
	__u64 f = path_fd_file(bpf_get_current_task_btf(), fd);
	struct ps_blob *b;
	__u8 *buf;
	__u64 off;

	if (f)
		return ps_path_blob_kpath(arg, f + bpf_core_field_offset(struct file, f_path), 0);
	buf = maps_scratch_buf();
	if (!buf)
		return 0;
	b = emit_blob_start(buf, PS_BLOB_DIRENTS, (__u8)arg, &off);
	if (!b)
		return 0;
	b->flags |= PS_BF_READ_FAILED;
	emit_blob_end(buf, off, b, 0);
	return 0;
}

/* Base directory of a relative path: the current task's cwd or the directory fd. */
__noinline int ps_path_blob_base_dir(__u32 arg, long dirfd)
{
	__u64 fs;

	if ((int)dirfd != -100 /* AT_FDCWD */)
		return ps_path_blob_fd(arg, (int)dirfd);
	fs = (__u64)BPF_CORE_READ(bpf_get_current_task_btf(), fs);
	return ps_path_blob_kpath(arg, fs ? fs + bpf_core_field_offset(struct fs_struct, pwd) : 0, 0);
}

#endif
