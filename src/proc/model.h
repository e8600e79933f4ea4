/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The process model: one entry per process procscope has seen, keyed by
 * pid and start time, with its parent, current executable and argv, working
 * directory, credentials, exec chain, start and exit.  Fed once per decoded
 * event (model_event), or field by field (model_add, model_exec, model_exit)
 * by readers of JSON Lines, and seeded from /proc for processes that were
 * running before procscope (model_seed_proc).  Every sink sees the same
 * entries.
 *
 * Bounded: at most `max` entries; a process that does not fit is counted in
 * stats.full and has no entry.  Exited entries are removed by model_gc once
 * they are older than its period, unless a consumer holds them (the bundle
 * keeps the processes of its tree).  Lookups are one probe of an
 * open-addressing table, and the last process looked up is remembered: the
 * consumer's hot path is a stream of events of the same few processes.
 */
#ifndef PS_MODEL_H
#define PS_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "proc/key.h"
#include "records.h"

#define MODEL_MAX_DEFAULT  65536
#define MODEL_ARGV_BYTES   4096   /* argv bytes kept per process */
#define MODEL_EXEC_CHAIN   8      /* earlier executables kept per process */
#define MODEL_GC_PERIOD_NS (5 * 1000000000ULL)
#define MODEL_GC_PERIOD_ALL_NS (30 * 1000000000ULL)   /* --all's default */

struct ps_event;
struct redactor;
struct run;

struct proc {
	struct proc_key key;
	struct proc_key parent;      /* the real parent when the process was first seen */
	uint32_t uid, gid, euid;     /* as of the last event */
	char comm[PS_COMM_LEN + 1];
	char *exe;                   /* current executable, or NULL: not seen */
	char *argv;                  /* its argv as outputs show it, NUL-separated, or NULL */
	uint32_t argv_len;           /* bytes of argv, the NULs included */
	uint32_t argc;               /* elements in argv */
	bool argv_truncated;         /* cut by the run's bounds or MODEL_ARGV_BYTES */
	char *cwd;                   /* NULL: not known */
	char *container_id;          /* --all: read from its cgroup at exec, else its parent's; NULL: none */
	char *pod_uid;               /* the same for the Kubernetes pod */
	char *chain[MODEL_EXEC_CHAIN]; /* executables before exe, oldest first */
	uint32_t nchain;
	uint64_t chain_dropped;      /* older ones that did not fit */
	uint64_t start_ns, exit_ns;  /* ns since boot; exit_ns 0: no exit seen */
	int32_t exit_status;         /* raw wait status, when exited */
	bool exited;
	bool seeded;                 /* read from /proc, not seen starting */
	bool coarse_start;           /* key.start_boot has /proc's clock-tick precision */
	uint32_t holds;              /* model_hold(): not collected while held */
	uint32_t idx;                /* the model's own */
};

struct model_stats {
	uint64_t entries;            /* now */
	uint64_t full;               /* processes with no entry: the model was full */
	uint64_t collected;          /* exited entries removed */
	uint64_t seeded;             /* entries read from /proc */
};

struct model;

/* `run` (may be NULL) redacts and bounds the argv the model keeps. */
struct model *model_new(size_t max_entries, const struct run *run);
void model_free(struct model *m);

struct proc *model_get(struct model *m, struct proc_key key);

/*
 * The entry of `key`, created with `parent` when absent.  NULL when the
 * model is full (counted) or out of memory.  *created (may be NULL) says
 * which.
 */
struct proc *model_add(struct model *m, struct proc_key key, struct proc_key parent,
		       bool *created);

/* Fold one decoded event in; returns its process's entry, or NULL. */
struct proc *model_event(struct model *m, const struct ps_event *ev);

/* A successful exec: the old executable joins the chain.  argv: n strings. */
void model_exec(struct proc *p, const char *exe, char *const *argv, unsigned int n,
		bool truncated);
void model_exit(struct proc *p, uint64_t ts_ns, int32_t wait_status);

/*
 * Seed the entry of a running process from /proc/PID/{stat,status,exe,
 * cmdline,cwd}.  Its start time has clock-tick precision until the first
 * event of the process makes it exact.  NULL when the process is gone or
 * the model full.
 */
struct proc *model_seed_proc(struct model *m, pid_t pid);

/* Remove exited, unheld entries whose exit is `period` ns before `now` (boot clock). */
size_t model_gc(struct model *m, uint64_t now, uint64_t period);

/* Keep an entry through model_gc (the bundle holds the processes it reports). */
void model_hold(struct proc *p);

/* The entry of pid that has not exited, or NULL; a scan, for the end of a run. */
struct proc *model_find_running(struct model *m, pid_t pid);

/*
 * The parent, grandparent ... of `key` in the model, nearest first, at most
 * `max`; returns how many were found.
 */
size_t model_ancestors(struct model *m, struct proc_key key, struct proc **out, size_t max);

const struct model_stats *model_stats(const struct model *m);

#endif
