/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What -e/--events and --path keep.  One set of tokens decides both sides:
 * the loader asks, per syscall row, whether any record of it can be wanted
 * (the kernel drops the others at sys_enter), and the consumer asks, per
 * event, for what the kernel could not decide alone (a row whose type
 * depends on its arguments, a relative path).
 */
#ifndef PS_FILTER_H
#define PS_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "records.h"

struct ps_event;
struct syscall_desc;

#define FILTER_TOKENS_MAX 64
#define FILTER_NAME_MAX 64

enum filter_kind { FK_ALL, FK_CLASS, FK_TYPE, FK_SYSCALL };

struct filter_tok {
	bool neg;                       /* "!name": excluded */
	enum filter_kind kind;
	char name[FILTER_NAME_MAX];     /* a class, or an fnmatch() pattern */
};

struct ev_filter {
	struct filter_tok tok[FILTER_TOKENS_MAX];
	unsigned int ntok;
	bool includes;                  /* some token is not negated: start from nothing */
	/* --path: lexically normalised, no trailing '/'; "/" alone turns the filter off. */
	char paths[PS_PATHS_MAX][PS_PATH_PREFIX_MAX];
	unsigned int npaths;
	bool path_root;
};

/* One -e argument (a comma list; "trace=" accepted).  0, or -1 with one sentence in err. */
int filter_add_events(struct ev_filter *f, const char *arg, char *err, size_t errlen);
/* One --path argument.  0, or -1 with one sentence in err. */
int filter_add_path(struct ev_filter *f, const char *arg, char *err, size_t errlen);

static inline bool filter_paths_on(const struct ev_filter *f)
{
	return f->npaths && !f->path_root;
}

/*
 * Whether an event of `type`, from the syscall spelt `names` (up to two,
 * NULL-terminated or NULL for records with no syscall), is kept.
 */
bool filter_type_wanted(const struct ev_filter *f, const char *type, const char *const names[2]);

/* Whether no record of a row (called as `d->name` or `alias`, may be NULL) can be kept. */
bool filter_row_dropped(const struct ev_filter *f, const struct syscall_desc *d, const char *alias);

/* Whether an absolute, normalised path is under one of --path's prefixes. */
bool filter_path_under(const struct ev_filter *f, const char *path);

/* Why the consumer drops a decoded event: FILTER_KEEP, or the counter to charge. */
enum filter_verdict { FILTER_KEEP, FILTER_BY_EVENT, FILTER_BY_PATH };
enum filter_verdict filter_event(const struct ev_filter *f, const struct ps_event *ev);

/* Print the classes, event types and syscall names -e accepts. */
void filter_list(FILE *out);

#endif
