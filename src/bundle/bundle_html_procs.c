// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Processes in report.html: the busiest few in sight at the top, then one
 * collapsible group per program (the busiest program first, its busiest
 * processes first), then the tree.  A run of ten thousand processes is a
 * few hundred groups, not ten thousand rows in a row; every cap says how
 * much it left out and where the rest is.
 */
#include <stdlib.h>
#include <string.h>

#include "output/esc.h"
#include "bundle/bundle_html.h"
#include "bundle/bundle_out.h"

#define CMD_LEN 600

struct group {
	const char *program;      /* an exec'd file name, or the comm of a program never exec'd */
	bool by_comm;
	struct bproc **procs;
	size_t n, cap;
	uint64_t events, failed, running;
	size_t order;             /* first process seen: a stable tie-break */
};

static bool failed(const struct bproc *p)
{
	return p->exited && (p->signal || p->exit_code);
}

static const struct bexec *last_exec(const struct bproc *p, uint64_t before)
{
	const struct bexec *e, *found = NULL;

	for (e = p->execs; e; e = e->next)
		if (!e->error && (!before || e->ts_ns <= before))
			found = e;
	return found;
}

/* What a process runs: its last exec, else what its nearest ancestor had run when it forked. */
static const char *program_of(const struct bproc *p, bool *by_comm)
{
	const struct bexec *e = last_exec(p, 0);
	const struct bproc *q;
	int hops = 0;

	for (q = p->parent; !e && q && hops < 4096; q = q->parent, hops++)
		e = last_exec(q, p->start_ns);
	*by_comm = !e;
	return e ? e->filename : p->comm;
}

static int by_events(const void *a, const void *b)
{
	const struct bproc *p = *(struct bproc *const *)a, *q = *(struct bproc *const *)b;

	if (p->events != q->events)
		return p->events > q->events ? -1 : 1;
	return p->order < q->order ? -1 : p->order > q->order;
}

static int by_group_events(const void *a, const void *b)
{
	const struct group *g = *(struct group *const *)a, *h = *(struct group *const *)b;

	if (g->events != h->events)
		return g->events > h->events ? -1 : 1;
	return g->order < h->order ? -1 : g->order > h->order;
}

static void proc_row(struct page *pg, const struct bproc *p, bool program)
{
	const struct bexec *e = last_exec(p, 0);
	char how[64], buf[CMD_LEN], t0[32], t1[32];
	bool by_comm;

	fputs("<tr data-f data-key=\"", pg->f);
	esc_html_plain(pg->f, p->key);
	fputc('"', pg->f);
	html_span_attrs(pg, p->start_ns, p->exited ? p->end_ns : 0);
	fprintf(pg->f, "><td class=\"num\">%lld</td><td>", p->pid);
	esc_html(pg->f, p->comm);
	fputs(" <span class=\"key\">", pg->f);
	esc_html(pg->f, p->key);
	fputs("</span></td>", pg->f);
	if (program)
		html_td(pg, "mono", program_of(p, &by_comm));
	fputs("<td>", pg->f);
	html_life(pg, p->start_ns, p->exited ? p->end_ns : 0,
		  !p->exited ? "running" : failed(p) ? "failed" : "ok");
	view_times(pg->x, p->start_ns, t0, sizeof(t0));
	view_times(pg->x, p->end_ns, t1, sizeof(t1));
	fprintf(pg->f, "<span class=\"when\">%s to %s</span></td>", t0, p->exited ? t1 : "end");
	html_tdn(pg, p->events);
	proc_end_text(p, how, sizeof(how));
	html_td(pg, failed(p) ? "bad" : NULL, how);
	if (!e) {
		fputs("<td class=\"more\">(no exec: its parent's program)</td>", pg->f);
	} else {
		exec_cmdline(e, buf, sizeof(buf));
		cut_utf8(buf, sizeof(buf));
		html_td(pg, "mono", buf);
	}
	fputs("</tr>\n", pg->f);
}

static const char *const proc_cols[] = { "pid:PID", "proc:Process", "life:Lifetime",
					 "n:Events", "exit:Ended", ":Command", NULL };
static const char *const busy_cols[] = { "pid:PID", "proc:Process", "prog:Program",
					 "life:Lifetime", "n:Events", "exit:Ended", ":Command",
					 NULL };

void html_busiest(struct page *pg)
{
	struct bproc **sorted = malloc((pg->x->nproc ? pg->x->nproc : 1) * sizeof(*sorted));
	size_t i;

	fputs("<section id=\"busiest-section\"><h2>Busiest processes</h2>\n", pg->f);
	if (!sorted || !pg->x->nproc) {
		fputs("<p>None.</p></section>\n", pg->f);
		free(sorted);
		return;
	}
	memcpy(sorted, pg->x->proc, pg->x->nproc * sizeof(*sorted));
	qsort(sorted, pg->x->nproc, sizeof(*sorted), by_events);
	html_table(pg, "busiest", busy_cols);
	for (i = 0; i < pg->x->nproc && i < HTML_BUSIEST; i++)
		proc_row(pg, sorted[i], true);
	html_table_end(pg);
	fputs("</section>\n", pg->f);
	free(sorted);
}

static struct group *group_of(struct smap *m, const struct bproc *p)
{
	bool by_comm;
	const char *prog = program_of(p, &by_comm);
	char key[4200];
	struct group *g;

	/* A comm and a file name never share a group. */
	snprintf(key, sizeof(key), "%c%s", by_comm ? 'c' : 'f', prog);
	g = smap_get(m, key);
	if (g)
		return g;
	g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	g->program = prog;
	g->by_comm = by_comm;
	g->order = p->order;
	if (!smap_put(m, key, g)) {
		free(g);
		return NULL;
	}
	return g;
}

static bool group_add(struct group *g, struct bproc *p)
{
	struct bproc **list;

	if (g->n == g->cap) {
		list = realloc(g->procs, (g->cap ? g->cap * 2 : 8) * sizeof(*list));
		if (!list)
			return false;
		g->procs = list;
		g->cap = g->cap ? g->cap * 2 : 8;
	}
	g->procs[g->n++] = p;
	g->events += p->events;
	g->failed += failed(p);
	g->running += !p->exited;
	return true;
}

static void group_free(void *v)
{
	struct group *g = v;

	free(g->procs);
	free(g);
}

static void group_section(struct page *pg, struct group *g, bool open, size_t *budget)
{
	size_t rows = g->n < HTML_GROUP_ROWS ? g->n : HTML_GROUP_ROWS, i;

	if (rows > *budget)
		rows = *budget;
	*budget -= rows;
	qsort(g->procs, g->n, sizeof(*g->procs), by_events);
	fprintf(pg->f, "<details class=\"group\"%s><summary><span class=\"prog\">", open ? " open" : "");
	if (g->by_comm)
		fputs("(not exec'd) ", pg->f);
	esc_html(pg->f, g->program);
	fprintf(pg->f, "</span> <span class=\"cnt\">%zu process%s, %llu events", g->n,
		g->n == 1 ? "" : "es", (unsigned long long)g->events);
	if (g->failed)
		fprintf(pg->f, ", <span class=\"bad\">%llu failed</span>",
			(unsigned long long)g->failed);
	if (g->running)
		fprintf(pg->f, ", %llu without an exit", (unsigned long long)g->running);
	fputs("</span> <span class=\"shown\"></span></summary>\n", pg->f);
	html_table(pg, NULL, proc_cols);
	for (i = 0; i < rows; i++)
		proc_row(pg, g->procs[i], false);
	html_table_end(pg);
	html_more(pg, g->n - rows, "processes of this program", "process-tree.json");
	fputs("</details>\n", pg->f);
}

void html_programs(struct page *pg)
{
	struct smap m = { 0 };
	struct group **groups = NULL, *g;
	size_t ng = 0, i, budget = HTML_PROC_ROWS;
	unsigned long long left = 0;

	fputs("<section id=\"programs-section\"><h2>Processes by program</h2>\n", pg->f);
	for (i = 0; i < pg->x->nproc; i++) {
		g = group_of(&m, pg->x->proc[i]);
		if (!g || !group_add(g, pg->x->proc[i]))
			goto fail;
	}
	groups = malloc((m.n ? m.n : 1) * sizeof(*groups));
	if (!groups)
		goto fail;
	for (i = 0; i < m.nslots; i++) {
		struct smap_ent *e;

		for (e = m.slots[i]; e; e = e->next)
			groups[ng++] = e->val;
	}
	qsort(groups, ng, sizeof(*groups), by_group_events);
	fprintf(pg->f, "<p>%zu programs, the busiest first.</p>\n<div id=\"programs\">\n", ng);
	for (i = 0; i < ng && i < HTML_GROUPS; i++)
		group_section(pg, groups[i], i == 0, &budget);
	for (; i < ng; i++)
		left += groups[i]->n;
	fputs("</div>\n", pg->f);
	if (ng > HTML_GROUPS)
		fprintf(pg->f, "<p class=\"more\">%zu more programs with %llu processes: "
			"process-tree.json has them all.</p>\n", ng - HTML_GROUPS, left);
	goto done;
fail:
	fputs("<p class=\"bad\">Out of memory grouping the processes: process-tree.json has "
	      "them all.</p>\n", pg->f);
done:
	fputs("</section>\n", pg->f);
	free(groups);
	smap_free(&m, group_free);
}

static void tree_item(struct page *pg, struct bproc *p)
{
	char how[64], t0[32], t1[32], cmd[CMD_LEN];
	const struct bexec *e;
	unsigned int misses;

	fputs("<div class=\"it\"><span class=\"pid\">", pg->f);
	fprintf(pg->f, "%lld</span> ", p->pid);
	esc_html(pg->f, p->comm);
	fputs(" <span class=\"key\">", pg->f);
	esc_html(pg->f, p->key);
	view_times(pg->x, p->start_ns, t0, sizeof(t0));
	view_times(pg->x, p->end_ns, t1, sizeof(t1));
	proc_end_text(p, how, sizeof(how));
	fprintf(pg->f, "</span> <span class=\"when\">%s to %s</span> <span class=\"%s\">",
		t0, p->exited ? t1 : "end", failed(p) ? "bad" : "ok");
	esc_html(pg->f, how);
	fprintf(pg->f, "</span> <span class=\"n\">%llu events</span>", (unsigned long long)p->events);
	for (e = p->execs; e; e = e->next) {
		e = bexec_fold(e, &misses);
		exec_cmdline(e, cmd, sizeof(cmd));
		cut_utf8(cmd, sizeof(cmd));
		fputs("<div class=\"exec\">exec ", pg->f);
		esc_html(pg->f, e->filename);
		fputs(": ", pg->f);
		esc_html(pg->f, cmd);
		if (e->error) {
			fputs(" <span class=\"bad\">failed: ", pg->f);
			esc_html(pg->f, e->error);
			fputs("</span>", pg->f);
		}
		if (misses)
			fprintf(pg->f, " <span class=\"more\">(after %u PATH %s)</span>", misses,
				misses == 1 ? "miss" : "misses");
		fputs("</div>", pg->f);
	}
	fputs("</div>", pg->f);
}

static void tree_open_item(struct page *pg, struct bproc *p, int depth)
{
	fputs("<li data-f data-key=\"", pg->f);
	esc_html_plain(pg->f, p->key);
	fputc('"', pg->f);
	html_span_attrs(pg, p->start_ns, p->exited ? p->end_ns : 0);
	if (depth >= HTML_TREE_NEST)
		fprintf(pg->f, " data-depth=\"%d\"", depth);
	fputs(">", pg->f);
	tree_item(pg, p);
}

void html_tree(struct page *pg)
{
	int depth = 0, cur = 0, eff;
	size_t n = 0;
	struct bproc *p;
	bool first = true;

	fprintf(pg->f, "<section id=\"tree-section\"><h2>Process tree</h2>\n<details id=\"tree\"%s>"
		"<summary>%zu processes by parent, in order of start</summary>\n<ul id=\"process-tree\" "
		"class=\"tree\">\n", pg->x->nproc <= HTML_TREE_OPEN ? " open" : "", pg->x->nproc);
	for (p = pg->x->roots; p && n < HTML_TREE_ROWS; p = proc_next(p, &depth), n++) {
		/* Deeper than the page can indent: listed flat, its depth said. */
		eff = depth < HTML_TREE_NEST ? depth : HTML_TREE_NEST;
		if (!first && eff > cur)
			fputs("<ul>", pg->f);
		else if (!first)
			for (fputs("</li>\n", pg->f); cur > eff; cur--)
				fputs("</ul></li>\n", pg->f);
		cur = eff;
		first = false;
		tree_open_item(pg, p, depth);
	}
	if (!first)
		fputs("</li>", pg->f);
	for (; cur > 0; cur--)
		fputs("</ul></li>", pg->f);
	fputs("\n</ul></details>\n", pg->f);
	html_more(pg, pg->x->nproc - n, "processes", "process-tree.txt");
	fputs("</section>\n", pg->f);
}
