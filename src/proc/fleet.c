// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* --all's additions to a record: ancestors, container, executable hash. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event/run.h"
#include "kern/scope.h"
#include "proc/container.h"
#include "proc/fleet.h"
#include "proc/model.h"
#include "proc/procfs.h"

static void ancestors(struct model *m, const struct proc *p, struct ev_context *c)
{
	struct proc *up[EV_ANCESTORS_MAX];
	size_t n = model_ancestors(m, p->key, up, EV_ANCESTORS_MAX), i;

	for (i = 0; i < n; i++)
		c->anc[i] = (struct ev_ancestor){ .pid = up[i]->key.pid,
			.start_boot = up[i]->key.start_boot, .comm = up[i]->comm, .exe = up[i]->exe };
	c->nanc = (unsigned int)n;
	c->ancestors = true;
}

/* Read at exec (the runtime moved the process in before it ran the container's program). */
static void container(struct proc *p)
{
	struct container c;

	/* The start time read after the cgroup: a reused pid is another process's cgroup. */
	if (!container_of_pid((pid_t)p->key.pid, &c) ||
	    !scope_same_start(proc_start_boot((pid_t)p->key.pid), p->key.start_boot))
		return;   /* gone, or no container: what it inherited stands */
	free(p->container_id);
	free(p->pod_uid);
	p->container_id = strdup(c.id);
	p->pod_uid = c.pod_uid[0] ? strdup(c.pod_uid) : NULL;
}

/* The hash of the very file the exec ran (exehash.h). */
static void exe_hash(struct fleet *f, const struct proc *p, const struct ps_event *ev,
		     struct ev_context *c)
{
	const struct ps_exec *ex = ev->fixed;
	const struct exe_ident want = {
		.mnt_id = ex->exe_mnt_id, .fs_magic = ex->exe_fs_magic, .ino = ex->exe_ino,
		.size = ex->exe_size, .ctime_ns = ex->exe_ctime_ns,
		.exec_real_ns = (int64_t)ev->hdr->ts_boot + ev->run->rc.boot_to_real_ns,
	};

	c->exe_hash = true;
	c->exe_sha256_error = exehash_file(&f->hash, (pid_t)p->key.pid, p->exe, &want,
					   c->exe_sha256);
}

void fleet_context(struct fleet *f, struct model *m, struct proc *p, struct ps_event *ev,
		   struct ev_context *ctx)
{
	bool exec = ev->hdr->kind == PS_REC_EXEC;

	if (!p || (!exec && !ev->rule))
		return;
	memset(ctx, 0, sizeof(*ctx));
	ancestors(m, p, ctx);
	if (exec) {
		container(p);
		exe_hash(f, p, ev, ctx);
	}
	ctx->container_id = p->container_id;
	ctx->pod_uid = p->pod_uid;
	ev->ctx = ctx;
}

void fleet_seed(struct proc *p)
{
	if (p)
		container(p);
}

void fleet_free(struct fleet *f)
{
	exehash_free(&f->hash);
}
