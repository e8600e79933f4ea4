// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * report.html: one self-contained page (inline CSS and script, no fetches)
 * that stays readable and bounded from one process to tens of thousands:
 * the overview, an activity strip over time where a range is selected to
 * zoom, the findings first, the busiest processes, processes grouped by
 * program, the tree and the summary tables, and a filter box.  A
 * Content-Security-Policy that admits only this page's own style and script
 * (by hash) backs up the escaping: markup slipped into an event could
 * neither run nor load anything.
 */
#include <string.h>

#include "output/esc.h"
#include "bundle/bundle_html.h"
#include "bundle/bundle_out.h"
#include "output/fold.h"

long long html_rel(const struct page *pg, uint64_t ts)
{
	int64_t t = (int64_t)ts - pg->a0;

	if (t < 0)
		return 0;
	return t > (int64_t)pg->span ? (long long)pg->span : (long long)t;
}

void html_span_attrs(const struct page *pg, uint64_t t0, uint64_t t1)
{
	fprintf(pg->f, " data-t0=\"%lld\"", t0 ? html_rel(pg, t0) : 0);
	if (t1)
		fprintf(pg->f, " data-t1=\"%lld\"", html_rel(pg, t1));
}

void html_td(struct page *pg, const char *cls, const char *v)
{
	if (cls)
		fprintf(pg->f, "<td class=\"%s\">", cls);
	else
		fputs("<td>", pg->f);
	esc_html(pg->f, v ? v : "");
	fputs("</td>", pg->f);
}

void html_tdn(struct page *pg, unsigned long long n)
{
	fprintf(pg->f, "<td class=\"num\">%llu</td>", n);
}

void html_table(struct page *pg, const char *id, const char *const *cols)
{
	const char *const *c;
	const char *colon;

	fprintf(pg->f, "<table%s%s%s class=\"rows\"><colgroup>", id ? " id=\"" : "", id ? id : "",
		id ? "\"" : "");
	for (c = cols; *c; c++) {
		colon = strchr(*c, ':');
		fprintf(pg->f, "<col class=\"%.*s\">", colon ? (int)(colon - *c) : 0, *c);
	}
	fputs("</colgroup><thead><tr>", pg->f);
	for (c = cols; *c; c++) {
		colon = strchr(*c, ':');
		fprintf(pg->f, "<th>%s</th>", colon ? colon + 1 : *c);
	}
	fputs("</tr></thead><tbody>\n", pg->f);
}

void html_table_end(struct page *pg)
{
	fputs("</tbody></table><p class=\"nomatch hide\">No row matches.</p>\n", pg->f);
}

void html_more(struct page *pg, unsigned long long n, const char *what, const char *where)
{
	if (n)
		fprintf(pg->f, "<p class=\"more\">%llu more %s: %s has them all.</p>\n", n, what,
			where);
}

void html_life(struct page *pg, uint64_t t0, uint64_t t1, const char *cls)
{
	double x0 = (double)html_rel(pg, t0) * 1000 / pg->span;
	double x1 = (double)(t1 ? html_rel(pg, t1) : (long long)pg->span) * 1000 / pg->span;

	fprintf(pg->f, "<svg class=\"life\" viewBox=\"0 0 1000 10\" preserveAspectRatio=\"none\" "
		"aria-hidden=\"true\"><rect class=\"%s\" x=\"%.1f\" y=\"0\" width=\"%.1f\" "
		"height=\"10\"/></svg>", cls, x0, x1 - x0 < 3 ? 3 : x1 - x0);
}

static int head(struct page *pg)
{
	char css_h[64], js_h[64], cmd[1024];
	struct bexec argv = { .filename = "", .args = meta_get(pg->meta, "command.argv") };

	if (sha256_b64(html_css, html_css_len, css_h, sizeof(css_h)) ||
	    sha256_b64(html_js, html_js_len, js_h, sizeof(js_h)))
		return -1;
	exec_cmdline(&argv, cmd, sizeof(cmd));
	fprintf(pg->f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		"style-src 'sha256-%s'; script-src 'sha256-%s'; base-uri 'none'; form-action 'none'\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<title>procscope report: ", css_h, js_h);
	esc_html_plain(pg->f, json_array_size(argv.args) ? cmd : "attached processes");
	fprintf(pg->f, "</title>\n<style>%s</style>\n</head>\n<body>\n", html_css);
	return 0;
}

static void kv(struct page *pg, const char *k, const char *v)
{
	fprintf(pg->f, "<dt>%s</dt><dd>", k);
	esc_html(pg->f, v ? v : "");
	fputs("</dd>\n", pg->f);
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
	      "placeholder=\"path, PID, program, error...\"><span id=\"filter-status\"></span>"
	      "<span id=\"zoom-status\"></span><button id=\"zoom-reset\" type=\"button\" "
	      "class=\"hide\">Whole run</button></div>\n"
	      "<section id=\"overview\"><h2>Overview</h2><dl class=\"kv\">\n", pg->f);
	kv(pg, "Command", json_array_size(argv.args) ? buf : "(attached to running processes)");
	kv(pg, "Working directory", meta_str(pg->meta, "command.cwd"));
	kv(pg, "Host", meta_str(pg->meta, "host.hostname"));
	kv(pg, "Kernel", meta_str(pg->meta, "host.kernel_release"));
	kv(pg, "Started", meta_str(pg->meta, "start"));
	kv(pg, "Ended", meta_str(pg->meta, "end"));
	v = meta_get(pg->meta, "exit_status");
	snprintf(buf, sizeof(buf), json_is_integer(v) ? "%lld" : "(unknown)", json_integer_value(v));
	kv(pg, "Exit status", buf);
	snprintf(buf, sizeof(buf), "%llu events, %zu processes",
		 (unsigned long long)pg->x->lines, pg->x->nproc);
	kv(pg, "Events", buf);
	kv(pg, "User", meta_str(pg->meta, "user.name"));
	kv(pg, "Boot ID", meta_str(pg->meta, "host.boot_id"));
	kv(pg, "Investigation ID", meta_str(pg->meta, "investigation_id"));
	fputs("</dl></section>\n", pg->f);
}

/* One axis for the strip and every row: the buckets' range, widened to every process's life. */
static void time_axis(struct page *pg)
{
	const struct bdensity *d = &pg->x->density;
	int64_t t0 = (int64_t)pg->x->first_ns, t1 = (int64_t)pg->x->last_ns;
	size_t i;

	if (d->width) {
		t0 = d->base;
		t1 = d->base + (int64_t)(d->used * d->width);
	}
	for (i = 0; i < pg->x->nproc; i++) {
		if (pg->x->proc[i]->end_ns && (int64_t)pg->x->proc[i]->end_ns > t1)
			t1 = (int64_t)pg->x->proc[i]->end_ns;
	}
	pg->a0 = t0;
	pg->span = t1 > t0 ? (uint64_t)(t1 - t0) : 1;
}

static void access_text(unsigned int acc, char *buf, size_t len)
{
	size_t off = 0, i;

	buf[0] = '\0';
	for (i = 0; i < ACC_NAMES && off < len; i++)
		if (acc & (1u << i))
			off += snprintf(buf + off, len - off, "%s%s", off ? " " : "", access_names[i]);
}

static void tally_row(struct page *pg, const struct bitem *it)
{
	fputs("<tr data-f", pg->f);
	html_span_attrs(pg, it->first_ns, it->last_ns ? it->last_ns : it->first_ns);
	fputs(">", pg->f);
}

static void files(struct page *pg)
{
	static const char *const cols[] = { ":Path", "w8:Where", "w8:Access", "w40:Operations",
					    NULL };
	const unsigned int change = ACC_WRITE | ACC_CREATE | ACC_TRUNC | ACC_CHANGE;
	const struct btally *t = &pg->x->files;
	size_t i, shown = 0, lpaths = 0;
	uint64_t lops = 0, lfailed = 0;
	const struct bitem *it;
	char buf[1024];

	fprintf(pg->f, "<section id=\"files-section\"><h2>Files (%zu paths)</h2>\n", t->n);
	html_table(pg, "files-table", cols);
	for (i = 0; i < t->n && shown < HTML_TALLY_ROWS; i++) {
		it = t->items[i];
		/* What every program reads at start: one row, as the timeline folds it. */
		if (!(it->access & change) && fold_loader_path(it->key, tally_failures(it) == it->total)) {
			lpaths++;
			lops += it->total;
			lfailed += tally_failures(it);
			continue;
		}
		shown++;
		tally_row(pg, it);
		html_td(pg, "mono", it->key);
		html_td(pg, NULL, bidx_outside_cwd(pg->x, it->key) ? "outside cwd" : "inside cwd");
		access_text(it->access, buf, sizeof(buf));
		html_td(pg, NULL, buf);
		tally_describe(it, buf, sizeof(buf));
		html_td(pg, NULL, buf);
		fputs("</tr>\n", pg->f);
	}
	if (lpaths) {
		fputs("<tr data-f>", pg->f);
		html_td(pg, "mono", "(dynamic loader and locale files)");
		html_td(pg, NULL, "outside cwd");
		html_td(pg, NULL, "read");
		snprintf(buf, sizeof(buf), "%zu paths, %llu operations (%llu failed); files.json lists each",
			 lpaths, (unsigned long long)lops, (unsigned long long)lfailed);
		html_td(pg, NULL, buf);
		fputs("</tr>\n", pg->f);
	}
	html_table_end(pg);
	html_more(pg, t->n - i, "paths", "files.json");
	fputs("</section>\n", pg->f);
}

static void tally_section(struct page *pg, const char *id, const char *title, const char *col,
			  const struct btally *t, const char *where)
{
	const char *cols[] = { col, "n:Count", "w50:Operations", NULL };
	char buf[1024], tid[64];
	size_t i;

	fprintf(pg->f, "<section id=\"%s-section\"><h2>%s</h2>\n", id, title);
	snprintf(tid, sizeof(tid), "%s-table", id);
	html_table(pg, tid, cols);
	for (i = 0; i < t->n && i < HTML_TALLY_ROWS; i++) {
		tally_row(pg, t->items[i]);
		html_td(pg, "mono", t->items[i]->key);
		html_tdn(pg, t->items[i]->total);
		tally_describe(t->items[i], buf, sizeof(buf));
		html_td(pg, NULL, buf);
		fputs("</tr>\n", pg->f);
	}
	html_table_end(pg);
	html_more(pg, t->n - i, "rows", where);
	fputs("</section>\n", pg->f);
}

static void drops(struct page *pg)
{
	static const char *const cols[] = { ":Counter", "n:Count", NULL };
	json_t *counters = meta_get(pg->x->stats, "counters"), *v;
	const char *name;

	fputs("<section id=\"drops-section\"><h2>Drops and truncation</h2>\n", pg->f);
	if (!counters)
		fputs("<p class=\"bad\">No stats record: the run did not finish, so drops are "
		      "unknown.</p>\n", pg->f);
	html_table(pg, "drops-table", cols);
	json_object_foreach(counters, name, v) {
		fputs("<tr data-f>", pg->f);
		html_td(pg, NULL, name);
		html_tdn(pg, json_integer_value(v));
		fputs("</tr>\n", pg->f);
	}
	fprintf(pg->f, "<tr data-f><td>lines that are not JSON objects</td><td class=\"num\">%llu"
		"</td></tr>\n<tr data-f><td>events left out of the summaries (over their caps)</td>"
		"<td class=\"num\">%llu</td></tr>\n", (unsigned long long)pg->x->unparsed,
		(unsigned long long)(pg->x->files.omitted + pg->x->net.omitted +
				     pg->x->procs_omitted + pg->x->types.omitted));
	html_table_end(pg);
	fputs("</section>\n", pg->f);
}

int html_write(FILE *f, json_t *meta, struct bidx *x)
{
	struct page pg = { .f = f, .x = x, .meta = meta };

	if (head(&pg))
		return -1;
	time_axis(&pg);
	overview(&pg);
	html_strip(&pg);
	/* What matched a rule comes first; without rules, the notable events take its place. */
	if (x->findings.n || x->findings.omitted)
		html_findings(&pg);
	else
		html_notable(&pg);
	html_busiest(&pg);
	html_programs(&pg);
	if (x->findings.n || x->findings.omitted)
		html_notable(&pg);
	html_failures(&pg);
	html_tree(&pg);
	files(&pg);
	tally_section(&pg, "network", "Network endpoints", ":Endpoint", &x->net, "network.json");
	tally_section(&pg, "errors", "Errors by name", ":Error", &x->errors, "events.jsonl");
	tally_section(&pg, "counts", "Event counts", ":Event type", &x->types, "metadata.json");
	drops(&pg);
	fprintf(f, "<script>%s</script>\n</body></html>\n", html_js);
	return ferror(f) ? -1 : 0;
}
