// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The process tree: one node per process key, its exec chain and its end. */
#include <stdlib.h>
#include <string.h>

#include "output/esc.h"
#include "bundle/bundle_index.h"
#include "bundle/bundle_out.h"

#define TREE_MAX_INDENT 40

static struct bproc *proc_create(struct bidx *x, const char *key)
{
	struct bproc *p = smap_get(&x->procs, key), **list;
	const char *at;

	if (p)
		return p;
	if (x->nproc >= BIDX_MAX_PROCS || !bidx_charge(x, sizeof(*p) + strlen(key) + 48))
		goto omit;
	if (x->nproc == x->proc_cap) {
		list = realloc(x->proc, (x->proc_cap ? x->proc_cap * 2 : 64) * sizeof(*list));
		if (!list)
			goto omit;
		x->proc = list;
		x->proc_cap = x->proc_cap ? x->proc_cap * 2 : 64;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		goto omit;
	p->key = smap_put(&x->procs, key, p);
	if (!p->key) {
		free(p);
		goto omit;
	}
	p->order = x->nproc;
	p->pid = p->ppid = p->uid = -1;
	at = strchr(key, '@');
	if (at)
		p->start_ns = strtoull(at + 1, NULL, 10);
	x->proc[x->nproc++] = p;
	return p;
omit:
	x->procs_omitted++;
	return NULL;
}

static void set_int(long long *dst, json_t *v)
{
	if (json_is_integer(v))
		*dst = json_integer_value(v);
}

struct bproc *proc_get(struct bidx *x, const char *key, json_t *ev)
{
	struct bproc *p = proc_create(x, key);
	const char *comm;

	if (!p)
		return NULL;
	set_int(&p->pid, json_object_get(ev, "pid"));
	set_int(&p->ppid, json_object_get(ev, "ppid"));
	set_int(&p->uid, json_object_get(ev, "uid"));
	comm = json_string_value(json_object_get(ev, "comm"));
	if (comm && snprintf(p->comm, sizeof(p->comm), "%s", comm) >= (int)sizeof(p->comm))
		cut_utf8(p->comm, sizeof(p->comm));
	return p;
}

static void add_fork(struct bidx *x, struct bproc *p, json_t *proc)
{
	const char *ckey = json_string_value(json_object_get(proc, "child_key"));
	struct bproc *c = ckey ? proc_create(x, ckey) : NULL;

	if (!c)
		return;
	set_int(&c->pid, json_object_get(proc, "child_pid"));
	c->ppid = p->pid;
	if (c->uid < 0)
		c->uid = p->uid;
	if (!c->comm[0])
		memcpy(c->comm, p->comm, sizeof(c->comm));
	if (!c->parent_key && bidx_charge(x, strlen(p->key) + 1))
		c->parent_key = strdup(p->key);
}

static size_t args_size(json_t *args)
{
	size_t i, n = 0;
	json_t *a;

	json_array_foreach(args, i, a)
		n += json_string_length(a) + 64;
	return n;
}

static void add_exec(struct bidx *x, struct bproc *p, json_t *ev, json_t *proc)
{
	const char *fn = json_string_value(json_object_get(proc, "filename"));
	json_t *args = json_object_get(proc, "args");
	struct bexec *e;

	if (!json_is_array(args))
		args = NULL;
	if (p->nexec >= BIDX_MAX_EXECS ||
	    !bidx_charge(x, sizeof(*e) + (fn ? strlen(fn) : 0) + args_size(args)))
		goto omit;
	e = calloc(1, sizeof(*e));
	if (!e)
		goto omit;
	e->ts_ns = json_integer_value(json_object_get(ev, "ts_ns"));
	e->filename = strdup(fn ? fn : "(unreadable path)");
	e->args = json_incref(args);
	e->error = bidx_intern(x, json_string_value(json_object_get(ev, "error")));
	if (p->exec_tail)
		p->exec_tail->next = e;
	else
		p->execs = e;
	p->exec_tail = e;
	p->nexec++;
	return;
omit:
	p->execs_omitted++;
}

static void add_exit(struct bproc *p, json_t *ev, json_t *proc)
{
	json_t *sig = json_object_get(proc, "signal");
	char buf[32];

	p->exited = true;
	p->end_ns = json_integer_value(json_object_get(ev, "ts_ns"));
	p->exit_code = json_integer_value(json_object_get(proc, "exit_code"));
	p->core_dumped = json_is_true(json_object_get(proc, "core_dumped"));
	free(p->signal);
	p->signal = NULL;
	if (json_is_string(sig)) {
		p->signal = strdup(json_string_value(sig));
	} else if (json_is_integer(sig)) {
		snprintf(buf, sizeof(buf), "signal %lld", json_integer_value(sig));
		p->signal = strdup(buf);
	}
}

void proc_event(struct bidx *x, struct bproc *p, const char *type, json_t *ev)
{
	json_t *proc = json_object_get(ev, "process");

	if (!strcmp(type, "process.fork"))
		add_fork(x, p, proc);
	else if (!strcmp(type, "process.exec"))
		add_exec(x, p, ev, proc);
	else if (!strcmp(type, "process.exit"))
		add_exit(p, ev, proc);
}

void proc_free(void *ptr)
{
	struct bproc *p = ptr;
	struct bexec *e, *next;

	for (e = p->execs; e; e = next) {
		next = e->next;
		free(e->filename);
		json_decref(e->args);
		free(e);
	}
	free(p->parent_key);
	free(p->signal);
	free(p);
}

static int by_start_desc(const void *a, const void *b)
{
	const struct bproc *p = *(struct bproc *const *)a, *q = *(struct bproc *const *)b;

	if (p->start_ns != q->start_ns)
		return p->start_ns < q->start_ns ? 1 : -1;
	return p->order < q->order ? 1 : -1;
}

void bidx_tree(struct bidx *x)
{
	struct bproc **sorted, *p, *parent;
	size_t i;

	x->roots = NULL;
	for (i = 0; i < x->nproc; i++)
		x->proc[i]->parent = x->proc[i]->child = x->proc[i]->sibling = NULL;
	if (!x->nproc)
		return;
	sorted = malloc(x->nproc * sizeof(*sorted));
	if (!sorted)
		return;
	memcpy(sorted, x->proc, x->nproc * sizeof(*sorted));
	qsort(sorted, x->nproc, sizeof(*sorted), by_start_desc);
	/* Prepending in descending start order leaves every list ascending. */
	for (i = 0; i < x->nproc; i++) {
		p = sorted[i];
		parent = p->parent_key ? smap_get(&x->procs, p->parent_key) : NULL;
		/* A parent is always seen first; anything else (a crafted file) is a root. */
		if (parent && parent->order >= p->order)
			parent = NULL;
		p->parent = parent;
		p->sibling = parent ? parent->child : x->roots;
		if (parent)
			parent->child = p;
		else
			x->roots = p;
	}
	free(sorted);
}

struct bproc *proc_next(struct bproc *p, int *depth)
{
	if (p->child) {
		(*depth)++;
		return p->child;
	}
	while (p && !p->sibling) {
		p = p->parent;
		(*depth)--;
	}
	return p ? p->sibling : NULL;
}

/*
 * Shell-style quoting, so an argument with spaces reads as one.  A quote
 * inside is written '"'"', not '\'': a backslash would be shown escaped.
 */
static size_t quote_arg(char *buf, size_t len, const char *a)
{
	size_t off = 0;

	if (*a && !strpbrk(a, " \t\n'\"\\$`;&|<>*?()[]{}!#~"))
		return snprintf(buf, len, "%s", a);
	off += snprintf(buf, len, "'");
	for (; *a && off < len; a++)
		off += *a == '\'' ? snprintf(buf + off, len - off, "'\"'\"'") :
				    snprintf(buf + off, len - off, "%c", *a);
	if (off < len)
		off += snprintf(buf + off, len - off, "'");
	return off;
}

static const char *base_name(const char *path)
{
	const char *b = path ? strrchr(path, '/') : NULL;

	return b ? b + 1 : path ? path : "";
}

/* The same program name and argv: what one PATH search passes to every attempt. */
static bool same_search(const struct bexec *a, const struct bexec *b)
{
	return !strcmp(base_name(a->filename), base_name(b->filename)) &&
	       (a->args ? b->args && json_equal(a->args, b->args) : !b->args);
}

/* What execvp(3) goes on searching PATH after; not EACCES, which is shown. */
static bool path_miss(const struct bexec *e, const struct bexec *first)
{
	return e->error && (!strcmp(e->error, "ENOENT") || !strcmp(e->error, "ENOTDIR")) &&
	       same_search(e, first);
}

const struct bexec *bexec_fold(const struct bexec *e, unsigned int *misses)
{
	const char *base = base_name(e->filename);
	const struct bexec *n = e;
	unsigned int k = 0;

	*misses = 0;
	while (n && path_miss(n, e)) {
		k++;
		n = n->next;
	}
	if (!k || !n || n->error || !same_search(n, e) || !*base)
		return e;
	*misses = k;
	return n;
}

void exec_cmdline(const struct bexec *e, char *buf, size_t len)
{
	size_t off = 0, i;
	json_t *a;

	buf[0] = '\0';
	if (!json_array_size(e->args)) {
		snprintf(buf, len, "%s", e->filename);
		return;
	}
	json_array_foreach(e->args, i, a) {
		if (off >= len)
			break;
		if (i)
			off += snprintf(buf + off, len - off, " ");
		if (off < len && json_is_string(a))
			off += quote_arg(buf + off, len - off, json_string_value(a));
	}
}

static json_t *exec_json(struct bidx *x, const struct bexec *e)
{
	char t[48];
	json_t *o;

	bidx_time(x, e->ts_ns, t, sizeof(t));
	o = json_pack("{sssosO}", "time", t, "filename", json_text(e->filename),
		      "args", e->args ? e->args : json_null());
	if (o && e->error)
		json_object_set_new(o, "error", json_string(e->error));
	return o;
}

static json_t *proc_json(struct bidx *x, const struct bproc *p)
{
	json_t *o, *execs = json_array(), *kids = json_array(), *exit = json_null();
	const struct bexec *e;
	const struct bproc *c;
	char start[48], end[48];

	for (e = p->execs; e; e = e->next)
		json_array_append_new(execs, exec_json(x, e));
	for (c = p->child; c; c = c->sibling)
		json_array_append_new(kids, json_string(c->key));
	if (p->exited && p->signal)
		exit = json_pack("{sosb}", "signal", json_text(p->signal), "core_dumped", p->core_dumped);
	else if (p->exited)
		exit = json_pack("{sI}", "exit_code", (json_int_t)p->exit_code);
	bidx_time(x, p->start_ns, start, sizeof(start));
	bidx_time(x, p->end_ns, end, sizeof(end));
	o = json_pack("{sssIsIsososIsssIsosIsosIsIsIso}",
		      "key", p->key, "pid", (json_int_t)p->pid, "ppid", (json_int_t)p->ppid,
		      "parent", p->parent ? json_string(p->parent->key) : json_null(),
		      "comm", json_text(p->comm), "uid", (json_int_t)p->uid,
		      "start", start, "start_ns", (json_int_t)p->start_ns,
		      "end", p->exited ? json_string(end) : json_null(),
		      "end_ns", (json_int_t)p->end_ns, "exit", exit,
		      "events", (json_int_t)p->events, "notable", (json_int_t)p->notable,
		      "execs_omitted", (json_int_t)p->execs_omitted, "execs", execs);
	if (o)
		json_object_set_new(o, "children", kids);
	else
		json_decref(kids);
	return o;
}

int tree_write_json(struct bidx *x, FILE *f)
{
	struct bproc *p;
	int depth = 0;
	bool first = true;
	json_t *o;

	fprintf(f, "{\"format\":1,\"processes\":[");
	for (p = x->roots; p; p = proc_next(p, &depth)) {
		o = proc_json(x, p);
		if (!o)
			return -1;
		fprintf(f, "%s\n", first ? "" : ",");
		json_dumpf(o, f, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(o);
		first = false;
	}
	fprintf(f, "\n],\"roots\":[");
	for (p = x->roots; p; p = p->sibling) {
		json_t *k = json_string(p->key);

		fprintf(f, "%s", p == x->roots ? "" : ",");
		json_dumpf(k, f, JSON_ENCODE_ANY);
		json_decref(k);
	}
	fprintf(f, "],\"omitted_events\":%llu}\n", (unsigned long long)x->procs_omitted);
	return ferror(f) ? -1 : 0;
}

void proc_end_text(const struct bproc *p, char *buf, size_t len)
{
	if (!p->exited)
		snprintf(buf, len, "no exit seen");
	else if (p->signal)
		snprintf(buf, len, "killed by %s%s", p->signal, p->core_dumped ? " (core dumped)" : "");
	else
		snprintf(buf, len, "exit %lld", p->exit_code);
}

int tree_write_text(struct bidx *x, FILE *f)
{
	char start[48], end[48], how[64], cmd[4096];
	const struct bexec *e;
	unsigned int misses;
	struct bproc *p;
	int depth = 0, ind;

	for (p = x->roots; p; p = proc_next(p, &depth)) {
		ind = 2 * (depth < TREE_MAX_INDENT ? depth : TREE_MAX_INDENT);
		bidx_time(x, p->start_ns, start, sizeof(start));
		bidx_time(x, p->end_ns, end, sizeof(end));
		proc_end_text(p, how, sizeof(how));
		/* The key, signal and error names came from the events too. */
		fprintf(f, "%*s%lld ", ind, "", p->pid);
		esc_text(f, p->comm);
		fputs(" [", f);
		esc_text(f, p->key);
		fprintf(f, "] %s -> %s, ", start, p->exited ? end : "?");
		esc_text(f, how);
		fputc('\n', f);
		for (e = p->execs; e; e = e->next) {
			e = bexec_fold(e, &misses);
			exec_cmdline(e, cmd, sizeof(cmd));
			fprintf(f, "%*s  exec ", ind, "");
			esc_text(f, e->filename);
			fprintf(f, ": ");
			esc_text(f, cmd);
			fputs(e->error ? " failed: " : "", f);
			esc_text(f, e->error);
			if (misses)
				fprintf(f, " (after %u PATH %s)", misses, misses == 1 ? "miss" : "misses");
			fputc('\n', f);
		}
		if (p->execs_omitted)
			fprintf(f, "%*s  (%llu more execs not kept)\n", ind, "",
				(unsigned long long)p->execs_omitted);
	}
	if (x->procs_omitted)
		fprintf(f, "(events of %llu processes beyond the cap of %u were not kept)\n",
			(unsigned long long)x->procs_omitted, BIDX_MAX_PROCS);
	return ferror(f) ? -1 : 0;
}
