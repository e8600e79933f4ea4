// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The process model: an open-addressing table of entries kept in stable chunks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/redact.h"
#include "event/event.h"
#include "event/run.h"
#include "proc/model.h"
#include "proc/procfs.h"

#define CHUNK_SHIFT 10
#define CHUNK       (1u << CHUNK_SHIFT)

/* One table slot: the key beside the index, so a probe touches no entry. */
struct slot {
	uint64_t start;
	uint32_t pid;
	uint32_t idx;     /* entry index + 1; 0: empty */
};

struct model {
	const struct run *run;
	size_t max;
	struct slot *slots;
	size_t mask;
	unsigned int bits;
	struct proc **chunks;        /* entries, CHUNK at a time: pointers stay valid */
	size_t nchunks;
	uint32_t *free_idx;          /* indexes of removed entries, for reuse */
	size_t nfree, nused;         /* nused: indexes handed out so far */
	struct proc *last;           /* the last entry found */
	struct model_stats stats;
};

struct model *model_new(size_t max_entries, const struct run *run)
{
	struct model *m = calloc(1, sizeof(*m));
	size_t n = 16;

	if (!m)
		return NULL;
	m->run = run;
	m->max = max_entries ? max_entries : MODEL_MAX_DEFAULT;
	/* At most half full: probes stay short. */
	m->bits = 4;
	while (n < 2 * m->max) {
		n *= 2;
		m->bits++;
	}
	m->mask = n - 1;
	m->slots = calloc(n, sizeof(*m->slots));
	m->chunks = calloc((m->max + CHUNK - 1) / CHUNK, sizeof(*m->chunks));
	m->free_idx = malloc(m->max * sizeof(*m->free_idx));
	if (!m->slots || !m->chunks || !m->free_idx) {
		model_free(m);
		return NULL;
	}
	return m;
}

static struct proc *entry(const struct model *m, uint32_t idx)
{
	return &m->chunks[idx >> CHUNK_SHIFT][idx & (CHUNK - 1)];
}

static void entry_clear(struct proc *p)
{
	uint32_t i;

	free(p->exe);
	free(p->argv);
	free(p->cwd);
	free(p->container_id);
	free(p->pod_uid);
	for (i = 0; i < p->nchain; i++)
		free(p->chain[i]);
	memset(p, 0, sizeof(*p));
}

void model_free(struct model *m)
{
	size_t i, j;

	if (!m)
		return;
	for (i = 0; i < m->nchunks; i++) {
		for (j = 0; j < CHUNK; j++)
			entry_clear(&m->chunks[i][j]);
		free(m->chunks[i]);
	}
	free(m->chunks);
	free(m->slots);
	free(m->free_idx);
	free(m);
}

/* Hashed on the pid alone: a seeded entry's coarse start time still finds its slot. */
static size_t home(const struct model *m, uint32_t pid)
{
	return (size_t)(((uint64_t)pid * 0x9E3779B97F4A7C15ULL) >> (64 - m->bits)) & m->mask;
}

/* /proc's start times are clock ticks: equal within one tick. */
static bool same_tick(uint64_t coarse, uint64_t exact)
{
	static uint64_t tick;

	if (!tick) {
		long hz = sysconf(_SC_CLK_TCK);

		tick = 1000000000ULL / (hz > 0 ? (uint64_t)hz : 100);
	}
	return exact >= coarse ? exact - coarse < tick : coarse - exact < tick;
}

static bool slot_matches(const struct model *m, const struct slot *s, struct proc_key key)
{
	struct proc *p;

	if (s->pid != key.pid)
		return false;
	if (s->start == key.start_boot)
		return true;
	p = entry(m, s->idx - 1);
	return p->coarse_start && same_tick(s->start, key.start_boot);
}

/* The slot of `key`, or the empty slot where it would go. */
static size_t probe(const struct model *m, struct proc_key key)
{
	size_t i = home(m, key.pid);

	while (m->slots[i].idx && !slot_matches(m, &m->slots[i], key))
		i = (i + 1) & m->mask;
	return i;
}

/* A precise start time replaces a seeded coarse one. */
static struct proc *refine(struct model *m, size_t i, struct proc_key key)
{
	struct proc *p = entry(m, m->slots[i].idx - 1);

	if (p->key.start_boot != key.start_boot && key.start_boot) {
		p->key.start_boot = key.start_boot;
		p->start_ns = key.start_boot;
		m->slots[i].start = key.start_boot;
		p->coarse_start = false;
	}
	return p;
}

struct proc *model_get(struct model *m, struct proc_key key)
{
	size_t i;

	if (m->last && m->last->key.pid == key.pid && m->last->key.start_boot == key.start_boot)
		return m->last;
	i = probe(m, key);
	if (!m->slots[i].idx)
		return NULL;
	return m->last = refine(m, i, key);
}

static int new_index(struct model *m, uint32_t *idx)
{
	if (m->nfree) {
		*idx = m->free_idx[--m->nfree];
		return 0;
	}
	if (m->nused >= m->max)
		return -1;
	if ((m->nused >> CHUNK_SHIFT) == m->nchunks) {
		m->chunks[m->nchunks] = calloc(CHUNK, sizeof(struct proc));
		if (!m->chunks[m->nchunks])
			return -1;
		m->nchunks++;
	}
	*idx = m->nused++;
	return 0;
}

struct proc *model_add(struct model *m, struct proc_key key, struct proc_key parent,
		       bool *created)
{
	struct proc *p = model_get(m, key);
	size_t i;
	uint32_t idx;

	if (created)
		*created = false;
	if (p)
		return p;
	if (m->stats.entries >= m->max || new_index(m, &idx)) {
		m->stats.full++;
		return NULL;
	}
	i = probe(m, key);
	m->slots[i] = (struct slot){ .start = key.start_boot, .pid = key.pid, .idx = idx + 1 };
	p = entry(m, idx);
	p->idx = idx;
	p->key = key;
	p->parent = parent;
	p->start_ns = key.start_boot;
	m->stats.entries++;
	if (created)
		*created = true;
	return m->last = p;
}

/* Linear probing's deletion: later slots of the run move back over the hole. */
static void slot_delete(struct model *m, size_t i)
{
	size_t j = i, k;

	for (;;) {
		m->slots[i].idx = 0;
		for (;;) {
			j = (j + 1) & m->mask;
			if (!m->slots[j].idx)
				return;
			k = home(m, m->slots[j].pid);
			/* Leave it when its home lies cyclically in (i, j]. */
			if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
				continue;
			break;
		}
		m->slots[i] = m->slots[j];
		i = j;
	}
}

static void model_remove(struct model *m, struct proc *p)
{
	size_t i = probe(m, p->key);

	if (m->slots[i].idx != p->idx + 1)
		return;
	slot_delete(m, i);
	if (m->last == p)
		m->last = NULL;
	m->free_idx[m->nfree++] = p->idx;
	entry_clear(p);
	m->stats.entries--;
	m->stats.collected++;
}

static char *dup_argv(char *const *argv, unsigned int n, uint32_t *len, uint32_t *argc,
		      bool *truncated)
{
	size_t off = 0, l;
	unsigned int i;
	char *buf;

	for (i = 0; i < n; i++)
		off += strlen(argv[i]) + 1;
	if (off > MODEL_ARGV_BYTES) {
		off = MODEL_ARGV_BYTES;
		*truncated = true;
	}
	buf = off ? malloc(off) : NULL;
	*len = *argc = 0;
	if (!buf)
		return NULL;
	for (i = 0, off = 0; i < n; i++) {
		l = strlen(argv[i]) + 1;
		if (off + l > MODEL_ARGV_BYTES)
			break;
		memcpy(buf + off, argv[i], l);
		off += l;
		(*argc)++;
	}
	*len = off;
	return buf;
}

void model_exec(struct proc *p, const char *exe, char *const *argv, unsigned int n,
		bool truncated)
{
	char *old = p->exe;

	p->exe = exe ? strdup(exe) : NULL;
	if (old) {
		if (p->nchain == MODEL_EXEC_CHAIN) {
			free(p->chain[0]);
			memmove(p->chain, p->chain + 1, (MODEL_EXEC_CHAIN - 1) * sizeof(p->chain[0]));
			p->nchain--;
			p->chain_dropped++;
		}
		p->chain[p->nchain++] = old;
	}
	free(p->argv);
	p->argv_truncated = truncated;
	p->argv = dup_argv(argv, n, &p->argv_len, &p->argc, &p->argv_truncated);
}

void model_exit(struct proc *p, uint64_t ts_ns, int32_t wait_status)
{
	p->exited = true;
	p->exit_ns = ts_ns ? ts_ns : 1;
	p->exit_status = wait_status;
}

static char *dup_or_null(const char *s, size_t len)
{
	return s ? strndup(s, len) : NULL;
}

/* A new process starts as a copy of its parent: same image, directory and creds. */
static void inherit(struct proc *c, const struct proc *p)
{
	c->uid = p->uid;
	c->gid = p->gid;
	c->euid = p->euid;
	memcpy(c->comm, p->comm, sizeof(c->comm));
	c->exe = p->exe ? strdup(p->exe) : NULL;
	c->cwd = p->cwd ? strdup(p->cwd) : NULL;
	c->container_id = p->container_id ? strdup(p->container_id) : NULL;
	c->pod_uid = p->pod_uid ? strdup(p->pod_uid) : NULL;
	if (p->argv && (c->argv = malloc(p->argv_len))) {
		memcpy(c->argv, p->argv, p->argv_len);
		c->argv_len = p->argv_len;
		c->argc = p->argc;
		c->argv_truncated = p->argv_truncated;
	}
}

static void on_fork(struct model *m, struct proc *p, const struct ps_fork *f)
{
	struct proc_key ck = { f->child_pid, f->child_start_boot };
	struct proc_key pk = p->key;
	bool created;
	struct proc *c = model_add(m, ck, pk, &created);

	/* model_add may move `last`, never `p`: entries do not move. */
	if (c && created)
		inherit(c, p);
	if (c)
		c->parent = pk;
	m->last = p;
}

static void on_exec(struct proc *p, const struct ps_event *ev)
{
	char path[PS_PATH_MAX * 2];
	const struct ev_blob *exe = ev_blob_for(ev, PS_ARG_EXE);
	bool have = exe ? dirents_path(exe, path, sizeof(path)) : ev_path(ev, 0, path, sizeof(path));
	unsigned int n;
	bool truncated;
	char **argv = exec_args(ev, &n, &truncated);

	model_exec(p, have ? path : NULL, argv, n, truncated);
	exec_args_free(argv, n);
}

struct proc *model_event(struct model *m, const struct ps_event *ev)
{
	const struct ps_hdr *h = ev->hdr;
	struct proc_key key = { h->pid, h->start_boot };
	struct proc *p = model_get(m, key);

	if (!p)
		p = model_add(m, key, (struct proc_key){ h->ppid, h->parent_start_boot }, NULL);
	if (!p)
		return NULL;
	p->uid = h->uid;
	p->gid = h->gid;
	p->euid = h->euid;
	memcpy(p->comm, h->comm, PS_COMM_LEN);
	switch (h->kind) {
	case PS_REC_FORK:
		on_fork(m, p, ev->fixed);
		break;
	case PS_REC_EXEC:
		on_exec(p, ev);
		break;
	case PS_REC_EXIT:
		model_exit(p, h->ts_boot, ((const struct ps_exit *)ev->fixed)->exit_code);
		break;
	}
	return p;
}

/* Fields of /proc/PID/status as numbers: "Uid:\t0\t0\t0\t0". */
static void seed_ids(struct proc *p, pid_t pid)
{
	char path[64], buf[4096];
	const char *l;
	unsigned int r, e;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (procfs_read(path, buf, sizeof(buf)) < 0)
		return;
	l = strstr(buf, "\nUid:");
	if (l && sscanf(l + 5, "%u %u", &r, &e) == 2) {
		p->uid = r;
		p->euid = e;
	}
	l = strstr(buf, "\nGid:");
	if (l && sscanf(l + 5, "%u", &r) == 1)
		p->gid = r;
}

static char *seed_link(pid_t pid, const char *what)
{
	char path[64], buf[PS_PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, what);
	n = readlink(path, buf, sizeof(buf) - 1);
	return n > 0 ? dup_or_null(buf, n) : NULL;
}

/* /proc/PID/cmdline, redacted and bounded as an exec's argv would be. */
static void seed_argv(struct model *m, struct proc *p, pid_t pid)
{
	char path[64], *buf = malloc(MODEL_ARGV_BYTES + 1), *argv[256];
	int len, n = 0, i;
	size_t off = 0;
	unsigned int max = m->run ? m->run->args_max : 256;
	bool truncated;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	len = buf ? procfs_read(path, buf, MODEL_ARGV_BYTES + 1) : -1;
	if (len <= 0) {
		free(buf);
		return;
	}
	truncated = len == MODEL_ARGV_BYTES;
	for (; off < (size_t)len && n < 256 && (unsigned int)n < max; n++) {
		if (!(argv[n] = strdup(buf + off)))
			break;
		off += strlen(buf + off) + 1;
	}
	if (m->run && m->run->redact)
		redact_argv(m->run->redact, argv, n);
	for (i = 0; m->run && i < n; i++)
		if (strlen(argv[i]) > m->run->arg_len_max) {
			argv[i][m->run->arg_len_max] = '\0';
			truncated = true;
		}
	free(p->argv);
	p->argv_truncated = truncated || off < (size_t)len;
	p->argv = dup_argv(argv, n, &p->argv_len, &p->argc, &p->argv_truncated);
	for (i = 0; i < n; i++)
		free(argv[i]);
	free(buf);
}

struct proc *model_seed_proc(struct model *m, pid_t pid)
{
	char buf[1024], comm[PS_COMM_LEN + 1] = "";
	const char *f = procfs_stat_fields(pid, buf, sizeof(buf));
	const char *open = strchr(buf, '(');
	struct proc_key key = { (uint32_t)pid, proc_start_boot(pid) };
	struct proc_key parent = { 0, 0 };
	bool created;
	struct proc *p;
	pid_t ppid;

	if (!f || !open || !key.start_boot)
		return NULL;
	/* The comm sits between the first '(' and the last ')', and may hold either. */
	snprintf(comm, sizeof(comm), "%.*s", (int)(f - 2 - open - 1), open + 1);
	ppid = proc_ppid(pid);
	if (ppid > 0)
		parent = (struct proc_key){ (uint32_t)ppid, proc_start_boot(ppid) };
	p = model_add(m, key, parent, &created);
	if (!p || !created)
		return p;
	p->seeded = p->coarse_start = true;
	memcpy(p->comm, comm, sizeof(p->comm));
	seed_ids(p, pid);
	p->exe = seed_link(pid, "exe");
	p->cwd = seed_link(pid, "cwd");
	seed_argv(m, p, pid);
	m->stats.seeded++;
	return p;
}

size_t model_gc(struct model *m, uint64_t now, uint64_t period)
{
	size_t i, j, n = 0;

	for (i = 0; i < m->nchunks; i++)
		for (j = 0; j < CHUNK; j++) {
			struct proc *p = &m->chunks[i][j];

			if (p->exited && !p->holds && p->exit_ns + period <= now) {
				model_remove(m, p);
				n++;
			}
		}
	return n;
}

struct proc *model_find_running(struct model *m, pid_t pid)
{
	size_t i, j;

	for (i = 0; i < m->nchunks; i++)
		for (j = 0; j < CHUNK; j++) {
			struct proc *p = &m->chunks[i][j];

			if (p->key.pid == (uint32_t)pid && p->key.start_boot && !p->exited)
				return p;
		}
	return NULL;
}

void model_hold(struct proc *p)
{
	p->holds++;
}

size_t model_ancestors(struct model *m, struct proc_key key, struct proc **out, size_t max)
{
	struct proc *p = model_get(m, key);
	size_t n = 0;

	/* A loop (pid reuse in a crafted stream) ends at max. */
	while (p && n < max && p->parent.pid) {
		p = model_get(m, p->parent);
		if (p)
			out[n++] = p;
	}
	return n;
}

const struct model_stats *model_stats(const struct model *m)
{
	return &m->stats;
}
