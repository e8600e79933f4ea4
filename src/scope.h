/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * User space's side of the kernel's scope: the processes procscope adds
 * itself (the launched command, attach targets) and the removal of entries
 * whose process vanished before the kernel could see it exit.
 */
#ifndef PS_SCOPE_H
#define PS_SCOPE_H

#include <stdint.h>
#include <sys/types.h>

#include <linux/types.h>

struct procscope_bpf;

struct scope {
	int tracked_fd;
	__u64 *bits;        /* the kernel's scope bitmap, mapped */
	__u64 *live;        /* the kernel's count of live tracked processes */
	uint64_t add_failed;  /* processes user space could not add (map full) */
};

int scope_open(struct scope *s, struct procscope_bpf *skel);
void scope_close(struct scope *s);

/* Add a process (tgid); returns 1 if added, 0 if already in scope, -1 on error. */
int scope_add(struct scope *s, pid_t tgid, uint64_t start_boot, uint32_t depth);

/* Remove entries whose process is gone or whose pid was reused; returns how many. */
int scope_gc(struct scope *s);

#endif
