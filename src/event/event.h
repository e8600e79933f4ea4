/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* A decoded record: the consumer's view of one event, valid during one callback. */
#ifndef PS_EVENT_H
#define PS_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "records.h"

#define PS_EV_MAX_BLOBS 8

struct ev_blob {
	uint8_t kind;
	uint8_t arg;
	uint16_t flags;
	uint32_t len;
	const char *data;
};

struct syscall_desc;
struct run;

/* What --all adds to an exec or a finding (proc/fleet.h); strings live as long as the callback. */
#define EV_ANCESTORS_MAX 16
struct ev_ancestor {
	uint32_t pid;
	uint64_t start_boot;
	const char *comm;
	const char *exe;           /* NULL: not known */
};

struct ev_context {
	struct ev_ancestor anc[EV_ANCESTORS_MAX];
	unsigned int nanc;
	bool ancestors;            /* write "ancestors" (an exec or a finding) */
	const char *container_id, *pod_uid;  /* NULL: none known */
	bool exe_hash;             /* a process.exec: write exe_sha256 or why not */
	char exe_sha256[65];
	const char *exe_sha256_error;
};

struct ps_event {
	uint64_t seq;
	const struct ps_hdr *hdr;
	const void *fixed;                 /* ps_exec, ps_fork, ps_exit or ps_syscall */
	struct ev_blob blobs[PS_EV_MAX_BLOBS];
	unsigned int nblobs;
	const struct syscall_desc *desc;   /* PS_REC_SYSCALL only: the x86-64 row */
	const char *syscall;               /* its name as the caller's ABI spells it */
	bool ia32;                         /* an IA-32 call, decoded as its x86-64 twin */
	struct ps_syscall sc;              /* the fixed part, in x86-64 terms (fixed points here) */
	const char *type;                  /* "file.open" ... */
	bool notable;
	/* The finding, set by the consumer's rules (NULL: the event matched none). */
	const char *rule;
	const char *severity, *mitre;      /* the rule's, or NULL */
	bool rule_block;                   /* the hook's sandbox refuses the act */
	bool killed;                       /* and the kernel killed the process for it */
	bool rule_unknown;                 /* decided without an attribute the act lacked */
	const struct run *run;             /* the run's settings (redaction, argv bounds); NULL: none */
	const struct ev_context *ctx;      /* --all's additions, or NULL */
};

/*
 * Decode `size` bytes of a ring buffer record into `ev`.  The record must
 * already sit in 8-byte aligned memory.  Returns 0, or -1 if the record is
 * malformed (it is then counted, never half-printed).
 */
int decode_record(const void *rec, size_t size, struct ps_event *ev);

/* The n-th blob captured from argument `arg` (a PS_ARG_* value or index). */
const struct ev_blob *ev_blob_for(const struct ps_event *ev, uint8_t arg);

/*
 * The absolute path captured for argument `arg`: the user string joined
 * with its base directory when it was relative, normalised lexically.
 * Returns false when nothing readable was captured.
 */
bool ev_path(const struct ps_event *ev, uint8_t arg, char *buf, size_t len);

/*
 * An open's flags (file.open rows formatted by fmt_open: open, openat,
 * openat2), and its mode when one applies (*has_mode; either pointer may be NULL).
 */
unsigned long long ev_open_flags(const struct ps_event *ev, unsigned long long *mode,
				 bool *has_mode);

/* Lexical clean-up of an absolute path in place: "//", "/./" and "/x/.." collapse. */
void path_normalise(char *path);

/*
 * An exec's argv as outputs show it: at most run->args_max elements,
 * redacted, each cut to run->arg_len_max bytes.  Returns a malloc'ed array
 * of *n malloc'ed strings (free with exec_args_free), or NULL with *n 0 when
 * there is none or memory ran out.  *truncated says whether anything was cut.
 */
char **exec_args(const struct ps_event *ev, unsigned int *n, bool *truncated);
void exec_args_free(char **argv, unsigned int n);

/* A DIRENTS blob (leaf-first components) as a path string. */
bool dirents_path(const struct ev_blob *b, char *buf, size_t len);

#endif
