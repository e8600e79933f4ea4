// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Formatters of namespace events and of the clones procscope reports
 * (failed forks, and clones that create namespaces).  Namespaces are shown
 * as inode numbers, what `ls -l /proc/PID/ns` shows, before and after the
 * call; for a clone "after" is the child's.
 */
#include <sched.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>

#include "event/event.h"
#include "event/names.h"
#include "output/out.h"
#include "event/syscalls.h"

#define NS_MASK (CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | \
		 CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWTIME)

struct ns_field {
	const char *name;
	size_t off;
};

#define NS(f) { #f, offsetof(struct ps_ns, f) }

static const struct ns_field ns_fields[] = {
	NS(mnt), NS(pid), NS(net), NS(uts), NS(ipc), NS(user), NS(cgroup), NS(time),
};

#define NS_COUNT (sizeof(ns_fields) / sizeof(ns_fields[0]))

static unsigned int ns_value(const struct ps_ns *ns, const struct ns_field *f)
{
	unsigned int v;

	memcpy(&v, (const char *)ns + f->off, sizeof(v));
	return v;
}

static const struct ps_ns *ev_ns(const struct ps_event *ev, uint8_t which)
{
	static const struct ps_ns none;
	const struct ev_blob *b = ev_blob_for(ev, which);

	if (!b || b->kind != PS_BLOB_NS || b->len < sizeof(struct ps_ns))
		return NULL;
	/* All zeros: the task was gone (a child that already exited). */
	if (!memcmp(b->data, &none, sizeof(none)))
		return NULL;
	return (const struct ps_ns *)b->data;
}

static void ns_obj(struct out *o, const char *key, const struct ps_ns *ns)
{
	unsigned int i;

	if (!ns) {
		out_null(o, key);
		return;
	}
	out_obj_begin(o, key);
	for (i = 0; i < NS_COUNT; i++)
		out_uint(o, ns_fields[i].name, ns_value(ns, &ns_fields[i]));
	out_obj_end(o);
}

/* JSON: "before", "after", "changed" (names); timeline: the changes only. */
static void ns_out(const struct ps_event *ev, struct out *o)
{
	const struct ps_ns *b = ev_ns(ev, PS_ARG_BEFORE), *a = ev_ns(ev, PS_ARG_AFTER);
	const char *names[NS_COUNT];
	char buf[512];
	size_t i, n = 0, pos = 0;

	if (o->mode == OUT_JSON) {
		ns_obj(o, "before", b);
		ns_obj(o, "after", a);
	}
	if (!b || !a)
		return;
	buf[0] = '\0';
	for (i = 0; i < NS_COUNT; i++) {
		unsigned int x = ns_value(b, &ns_fields[i]), y = ns_value(a, &ns_fields[i]);

		if (x == y)
			continue;
		names[n++] = ns_fields[i].name;
		pos += snprintf(buf + pos, sizeof(buf) - pos, "%s%s:%u->%u", pos ? "," : "",
				ns_fields[i].name, x, y);
	}
	if (o->mode == OUT_JSON)
		out_names(o, "changed", names, n);
	else if (n)
		out_str(o, "changed", buf);
}

/* The clone flags and exit signal, wherever the syscall keeps them. */
static bool clone_args(const struct ps_event *ev, unsigned long long *flags, int *sig)
{
	const struct ps_syscall *sc = ev->fixed;
	const struct ev_blob *b;
	unsigned long long cl[5];

	switch (sc->nr) {
	case SYS_fork:
		*flags = 0;
		*sig = SIGCHLD;
		return true;
	case SYS_vfork:
		*flags = CLONE_VM | CLONE_VFORK;
		*sig = SIGCHLD;
		return true;
	case SYS_clone:
		*flags = sc->args[0] & ~(unsigned long long)CSIGNAL;
		*sig = sc->args[0] & CSIGNAL;
		return true;
	case SYS_clone3:
		/* struct clone_args: flags at 0, exit_signal at 32. */
		b = ev_blob_for(ev, 0);
		if (!b || b->kind != PS_BLOB_BYTES || b->len < sizeof(cl))
			return false;
		memcpy(cl, b->data, sizeof(cl));
		*flags = cl[0];
		*sig = cl[4];
		return true;
	}
	return false;
}

/* A clone that makes namespaces is a namespace event; any other is a failed fork. */
const char *clone_type(const struct ps_event *ev)
{
	unsigned long long flags;
	int sig;

	if (clone_args(ev, &flags, &sig) && (flags & NS_MASK))
		return "ns.clone";
	return "process.fork";
}

void fmt_clone(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;
	bool ns = !strcmp(ev->type, "ns.clone");
	unsigned long long flags;
	const char *name;
	int sig;

	out_obj_begin(o, ns ? "ns" : "process");
	if (clone_args(ev, &flags, &sig)) {
		fmt_flags(o, "flags", &ps_clone_flags, flags);
		name = signal_name(sig);
		if (name)
			out_str(o, "exit_signal", name);
		else
			out_int(o, "exit_signal", sig);
	}
	if (sc->ret > 0)
		out_int(o, "child_pid", sc->ret);
	if (ns)
		ns_out(ev, o);
	out_obj_end(o);
}

void fmt_unshare(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;

	out_obj_begin(o, "ns");
	fmt_flags(o, "flags", &ps_clone_flags, sc->args[0]);
	ns_out(ev, o);
	out_obj_end(o);
}

/* The descriptor joined (a /proc/PID/ns file or a pidfd); nstype [] accepts any. */
void fmt_setns(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;

	out_obj_begin(o, "ns");
	fmt_file_ref(ev, o, "path", 0);
	fmt_flags(o, "nstype", &ps_ns_flags, (unsigned int)sc->args[1]);
	ns_out(ev, o);
	out_obj_end(o);
}
