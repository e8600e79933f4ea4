// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The events report.html lists one by one: what matched a rule, the notable
 * events, the failures worth a look.  Each row says in words what happened
 * ("euid 1000 → 0, cap_effective +CAP_SYS_ADMIN", "flags=O_RDONLY"), never a
 * dump of the event's JSON.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "output/esc.h"
#include "bundle/bundle_html.h"
#include "bundle/bundle_out.h"

#define WHAT_LEN    1024
#define LIST_SHOWN  8      /* array elements shown before "+N" */

/* A bounded string being built. */
struct sbuf {
	char s[WHAT_LEN];
	size_t off;
};

static void sb_add(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_add(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->off >= sizeof(b->s) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->s + b->off, sizeof(b->s) - b->off, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	b->off += (size_t)n;
	if (b->off >= sizeof(b->s))
		b->off = sizeof(b->s) - 1;
}

/* Before each item: nothing at the start, else `sep`. */
static void sb_sep(struct sbuf *b, const char *sep)
{
	if (b->off)
		sb_add(b, "%s", sep);
}

static void sb_scalar(struct sbuf *b, json_t *v)
{
	if (json_is_string(v))
		sb_add(b, "%s", json_string_value(v));
	else if (json_is_integer(v))
		sb_add(b, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		sb_add(b, "%g", json_real_value(v));
	else if (json_is_boolean(v))
		sb_add(b, "%s", json_is_true(v) ? "yes" : "no");
	else if (json_is_null(v))
		sb_add(b, "(unreadable)");
	else if (json_is_array(v))
		sb_add(b, "[%zu]", json_array_size(v));
	else
		sb_add(b, "{...}");
}

static void sb_list(struct sbuf *b, json_t *arr, const char *sep)
{
	size_t i;
	json_t *v;

	if (!json_array_size(arr))
		sb_add(b, "(none)");
	json_array_foreach(arr, i, v) {
		if (i == LIST_SHOWN) {
			sb_add(b, "%s+%zu", sep, json_array_size(arr) - i);
			break;
		}
		if (i)
			sb_add(b, "%s", sep);
		sb_scalar(b, v);
	}
}

static bool arr_has(json_t *arr, json_t *v)
{
	size_t i;
	json_t *e;

	json_array_foreach(arr, i, e)
		if (json_equal(e, v))
			return true;
	return false;
}

/* "+CAP_A -CAP_B": what one capability set gained and lost. */
static void set_diff(struct sbuf *b, json_t *before, json_t *after)
{
	size_t i, shown = 0, more = 0;
	json_t *v;

	json_array_foreach(after, i, v)
		if (!arr_has(before, v)) {
			if (shown++ < LIST_SHOWN) {
				sb_add(b, " +");
				sb_scalar(b, v);
			} else {
				more++;
			}
		}
	json_array_foreach(before, i, v)
		if (!arr_has(after, v)) {
			if (shown++ < LIST_SHOWN) {
				sb_add(b, " -");
				sb_scalar(b, v);
			} else {
				more++;
			}
		}
	if (more)
		sb_add(b, " (%zu more)", more);
}

/* Capability sets that changed the same way, named together. */
struct cap_change {
	const char *names[8];
	size_t n;
	struct sbuf d;
};

#define CAP_SETS 8

static void cap_change(struct cap_change *caps, size_t *ncaps, const char *k, json_t *va,
		       json_t *vb)
{
	struct sbuf d = { .off = 0 };
	size_t i;

	d.s[0] = '\0';
	set_diff(&d, va, vb);
	for (i = 0; i < *ncaps && strcmp(caps[i].d.s, d.s); i++)
		;
	if (i < *ncaps && caps[i].n < 8) {
		caps[i].names[caps[i].n++] = k;
	} else if (i == *ncaps && *ncaps < CAP_SETS) {
		caps[i].d = d;
		caps[i].names[0] = k;
		caps[i].n = 1;
		(*ncaps)++;
	}
}

/*
 * What differs between two credentials objects, field by field; capability
 * sets that changed alike are named together ("cap_effective, cap_permitted
 * +CAP_SYS_ADMIN") so a gain reads once.
 */
static void creds_diff(struct sbuf *b, json_t *before, json_t *after)
{
	static struct cap_change caps[CAP_SETS];
	size_t ncaps = 0, i, j;
	const char *k;
	json_t *va, *vb;
	bool any = false;

	json_object_foreach(after, k, vb) {
		va = json_object_get(before, k);
		if (json_equal(va, vb))
			continue;
		any = true;
		if (!strncmp(k, "cap_", 4) && json_is_array(vb) && json_is_array(va)) {
			cap_change(caps, &ncaps, k, va, vb);
			continue;
		}
		sb_sep(b, ", ");
		sb_add(b, "%s ", k);
		if (json_is_array(vb))
			sb_list(b, va, ",");
		else if (va)
			sb_scalar(b, va);
		else
			sb_add(b, "?");
		sb_add(b, " \u2192 ");
		if (json_is_array(vb))
			sb_list(b, vb, ",");
		else
			sb_scalar(b, vb);
	}
	for (i = 0; i < ncaps; i++) {
		sb_sep(b, ", ");
		for (j = 0; j < caps[i].n; j++)
			sb_add(b, "%s%s", j ? ", " : "", caps[i].names[j]);
		sb_add(b, "%s", caps[i].d.s);
	}
	if (!any)
		sb_add(b, "%scredentials unchanged", b->off ? ", " : "");
}

static bool skipped_member(const char *k, const char *subject_key)
{
	static const char *const keys[] = { "before", "after", "changed", "creds_before",
					    "creds_after", NULL };
	const char *const *s;

	for (s = keys; *s; s++)
		if (!strcmp(*s, k))
			return true;
	return subject_key && !strcmp(k, subject_key);
}

/* "k=v" for the members of an object, one level of nesting spelled "outer.inner=v". */
static void members(struct sbuf *b, json_t *obj, const char *prefix, const char *subject_key,
		    int depth)
{
	const char *k;
	json_t *v;

	json_object_foreach(obj, k, v) {
		if (skipped_member(k, depth ? NULL : subject_key))
			continue;
		if (json_is_object(v) && depth == 0) {
			members(b, v, k, NULL, 1);
			continue;
		}
		sb_sep(b, ", ");
		sb_add(b, "%s%s%s=", prefix ? prefix : "", prefix ? "." : "", k);
		if (json_is_array(v))
			sb_list(b, v, "|");
		else
			sb_scalar(b, v);
	}
}

/* The member of the category object that names what was acted on (bundle_view.c's order). */
static const char *subject_key(json_t *cat)
{
	static const char *const keys[] = { "path", "filename", "address", "name", "target", NULL };
	const char *const *k;

	for (k = keys; *k; k++)
		if (json_is_string(json_object_get(cat, *k)))
			return *k;
	return NULL;
}

/* Append `part` to `b` after `sep` (nothing when either is empty). */
static void sb_join(struct sbuf *b, const char *sep, const struct sbuf *part)
{
	if (!part->off)
		return;
	sb_sep(b, sep);
	sb_add(b, "%s", part->s);
}

static void describe(const struct event_view *v, struct sbuf *b)
{
	static struct sbuf part;
	const char *dot = strchr(v->type, '.');
	char cat_name[32];
	json_t *cat = NULL, *pairs[2][2];
	int i;

	b->off = 0;
	b->s[0] = '\0';
	if (dot) {
		snprintf(cat_name, sizeof(cat_name), "%.*s", (int)(dot - v->type), v->type);
		cat = json_object_get(v->ev, cat_name);
	}
	if (v->subject[0])
		sb_add(b, "%s", v->subject);
	/* A privilege call's credentials around it; a privilege-gaining exec's. */
	pairs[0][0] = json_object_get(cat, "before");
	pairs[0][1] = json_object_get(cat, "after");
	pairs[1][0] = json_object_get(cat, "creds_before");
	pairs[1][1] = json_object_get(cat, "creds_after");
	for (i = 0; i < 2; i++) {
		if (!json_is_object(pairs[i][0]) || !json_is_object(pairs[i][1]))
			continue;
		part.off = 0;
		part.s[0] = '\0';
		creds_diff(&part, pairs[i][0], pairs[i][1]);
		sb_join(b, ": ", &part);
	}
	if (json_is_object(cat)) {
		part.off = 0;
		part.s[0] = '\0';
		members(&part, cat, NULL, subject_key(cat), 0);
		sb_join(b, "; ", &part);
	}
	cut_utf8(b->s, sizeof(b->s));
}

/* A rule's name, from a string or an object naming it. */
static void rule_text(json_t *rule, char *buf, size_t len)
{
	json_t *name = json_object_get(rule, "name");

	if (!name)
		name = json_object_get(rule, "id");
	if (json_is_string(rule))
		snprintf(buf, len, "%s", json_string_value(rule));
	else if (json_is_string(name))
		snprintf(buf, len, "%s", json_string_value(name));
	else if (json_is_integer(rule) || json_is_integer(name))
		snprintf(buf, len, "%lld", (long long)json_integer_value(name ? name : rule));
	else
		snprintf(buf, len, "(rule)");
	cut_utf8(buf, len);
}

static int severity_rank(json_t *sev)
{
	static const char *const names[] = { "info", "low", "medium", "high", "critical", NULL };
	const char *s = json_string_value(sev);
	int i;

	if (json_is_integer(sev))
		return (int)json_integer_value(sev);
	for (i = 0; s && names[i]; i++)
		if (!strcasecmp(s, names[i]))
			return i + 1;
	return s && !strcasecmp(s, "warning") ? 3 : 0;
}

static void severity_text(json_t *sev, char *buf, size_t len)
{
	if (json_is_integer(sev))
		snprintf(buf, len, "%lld", (long long)json_integer_value(sev));
	else
		snprintf(buf, len, "%s", json_string_value(sev) ?: "");
	cut_utf8(buf, len);
}

static void event_row(struct page *pg, const struct event_view *v, bool finding)
{
	char buf[128], sev[64];
	struct sbuf what;
	json_t *s = json_object_get(v->ev, "severity");

	fprintf(pg->f, "<tr data-f data-t=\"%lld\"", html_rel(pg,
		json_integer_value(json_object_get(v->ev, "ts_ns"))));
	if (finding) {
		severity_text(s, sev, sizeof(sev));
		fprintf(pg->f, " data-sev=\"%d\">", severity_rank(s));
		fprintf(pg->f, "<td class=\"sev sev%d\">", severity_rank(s) > 5 ? 5 :
			severity_rank(s) < 0 ? 0 : severity_rank(s));
		esc_html(pg->f, sev);
		fputs("</td>", pg->f);
		rule_text(json_object_get(v->ev, "rule"), buf, sizeof(buf));
		html_td(pg, "mono", buf);
		html_td(pg, json_is_true(json_object_get(v->ev, "blocked")) ? "bad" : NULL,
			json_is_true(json_object_get(v->ev, "blocked")) ? "blocked" : "allowed");
	} else {
		fputs(">", pg->f);
	}
	/* Seconds from the first event, as on the strip; the wall-clock time on hover. */
	view_times(pg->x, json_integer_value(json_object_get(v->ev, "ts_ns")), buf, sizeof(buf));
	fputs("<td class=\"mono\" title=\"", pg->f);
	esc_html_plain(pg->f, v->time);
	fprintf(pg->f, "\">%s</td>", buf);
	snprintf(buf, sizeof(buf), "%lld %s", v->pid, v->comm);
	cut_utf8(buf, sizeof(buf));
	html_td(pg, NULL, buf);
	html_td(pg, "mono", v->type);
	html_td(pg, strcmp(v->result, "ok") && strncmp(v->result, "ok ", 3) ? "bad" : NULL,
		v->result);
	describe(v, &what);
	html_td(pg, "what", what.s);
	fputs("</tr>\n", pg->f);
}

static const char *const event_cols[] = { "t:Time", "proc:Process", "ev:Event", "res:Result",
					  ":What", NULL };
static const char *const finding_cols[] = { "sev:Severity", "rule:Rule", "act:Action", "t:Time",
					    "proc:Process", "ev:Event", "res:Result", ":What", NULL };

struct ranked {
	size_t i;
	int rank;
};

static int by_rank(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank > y->rank ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * One table of kept events: the first few in sight, the rest (up to the cap)
 * folded under "N more", and what is past the cap counted with where it is.
 */
static void events_table(struct page *pg, const char *id, const struct bkept *k, bool finding,
			 const char *where)
{
	size_t shown = k->n < HTML_EVENT_ROWS ? k->n : HTML_EVENT_ROWS, i;
	struct ranked *order = calloc(k->n ? k->n : 1, sizeof(*order));
	struct event_view v;
	char tid[64];

	for (i = 0; order && i < k->n; i++) {
		order[i].i = i;
		if (finding && event_view(k->lines[i], &v)) {
			order[i].rank = severity_rank(json_object_get(v.ev, "severity"));
			event_view_free(&v);
		}
	}
	if (order && finding)
		qsort(order, k->n, sizeof(*order), by_rank);
	snprintf(tid, sizeof(tid), "%s-table", id);
	html_table(pg, tid, finding ? finding_cols : event_cols);
	for (i = 0; order && i < shown; i++) {
		if (i == HTML_FIRST_ROWS) {
			html_table_end(pg);
			fprintf(pg->f, "<details class=\"more\"><summary>%zu more</summary>\n",
				shown - i);
			html_table(pg, NULL, finding ? finding_cols : event_cols);
		}
		if (!event_view(k->lines[order[i].i], &v))
			continue;
		event_row(pg, &v, finding);
		event_view_free(&v);
	}
	html_table_end(pg);
	if (shown > HTML_FIRST_ROWS)
		fputs("</details>\n", pg->f);
	html_more(pg, k->n - shown + k->omitted, "events", where);
	free(order);
}

void html_findings(struct page *pg)
{
	const struct bkept *k = &pg->x->findings;

	fprintf(pg->f, "<section id=\"findings-section\"><h2>Findings (%llu)</h2>\n<p>Events "
		"that matched a rule, the most severe first.</p>\n",
		(unsigned long long)(k->n + k->omitted));
	events_table(pg, "findings", k, true, "events.jsonl (the events with a \"rule\")");
	fputs("</section>\n", pg->f);
}

void html_notable(struct page *pg)
{
	const struct bkept *k = &pg->x->notable;

	fprintf(pg->f, "<section id=\"notable-section\"><h2>Notable events (%llu)</h2>\n<p>"
		"Privilege, namespace, mount, process-access and kernel events.%s</p>\n",
		(unsigned long long)(k->n + k->omitted),
		pg->x->findings.n || pg->x->findings.omitted ? "" : " No event matched a rule.");
	if (k->n || k->omitted)
		events_table(pg, "notable", k, false, "notable.json");
	fputs("</section>\n", pg->f);
}

void html_failures(struct page *pg)
{
	const struct bkept *k = &pg->x->failures;

	fprintf(pg->f, "<section id=\"failures-section\"><h2>Failures worth noticing (%llu)</h2>\n",
		(unsigned long long)(k->n + k->omitted));
	if (k->n || k->omitted)
		events_table(pg, "failures", k, false, "events.jsonl");
	else
		fputs("<p>None.</p>\n", pg->f);
	fputs("</section>\n", pg->f);
}
