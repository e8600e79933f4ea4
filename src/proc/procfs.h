/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* What /proc says about a process.  Each returns -1 (or 0, NULL) when it is gone. */
#ifndef PS_PROCFS_H
#define PS_PROCFS_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* Read a small /proc file into buf, NUL-terminated; returns its length or -1. */
int procfs_read(const char *path, char *buf, size_t len);

/* Fields of /proc/PID/stat after the comm (which may itself hold ") "), or NULL. */
const char *procfs_stat_fields(pid_t pid, char *buf, size_t len);

pid_t proc_ppid(pid_t pid);

/*
 * What --all follows: a process that is neither a kernel thread (PF_KTHREAD
 * in /proc/PID/stat's flags) nor a zombie.  False when it is gone.
 */
bool proc_is_user_process(pid_t pid);

/* Start time of a process in ns since boot, or 0. */
uint64_t proc_start_boot(pid_t pid);

/* The thread group (process) of a thread id. */
pid_t tgid_of(pid_t tid);

#endif
