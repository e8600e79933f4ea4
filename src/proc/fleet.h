/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What --all adds to a record for a fleet's log store: the ancestors of an
 * exec's or a finding's process (from the process model, nearest first),
 * the container and pod it runs in (its cgroup, read at exec), and the
 * executable's SHA-256 on a process.exec.
 */
#ifndef PS_FLEET_H
#define PS_FLEET_H

#include "event/event.h"
#include "proc/exehash.h"

struct model;
struct proc;

struct fleet {
	struct exehash hash;
};

/* Fill ctx for ev (its process p, may be NULL) and point ev->ctx at it when there is anything. */
void fleet_context(struct fleet *f, struct model *m, struct proc *p, struct ps_event *ev,
		   struct ev_context *ctx);
/* A process running before procscope: its container, as for an exec. */
void fleet_seed(struct proc *p);
void fleet_free(struct fleet *f);

#endif
