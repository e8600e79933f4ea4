// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Formatters of mount events.  Targets are absolute paths; sources and
 * filesystem types are shown as the caller passed them.  Mount option
 * strings (mount(2)'s data, fsconfig values other than "source" and paths)
 * are not shown: they can carry credentials.
 */
#include <string.h>
#include <sys/mount.h>

#include "event/event.h"
#include "event/names.h"
#include "output/out.h"
#include "event/syscalls.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void fmt_mount(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;

	out_obj_begin(o, "mount");
	fmt_str_arg(ev, o, "source", 0);
	fmt_path(ev, o, "target", 1);
	fmt_str_arg(ev, o, "fstype", 2);
	fmt_flags(o, "flags", &ps_mount_flags, sc->args[3]);
	out_obj_end(o);
}

void fmt_umount(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;

	out_obj_begin(o, "mount");
	fmt_path(ev, o, "target", 0);
	fmt_flags(o, "flags", &ps_umount_flags, (unsigned int)sc->args[1]);
	out_obj_end(o);
}

void fmt_pivot_root(const struct ps_event *ev, struct out *o)
{
	out_obj_begin(o, "mount");
	fmt_path(ev, o, "new_root", 0);
	fmt_path(ev, o, "put_old", 1);
	out_obj_end(o);
}

void fmt_chroot(const struct ps_event *ev, struct out *o)
{
	out_obj_begin(o, "mount");
	fmt_path(ev, o, "path", 0);
	out_obj_end(o);
}

/* "from" is often a detached mount: an empty path with MOVE_MOUNT_F_EMPTY_PATH. */
void fmt_move_mount(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;

	out_obj_begin(o, "mount");
	fmt_file_ref(ev, o, "from", 1);
	fmt_file_ref(ev, o, "target", 3);
	fmt_flags(o, "flags", &ps_move_mount_flags, (unsigned int)sc->args[4]);
	out_obj_end(o);
}

static const struct ps_name fsopen_flags[] = {
	{ FSOPEN_CLOEXEC, "FSOPEN_CLOEXEC" },
};
const struct ps_nametab ps_fsopen_flags = { fsopen_flags, ARRAY_SIZE(fsopen_flags) };

void fmt_fsopen(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;

	out_obj_begin(o, "mount");
	fmt_str_arg(ev, o, "fstype", 0);
	fmt_flags(o, "flags", &ps_fsopen_flags, (unsigned int)sc->args[1]);
	out_obj_end(o);
}

/* FSCONFIG_CMD_CREATE_EXCL is Linux 6.6. */
static const struct ps_name fsconfig_cmds[] = {
	{ FSCONFIG_SET_FLAG, "FSCONFIG_SET_FLAG" },
	{ FSCONFIG_SET_STRING, "FSCONFIG_SET_STRING" },
	{ FSCONFIG_SET_BINARY, "FSCONFIG_SET_BINARY" },
	{ FSCONFIG_SET_PATH, "FSCONFIG_SET_PATH" },
	{ FSCONFIG_SET_PATH_EMPTY, "FSCONFIG_SET_PATH_EMPTY" },
	{ FSCONFIG_SET_FD, "FSCONFIG_SET_FD" },
	{ FSCONFIG_CMD_CREATE, "FSCONFIG_CMD_CREATE" },
	{ FSCONFIG_CMD_RECONFIGURE, "FSCONFIG_CMD_RECONFIGURE" },
	{ 8, "FSCONFIG_CMD_CREATE_EXCL" },
};
const struct ps_nametab ps_fsconfig_cmds = { fsconfig_cmds, ARRAY_SIZE(fsconfig_cmds) };

static bool fsconfig_value_shown(const struct ps_event *ev, unsigned long long cmd)
{
	const struct ev_blob *key = ev_blob_for(ev, 2);

	if (cmd == FSCONFIG_SET_PATH || cmd == FSCONFIG_SET_PATH_EMPTY)
		return true;
	return cmd == FSCONFIG_SET_STRING && key && key->kind == PS_BLOB_STR &&
	       key->len == 6 && !memcmp(key->data, "source", 6);
}

void fmt_fsconfig(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;
	unsigned long long cmd = (unsigned int)sc->args[1];

	out_obj_begin(o, "mount");
	out_int(o, "fd", (int)sc->args[0]);
	fmt_name(o, "command", &ps_fsconfig_cmds, cmd);
	if (ev_blob_for(ev, 2))
		fmt_str_arg(ev, o, "key", 2);
	if (fsconfig_value_shown(ev, cmd))
		fmt_str_arg(ev, o, "value", 3);
	if (cmd == FSCONFIG_SET_FD)
		out_int(o, "value_fd", (int)sc->args[4]);
	out_obj_end(o);
}

/* ret is a descriptor of the new, not yet attached, mount. */
void fmt_fsmount(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;

	out_obj_begin(o, "mount");
	out_int(o, "fd", (int)sc->args[0]);
	fmt_flags(o, "flags", &ps_fsmount_flags, (unsigned int)sc->args[1]);
	fmt_flags(o, "attr_flags", &ps_mount_attr_flags, (unsigned int)sc->args[2]);
	out_obj_end(o);
}

void fmt_open_tree(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;

	out_obj_begin(o, "mount");
	fmt_file_ref(ev, o, "path", 1);
	fmt_flags(o, "flags", &ps_open_tree_flags, (unsigned int)sc->args[2]);
	out_obj_end(o);
}

/* struct mount_attr: attr_set, attr_clr, propagation, userns_fd (u64 each). */
void fmt_mount_setattr(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;
	const struct ev_blob *b = ev_blob_for(ev, 3);
	unsigned long long attr[4];

	out_obj_begin(o, "mount");
	fmt_file_ref(ev, o, "path", 1);
	fmt_flags(o, "flags", &ps_at_flags, (unsigned int)sc->args[2]);
	if (b && b->kind == PS_BLOB_BYTES && b->len >= sizeof(attr)) {
		memcpy(attr, b->data, sizeof(attr));
		fmt_flags(o, "attr_set", &ps_mount_attr_flags, attr[0]);
		fmt_flags(o, "attr_clr", &ps_mount_attr_flags, attr[1]);
		if (attr[2])
			fmt_name(o, "propagation", &ps_mount_flags, attr[2]);
		if (attr[0] & MOUNT_ATTR_IDMAP)
			out_int(o, "userns_fd", (int)attr[3]);
	}
	out_obj_end(o);
}
