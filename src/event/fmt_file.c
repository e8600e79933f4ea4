// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Formatters of file events. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <linux/memfd.h>

#include "event/event.h"
#include "event/names.h"
#include "output/out.h"
#include "event/syscalls.h"

/* The user string captured for argument `arg`, verbatim; null when unreadable. */
void fmt_str_arg(const struct ps_event *ev, struct out *o, const char *key, int arg)
{
	const struct ev_blob *b = ev_blob_for(ev, arg);

	if (b && b->kind == PS_BLOB_STR && !(b->flags & PS_BF_READ_FAILED))
		out_strn(o, key, b->data, b->len);
	else
		out_null(o, key);
}

/* Write "path" for argument `arg`; an unreadable path is null, never "". */
void fmt_path(const struct ps_event *ev, struct out *o, const char *key, int arg)
{
	const struct ev_blob *s = ev_blob_for(ev, arg);
	char path[PS_PATH_MAX * 2];

	if (!ev_path(ev, arg, path, sizeof(path))) {
		out_null(o, key);
		return;
	}
	out_str(o, key, path);
	/* The argument as the program passed it, when it was relative. */
	if (s && s->kind == PS_BLOB_STR && s->len && s->data[0] != '/' && o->mode == OUT_JSON) {
		char raw_key[64];

		snprintf(raw_key, sizeof(raw_key), "%s_arg", key);
		out_strn(o, raw_key, s->data, s->len);
	}
}

void fmt_open_flags(struct out *o, unsigned long long flags)
{
	const char *names[48];
	unsigned long long rest;
	size_t n = open_flag_names(flags, names, 48, &rest);

	out_names(o, "flags", names, n);
	if (rest)
		out_uint(o, "flags_unknown", rest);
}

unsigned long long ev_open_flags(const struct ps_event *ev, unsigned long long *mode_out,
				 bool *has_mode_out)
{
	const struct ps_syscall *sc = ev->fixed;
	const signed char *p = ev->desc->p;
	unsigned long long flags = 0, mode = 0;
	bool has_mode = false;

	if (p[1] >= 0) {
		flags = (unsigned int)sc->args[p[1]];
	} else if (p[1] == -2) {
		flags = O_CREAT | O_WRONLY | O_TRUNC;
	} else {
		const struct ev_blob *how = ev_blob_for(ev, 2);

		if (how && how->len >= 16) {
			memcpy(&flags, how->data, 8);
			memcpy(&mode, how->data + 8, 8);
			has_mode = true;
		}
	}
	if (p[2] >= 0) {
		mode = sc->args[p[2]] & 07777;
		has_mode = true;
	}
	/* The mode only means something when a file may be created. */
	if (!(flags & O_CREAT) && (flags & O_TMPFILE) != O_TMPFILE)
		has_mode = false;
	if (mode_out)
		*mode_out = mode;
	if (has_mode_out)
		*has_mode_out = has_mode;
	return flags;
}

void fmt_open(const struct ps_event *ev, struct out *o)
{
	const signed char *p = ev->desc->p;
	const struct ev_blob *ret = ev_blob_for(ev, PS_ARG_RETFD);
	char given[PS_PATH_MAX * 2], opened[PS_PATH_MAX];
	unsigned long long mode = 0, flags;
	bool has_mode = false;

	flags = ev_open_flags(ev, &mode, &has_mode);
	out_obj_begin(o, "file");
	fmt_path(ev, o, "path", p[0]);
	fmt_open_flags(o, flags);
	if (has_mode)
		out_mode(o, "mode", mode);
	/* Sent where the kernel's rules judged the open: what they saw, if it is whole. */
	if (ret && ret->kind == PS_BLOB_DIRENTS && !(ret->flags & (PS_BF_TRUNCATED | PS_BF_READ_FAILED)) &&
	    dirents_path(ret, opened, sizeof(opened)) &&
	    !(ev_path(ev, p[0], given, sizeof(given)) && !strcmp(given, opened)))
		out_str(o, "opened", opened);
	out_obj_end(o);
}

void fmt_flags(struct out *o, const char *key, const struct ps_nametab *t,
	       unsigned long long v)
{
	const char *names[64];
	unsigned long long rest;
	size_t n = flag_names(t, v, names, 64, &rest);
	char unknown[64];

	out_names(o, key, names, n);
	if (rest) {
		snprintf(unknown, sizeof(unknown), "%s_unknown", key);
		out_uint(o, unknown, rest);
	}
}

void fmt_name(struct out *o, const char *key, const struct ps_nametab *t, long long v)
{
	const char *name = name_of(t, v);

	if (name)
		out_str(o, key, name);
	else
		out_int(o, key, v);
}

void fmt_id(struct out *o, const char *key, unsigned long long v)
{
	if ((unsigned int)v == (unsigned int)-1)
		out_int(o, key, -1);
	else
		out_uint(o, key, (unsigned int)v);
}

static const struct ps_cap *row_cap(const struct syscall_desc *d, int arg)
{
	unsigned int i;

	for (i = 0; i < PS_MAX_BLOBS && d->caps[i].kind != PS_CAP_NONE; i++)
		if (d->caps[i].arg == arg)
			return &d->caps[i];
	return NULL;
}

/* "fd" beside "path", "<key>_fd" beside any other key. */
static void ref_fd(struct out *o, const char *key, long long fd)
{
	char fd_key[64];

	if (!strcmp(key, "path")) {
		out_int(o, "fd", fd);
		return;
	}
	snprintf(fd_key, sizeof(fd_key), "%s_fd", key);
	out_int(o, fd_key, fd);
}

void fmt_file_ref(const struct ps_event *ev, struct out *o, const char *key, int arg)
{
	const struct ps_syscall *sc = ev->fixed;
	const struct ps_cap *cap = row_cap(ev->desc, arg);
	const struct ev_blob *s = ev_blob_for(ev, arg);

	if (cap && cap->kind == PS_CAP_FD_PATH) {
		fmt_path(ev, o, key, arg);
		ref_fd(o, key, (int)sc->args[arg]);
		return;
	}
	if (!cap || cap->kind != PS_CAP_PATH || cap->aux == AT_CWD || !s ||
	    s->kind != PS_BLOB_STR || s->len || (s->flags & PS_BF_READ_FAILED)) {
		fmt_path(ev, o, key, arg);
		return;
	}
	/*
	 * "" names the descriptor itself only with AT_EMPTY_PATH; without it the
	 * kernel answers ENOENT, and the path is shown as passed.
	 */
	if (sc->ret == -ENOENT)
		out_str(o, key, "");
	else if (ev_blob_for(ev, PS_ARG_BASE | arg))
		fmt_path(ev, o, key, PS_ARG_BASE | arg);
	else
		out_null(o, key);
	ref_fd(o, key, (int)sc->args[cap->aux]);
}

/* Rows: path, AT_* flags (unlinkat: AT_REMOVEDIR). */
const char *unlinkat_type(const struct ps_event *ev)
{
	const struct ps_syscall *sc = ev->fixed;

	return sc->args[2] & AT_REMOVEDIR ? "file.rmdir" : "file.unlink";
}

static void at_flags(const struct ps_event *ev, struct out *o, int arg,
		     const struct ps_nametab *t)
{
	const struct ps_syscall *sc = ev->fixed;

	if (arg >= 0)
		fmt_flags(o, "flags", t, (unsigned int)sc->args[arg]);
}

void fmt_file_path(const struct ps_event *ev, struct out *o)
{
	const signed char *p = ev->desc->p;

	out_obj_begin(o, "file");
	fmt_file_ref(ev, o, "path", p[0]);
	at_flags(ev, o, p[1], &ps_at_flags);
	out_obj_end(o);
}

void fmt_file_rename(const struct ps_event *ev, struct out *o)
{
	const signed char *p = ev->desc->p;

	out_obj_begin(o, "file");
	fmt_path(ev, o, "path", p[0]);
	fmt_path(ev, o, "target", p[1]);
	at_flags(ev, o, p[2], &ps_rename_flags);
	out_obj_end(o);
}

void fmt_file_link(const struct ps_event *ev, struct out *o)
{
	const signed char *p = ev->desc->p;

	out_obj_begin(o, "file");
	fmt_file_ref(ev, o, "path", p[0]);
	fmt_path(ev, o, "target", p[1]);
	at_flags(ev, o, p[2], &ps_at_flags);
	out_obj_end(o);
}

/* "path" is the link created; "target" the bytes stored in it, not resolved. */
void fmt_file_symlink(const struct ps_event *ev, struct out *o)
{
	const signed char *p = ev->desc->p;

	out_obj_begin(o, "file");
	fmt_path(ev, o, "path", p[1]);
	fmt_str_arg(ev, o, "target", p[0]);
	out_obj_end(o);
}

/* mkdir and chmod: the permission bits asked for, as a number (0644 is 420). */
void fmt_file_mode(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;
	const signed char *p = ev->desc->p;

	out_obj_begin(o, "file");
	fmt_file_ref(ev, o, "path", p[0]);
	out_mode(o, "mode", sc->args[p[1]] & 07777);
	at_flags(ev, o, p[2], &ps_at_flags);
	out_obj_end(o);
}

void fmt_file_chown(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;
	const signed char *p = ev->desc->p;

	out_obj_begin(o, "file");
	fmt_file_ref(ev, o, "path", p[0]);
	fmt_id(o, "uid", sc->args[p[1]]);
	fmt_id(o, "gid", sc->args[p[2]]);
	at_flags(ev, o, p[3], &ps_at_flags);
	out_obj_end(o);
}

void fmt_file_truncate(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;
	const signed char *p = ev->desc->p;

	out_obj_begin(o, "file");
	fmt_file_ref(ev, o, "path", p[0]);
	out_int(o, "length", (long long)sc->args[p[1]]);
	out_obj_end(o);
}

/* The file type by name (a type of 0 makes a regular file), and the device. */
void fmt_file_mknod(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;
	const signed char *p = ev->desc->p;
	unsigned int mode = sc->args[p[1]], type = mode & S_IFMT;
	dev_t dev = (unsigned int)sc->args[p[2]];

	out_obj_begin(o, "file");
	fmt_file_ref(ev, o, "path", p[0]);
	fmt_name(o, "file_type", &ps_file_types, type ? type : S_IFREG);
	out_mode(o, "mode", mode & 07777);
	if (type == S_IFCHR || type == S_IFBLK) {
		out_uint(o, "major", major(dev));
		out_uint(o, "minor", minor(dev));
	}
	out_obj_end(o);
}

/* The name as given (the kernel shows it as "memfd:NAME"); ret is the fd. */
void fmt_file_memfd(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;
	const signed char *p = ev->desc->p;
	unsigned int flags = sc->args[p[1]];
	unsigned int huge = (flags >> MFD_HUGE_SHIFT) & MFD_HUGE_MASK;

	out_obj_begin(o, "file");
	fmt_str_arg(ev, o, "name", p[0]);
	fmt_flags(o, "flags", &ps_memfd_flags, flags & ~((unsigned int)MFD_HUGE_MASK << MFD_HUGE_SHIFT));
	if (huge)
		out_uint(o, "huge_page_shift", huge);
	out_obj_end(o);
}

static const struct ps_name access_modes[] = {
	{ R_OK, "R_OK" }, { W_OK, "W_OK" }, { X_OK, "X_OK" },
};
const struct ps_nametab ps_access_modes = {
	access_modes, sizeof(access_modes) / sizeof(access_modes[0])
};

/* The access checked: R_OK, W_OK, X_OK, or F_OK (existence) when none. */
void fmt_file_access(const struct ps_event *ev, struct out *o)
{
	static const char *const exists[] = { "F_OK" };
	const struct ps_syscall *sc = ev->fixed;
	const signed char *p = ev->desc->p;
	unsigned int mode = sc->args[p[1]];

	out_obj_begin(o, "file");
	fmt_file_ref(ev, o, "path", p[0]);
	if (mode)
		fmt_flags(o, "access", &ps_access_modes, mode);
	else
		out_names(o, "access", exists, 1);
	at_flags(ev, o, p[2], &ps_faccessat_flags);
	out_obj_end(o);
}
