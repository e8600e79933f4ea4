// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * report.html: one self-contained page (inline CSS and script, no fetches)
 * with the overview, a timeline drawn as inline SVG, the process tree and
 * the summary tables, and a filter box.  Every value from an event went
 * through esc_html() (esc_html_plain() in the <title> and inside the SVG,
 * where no markup may go), so an invisible or bidirectional character shows
 * as a marked escape, and a Content-Security-Policy that admits only this
 * page's own style and script (by hash) backs that up: markup slipped into
 * an event could neither run nor load anything.
 */
#include <string.h>

#include "output/esc.h"
#include "bundle/bundle_index.h"
#include "bundle/bundle_out.h"

#define TREE_MAX_NEST  64
#define TL_MAX_ROWS    2000
#define TL_WIDTH       1200
#define TL_LABEL       260
#define TL_ROW         20
#define TL_TOP         28

static const char css[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:0 2em 3em;color:#1d1d1f;background:#fff}"
	"h1{font-size:1.5em;margin:.8em 0 .2em}h2{font-size:1.15em;margin:1.6em 0 .4em;"
	"border-bottom:1px solid #ddd}"
	"table{border-collapse:collapse;margin:.4em 0;max-width:100%}"
	"td,th{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top;"
	"word-break:break-all}th{background:#f3f3f3}"
	"table.kv th{width:12em}code,.mono,td.mono{font-family:ui-monospace,monospace;font-size:12px}"
	".ok{color:#11691f}.bad{color:#b00020;font-weight:600}"
	"#controls{position:sticky;top:0;background:#fff;padding:.5em 0;border-bottom:1px solid #ddd}"
	"#filter{width:28em;font-size:1em;padding:3px 6px}#filter-status{margin-left:1em;color:#555}"
	"ul.tree,ul.tree ul{list-style:none;padding-left:1.2em;margin:0}"
	"ul.tree li{border-left:1px solid #ccc;padding-left:.5em;margin:2px 0}"
	".pid{font-weight:600}.key,.when{color:#666;font-size:12px}"
	".exec{font-family:ui-monospace,monospace;font-size:12px;color:#333;margin-left:1em}"
	"svg{background:#fafafa;border:1px solid #ddd}"
	"svg text{font:11px ui-monospace,monospace;fill:#333}"
	"rect.bar{fill:#4a7dc4}rect.bar.running{fill:#9bb5dc}rect.bar.failed{fill:#c4574a}"
	"line.exec-mark{stroke:#111;stroke-width:1.5}circle.mark{fill:#e0a000;stroke:#6b4c00}"
	"line.axis{stroke:#bbb}.hide{display:none}"
	".esc{font-family:ui-monospace,monospace;font-size:.9em;color:#8a2be2;background:#f1eaff;"
	"border-radius:2px;padding:0 1px}";

static const char js[] =
	"(function(){'use strict';"
	"window.addEventListener('error',function(e){"
	"document.documentElement.setAttribute('data-js-error',String(e.message));});"
	"var box=document.getElementById('filter'),st=document.getElementById('filter-status');"
	"var items=Array.prototype.slice.call(document.querySelectorAll("
	"'table.filterable tbody tr,#process-tree li,#timeline g.row'));"
	"function apply(){var q=box.value.trim().toLowerCase(),n=0;"
	"items.forEach(function(el){var hit=!q||el.textContent.toLowerCase().indexOf(q)>=0;"
	"el.classList.toggle('hide',!hit);if(hit)n++;});"
	"st.textContent=q?n+' of '+items.length+' rows match':'';}"
	"box.addEventListener('input',apply);"
	"document.documentElement.setAttribute('data-ready','1');})();";

struct page {
	FILE *f;
	struct bidx *x;
	json_t *meta;
	uint64_t t0, t1;
};

static void td(struct page *pg, const char *v)
{
	fputs("<td>", pg->f);
	esc_html(pg->f, v ? v : "");
	fputs("</td>", pg->f);
}

static void tdn(struct page *pg, long long n)
{
	fprintf(pg->f, "<td>%lld</td>", n);
}

static void thead(struct page *pg, const char *id, const char *const *cols)
{
	fprintf(pg->f, "<table id=\"%s\" class=\"filterable\"><thead><tr>", id);
	for (; *cols; cols++)
		fprintf(pg->f, "<th>%s</th>", *cols);
	fputs("</tr></thead><tbody>\n", pg->f);
}

static void tend(struct page *pg, size_t shown, size_t total, const char *where)
{
	fputs("</tbody></table>\n", pg->f);
	if (total > shown)
		fprintf(pg->f, "<p>%zu more rows in %s.</p>\n", total - shown, where);
}

static void kv(struct page *pg, const char *k, const char *v)
{
	fprintf(pg->f, "<tr><th>%s</th>", k);
	td(pg, v ? v : "");
	fputs("</tr>\n", pg->f);
}

static int head(struct page *pg)
{
	char css_h[64], js_h[64], cmd[1024];
	struct bexec argv = { .filename = "", .args = meta_get(pg->meta, "command.argv") };

	if (sha256_b64(css, sizeof(css) - 1, css_h, sizeof(css_h)) ||
	    sha256_b64(js, sizeof(js) - 1, js_h, sizeof(js_h)))
		return -1;
	exec_cmdline(&argv, cmd, sizeof(cmd));
	fprintf(pg->f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		"style-src 'sha256-%s'; script-src 'sha256-%s'; base-uri 'none'; form-action 'none'\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<title>procscope report: ", css_h, js_h);
	esc_html_plain(pg->f, json_array_size(argv.args) ? cmd : "attached processes");
	fprintf(pg->f, "</title>\n<style>%s</style>\n</head>\n<body>\n", css);
	return 0;
}

static void overview(struct page *pg)
{
	struct bexec argv = { .filename = "", .args = meta_get(pg->meta, "command.argv") };
	char buf[4096];
	json_t *v;
	bool ok = json_is_true(meta_get(pg->meta, "complete"));

	exec_cmdline(&argv, buf, sizeof(buf));
	fputs("<header><h1>procscope report</h1>", pg->f);
	capture_verdict(pg->meta, pg->x, buf + 2048, 2048);
	fprintf(pg->f, "<p id=\"verdict\" class=\"%s\">", ok ? "ok" : "bad");
	esc_html(pg->f, buf + 2048);
	fputs("</p></header>\n<div id=\"controls\"><label for=\"filter\">Filter</label> "
	      "<input id=\"filter\" type=\"search\" autocomplete=\"off\" "
	      "placeholder=\"path, PID, program, error...\"><span id=\"filter-status\"></span></div>\n"
	      "<section id=\"overview\"><h2>Overview</h2><table class=\"kv\">\n", pg->f);
	kv(pg, "Command", json_array_size(argv.args) ? buf : "(attached to running processes)");
	kv(pg, "Working directory", meta_str(pg->meta, "command.cwd"));
	kv(pg, "Host", meta_str(pg->meta, "host.hostname"));
	kv(pg, "Kernel", meta_str(pg->meta, "host.kernel_release"));
	kv(pg, "Boot ID", meta_str(pg->meta, "host.boot_id"));
	kv(pg, "User", meta_str(pg->meta, "user.name"));
	kv(pg, "Started", meta_str(pg->meta, "start"));
	kv(pg, "Ended", meta_str(pg->meta, "end"));
	v = meta_get(pg->meta, "exit_status");
	snprintf(buf, sizeof(buf), json_is_integer(v) ? "%lld" : "(unknown)", json_integer_value(v));
	kv(pg, "Exit status", buf);
	kv(pg, "Investigation ID", meta_str(pg->meta, "investigation_id"));
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)pg->x->lines);
	kv(pg, "Events", buf);
	fputs("</table></section>\n", pg->f);
}

static double xpos(struct page *pg, uint64_t t)
{
	if (t < pg->t0)
		t = pg->t0;
	if (t > pg->t1)
		t = pg->t1;
	return TL_LABEL + (double)(t - pg->t0) * (TL_WIDTH - TL_LABEL - 40) / (pg->t1 - pg->t0);
}

static void time_range(struct page *pg)
{
	size_t i;

	pg->t0 = pg->x->first_ns;
	pg->t1 = pg->x->last_ns;
	for (i = 0; i < pg->x->nproc; i++)
		if (pg->x->proc[i]->end_ns > pg->t1)
			pg->t1 = pg->x->proc[i]->end_ns;
	if (pg->t1 <= pg->t0)
		pg->t1 = pg->t0 + 1;
}

static void bar(struct page *pg, struct bproc *p, int row)
{
	double x0 = xpos(pg, p->start_ns), x1 = xpos(pg, p->exited ? p->end_ns : pg->t1);
	double y = TL_TOP + row * TL_ROW;
	bool failed = p->exited && (p->signal || p->exit_code);
	char how[64], t0[32], t1[32], cmd[512];
	const struct bexec *e;

	p->row = row;
	proc_end_text(p, how, sizeof(how));
	view_times(pg->x, p->start_ns, t0, sizeof(t0));
	view_times(pg->x, p->end_ns, t1, sizeof(t1));
	fprintf(pg->f, "<g class=\"row\"><title>%lld ", p->pid);
	esc_html_plain(pg->f, p->comm);
	fprintf(pg->f, " %s to %s, ", t0, p->exited ? t1 : "end");
	esc_html_plain(pg->f, how);
	fprintf(pg->f, "</title><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%lld ",
		TL_LABEL - 6, y + 11, p->pid);
	esc_html_plain(pg->f, p->comm);
	fprintf(pg->f, "</text><rect class=\"bar%s\" data-key=\"", !p->exited ? " running" :
		failed ? " failed" : "");
	esc_html_plain(pg->f, p->key);
	fprintf(pg->f, "\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"12\"/>",
		x0, y + 2, x1 - x0 < 2 ? 2 : x1 - x0);
	for (e = p->execs; e; e = e->next) {
		exec_cmdline(e, cmd, sizeof(cmd));
		fprintf(pg->f, "<line class=\"exec-mark\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
			"y2=\"%.1f\"><title>exec ", xpos(pg, e->ts_ns), xpos(pg, e->ts_ns), y, y + 16);
		esc_html_plain(pg->f, cmd);
		fputs(e->error ? " failed: " : "", pg->f);
		esc_html_plain(pg->f, e->error ? e->error : "");
		fputs("</title></line>", pg->f);
	}
	fputs("</g>\n", pg->f);
}

static void marks(struct page *pg)
{
	const struct bkept *k = &pg->x->notable;
	struct event_view v;
	struct bproc *p;
	const char *key;
	size_t i;

	for (i = 0; i < k->n; i++) {
		if (!event_view(k->lines[i], &v))
			continue;
		key = json_string_value(json_object_get(v.ev, "key"));
		p = key ? smap_get(&pg->x->procs, key) : NULL;
		if (p && p->row >= 0) {
			fprintf(pg->f, "<circle class=\"mark\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"><title>",
				xpos(pg, json_integer_value(json_object_get(v.ev, "ts_ns"))),
				TL_TOP + p->row * TL_ROW + 8.0);
			esc_html_plain(pg->f, v.time);
			fputc(' ', pg->f);
			esc_html_plain(pg->f, v.type);
			fputc(' ', pg->f);
			esc_html_plain(pg->f, v.result);
			fputc(' ', pg->f);
			esc_html_plain(pg->f, v.subject[0] ? v.subject : v.details);
			fputs("</title></circle>\n", pg->f);
		}
		event_view_free(&v);
	}
}

static void axis(struct page *pg, int height)
{
	char t[32];
	int i;

	for (i = 0; i <= 4; i++) {
		uint64_t ts = pg->t0 + (pg->t1 - pg->t0) / 4 * i;
		double x = xpos(pg, ts);

		view_times(pg->x, ts, t, sizeof(t));
		fprintf(pg->f, "<line class=\"axis\" x1=\"%.1f\" x2=\"%.1f\" y1=\"18\" y2=\"%d\"/>"
			"<text x=\"%.1f\" y=\"12\" text-anchor=\"middle\">%s</text>\n",
			x, x, height, x, t);
	}
}

static void timeline(struct page *pg)
{
	size_t rows = pg->x->nproc < TL_MAX_ROWS ? pg->x->nproc : TL_MAX_ROWS, i;
	int height = TL_TOP + (int)rows * TL_ROW + 8, depth = 0, row = 0;
	struct bproc *p;

	time_range(pg);
	for (i = 0; i < pg->x->nproc; i++)
		pg->x->proc[i]->row = -1;
	fprintf(pg->f, "<section id=\"timeline-section\"><h2>Timeline</h2>\n<p>One bar per process "
		"from its start to its exit; ticks mark program executions, dots the notable "
		"events. Times are from the first event.</p>\n<svg id=\"timeline\" "
		"xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" "
		"role=\"img\" aria-label=\"timeline of %zu processes\">\n", TL_WIDTH, height,
		TL_WIDTH, rows);
	axis(pg, height);
	for (p = pg->x->roots; p && row < (int)rows; p = proc_next(p, &depth))
		bar(pg, p, row++);
	marks(pg);
	fputs("</svg>\n", pg->f);
	if (pg->x->nproc > rows)
		fprintf(pg->f, "<p>%zu more processes are in the tree below.</p>\n", pg->x->nproc - rows);
	fputs("</section>\n", pg->f);
}

static void tree_item(struct page *pg, struct bproc *p)
{
	char how[64], t0[32], t1[32], cmd[4096];
	const struct bexec *e;

	proc_end_text(p, how, sizeof(how));
	view_times(pg->x, p->start_ns, t0, sizeof(t0));
	view_times(pg->x, p->end_ns, t1, sizeof(t1));
	fprintf(pg->f, "<span class=\"pid\">%lld</span> <span class=\"comm\">", p->pid);
	esc_html(pg->f, p->comm);
	fputs("</span> <span class=\"key\">", pg->f);
	esc_html(pg->f, p->key);
	fprintf(pg->f, "</span> <span class=\"when\">%s to %s</span> <span class=\"%s\">",
		t0, p->exited ? t1 : "end", p->exited && (p->signal || p->exit_code) ? "bad" : "ok");
	esc_html(pg->f, how);
	fputs("</span>", pg->f);
	for (e = p->execs; e; e = e->next) {
		exec_cmdline(e, cmd, sizeof(cmd));
		fputs("<div class=\"exec\">exec ", pg->f);
		esc_html(pg->f, e->filename);
		fputs(": ", pg->f);
		esc_html(pg->f, cmd);
		if (e->error) {
			fputs(" <span class=\"bad\">failed: ", pg->f);
			esc_html(pg->f, e->error);
			fputs("</span>", pg->f);
		}
		fputs("</div>", pg->f);
	}
}

static void tree(struct page *pg)
{
	int depth = 0, cur = 0, eff;
	struct bproc *p;
	bool first = true;

	fputs("<section id=\"tree-section\"><h2>Process tree</h2>\n<ul id=\"process-tree\" "
	      "class=\"tree\">\n", pg->f);
	for (p = pg->x->roots; p; p = proc_next(p, &depth)) {
		eff = depth < TREE_MAX_NEST ? depth : TREE_MAX_NEST;
		if (first)
			fputs("<li>", pg->f);
		else if (eff > cur)
			fputs("<ul><li>", pg->f);
		else
			for (fputs("</li>", pg->f); cur > eff; cur--)
				fputs("</ul></li>", pg->f);
		if (!first && eff <= cur)
			fputs("\n<li>", pg->f);
		cur = eff;
		first = false;
		tree_item(pg, p);
	}
	if (!first)
		fputs("</li>", pg->f);
	for (; cur > 0; cur--)
		fputs("</ul></li>", pg->f);
	fputs("\n</ul></section>\n", pg->f);
}

static void events_section(struct page *pg, const char *id, const char *title,
			   const struct bkept *k, const char *where)
{
	static const char *const cols[] = { "Time", "PID", "Process", "Event", "Result", "On",
					    "Details", NULL };
	struct event_view v;
	char tid[64];
	size_t i;

	fprintf(pg->f, "<section id=\"%s-section\"><h2>%s</h2>\n", id, title);
	if (!k->n && !k->omitted) {
		fputs("<p>None.</p></section>\n", pg->f);
		return;
	}
	snprintf(tid, sizeof(tid), "%s-table", id);
	thead(pg, tid, cols);
	for (i = 0; i < k->n && i < HTML_MAX_ROWS; i++) {
		if (!event_view(k->lines[i], &v))
			continue;
		fputs("<tr>", pg->f);
		td(pg, v.time);
		tdn(pg, v.pid);
		td(pg, v.comm);
		td(pg, v.type);
		td(pg, v.result);
		td(pg, v.subject);
		td(pg, v.details);
		fputs("</tr>\n", pg->f);
		event_view_free(&v);
	}
	tend(pg, i, k->n, where);
	if (k->omitted)
		fprintf(pg->f, "<p>%llu more were not kept (over the cap); events.jsonl has them "
			"all.</p>\n", (unsigned long long)k->omitted);
	fputs("</section>\n", pg->f);
}

static void access_text(unsigned int acc, char *buf, size_t len)
{
	size_t off = 0, i;

	buf[0] = '\0';
	for (i = 0; i < ACC_NAMES && off < len; i++)
		if (acc & (1u << i))
			off += snprintf(buf + off, len - off, "%s%s", off ? " " : "", access_names[i]);
}

static void files(struct page *pg)
{
	static const char *const cols[] = { "Path", "Where", "Access", "Operations", NULL };
	const struct btally *t = &pg->x->files;
	const struct bitem *it;
	char buf[1024];
	size_t i;

	fprintf(pg->f, "<section id=\"files-section\"><h2>Files (%zu paths)</h2>\n", t->n);
	thead(pg, "files-table", cols);
	for (i = 0; i < t->n && i < HTML_MAX_ROWS; i++) {
		it = t->items[i];
		fputs("<tr>", pg->f);
		td(pg, it->key);
		td(pg, bidx_outside_cwd(pg->x, it->key) ? "outside cwd" : "inside cwd");
		access_text(it->access, buf, sizeof(buf));
		td(pg, buf);
		tally_describe(it, buf, sizeof(buf));
		td(pg, buf);
		fputs("</tr>\n", pg->f);
	}
	tend(pg, i, t->n, "files.json");
	fputs("</section>\n", pg->f);
}

static void tally_section(struct page *pg, const char *id, const char *title, const char *col,
			  const struct btally *t, const char *where)
{
	const char *cols[] = { col, "Count", "Operations", NULL };
	char buf[1024], tid[64];
	size_t i;

	fprintf(pg->f, "<section id=\"%s-section\"><h2>%s</h2>\n", id, title);
	snprintf(tid, sizeof(tid), "%s-table", id);
	thead(pg, tid, cols);
	for (i = 0; i < t->n && i < HTML_MAX_ROWS; i++) {
		fputs("<tr>", pg->f);
		td(pg, t->items[i]->key);
		tdn(pg, t->items[i]->total);
		tally_describe(t->items[i], buf, sizeof(buf));
		td(pg, buf);
		fputs("</tr>\n", pg->f);
	}
	tend(pg, i, t->n, where);
	fputs("</section>\n", pg->f);
}

static void drops(struct page *pg)
{
	static const char *const cols[] = { "Counter", "Count", NULL };
	json_t *counters = meta_get(pg->x->stats, "counters"), *v;
	const char *name;

	fputs("<section id=\"drops-section\"><h2>Drops and truncation</h2>\n", pg->f);
	if (!counters)
		fputs("<p class=\"bad\">No stats record: the run did not finish, so drops are "
		      "unknown.</p>\n", pg->f);
	thead(pg, "drops-table", cols);
	json_object_foreach(counters, name, v) {
		fputs("<tr>", pg->f);
		td(pg, name);
		tdn(pg, json_integer_value(v));
		fputs("</tr>\n", pg->f);
	}
	fprintf(pg->f, "<tr><td>lines that are not JSON objects</td><td>%llu</td></tr>\n"
		"<tr><td>events left out of the summaries (over their caps)</td><td>%llu</td></tr>\n",
		(unsigned long long)pg->x->unparsed,
		(unsigned long long)(pg->x->files.omitted + pg->x->net.omitted +
				     pg->x->procs_omitted + pg->x->types.omitted));
	tend(pg, 0, 0, "");
	fputs("</section>\n", pg->f);
}

int html_write(FILE *f, json_t *meta, struct bidx *x)
{
	struct page pg = { .f = f, .x = x, .meta = meta };

	if (head(&pg))
		return -1;
	overview(&pg);
	timeline(&pg);
	tree(&pg);
	events_section(&pg, "notable", "Privilege, namespace, mount, process-access and kernel "
		       "events", &x->notable, "notable.json");
	files(&pg);
	tally_section(&pg, "network", "Network endpoints", "Endpoint", &x->net, "network.json");
	events_section(&pg, "failures", "Failures worth noticing", &x->failures, "events.jsonl");
	tally_section(&pg, "errors", "Errors by name", "Error", &x->errors, "events.jsonl");
	drops(&pg);
	tally_section(&pg, "counts", "Event counts", "Event type", &x->types, "metadata.json");
	fprintf(f, "<script>%s</script>\n</body></html>\n", js);
	return ferror(f) ? -1 : 0;
}
