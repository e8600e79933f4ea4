// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Formatters of process lifecycle events. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event/event.h"
#include "event/names.h"
#include "event/run.h"
#include "output/out.h"
#include "common/redact.h"
#include "event/syscalls.h"

static const struct run run_none;

static const struct run *run_of(const struct ps_event *ev)
{
	return ev->run ? ev->run : &run_none;
}

/*
 * An element the kernel cut at --args-bytes has no end: what is left cannot
 * be checked for secrets, so with redaction on it is hidden whole.
 */
static char *element(const struct ps_event *ev, const struct ev_blob *b, const char *p,
		     size_t l)
{
	if (run_of(ev)->redact && (b->flags & PS_BF_TRUNCATED) && p + l == b->data + b->len)
		return strdup(REDACT_MARK);
	return strndup(p, l);
}

/* Split the argv area into at most args_max elements, redact, then cut them. */
static char **split_args(const struct ps_event *ev, const struct ev_blob *b, unsigned int argc,
			 unsigned int *count, bool *truncated)
{
	const struct run *r = run_of(ev);
	unsigned int n = 0, max = r->args_max, i;
	const char *p = b ? b->data : NULL, *end = b ? b->data + b->len : NULL;
	char **argv = calloc(max ? max : 1, sizeof(*argv));

	*truncated = b && (b->flags & (PS_BF_TRUNCATED | PS_BF_READ_FAILED));
	while (argv && p && p < end && n < max) {
		size_t l = strnlen(p, end - p);

		argv[n] = element(ev, b, p, l);
		if (!argv[n])
			break;
		n++;
		p += l + 1;
	}
	if (n < argc)
		*truncated = true;
	if (r->redact)
		redact_argv(r->redact, argv, n);
	/* Cut to --max-arg-len only after redaction: a cut secret would not match. */
	for (i = 0; i < n; i++) {
		if (strlen(argv[i]) > r->arg_len_max) {
			argv[i][r->arg_len_max] = '\0';
			*truncated = true;
		}
	}
	*count = n;
	return argv;
}

void exec_args_free(char **argv, unsigned int n)
{
	unsigned int i;

	for (i = 0; argv && i < n; i++)
		free(argv[i]);
	free(argv);
}

static void fmt_args(const struct ps_event *ev, struct out *o, const struct ev_blob *b,
		     unsigned int argc)
{
	unsigned int n, i;
	bool truncated;
	char **argv = split_args(ev, b, argc, &n, &truncated);

	out_arr_begin(o, "args");
	for (i = 0; i < n; i++)
		out_str(o, NULL, argv[i]);
	out_arr_end(o);
	out_uint(o, "argc", argc);
	out_bool(o, "args_truncated", truncated);
	exec_args_free(argv, n);
}

static const struct ev_blob *argv_blob(const struct ps_event *ev)
{
	const struct ev_blob *b = NULL;
	unsigned int i;

	for (i = 0; i < ev->nblobs; i++)
		if (ev->blobs[i].kind == PS_BLOB_ARGV)
			b = &ev->blobs[i];
	return b;
}

/* A failed exec reports no argc: count the elements passed. */
static unsigned int blob_argc(const struct ev_blob *b)
{
	unsigned int i, argc = 0;

	for (i = 0; b && i < b->len; i++)
		argc += b->data[i] == '\0';
	return argc;
}

char **exec_args(const struct ps_event *ev, unsigned int *n, bool *truncated)
{
	const struct ev_blob *b = argv_blob(ev);
	unsigned int argc;
	char **argv;

	*n = 0;
	*truncated = false;
	if (!b)
		return NULL;
	argc = ev->hdr->kind == PS_REC_EXEC ? ((const struct ps_exec *)ev->fixed)->argc : blob_argc(b);
	argv = split_args(ev, b, argc, n, truncated);
	if (!argv)
		*n = 0;
	return argv;
}

/* The exec environment (--env): KEY=value entries, each redacted. */
static void fmt_env(const struct ps_event *ev, struct out *o, const struct ev_blob *b)
{
	const char *p = b->data, *end = b->data + b->len;

	out_arr_begin(o, "env");
	while (p < end) {
		size_t l = strnlen(p, end - p);
		char *entry = element(ev, b, p, l), *red = NULL;

		errno = 0;
		if (entry && run_of(ev)->redact)
			red = redact_env(run_of(ev)->redact, entry);
		/* Out of memory while redacting: hide the entry rather than risk it. */
		if (!entry || (!red && errno == ENOMEM))
			out_str(o, NULL, "[REDACTED]");
		else
			out_str(o, NULL, red ? red : entry);
		free(red);
		free(entry);
		p += l + 1;
	}
	out_arr_end(o);
	out_bool(o, "env_truncated", b->flags & PS_BF_TRUNCATED);
}

/* setuid/setgid binaries and file capabilities: the kernel set AT_SECURE. */
bool exec_gains_privilege(const struct ps_event *ev)
{
	const struct ps_exec *ex = ev->fixed;

	return (ex->flags & PS_EXEC_SECURE) ||
	       creds_gained(ev_creds(ev, PS_ARG_BEFORE), ev_creds(ev, PS_ARG_AFTER));
}

/* Run from memory: a memfd, or a file deleted after it was started. */
static bool fileless(const struct ev_blob *exe, const char *path)
{
	return exe && ((exe->flags & PS_BF_DELETED) || !strncmp(path, "memfd:", 6));
}

static void fmt_exec_creds(const struct ps_event *ev, struct out *o)
{
	const struct ps_creds *before = ev_creds(ev, PS_ARG_BEFORE);
	const struct ps_creds *after = ev_creds(ev, PS_ARG_AFTER);
	bool gain = exec_gains_privilege(ev);

	out_bool(o, "privilege_gain", gain);
	if (!gain || !before || !after)
		return;
	/* A timeline line says what changed; JSON carries both sets in full. */
	if (o->mode == OUT_TEXT) {
		out_raw(o, " euid=%u->%u egid=%u->%u cap_effective=%#llx->%#llx", before->euid,
			after->euid, before->egid, after->egid, (unsigned long long)before->cap_eff,
			(unsigned long long)after->cap_eff);
		return;
	}
	fmt_creds(o, "creds_before", before);
	fmt_creds(o, "creds_after", after);
}

/* Why a confined run let this process go: the reason ptrace would refuse it. */
static const char *unfollow_reason(const struct ps_event *ev)
{
	const struct ps_exec *ex = ev->fixed;

	if (exec_gains_privilege(ev))
		return "gained privileges";
	if (ex->flags & PS_EXEC_UNREADABLE)
		return "not readable by the invoker";
	return "not dumpable";
}

void fmt_exec(const struct ps_event *ev, struct out *o)
{
	const struct ps_exec *ex = ev->fixed;
	const struct ev_blob *exe = ev_blob_for(ev, PS_ARG_EXE);
	char path[PS_PATH_MAX * 2];
	unsigned int i;

	out_obj_begin(o, "process");
	fmt_path(ev, o, "filename", 0);
	if (exe && dirents_path(exe, path, sizeof(path))) {
		out_str(o, "exe", path);
		if (fileless(exe, path))
			out_bool(o, "fileless", true);
	}
	fmt_args(ev, o, argv_blob(ev), ex->argc);
	for (i = 0; i < ev->nblobs; i++)
		if (ev->blobs[i].kind == PS_BLOB_ENVP)
			fmt_env(ev, o, &ev->blobs[i]);
	if (ex->old_pid != ev->hdr->tid)
		out_uint(o, "old_tid", ex->old_pid);
	fmt_exec_creds(ev, o);
	if (ev->ctx && ev->ctx->exe_hash) {
		if (ev->ctx->exe_sha256_error)
			out_str(o, "exe_sha256_error", ev->ctx->exe_sha256_error);
		else
			out_str(o, "exe_sha256", ev->ctx->exe_sha256);
	}
	/* The flag keeps its meaning for existing readers; the reason is beside it. */
	if (ex->flags & PS_EXEC_UNFOLLOWED) {
		out_bool(o, "unfollowed", true);
		out_str(o, "unfollowed_reason", unfollow_reason(ev));
	}
	out_obj_end(o);
}

/* A failed exec: the path and argv as the caller passed them. */
void fmt_exec_failed(const struct ps_event *ev, struct out *o)
{
	const struct ev_blob *argv = argv_blob(ev);

	out_obj_begin(o, "process");
	/* execveat(fd, "", AT_EMPTY_PATH) runs the descriptor's file. */
	fmt_file_ref(ev, o, "filename", ev->desc->p[0]);
	if (argv)
		fmt_args(ev, o, argv, blob_argc(argv));
	out_obj_end(o);
}

void fmt_fork(const struct ps_event *ev, struct out *o)
{
	const struct ps_fork *fk = ev->fixed;

	out_obj_begin(o, "process");
	out_uint(o, "child_pid", fk->child_pid);
	fmt_key(o, "child_key", fk->child_pid, fk->child_start_boot);
	out_obj_end(o);
}

void fmt_exit(const struct ps_event *ev, struct out *o)
{
	const struct ps_exit *ex = ev->fixed;
	int sig = ex->exit_code & 0x7f;
	const char *name;

	out_obj_begin(o, "process");
	if (sig) {
		name = signal_name(sig);
		if (name)
			out_str(o, "signal", name);
		else
			out_int(o, "signal", sig);
		out_bool(o, "core_dumped", ex->exit_code & 0x80);
	} else {
		out_int(o, "exit_code", (ex->exit_code >> 8) & 0xff);
	}
	out_obj_end(o);
}
