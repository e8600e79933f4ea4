/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Timeline folding: what a person skips is held back and summarised in one
 * line, never dropped from the machine outputs (JSON Lines, bundle, -c).
 *
 *  - The dynamic loader's and locale lookups of one process (read-only
 *    opens and access checks of ld.so.cache, of libraries under the system
 *    library directories, of locale and gconv files), a run of them with
 *    nothing else of that process in between, become
 *    "ld.so  37 opens, 12 ENOENT".  A library from anywhere else, an open
 *    for writing, a notable event and a rule match are always shown.
 *  - Failed execs of one process that a PATH search makes (ENOENT or ENOTDIR,
 *    with the same program name and argv) are held; the exec that then
 *    succeeds with that name says "(after 4 PATH misses)", and if none
 *    does the failures are shown as they were.
 *
 * A fold ends at the process's next other event, at its exit, and whenever
 * the timeline is flushed (the consumer is idle), so no line waits long.
 */
#ifndef PS_FOLD_H
#define PS_FOLD_H

#include <stdbool.h>
#include <stdio.h>

struct fold;
struct ps_event;
struct render_ctx;

/*
 * A path the dynamic loader or the locale code looks up (ld.so.cache, a
 * library under the system library directories, locale and gconv files);
 * /etc/ld.so.preload only when the lookup `failed`.  The reports fold the
 * same paths.
 */
bool fold_loader_path(const char *path, bool failed);

struct fold *fold_new(void);
void fold_free(struct fold *f);

/* Print what `ev` lets out (held lines, a summary, ev's own line) to out; -1 on a write error. */
int fold_event(struct fold *f, const struct ps_event *ev, const struct render_ctx *rc, FILE *out);

/* Print every fold still open; -1 on a write error. */
int fold_flush(struct fold *f, FILE *out);

#endif
