/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The table of covered syscalls.  One row says what the kernel side captures
 * (it becomes the spec map) and how user space renders the record, so adding
 * a syscall is one row plus, at most, one formatter.
 */
#ifndef PS_SYSCALLS_H
#define PS_SYSCALLS_H

#include <stdbool.h>
#include <stdint.h>

#include "records.h"

struct ps_event;
struct out;

struct syscall_desc {
	int nr;
	const char *name;
	const char *type;          /* event type, "category.action" */
	unsigned int spec_flags;   /* PS_SPEC_* beyond ENABLED */
	unsigned char cond_arg;    /* with PS_SPEC_IF_ARG */
	struct ps_cap caps[PS_MAX_BLOBS];
	/* Writes the category object; `p` says which argument holds what. */
	void (*fmt)(const struct ps_event *ev, struct out *o);
	signed char p[4];
	/* When the type depends on the arguments (clone: ns.clone or process.fork). */
	const char *(*type_of)(const struct ps_event *ev);
};

/* Capture shorthands for table rows. */
#define CAP_PATH(a, dirfd) { PS_CAP_PATH, (a), (dirfd), 0 }
#define CAP_STR(a)         { PS_CAP_STR, (a), 0, 0 }
#define CAP_BYTES(a, n)    { PS_CAP_BYTES, (a), (n), 0 }
#define CAP_FD(a)          { PS_CAP_FD_PATH, (a), 0, 0 }
#define CAP_ARGV(a)        { PS_CAP_ARGV, (a), 0, 0 }
#define CAP_SOCK(a)        { PS_CAP_SOCK, (a), 0, 0 }
#define CAP_MSGNAME(a)     { PS_CAP_MSGNAME, (a), 0, 0 }
#define CAP_TARGET(a, k)   { PS_CAP_TARGET, (a), (k), 0 }
/* BYTES whose length is in argument n (or *argument n with LEN_PTR). */
#define CAP_BYTES_LEN(a, n)     { PS_CAP_BYTES, (a), PS_CAP_LEN_ARG | (n), 0 }
#define CAP_BYTES_LENPTR(a, n)  { PS_CAP_BYTES, (a), PS_CAP_LEN_ARG | PS_CAP_LEN_PTR | (n), 0 }
#define AT_CWD             PS_AUX_CWD

extern const struct syscall_desc syscall_table[];
extern const unsigned int syscall_count;

const struct syscall_desc *syscall_find(int nr);

/* Privilege, namespace, mount, process-access and kernel events stand out. */
bool type_is_notable(const char *type);

/* Fill `spec` for the kernel's spec map from a table row. */
void syscall_spec(const struct syscall_desc *d, struct ps_spec *spec);

/* Formatters, one file per category, and the pieces they share. */
void fmt_creds(struct out *o, const char *key, const struct ps_creds *c);
/* The CREDS blob PS_ARG_BEFORE or PS_ARG_AFTER, or NULL. */
const struct ps_creds *ev_creds(const struct ps_event *ev, uint8_t which);
bool creds_gained(const struct ps_creds *before, const struct ps_creds *after);
bool exec_gains_privilege(const struct ps_event *ev);
void fmt_path(const struct ps_event *ev, struct out *o, const char *key, int arg);
void fmt_open_flags(struct out *o, unsigned long long flags);
void fmt_exec(const struct ps_event *ev, struct out *o);
void fmt_exec_failed(const struct ps_event *ev, struct out *o);
void fmt_fork(const struct ps_event *ev, struct out *o);
void fmt_exit(const struct ps_event *ev, struct out *o);
void fmt_open(const struct ps_event *ev, struct out *o);

#endif
