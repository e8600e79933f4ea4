/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The parts of report.html (bundle_html*.c).  The page embeds aggregates,
 * never every event: what it leaves out it counts, and names the bundle
 * file that has it all.  Every string that came from the trace goes through
 * esc_html() (esc_html_plain() in attributes and inside SVG).
 */
#ifndef PS_BUNDLE_HTML_H
#define PS_BUNDLE_HTML_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "bundle/bundle_index.h"

/* Caps that keep the page's size bounded whatever the trace holds. */
#define HTML_EVENT_ROWS   1000   /* per events table */
#define HTML_FIRST_ROWS   10     /* of those shown before "N more" */
#define HTML_TALLY_ROWS   1000   /* files, endpoints */
#define HTML_BUSIEST      10
#define HTML_GROUPS       500    /* programs */
#define HTML_GROUP_ROWS   200    /* processes per program */
#define HTML_PROC_ROWS    3000   /* processes over all programs */
#define HTML_TREE_ROWS    3000
#define HTML_TREE_NEST    24
#define HTML_TREE_OPEN    300    /* the tree starts open up to this many processes */

struct page {
	FILE *f;
	struct bidx *x;
	json_t *meta;
	/* The time axis every row and the strip share: [a0, a0 + span) ns since boot. */
	int64_t a0;
	uint64_t span;
};

/* ns from the axis start, clamped to it: what data-t attributes carry. */
long long html_rel(const struct page *pg, uint64_t ts);
/* data-t0 / data-t1 of something that lived from t0 to t1 (0: to the end). */
void html_span_attrs(const struct page *pg, uint64_t t0, uint64_t t1);
/* A cell of escaped text, or a number. */
void html_td(struct page *pg, const char *cls, const char *v);
void html_tdn(struct page *pg, unsigned long long n);
/*
 * A table of filterable rows: `cols` are "class:Title" pairs (the class
 * sizes the column), NULL-terminated.
 */
void html_table(struct page *pg, const char *id, const char *const *cols);
void html_table_end(struct page *pg);
/* "N more ... in FILE" under a capped table. */
void html_more(struct page *pg, unsigned long long n, const char *what, const char *where);
/* A lifetime bar: t0 to t1 (0: still running) on the axis. */
void html_life(struct page *pg, uint64_t t0, uint64_t t1, const char *cls);

/* bundle_html_strip.c: events per time bucket, where a range is selected (zoom). */
void html_strip(struct page *pg);
/* bundle_html_events.c: rule findings, notable events, failures. */
void html_findings(struct page *pg);
void html_notable(struct page *pg);
void html_failures(struct page *pg);
/* bundle_html_procs.c: the busiest processes, processes by program, the tree. */
void html_busiest(struct page *pg);
void html_programs(struct page *pg);
void html_tree(struct page *pg);

/* bundle_html_assets.c */
extern const char html_css[], html_js[];
extern const size_t html_css_len, html_js_len;

#endif
