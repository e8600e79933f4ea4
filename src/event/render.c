// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "event/event.h"
#include "event/names.h"
#include "output/out.h"
#include "event/render.h"
#include "event/run.h"
#include "event/syscalls.h"

#define C_RESET  "\033[0m"
#define C_DIM    "\033[2m"
#define C_BOLD   "\033[1m"
#define C_RED    "\033[31m"
#define C_YELLOW "\033[1;33m"
#define C_GREEN  "\033[32m"

void render_time(const struct render_ctx *c, uint64_t ts_boot, char *buf, size_t len)
{
	/* Events come in bursts within one second: format its date once. */
	static time_t cached_sec = -1;
	static char date[32];
	int64_t real = (int64_t)ts_boot + c->boot_to_real_ns;
	time_t sec = real / 1000000000;
	long ns = real % 1000000000;
	struct tm tm;
	size_t dl;
	int i;

	if (sec != cached_sec) {
		gmtime_r(&sec, &tm);
		strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
		cached_sec = sec;
	}
	dl = strlen(date);
	if (len < dl + 12) {
		if (len)
			buf[0] = '\0';
		return;
	}
	memcpy(buf, date, dl);
	buf[dl] = '.';
	for (i = 9; i >= 1; i--, ns /= 10)
		buf[dl + i] = '0' + ns % 10;
	buf[dl + 10] = 'Z';
	buf[dl + 11] = '\0';
}

void render_common(struct out *o, const struct render_ctx *c, uint64_t seq,
		   uint64_t ts_boot, const char *type)
{
	char t[48];

	render_time(c, ts_boot, t, sizeof(t));
	out_obj_begin(o, NULL);
	out_int(o, "schema", PS_SCHEMA_VERSION);
	out_uint(o, "seq", seq);
	out_str(o, "time", t);
	out_uint(o, "ts_ns", ts_boot);
	out_str(o, "type", type);
}

size_t render_key(char buf[RENDER_KEY_LEN], unsigned int pid, unsigned long long start_boot)
{
	size_t n;

	/* "pid@start" without printf: this runs for every event. */
	n = out_u64_str(buf, pid);
	buf[n++] = '@';
	return n + out_u64_str(buf + n, start_boot);
}

void fmt_key(struct out *o, const char *name, unsigned int pid, unsigned long long start_boot)
{
	char key[RENDER_KEY_LEN];

	out_strn(o, name, key, render_key(key, pid, start_boot));
}

static void exec_id(struct out *o, const char *name, const char *boot_id, unsigned int pid,
		    unsigned long long start_boot)
{
	char key[RENDER_KEY_LEN], id[RENDER_KEY_LEN + 64];

	render_key(key, pid, start_boot);
	snprintf(id, sizeof(id), "%s:%s", boot_id, key);
	out_str(o, name, id);
}

/* --all's additions (proc/fleet.h): ancestors, container, pod. */
static void render_context(const struct ps_event *ev, struct out *o)
{
	const struct ev_context *c = ev->ctx;
	unsigned int i;

	if (c->ancestors) {
		out_arr_begin(o, "ancestors");
		for (i = 0; i < c->nanc; i++) {
			out_obj_begin(o, NULL);
			exec_id(o, "exec_id", ev->run->boot_id, c->anc[i].pid, c->anc[i].start_boot);
			out_uint(o, "pid", c->anc[i].pid);
			out_strn(o, "comm", c->anc[i].comm, strnlen(c->anc[i].comm, PS_COMM_LEN));
			if (c->anc[i].exe)
				out_str(o, "exe", c->anc[i].exe);
			out_obj_end(o);
		}
		out_arr_end(o);
	}
	if (c->container_id)
		out_str(o, "container_id", c->container_id);
	if (c->pod_uid)
		out_str(o, "pod_uid", c->pod_uid);
}

/* The category object of an event. */
static void render_details(const struct ps_event *ev, struct out *o)
{
	switch (ev->hdr->kind) {
	case PS_REC_EXEC:
		fmt_exec(ev, o);
		break;
	case PS_REC_FORK:
		fmt_fork(ev, o);
		break;
	case PS_REC_EXIT:
		fmt_exit(ev, o);
		break;
	case PS_REC_SYSCALL:
		if (ev->desc->fmt)
			ev->desc->fmt(ev, o);
		break;
	}
}

static const struct ps_syscall *syscall_of(const struct ps_event *ev)
{
	return ev->hdr->kind == PS_REC_SYSCALL ? ev->fixed : NULL;
}

void render_json(const struct ps_event *ev, const struct render_ctx *c, struct out *o)
{
	const struct ps_hdr *h = ev->hdr;
	const struct ps_syscall *sc = syscall_of(ev);

	render_common(o, c, ev->seq, h->ts_boot, ev->type);
	out_uint(o, "pid", h->pid);
	out_uint(o, "tid", h->tid);
	out_uint(o, "ppid", h->ppid);
	out_uint(o, "uid", h->uid);
	out_uint(o, "gid", h->gid);
	out_uint(o, "euid", h->euid);
	out_strn(o, "comm", h->comm, strnlen(h->comm, sizeof(h->comm)));
	fmt_key(o, "key", h->pid, h->start_boot);
	fmt_key(o, "parent_key", h->ppid, h->parent_start_boot);
	/* A fleet's ids: the key is unique for one boot, the boot id makes it unique for all. */
	if (ev->run && ev->run->all) {
		exec_id(o, "exec_id", ev->run->boot_id, h->pid, h->start_boot);
		exec_id(o, "parent_exec_id", ev->run->boot_id, h->ppid, h->parent_start_boot);
	}
	if (ev->ctx)
		render_context(ev, o);
	if (sc) {
		out_str(o, "syscall", ev->syscall);
		if (ev->ia32)
			out_str(o, "abi", "ia32");
		if (sc->subcall)
			out_str(o, "via", "socketcall");
		out_int(o, "ret", sc->ret);
		if (sc->ret < 0) {
			const char *e = errno_name(-sc->ret);

			if (e)
				out_str(o, "error", e);
			else
				out_int(o, "error", -sc->ret);
		}
	}
	if (ev->notable)
		out_bool(o, "notable", true);
	if (ev->rule) {
		out_str(o, "rule", ev->rule);
		if (ev->severity)
			out_str(o, "severity", ev->severity);
		if (ev->mitre)
			out_str(o, "mitre", ev->mitre);
		out_bool(o, "blocked", ev->killed);
		if (ev->rule_block || ev->killed)
			out_str(o, "enforcement", ev->killed ? "kill" : "none");
		if (ev->rule_unknown)
			out_bool(o, "rule_incomplete", true);
	}
	if (h->flags & PS_HF_TRUNCATED)
		out_bool(o, "truncated", true);
	if (h->flags & PS_HF_READ_FAILED)
		out_bool(o, "read_failed", true);
	render_details(ev, o);
	out_obj_end(o);
}

/* " = 3", or " = -1 ENOENT" */
static void render_result(const struct ps_syscall *sc, const struct render_ctx *c, struct out *o)
{
	if (sc->ret >= 0) {
		out_raw(o, " = %lld", (long long)sc->ret);
	} else {
		const char *e = errno_name(-sc->ret);

		out_raw(o, " = %s-1 %s%s", c->color ? C_RED : "", e ? e : "?",
			c->color ? C_RESET : "");
	}
}

void render_text_prefix(const struct ps_event *ev, const struct render_ctx *c, const char *label,
			const char *color, struct out *o)
{
	const struct ps_hdr *h = ev->hdr;
	double rel = (double)((int64_t)(h->ts_boot - c->origin_boot_ns)) / 1e9;
	size_t at;

	out_raw(o, "%s%10.6f%s %7u ", c->color ? C_DIM : "", rel, c->color ? C_RESET : "", h->pid);
	/* Any program can name itself: its comm is escaped like any other value. */
	at = o->len;
	out_text_escape(o, h->comm, strnlen(h->comm, PS_COMM_LEN));
	out_raw(o, "%*s %s%-13s%s", (int)(o->len - at < 15 ? 15 - (o->len - at) : 0), "",
		color, label, *color ? C_RESET : "");
}

void render_text(const struct ps_event *ev, const struct render_ctx *c, struct out *o)
{
	const struct ps_hdr *h = ev->hdr;
	const struct ps_syscall *sc = syscall_of(ev);
	const char *tcol = "";

	if (c->color)
		tcol = ev->rule ? C_RED : ev->notable ? C_YELLOW : h->kind == PS_REC_EXEC ? C_GREEN : "";
	render_text_prefix(ev, c, ev->type, tcol, o);
	render_details(ev, o);
	if (h->flags & PS_HF_TRUNCATED)
		out_raw(o, " (truncated)");
	/* A 32-bit call is the same act, but how it was made matters to a reader. */
	if (sc && ev->ia32)
		out_raw(o, " [ia32 %s]", ev->syscall);
	if (sc)
		render_result(sc, c, o);
	if (ev->rule) {
		/* A rule's name comes from a rules file: escaped like any other value. */
		out_raw(o, " %s[", c->color ? C_RED : "");
		out_text_escape(o, ev->rule, strlen(ev->rule));
		out_raw(o, "%s%s%s]%s", ev->severity ? " " : "", ev->severity ? ev->severity : "",
			ev->killed ? ", killed" : ev->rule_block ? ", would be blocked" : "",
			c->color ? C_RESET : "");
	}
}
