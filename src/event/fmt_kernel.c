// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Formatters of acts on the kernel itself: modules, BPF programs and maps,
 * kexec, io_uring rings (whose operations bypass syscall tracing) and perf
 * events.
 */
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <linux/bpf.h>
#include <linux/io_uring.h>
#include <linux/kexec.h>
#include <linux/perf_event.h>

#include "event/event.h"
#include "event/names.h"
#include "output/out.h"
#include "event/syscalls.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The BYTES blob of argument `arg`, when it holds at least `need` bytes. */
static const struct ev_blob *bytes_arg(const struct ps_event *ev, int arg, size_t need)
{
	const struct ev_blob *b = ev_blob_for(ev, arg);

	return b && b->kind == PS_BLOB_BYTES && b->len >= need ? b : NULL;
}

static unsigned int u32_at(const struct ev_blob *b, size_t off)
{
	unsigned int v;

	memcpy(&v, b->data + off, sizeof(v));
	return v;
}

void fmt_init_module(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;

	out_obj_begin(o, "kernel");
	out_uint(o, "length", sc->args[1]);
	fmt_str_arg(ev, o, "params", 2);
	out_obj_end(o);
}

void fmt_finit_module(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;

	out_obj_begin(o, "kernel");
	fmt_file_ref(ev, o, "path", 0);
	fmt_str_arg(ev, o, "params", 1);
	fmt_flags(o, "flags", &ps_module_flags, (unsigned int)sc->args[2]);
	out_obj_end(o);
}

static const struct ps_name delete_module_flags[] = {
	{ O_NONBLOCK, "O_NONBLOCK" }, { O_TRUNC, "O_TRUNC" },
};
const struct ps_nametab ps_delete_module_flags = {
	delete_module_flags, ARRAY_SIZE(delete_module_flags)
};

void fmt_delete_module(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;

	out_obj_begin(o, "kernel");
	fmt_str_arg(ev, o, "name", 0);
	fmt_flags(o, "flags", &ps_delete_module_flags, (unsigned int)sc->args[1]);
	out_obj_end(o);
}

/* A NUL-padded object name inside union bpf_attr. */
static void bpf_name(struct out *o, const struct ev_blob *attr, size_t off)
{
	if (attr->len >= off + BPF_OBJ_NAME_LEN)
		out_strn(o, "name", attr->data + off, strnlen(attr->data + off, BPF_OBJ_NAME_LEN));
}

/* union bpf_attr as far as the caller passed it (its size is bpf()'s third argument). */
static void bpf_attr_out(struct out *o, unsigned long long cmd, const struct ev_blob *attr)
{
	switch (cmd) {
	case BPF_MAP_CREATE:
		if (attr->len < offsetof(union bpf_attr, map_flags))
			return;
		fmt_name(o, "map_type", &ps_bpf_map_types,
			 u32_at(attr, offsetof(union bpf_attr, map_type)));
		out_uint(o, "key_size", u32_at(attr, offsetof(union bpf_attr, key_size)));
		out_uint(o, "value_size", u32_at(attr, offsetof(union bpf_attr, value_size)));
		out_uint(o, "max_entries", u32_at(attr, offsetof(union bpf_attr, max_entries)));
		bpf_name(o, attr, offsetof(union bpf_attr, map_name));
		break;
	case BPF_PROG_LOAD:
		if (attr->len < offsetof(union bpf_attr, insns))
			return;
		fmt_name(o, "prog_type", &ps_bpf_prog_types,
			 u32_at(attr, offsetof(union bpf_attr, prog_type)));
		out_uint(o, "insn_cnt", u32_at(attr, offsetof(union bpf_attr, insn_cnt)));
		bpf_name(o, attr, offsetof(union bpf_attr, prog_name));
		if (attr->len >= offsetof(union bpf_attr, expected_attach_type) + 4)
			out_uint(o, "expected_attach_type",
				 u32_at(attr, offsetof(union bpf_attr, expected_attach_type)));
		break;
	case BPF_PROG_ATTACH:
	case BPF_LINK_CREATE:
		/* Both start with two descriptors and the attach type. */
		if (attr->len >= 12)
			out_uint(o, "attach_type", u32_at(attr, 8));
		break;
	}
}

void fmt_bpf(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;
	const struct ev_blob *attr = bytes_arg(ev, 1, 0);

	out_obj_begin(o, "kernel");
	fmt_name(o, "command", &ps_bpf_cmds, (int)sc->args[0]);
	if (attr)
		bpf_attr_out(o, (int)sc->args[0], attr);
	out_obj_end(o);
}

void fmt_kexec_load(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;
	unsigned long long flags = sc->args[3];

	out_obj_begin(o, "kernel");
	out_uint(o, "entry", sc->args[0]);
	out_uint(o, "segments", sc->args[1]);
	fmt_flags(o, "flags", &ps_kexec_flags, flags & ~(unsigned long long)KEXEC_ARCH_MASK);
	fmt_name(o, "arch", &ps_kexec_archs, flags & KEXEC_ARCH_MASK);
	out_obj_end(o);
}

void fmt_kexec_file_load(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;

	out_obj_begin(o, "kernel");
	fmt_file_ref(ev, o, "path", 0);
	out_int(o, "initrd_fd", (int)sc->args[1]);
	fmt_str_arg(ev, o, "cmdline", 3);
	fmt_flags(o, "flags", &ps_kexec_file_flags, sc->args[4]);
	out_obj_end(o);
}

/*
 * The ring's requests run in the kernel without syscalls of their own:
 * after this, what the program reads, writes, opens or connects through
 * the ring is not in the trace.
 */
void fmt_io_uring_setup(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;
	const struct ev_blob *p = bytes_arg(ev, 1, sizeof(struct io_uring_params));

	out_obj_begin(o, "kernel");
	out_uint(o, "entries", (unsigned int)sc->args[0]);
	if (p) {
		fmt_flags(o, "flags", &ps_io_uring_setup_flags,
			  u32_at(p, offsetof(struct io_uring_params, flags)));
		/* Filled in by the kernel on success. */
		if (sc->ret >= 0) {
			out_uint(o, "sq_entries",
				 u32_at(p, offsetof(struct io_uring_params, sq_entries)));
			out_uint(o, "cq_entries",
				 u32_at(p, offsetof(struct io_uring_params, cq_entries)));
		}
	}
	out_bool(o, "bypasses_syscall_tracing", true);
	out_obj_end(o);
}

static const struct ps_name perf_flags[] = {
	{ PERF_FLAG_FD_NO_GROUP, "PERF_FLAG_FD_NO_GROUP" },
	{ PERF_FLAG_FD_OUTPUT, "PERF_FLAG_FD_OUTPUT" },
	{ PERF_FLAG_PID_CGROUP, "PERF_FLAG_PID_CGROUP" },
	{ PERF_FLAG_FD_CLOEXEC, "PERF_FLAG_FD_CLOEXEC" },
};
const struct ps_nametab ps_perf_flags = { perf_flags, ARRAY_SIZE(perf_flags) };

/* pid -1 with a cpu watches every process on that cpu. */
void fmt_perf_event_open(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;
	const struct ev_blob *attr = bytes_arg(ev, 0, offsetof(struct perf_event_attr, config) + 8);
	unsigned long long config;

	out_obj_begin(o, "kernel");
	if (attr) {
		fmt_name(o, "perf_type", &ps_perf_types,
			 u32_at(attr, offsetof(struct perf_event_attr, type)));
		memcpy(&config, attr->data + offsetof(struct perf_event_attr, config), sizeof(config));
		out_uint(o, "config", config);
	}
	out_int(o, "pid", (int)sc->args[1]);
	out_int(o, "cpu", (int)sc->args[2]);
	out_int(o, "group_fd", (int)sc->args[3]);
	fmt_flags(o, "flags", &ps_perf_flags, sc->args[4]);
	out_obj_end(o);
}
