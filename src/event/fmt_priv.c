// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Formatters of privilege events: what the caller asked for, and its
 * credentials before and after the call ("before", "after", and "changed",
 * the fields that differ).  The live timeline shows only the changes.
 */
#include <stdio.h>
#include <string.h>
#include <linux/prctl.h>
#include <linux/seccomp.h>

#include "event/event.h"
#include "event/names.h"
#include "output/out.h"
#include "event/syscalls.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A capability set: names in JSON, a mask on the timeline (41 names do not fit). */
static void caps_out(struct out *o, const char *key, unsigned long long set)
{
	char hex[24];

	if (o->mode == OUT_JSON) {
		fmt_flags(o, key, &ps_capabilities, set);
		return;
	}
	snprintf(hex, sizeof(hex), "%#llx", set);
	out_str(o, key, hex);
}

struct cred_field {
	const char *name;
	size_t off;
	bool caps;
};

#define ID(f)  { #f, offsetof(struct ps_creds, f), false }
#define CAP(n, f) { n, offsetof(struct ps_creds, f), true }

static const struct cred_field cred_fields[] = {
	ID(uid), ID(euid), ID(suid), ID(fsuid), ID(gid), ID(egid), ID(sgid), ID(fsgid),
	CAP("cap_effective", cap_eff), CAP("cap_permitted", cap_prm),
	CAP("cap_inheritable", cap_inh), CAP("cap_ambient", cap_amb),
	CAP("cap_bounding", cap_bnd), ID(securebits),
};

static unsigned long long cred_value(const struct ps_creds *c, const struct cred_field *f)
{
	unsigned int v32;
	unsigned long long v64;

	if (f->caps) {
		memcpy(&v64, (const char *)c + f->off, sizeof(v64));
		return v64;
	}
	memcpy(&v32, (const char *)c + f->off, sizeof(v32));
	return v32;
}

static bool groups_differ(const struct ps_creds *a, const struct ps_creds *b)
{
	unsigned int n = a->ngroups < PS_NGROUPS ? a->ngroups : PS_NGROUPS;

	return a->ngroups != b->ngroups || memcmp(a->groups, b->groups, n * sizeof(a->groups[0]));
}

/* JSON: the names of the fields that changed. */
static void changed_names(struct out *o, const struct ps_creds *b, const struct ps_creds *a)
{
	const char *names[ARRAY_SIZE(cred_fields) + 1];
	size_t i, n = 0;

	for (i = 0; i < ARRAY_SIZE(cred_fields); i++)
		if (cred_value(b, &cred_fields[i]) != cred_value(a, &cred_fields[i]))
			names[n++] = cred_fields[i].name;
	if (groups_differ(b, a))
		names[n++] = "groups";
	out_names(o, "changed", names, n);
}

/* Timeline: "uid:0->65534,cap_effective:0x1ff->0" in one value. */
static void changed_text(struct out *o, const struct ps_creds *b, const struct ps_creds *a)
{
	char buf[1024];
	size_t i, pos = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(cred_fields) && pos < sizeof(buf); i++) {
		const struct cred_field *f = &cred_fields[i];
		unsigned long long x = cred_value(b, f), y = cred_value(a, f);

		if (x == y)
			continue;
		pos += snprintf(buf + pos, sizeof(buf) - pos, f->caps ? "%s%s:%#llx->%#llx" :
				"%s%s:%llu->%llu", pos ? "," : "", f->name, x, y);
	}
	if (groups_differ(b, a) && pos < sizeof(buf))
		snprintf(buf + pos, sizeof(buf) - pos, "%sgroups:%u->%u", pos ? "," : "",
			 b->ngroups, a->ngroups);
	if (buf[0])
		out_str(o, "changed", buf);
}

static void creds_out(const struct ps_event *ev, struct out *o)
{
	const struct ps_creds *b = ev_creds(ev, PS_ARG_BEFORE);
	const struct ps_creds *a = ev_creds(ev, PS_ARG_AFTER);

	if (!b || !a)
		return;
	if (o->mode == OUT_TEXT) {
		changed_text(o, b, a);
		return;
	}
	fmt_creds(o, "before", b);
	fmt_creds(o, "after", a);
	changed_names(o, b, a);
}

/* p[0]: the shape of the arguments, p[1]: 0 for uids, 1 for gids. */
void fmt_setid(const struct ps_event *ev, struct out *o)
{
	static const char *const keys[2][4][3] = {
		{ { "uid" }, { "ruid", "euid" }, { "ruid", "euid", "suid" }, { "fsuid" } },
		{ { "gid" }, { "rgid", "egid" }, { "rgid", "egid", "sgid" }, { "fsgid" } },
	};
	const struct ps_syscall *sc = ev->fixed;
	const char *const *k = keys[ev->desc->p[1] & 1][ev->desc->p[0] & 3];
	unsigned int i;

	out_obj_begin(o, "priv");
	for (i = 0; i < 3 && k[i]; i++)
		fmt_id(o, k[i], sc->args[i]);
	creds_out(ev, o);
	out_obj_end(o);
}

void fmt_setgroups(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;

	out_obj_begin(o, "priv");
	out_int(o, "ngroups", (int)sc->args[0]);
	creds_out(ev, o);
	out_obj_end(o);
}

/* The sets asked for: version 1 has one 32-bit word per set, later versions two. */
void fmt_capset(const struct ps_event *ev, struct out *o)
{
	const struct ev_blob *hdr = ev_blob_for(ev, 0), *data = ev_blob_for(ev, 1);
	unsigned int h[2], d[6] = { 0 };

	out_obj_begin(o, "priv");
	if (hdr && hdr->kind == PS_BLOB_BYTES && hdr->len >= sizeof(h)) {
		memcpy(h, hdr->data, sizeof(h));
		out_int(o, "pid", (int)h[1]);
	}
	if (data && data->kind == PS_BLOB_BYTES && data->len >= 3 * sizeof(d[0])) {
		memcpy(d, data->data, data->len < sizeof(d) ? data->len : sizeof(d));
		out_obj_begin(o, "requested");
		caps_out(o, "effective", d[0] | (unsigned long long)d[3] << 32);
		caps_out(o, "permitted", d[1] | (unsigned long long)d[4] << 32);
		caps_out(o, "inheritable", d[2] | (unsigned long long)d[5] << 32);
		out_obj_end(o);
	}
	creds_out(ev, o);
	out_obj_end(o);
}

static const struct ps_name ambient_ops[] = {
	{ PR_CAP_AMBIENT_IS_SET, "PR_CAP_AMBIENT_IS_SET" },
	{ PR_CAP_AMBIENT_RAISE, "PR_CAP_AMBIENT_RAISE" },
	{ PR_CAP_AMBIENT_LOWER, "PR_CAP_AMBIENT_LOWER" },
	{ PR_CAP_AMBIENT_CLEAR_ALL, "PR_CAP_AMBIENT_CLEAR_ALL" },
};
const struct ps_nametab ps_ambient_ops = { ambient_ops, ARRAY_SIZE(ambient_ops) };

static const struct ps_name seccomp_modes[] = {
	{ SECCOMP_MODE_DISABLED, "SECCOMP_MODE_DISABLED" },
	{ SECCOMP_MODE_STRICT, "SECCOMP_MODE_STRICT" },
	{ SECCOMP_MODE_FILTER, "SECCOMP_MODE_FILTER" },
};
const struct ps_nametab ps_seccomp_modes = { seccomp_modes, ARRAY_SIZE(seccomp_modes) };

/* <linux/securebits.h>; the last four are Linux 6.14. */
static const struct ps_name securebits[] = {
	{ 1 << 0, "SECBIT_NOROOT" },
	{ 1 << 1, "SECBIT_NOROOT_LOCKED" },
	{ 1 << 2, "SECBIT_NO_SETUID_FIXUP" },
	{ 1 << 3, "SECBIT_NO_SETUID_FIXUP_LOCKED" },
	{ 1 << 4, "SECBIT_KEEP_CAPS" },
	{ 1 << 5, "SECBIT_KEEP_CAPS_LOCKED" },
	{ 1 << 6, "SECBIT_NO_CAP_AMBIENT_RAISE" },
	{ 1 << 7, "SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED" },
	{ 1 << 8, "SECBIT_EXEC_RESTRICT_FILE" },
	{ 1 << 9, "SECBIT_EXEC_RESTRICT_FILE_LOCKED" },
	{ 1 << 10, "SECBIT_EXEC_DENY_INTERACTIVE" },
	{ 1 << 11, "SECBIT_EXEC_DENY_INTERACTIVE_LOCKED" },
};
const struct ps_nametab ps_securebits = { securebits, ARRAY_SIZE(securebits) };

static void cap_arg(struct out *o, unsigned long long cap)
{
	const char *name = cap < 64 ? cap_name(cap) : NULL;

	if (name)
		out_str(o, "cap", name);
	else
		out_uint(o, "cap", cap);
}

/* The second argument of the options that bear on privilege; pointers are not shown. */
static void prctl_arg(struct out *o, const struct ps_syscall *sc)
{
	unsigned long long arg2 = sc->args[1];
	const char *sig;

	switch (sc->args[0]) {
	case PR_CAP_AMBIENT:
		fmt_name(o, "ambient_op", &ps_ambient_ops, arg2);
		if (arg2 != PR_CAP_AMBIENT_CLEAR_ALL)
			cap_arg(o, sc->args[2]);
		break;
	case PR_CAPBSET_READ:
	case PR_CAPBSET_DROP:
		cap_arg(o, arg2);
		break;
	case PR_SET_PDEATHSIG:
		sig = signal_name(arg2);
		if (sig)
			out_str(o, "signal", sig);
		else
			out_uint(o, "signal", arg2);
		break;
	case PR_SET_SECCOMP:
		fmt_name(o, "mode", &ps_seccomp_modes, arg2);
		break;
	case PR_SET_SECUREBITS:
		fmt_flags(o, "securebits", &ps_securebits, arg2);
		break;
	case PR_SET_PTRACER:
		/* PR_SET_PTRACER_ANY is (unsigned long)-1. */
		out_int(o, "pid", (long long)arg2);
		break;
	case PR_SET_NO_NEW_PRIVS:
	case PR_SET_KEEPCAPS:
	case PR_SET_DUMPABLE:
	case PR_SET_CHILD_SUBREAPER:
	case PR_SET_THP_DISABLE:
		out_uint(o, "value", arg2);
		break;
	}
}

void fmt_prctl(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;

	out_obj_begin(o, "priv");
	fmt_name(o, "option", &ps_prctl_options, (int)sc->args[0]);
	prctl_arg(o, sc);
	creds_out(ev, o);
	out_obj_end(o);
}

/* SECCOMP_FILTER_FLAG_*; WAIT_KILLABLE_RECV is Linux 5.19. */
static const struct ps_name seccomp_filter_flags[] = {
	{ 1 << 0, "SECCOMP_FILTER_FLAG_TSYNC" },
	{ 1 << 1, "SECCOMP_FILTER_FLAG_LOG" },
	{ 1 << 2, "SECCOMP_FILTER_FLAG_SPEC_ALLOW" },
	{ 1 << 3, "SECCOMP_FILTER_FLAG_NEW_LISTENER" },
	{ 1 << 4, "SECCOMP_FILTER_FLAG_TSYNC_ESRCH" },
	{ 1 << 5, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" },
};
const struct ps_nametab ps_seccomp_filter_flags = {
	seccomp_filter_flags, ARRAY_SIZE(seccomp_filter_flags)
};

void fmt_seccomp(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;
	const struct ev_blob *prog = ev_blob_for(ev, 2);
	unsigned short len;

	out_obj_begin(o, "priv");
	fmt_name(o, "operation", &ps_seccomp_ops, (unsigned int)sc->args[0]);
	fmt_flags(o, "flags", &ps_seccomp_filter_flags, (unsigned int)sc->args[1]);
	/* struct sock_fprog starts with its length in instructions. */
	if (sc->args[0] == SECCOMP_SET_MODE_FILTER && prog && prog->kind == PS_BLOB_BYTES &&
	    prog->len >= sizeof(len)) {
		memcpy(&len, prog->data, sizeof(len));
		out_uint(o, "filter_length", len);
	}
	creds_out(ev, o);
	out_obj_end(o);
}
