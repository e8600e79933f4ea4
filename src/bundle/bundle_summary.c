// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * summary.md (and `report --format text`): what ran, what it touched outside
 * its working directory, every notable act, every endpoint, the failures
 * worth a look and everything that was dropped.  The text flavor is the same
 * page with terminal-safe rather than Markdown escaping.
 */
#include <string.h>

#include "output/esc.h"
#include "bundle/bundle_index.h"
#include "bundle/bundle_out.h"
#include "output/fold.h"

struct sum {
	FILE *f;
	enum summary_flavor flavor;
};

static void val(struct sum *s, const char *v)
{
	if (s->flavor == SUMMARY_MD)
		esc_md(s->f, v ? v : "");
	else
		esc_text(s->f, v ? v : "");
}

static void head(struct sum *s, const char *const *cols)
{
	const char *const *c;

	fputc('\n', s->f);
	for (c = cols; *c; c++)
		fprintf(s->f, "| %s ", *c);
	fputs("|\n", s->f);
	for (c = cols; *c; c++)
		fputs("|---", s->f);
	fputs("|\n", s->f);
}

static void cell(struct sum *s, const char *v)
{
	fputs("| ", s->f);
	val(s, v);
	fputc(' ', s->f);
}

static void celln(struct sum *s, long long n)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", n);
	cell(s, buf);
}

static void end_row(struct sum *s)
{
	fputs("|\n", s->f);
}

static void more(struct sum *s, size_t shown, size_t total, const char *where)
{
	if (total > shown)
		fprintf(s->f, "\n%zu more in %s.\n", total - shown, where);
}

static void kv(struct sum *s, const char *k, const char *v)
{
	fprintf(s->f, "| %s | ", k);
	val(s, v);
	fputs(" |\n", s->f);
}

/* The verdict on the capture, in words. */
void capture_verdict(json_t *meta, struct bidx *x, char *buf, size_t len)
{
	const char *state = meta_str(meta, "state"), *reason = meta_str(meta, "stop_reason");
	json_t *lost = meta_get(meta, "stats.lost");

	if (!state || strcmp(state, "finished"))
		snprintf(buf, len, "INCOMPLETE: procscope did not finish (it was killed or is still "
			 "running); %llu events were saved",
			 (unsigned long long)(x->lines - x->unparsed));
	else if (json_is_true(meta_get(meta, "complete")))
		snprintf(buf, len, "complete: no event was lost");
	else
		snprintf(buf, len, "INCOMPLETE: %lld events lost%s%s",
			 json_is_integer(lost) ? json_integer_value(lost) : 0LL,
			 reason ? "; stopped early: " : "", reason ? reason : "");
}

static void overview(struct sum *s, json_t *meta, struct bidx *x)
{
	struct bexec argv = { .filename = "", .args = meta_get(meta, "command.argv") };
	char buf[4096];
	json_t *v, *pid;
	size_t i, off = 0;

	fputs("| | |\n|---|---|\n", s->f);
	exec_cmdline(&argv, buf, sizeof(buf));
	kv(s, "Command", json_array_size(argv.args) ? buf : "(attached to running processes)");
	kv(s, "Working directory", meta_str(meta, "command.cwd"));
	buf[0] = '\0';
	json_array_foreach(meta_get(meta, "command.target_pids"), i, pid)
		off += snprintf(buf + off, off < sizeof(buf) ? sizeof(buf) - off : 0, "%s%lld",
				i ? " " : "", json_integer_value(pid));
	if (buf[0])
		kv(s, "Attached to PIDs", buf);
	snprintf(buf, sizeof(buf), "%s, Linux %s", meta_str(meta, "host.hostname") ?: "?",
		 meta_str(meta, "host.kernel_release") ?: "?");
	kv(s, "Host", buf);
	kv(s, "Boot ID", meta_str(meta, "host.boot_id"));
	v = meta_get(meta, "user.uid");
	snprintf(buf, sizeof(buf), "%s (uid %lld)", meta_str(meta, "user.name") ?: "?",
		 json_integer_value(v));
	kv(s, "User", buf);
	kv(s, "Started", meta_str(meta, "start"));
	kv(s, "Ended", meta_str(meta, "end") ?: "(not recorded)");
	v = meta_get(meta, "exit_status");
	snprintf(buf, sizeof(buf), json_is_integer(v) ? "%lld" : "(unknown)", json_integer_value(v));
	kv(s, "Exit status", buf);
	kv(s, "Investigation ID", meta_str(meta, "investigation_id"));
	capture_verdict(meta, x, buf, sizeof(buf));
	kv(s, "Capture", buf);
}

static void execs_text(const struct bproc *p, char *buf, size_t len)
{
	const struct bexec *e;
	unsigned int misses;
	size_t off = 0;
	char cmd[1024];

	buf[0] = '\0';
	for (e = p->execs; e && off < len; e = e->next) {
		e = bexec_fold(e, &misses);
		exec_cmdline(e, cmd, sizeof(cmd));
		off += snprintf(buf + off, len - off, "%s%s%s%s%s", off ? " ; then " : "", cmd,
				e->error ? " (failed: " : "", e->error ? e->error : "",
				e->error ? ")" : "");
		if (misses && off < len)
			off += snprintf(buf + off, len - off, " (after %u PATH %s)", misses,
					misses == 1 ? "miss" : "misses");
	}
}

static void what_ran(struct sum *s, struct bidx *x)
{
	static const char *const cols[] = { "PID", "Parent", "Process", "Programs executed",
					    "Started", "Ended", NULL };
	char buf[4096], t[48];
	struct bproc *p;
	size_t shown = 0;
	int depth = 0;

	fprintf(s->f, "\n## What ran\n\n%zu processes (`process-tree.txt` shows the tree).\n", x->nproc);
	head(s, cols);
	for (p = x->roots; p && shown < SUMMARY_MAX_ROWS; p = proc_next(p, &depth), shown++) {
		celln(s, p->pid);
		celln(s, p->ppid);
		cell(s, p->comm);
		execs_text(p, buf, sizeof(buf));
		cell(s, buf);
		view_times(x, p->start_ns, t, sizeof(t));
		cell(s, t);
		proc_end_text(p, buf, sizeof(buf));
		cell(s, buf);
		end_row(s);
	}
	more(s, shown, x->nproc, "process-tree.json");
}

enum where { CHANGED_OUTSIDE, READ_OUTSIDE, CHANGED_INSIDE };

static void path_table(struct sum *s, struct bidx *x, enum where where)
{
	static const char *const titles[] = {
		[CHANGED_OUTSIDE] = "Changed outside (written, created, removed, renamed...)",
		[READ_OUTSIDE] = "Read or looked up outside",
		[CHANGED_INSIDE] = "Changed inside the working directory",
	};
	static const char *const cols[] = { "Path", "Operations", NULL };
	unsigned int mask = ACC_WRITE | ACC_CREATE | ACC_TRUNC | ACC_CHANGE;
	size_t i, shown = 0, total = 0, lpaths = 0;
	uint64_t lops = 0, lfailed = 0;
	const struct bitem *it;
	bool changed, out;
	char ops[1024];

	fprintf(s->f, "\n### %s\n", titles[where]);
	head(s, cols);
	for (i = 0; i < x->files.n; i++) {
		it = x->files.items[i];
		/* Writing to /dev/null or a terminal is output, not a change to the machine. */
		changed = (it->access & mask) && !bidx_pseudo_device(it->key);
		out = bidx_outside_cwd(x, it->key);
		if (out != (where != CHANGED_INSIDE) || changed != (where != READ_OUTSIDE))
			continue;
		/* What every program reads at start: one row, as the timeline folds it. */
		if (where == READ_OUTSIDE && fold_loader_path(it->key, tally_failures(it) == it->total)) {
			lpaths++;
			lops += it->total;
			lfailed += tally_failures(it);
			continue;
		}
		if (total++ >= SUMMARY_MAX_ROWS)
			continue;
		cell(s, it->key);
		tally_describe(it, ops, sizeof(ops));
		cell(s, ops);
		end_row(s);
		shown++;
	}
	if (lpaths) {
		cell(s, "(dynamic loader and locale files)");
		snprintf(ops, sizeof(ops), "%zu paths, %llu operations (%llu failed); files.json lists each",
			 lpaths, (unsigned long long)lops, (unsigned long long)lfailed);
		cell(s, ops);
		end_row(s);
	}
	more(s, shown, total, "files.json");
}

static void outside(struct sum *s, json_t *meta, struct bidx *x)
{
	fputs("\n## Touched outside the working directory\n\nWorking directory: ", s->f);
	val(s, meta_str(meta, "command.cwd") ?: "(unknown)");
	fputs(". Failed attempts are listed too, with their error; \"changed\" means a change "
	      "succeeded.\n", s->f);
	path_table(s, x, CHANGED_OUTSIDE);
	path_table(s, x, READ_OUTSIDE);
	path_table(s, x, CHANGED_INSIDE);
}

static void events_table(struct sum *s, const struct bkept *k, bool subject_col)
{
	static const char *const cols[] = { "Time", "PID", "Process", "Event", "Result", "Details", NULL };
	static const char *const fcols[] = { "Time", "PID", "Process", "Event", "Error", "On", NULL };
	struct event_view v;
	size_t i;

	head(s, subject_col ? fcols : cols);
	for (i = 0; i < k->n && i < SUMMARY_MAX_ROWS; i++) {
		if (!event_view(k->lines[i], &v))
			continue;
		cell(s, v.time);
		celln(s, v.pid);
		cell(s, v.comm);
		cell(s, v.type);
		cell(s, v.result);
		cell(s, subject_col ? v.subject : v.details);
		end_row(s);
		event_view_free(&v);
	}
	more(s, i, k->n, subject_col ? "events.jsonl" : "notable.json");
	if (k->omitted)
		fprintf(s->f, "\n%llu more were not kept (over the cap); events.jsonl has them all.\n",
			(unsigned long long)k->omitted);
}

/* What matched a rule, first in the summary: the rule, its severity, what was done. */
static void findings(struct sum *s, struct bidx *x)
{
	static const char *const cols[] = { "Rule", "Severity", "Blocked", "Time", "PID", "Process",
					    "Event", "Result", "On", NULL };
	const struct bkept *k = &x->findings;
	struct event_view v;
	size_t i;

	fputs("\n## Findings: events that matched a rule\n", s->f);
	if (!k->n && !k->omitted) {
		fputs("\nNone.\n", s->f);
		return;
	}
	head(s, cols);
	for (i = 0; i < k->n && i < SUMMARY_MAX_ROWS; i++) {
		if (!event_view(k->lines[i], &v))
			continue;
		cell(s, json_string_value(json_object_get(v.ev, "rule")) ?: "");
		cell(s, json_string_value(json_object_get(v.ev, "severity")) ?: "");
		cell(s, json_is_true(json_object_get(v.ev, "blocked")) ? "killed" :
			json_object_get(v.ev, "enforcement") ? "would be (not enforced)" : "no");
		cell(s, v.time);
		celln(s, v.pid);
		cell(s, v.comm);
		cell(s, v.type);
		cell(s, v.result);
		cell(s, v.subject);
		end_row(s);
		event_view_free(&v);
	}
	more(s, i, k->n, "alerts.json");
	if (k->omitted)
		fprintf(s->f, "\n%llu more were not kept (over the cap); events.jsonl has them all.\n",
			(unsigned long long)k->omitted);
}

static void notable(struct sum *s, struct bidx *x)
{
	fputs("\n## Privilege, namespace, mount, process-access and kernel events\n", s->f);
	if (!x->notable.n && !x->notable.omitted) {
		fputs("\nNone.\n", s->f);
		return;
	}
	events_table(s, &x->notable, false);
}

static void network(struct sum *s, struct bidx *x)
{
	static const char *const cols[] = { "Endpoint", "Operations", NULL };
	char ops[1024];
	size_t i;

	fputs("\n## Network endpoints\n", s->f);
	if (!x->net.n) {
		fprintf(s->f, "\nNone%s.\n", x->net.omitted ? " kept (over the cap)" : "");
		return;
	}
	head(s, cols);
	for (i = 0; i < x->net.n && i < SUMMARY_MAX_ROWS; i++) {
		cell(s, x->net.items[i]->key);
		tally_describe(x->net.items[i], ops, sizeof(ops));
		cell(s, ops);
		end_row(s);
	}
	more(s, i, x->net.n, "network.json");
}

static void failures(struct sum *s, struct bidx *x)
{
	static const char *const cols[] = { "Error", "Count", "Operations", NULL };
	char ops[1024];
	size_t i;

	fputs("\n## Failures worth noticing\n\nRefusals (EACCES, EPERM, EROFS, ETXTBSY), failed "
	      "notable acts and failed program starts:\n", s->f);
	if (!x->failures.n)
		fputs("\nNone.\n", s->f);
	else
		events_table(s, &x->failures, true);
	fputs("\nEvery error, by name:\n", s->f);
	if (!x->errors.n) {
		fputs("\nNone.\n", s->f);
		return;
	}
	head(s, cols);
	for (i = 0; i < x->errors.n; i++) {
		cell(s, x->errors.items[i]->key);
		celln(s, x->errors.items[i]->total);
		tally_describe(x->errors.items[i], ops, sizeof(ops));
		cell(s, ops);
		end_row(s);
	}
}

static void drops(struct sum *s, json_t *meta, struct bidx *x)
{
	static const char *const cols[] = { "Counter", "Count", NULL };
	json_t *counters = meta_get(x->stats ? x->stats : meta, x->stats ? "counters" : "stats.counters");
	const char *name;
	json_t *v;

	fputs("\n## Drops and truncation\n", s->f);
	if (!counters)
		fputs("\nNo stats record: the run did not finish, so drops are unknown.\n", s->f);
	head(s, cols);
	json_object_foreach(counters, name, v) {
		cell(s, name);
		celln(s, json_integer_value(v));
		end_row(s);
	}
	cell(s, "lines that are not JSON objects");
	celln(s, x->unparsed);
	end_row(s);
	cell(s, "events left out of the summaries (over their caps)");
	celln(s, x->files.omitted + x->net.omitted + x->procs_omitted + x->types.omitted);
	end_row(s);
}

static void counts(struct sum *s, struct bidx *x)
{
	static const char *const cols[] = { "Event type", "Count", NULL };
	size_t i;

	fputs("\n## Event counts\n", s->f);
	head(s, cols);
	for (i = 0; i < x->types.n; i++) {
		cell(s, x->types.items[i]->key);
		celln(s, x->types.items[i]->total);
		end_row(s);
	}
}

int summary_write(FILE *f, json_t *meta, struct bidx *x, enum summary_flavor flavor)
{
	struct sum s = { .f = f, .flavor = flavor };

	fputs("# procscope summary\n\n", f);
	overview(&s, meta, x);
	findings(&s, x);
	what_ran(&s, x);
	outside(&s, meta, x);
	notable(&s, x);
	network(&s, x);
	failures(&s, x);
	drops(&s, meta, x);
	counts(&s, x);
	return ferror(f) ? -1 : 0;
}
