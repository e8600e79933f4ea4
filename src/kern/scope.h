/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * User space's side of the kernel's scope: the processes procscope adds
 * itself (the launched command, attach targets) and the removal of entries
 * whose process vanished before the kernel could see it exit.
 */
#ifndef PS_SCOPE_H
#define PS_SCOPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/types.h>

#include "proc/key.h"

struct procscope_bpf;
struct ps_tracked;

struct scope {
	int tracked_fd;
	__u64 *bits;        /* the kernel's scope bitmap, mapped */
	__u64 *live;        /* the kernel's count of live tracked processes */
	uint64_t add_failed;  /* processes user space could not add (map full) */
	struct proc_key *dropped;  /* processes removed because the invoker may not trace them */
	size_t ndropped, dropped_cap;
};

int scope_open(struct scope *s, struct procscope_bpf *skel);
void scope_close(struct scope *s);

/* Add a process (tgid); returns 1 if added, 0 if already in scope, -1 on error. */
int scope_add(struct scope *s, pid_t tgid, uint64_t start_boot, uint32_t depth);

/* Remove entries whose process is gone or whose pid was reused; returns how many. */
int scope_gc(struct scope *s);

/* Every tgid in scope now (malloc'ed, *n of them), or NULL. */
__u32 *scope_keys(struct scope *s, size_t *n);

/* The tracked entry of `tgid`; -1 if it is not in scope. */
int scope_get(struct scope *s, pid_t tgid, struct ps_tracked *t);

/* Stop following `tgid`; true if this call removed it. */
bool scope_remove(struct scope *s, pid_t tgid);

/*
 * Stop following `tgid` because the invoker may not trace it, and remember
 * it so that its records still in the ring buffer are discarded.  Returns 1
 * if dropped, 0 if it was not in scope, -1 if it could not be remembered.
 */
int scope_drop(struct scope *s, pid_t tgid);

/* Was the process (pid, start_boot) dropped? */
bool scope_was_dropped(const struct scope *s, uint32_t pid, uint64_t start_boot);

/* Start times equal within /proc's clock-tick precision. */
bool scope_same_start(uint64_t a, uint64_t b);

#endif
