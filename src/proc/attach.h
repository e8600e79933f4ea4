/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Attach mode: checking and following processes that already run. */
#ifndef PS_ATTACH_H
#define PS_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PS_MAX_TARGETS 64

/* Parse "1234,1240" into process ids (thread ids become their process). */
int attach_parse(const char *spec, pid_t *pids, int max, int *n, char *err, size_t errlen);

/*
 * May the invoking user trace `pid`?  The kernel answers: opening
 * /proc/PID/environ needs the same ptrace access check (PTRACE_MODE_READ with
 * the real credentials), so procscope grants exactly what ptrace would.
 */
int attach_check(pid_t pid, char *err, size_t errlen);

/* A warning when attaching to a process that handles secrets, or NULL. */
const char *attach_sensitive(pid_t pid);


struct scope;

/* Add `roots` and all their current descendants to the scope; returns how many. */
int attach_follow(struct scope *sc, const pid_t *roots, int n);

/*
 * --all: add every user process but procscope itself (kernel threads make no
 * system calls), calling `seen(pid, ctx)` for each one added; from then on the
 * kernel follows every new process.  Returns how many were added.
 */
int attach_all(struct scope *sc, void (*seen)(pid_t pid, void *ctx), void *ctx);

#define ATTACH_RECHECK_ROUNDS 16

/*
 * The -p check ran before the programs loaded: a target may have exec'd a
 * privileged program since.  Once every process is in the kernel's scope
 * (whose exec hook confines every later exec), check each again, drop the
 * ones the invoker may no longer trace (their records are then discarded)
 * and say so on stderr.  Returns PS_EXIT_OK or an exit code with err set.
 */
int attach_recheck(struct scope *sc, char *err, size_t errlen);

#endif
