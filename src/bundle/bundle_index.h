/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What the bundle's summaries are made of: events folded, one at a time,
 * into aggregates per type, path, endpoint, error and process, plus the
 * notable events and the failures worth a look.  Memory grows with the
 * number of distinct items, never with the number of events, and is capped:
 * what does not fit is counted as omitted.  The bundle writer and `report`
 * both fill an index this way, so a bundle and a regenerated report agree.
 */
#ifndef PS_BUNDLE_INDEX_H
#define PS_BUNDLE_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "bundle/bundle_density.h"
#include "bundle/bundle_map.h"
#include "output/calls.h"

#define BIDX_BUDGET        (24u << 20)  /* bytes of aggregates kept */
#define BIDX_MAX_PROCS     20000
#define BIDX_MAX_ITEMS     50000        /* per tally: paths, endpoints ... */
#define BIDX_MAX_KEPT      5000         /* notable events, failures */
#define BIDX_MAX_EXECS     32           /* exec chain kept per process */
#define BIDX_MAX_NAMES     1024         /* distinct types and error names */

/* File access seen on a path. */
enum {
	ACC_READ   = 1 << 0,
	ACC_WRITE  = 1 << 1,
	ACC_CREATE = 1 << 2,
	ACC_TRUNC  = 1 << 3,
	ACC_CHANGE = 1 << 4,   /* unlink, rename, chmod ...: anything not a read */
	ACC_NAMES  = 5,
};

/* "read", "write" ... by bit number (bundle_tally.c). */
extern const char *const access_names[ACC_NAMES];

/* How often `op` ended with `error` (NULL: success) on one item. */
struct bcell {
	struct bcell *next;
	const char *op;
	const char *error;
	uint64_t n;
};

struct bitem {
	const char *key;
	json_t *ident;          /* endpoint fields; NULL for paths */
	uint64_t total;
	uint64_t first_ns, last_ns;
	unsigned int access;
	struct bcell *cells;
};

struct btally {
	struct smap map;
	struct bitem **items;
	size_t n, cap;
	uint64_t omitted;         /* events on items that did not fit */
	/*
	 * Keys are interned names (types, errors): at most BIDX_MAX_NAMES, so
	 * the table is not charged to the budget and is never cut.  What the
	 * traced program can multiply (paths, endpoints) cannot starve it.
	 */
	bool names_only;
};

struct bexec {
	struct bexec *next;
	uint64_t ts_ns;
	char *filename;
	json_t *args;           /* array of strings, or NULL */
	const char *error;      /* failed exec, or NULL */
};

struct bproc {
	const char *key;
	size_t order;            /* first seen: parents come before children */
	long long pid, ppid, uid;
	char *parent_key;
	char comm[64];           /* escaped comm: up to 4 bytes per byte */
	uint64_t start_ns, end_ns;   /* ns since boot; end 0: no exit seen */
	bool exited, core_dumped;
	long long exit_code;     /* when exited and !signal */
	char *signal;
	struct bexec *execs, *exec_tail;
	unsigned int nexec;
	uint64_t execs_omitted, events, notable;
	/* Filled by bidx_tree(). */
	struct bproc *parent, *child, *sibling;
	int row;                 /* timeline row, -1: not drawn */
};

/* Whole event lines kept verbatim (without their chain member). */
struct bkept {
	char **lines;
	size_t n;
	uint64_t omitted;
};

struct bidx {
	char *cwd;
	size_t bytes;                /* charged against BIDX_BUDGET */
	struct smap names;           /* interned type and error names */
	uint64_t lines, unparsed;
	uint64_t first_ns, last_ns;
	int64_t boot_to_real_ns;
	bool have_clock;
	struct btally types, files, net, errors;
	struct smap procs;
	struct bproc **proc;
	size_t nproc, proc_cap;
	uint64_t procs_omitted;
	struct bproc *roots;         /* bidx_tree() */
	struct bkept notable, failures;
	struct bkept findings;       /* events that matched a rule (carry "rule") */
	struct bdensity density;     /* events per stretch of time */
	struct calls calls;          /* per type and syscall (calls.tsv) */
	json_t *stats;               /* the final stats record, or NULL */
	json_t *run;                 /* the run header, or NULL */
};

/* `cwd` (may be NULL) tells paths inside the working directory apart. */
struct bidx *bidx_new(const char *cwd);
void bidx_free(struct bidx *x);

/*
 * Fold one event line (without chain member or newline) in.  A line that is
 * not a JSON object is counted in `unparsed`; what does not fit the caps is
 * counted as omitted.
 */
void bidx_add(struct bidx *x, const char *line, size_t len);

/* What the consumer knows of an event it has rendered, without parsing it. */
struct bfacts {
	const char *type;
	const char *syscall;    /* as the caller's ABI spells it, or NULL */
	const char *error;      /* errno name, or NULL */
	const char *key;        /* "pid@start", or NULL */
	uint64_t ts;            /* ts_ns */
	bool notable;
};

/*
 * bidx_add() for a line the consumer has just rendered, whose facts it
 * knows: false when it could not be folded in that way (then call bidx_add).
 */
bool bidx_add_fast(struct bidx *x, const struct bfacts *e, const char *line, size_t len);

/* Charge `n` bytes of aggregates; false when the budget would be exceeded. */
bool bidx_charge(struct bidx *x, size_t n);
const char *bidx_intern(struct bidx *x, const char *name);
void bidx_time(const struct bidx *x, uint64_t ts_ns, char *buf, size_t len);
bool bidx_outside_cwd(const struct bidx *x, const char *path);
/* A device that holds nothing (/dev/null, a terminal...): writing to it changes no file. */
bool bidx_pseudo_device(const char *path);
/* Times a type was seen (0 when never). */
uint64_t bidx_type_count(const struct bidx *x, const char *type);

/* bundle_tally.c */
void tally_add(struct bidx *x, struct btally *t, const char *key, json_t *(*ident)(json_t *ev),
	       json_t *ev, const char *op, const char *error, unsigned int access, uint64_t ts);
void tally_free(struct btally *t);
/* Sort items by key for output; stable across runs. */
void tally_sort(struct btally *t);
int tally_write_files(struct bidx *x, FILE *f);
int tally_write_network(struct bidx *x, FILE *f);
/* "file.open: 3 (2 ok, ENOENT 1)" per op, for tables. */
void tally_describe(const struct bitem *it, char *buf, size_t len);
/* Number of failed operations on an item. */
uint64_t tally_failures(const struct bitem *it);

/* bundle_tree.c */
struct bproc *proc_get(struct bidx *x, const char *key, json_t *ev);
void proc_event(struct bidx *x, struct bproc *p, const char *type, json_t *ev);
void proc_free(void *p);
/* Link parents and children, order siblings by start time. */
void bidx_tree(struct bidx *x);
/* Depth-first walk: the next process after `p`, with its depth. */
struct bproc *proc_next(struct bproc *p, int *depth);
/*
 * A PATH search seen from `e`: when e and the execs after it failed as
 * execvp(3)'s misses do (ENOENT, ENOTDIR) with one program name and
 * the next exec of that name succeeded, that exec, with *misses the failures
 * folded into it; otherwise e itself and *misses 0.  The reports show one
 * line where the process made several attempts; process-tree.json keeps all.
 */
const struct bexec *bexec_fold(const struct bexec *e, unsigned int *misses);
/* "/usr/bin/ls ls -l" for one exec, cut to `len`. */
void exec_cmdline(const struct bexec *e, char *buf, size_t len);
/* "exit 0", "killed by SIGKILL", "no exit seen". */
void proc_end_text(const struct bproc *p, char *buf, size_t len);
int tree_write_json(struct bidx *x, FILE *f);
int tree_write_text(struct bidx *x, FILE *f);

/* The notable events (or failures) as a JSON array. */
int kept_write_json(const struct bkept *k, const char *omitted_key, FILE *f);

#endif
