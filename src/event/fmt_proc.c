// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Formatters of acts on other processes: tracing, reading or writing their
 * memory, signalling them, taking their descriptors.  "target" is the
 * process acted upon as the kernel resolved it at the call: its pid, name,
 * key, and whether it is in the traced tree.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>

#include "event/event.h"
#include "event/names.h"
#include "output/out.h"
#include "event/syscalls.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct ps_target *ev_target(const struct ps_event *ev, int arg)
{
	const struct ev_blob *b = ev_blob_for(ev, arg);

	if (!b || b->kind != PS_BLOB_TARGET || b->len < sizeof(struct ps_target))
		return NULL;
	return (const struct ps_target *)b->data;
}

static bool by_pidfd(const struct ps_event *ev)
{
	unsigned int i;

	for (i = 0; i < PS_MAX_BLOBS; i++)
		if (ev->desc->caps[i].kind == PS_CAP_TARGET)
			return ev->desc->caps[i].aux == PS_TGT_PIDFD;
	return false;
}

/*
 * kill(2) with a pid of 0 signals the caller's own process group
 * ("process_group": 0), -1 every process it may signal, -N group N.
 */
static void target_out(const struct ps_event *ev, struct out *o, int arg)
{
	const struct ps_syscall *sc = ev->fixed;
	const struct ps_target *t = ev_target(ev, arg);
	bool pidfd = by_pidfd(ev);

	if (!t)
		return;
	out_obj_begin(o, "target");
	if (pidfd)
		out_int(o, "pidfd", t->id);
	else if (sc->nr == SYS_kill && t->id == -1)
		out_bool(o, "all_processes", true);
	else if (sc->nr == SYS_kill && t->id <= 0)
		out_int(o, "process_group", -t->id);
	if (t->pid) {
		out_uint(o, "pid", t->pid);
		if (t->tid != t->pid)
			out_uint(o, "tid", t->tid);
		out_strn(o, "comm", t->comm, strnlen(t->comm, sizeof(t->comm)));
		out_bool(o, "in_tree", t->in_tree);
		fmt_key(o, "key", t->pid, t->start_boot);
	} else if (!pidfd && (sc->nr != SYS_kill || t->id > 0)) {
		/*
		 * No such process when the call returned, one named in a PID
		 * namespace, or a pid <= 0 (no process at all): as passed.
		 */
		out_int(o, "pid", t->id);
		if (t->unresolved)
			out_bool(o, "pid_in_caller_namespace", true);
	}
	out_obj_end(o);
}

void fmt_ptrace(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;

	out_obj_begin(o, "proc");
	fmt_name(o, "request", &ps_ptrace_requests, (long)sc->args[0]);
	/* PTRACE_TRACEME names no pid: the tracer is the parent. */
	if (sc->args[0] != PTRACE_TRACEME)
		target_out(ev, o, 1);
	out_obj_end(o);
}

/* ret is the number of bytes read or written. */
void fmt_vm_access(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;

	out_obj_begin(o, "proc");
	out_str(o, "access", sc->nr == SYS_process_vm_writev ? "write" : "read");
	target_out(ev, o, 0);
	out_uint(o, "local_iovcnt", sc->args[2]);
	out_uint(o, "remote_iovcnt", sc->args[4]);
	out_obj_end(o);
}

/* Signal 0 delivers nothing: it checks that the target exists and may be signalled. */
void fmt_signal(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;
	const signed char *p = ev->desc->p;
	int sig = sc->args[p[1]];
	const char *name = signal_name(sig);

	out_obj_begin(o, "proc");
	if (name)
		out_str(o, "signal", name);
	else
		out_int(o, "signal", sig);
	if (!sig)
		out_bool(o, "existence_check", true);
	target_out(ev, o, p[0]);
	out_obj_end(o);
}

/* PIDFD_THREAD (O_EXCL) is Linux 6.9. */
static const struct ps_name pidfd_flags[] = {
	{ O_NONBLOCK, "PIDFD_NONBLOCK" },
	{ O_EXCL, "PIDFD_THREAD" },
};
const struct ps_nametab ps_pidfd_flags = { pidfd_flags, ARRAY_SIZE(pidfd_flags) };

/* ret is the new pidfd. */
void fmt_pidfd_open(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;

	out_obj_begin(o, "proc");
	target_out(ev, o, 0);
	fmt_flags(o, "flags", &ps_pidfd_flags, (unsigned int)sc->args[1]);
	out_obj_end(o);
}

/* ret is the caller's copy of the target's descriptor `target_fd`. */
void fmt_pidfd_getfd(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;

	out_obj_begin(o, "proc");
	target_out(ev, o, 0);
	out_int(o, "target_fd", (int)sc->args[1]);
	out_obj_end(o);
}
