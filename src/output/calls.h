/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The strace-style summary (-c and the bundle's calls.tsv): per event type
 * and syscall, how many calls, how many failed and with which errno, and
 * when the first and the last were seen.  Memory grows with the number of
 * distinct (type, syscall) pairs, which the syscall table bounds; a read-back
 * bundle could claim more, so rows and errnos per row are capped and what
 * does not fit is counted.
 */
#ifndef PS_CALLS_H
#define PS_CALLS_H

#include <stdint.h>
#include <stdio.h>

#define CALLS_MAX_ROWS 4096
#define CALLS_MAX_ERRS 16      /* distinct errnos named per row; the rest are "other" */

struct calls_err {
	char *name;
	uint64_t n;
};

struct calls_row {
	char *type, *syscall;          /* syscall "" for records that are not one (exec, fork, exit) */
	uint64_t n, failed, other_failed;
	uint64_t first_ns, last_ns;    /* ns since boot */
	struct calls_err err[CALLS_MAX_ERRS];
	unsigned int nerr;
};

struct calls {
	struct calls_row *rows;
	size_t n, cap;
	uint32_t *slots;               /* open addressing: row index + 1, 0 empty */
	size_t nslots;
	uint64_t seed;                 /* random: a tampered bundle cannot aim at one chain */
	uint64_t total, failed;
	uint64_t omitted;              /* events of rows that did not fit */
};

void calls_init(struct calls *c);
void calls_free(struct calls *c);

/* One event: `syscall` NULL or "" when the record is not one; `error` NULL on success. */
void calls_add(struct calls *c, const char *type, const char *syscall, const char *error,
	       uint64_t ts_ns);

/* Most calls first, then type and syscall by name. */
void calls_sort(struct calls *c);

/*
 * The table for a terminal, times in seconds since `origin_ns` (boot time).
 * Returns -1 when `f` could not be written.
 */
int calls_write_table(const struct calls *c, uint64_t origin_ns, FILE *f);

/*
 * Tab-separated, one header line, then one line per row: type, syscall,
 * calls, errors, errors by errno ("ENOENT:3,EACCES:1"), first and last
 * (ns since boot).  Values are escaped as the timeline escapes them.
 */
int calls_write_tsv(const struct calls *c, FILE *f);

#endif
