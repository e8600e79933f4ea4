// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The activity strip: events per time bucket, stacked by category, drawn as
 * one SVG path per category (a few hundred buckets at most, whatever the
 * number of events).  The counts ride along in data attributes, numbers
 * only, so the script can redraw a selected range (zoom) and say what is
 * under the pointer; without the script the strip still shows the run.
 */
#include "bundle/bundle_html.h"
#include "bundle/bundle_out.h"

#define STRIP_W 1000.0
#define STRIP_H 100.0

static const char *const cat_names[BDENS_CATS] = { "process", "file", "network", "other" };

static uint64_t bucket_total(const struct bdensity *d, unsigned int i)
{
	uint64_t n = 0;
	int c;

	for (c = 0; c < BDENS_CATS; c++)
		n += d->n[i][c];
	return n;
}

static void counts_attr(struct page *pg, const char *name, const uint64_t *v, size_t stride,
			unsigned int n)
{
	unsigned int i;

	fprintf(pg->f, " %s=\"", name);
	for (i = 0; i < n; i++)
		fprintf(pg->f, "%s%llu", i ? "," : "", (unsigned long long)v[i * stride]);
	fputc('"', pg->f);
}

/* The bars of one category, stacked on those of the categories before it. */
static void cat_path(struct page *pg, int c, uint64_t max)
{
	const struct bdensity *d = &pg->x->density;
	double bw = (double)d->width * STRIP_W / pg->span, x, h, below;
	unsigned int i;
	int k;

	fprintf(pg->f, "<path class=\"c%d\" d=\"", c);
	for (i = 0; i < d->used; i++) {
		if (!d->n[i][c])
			continue;
		for (below = 0, k = 0; k < c; k++)
			below += (double)d->n[i][k] * STRIP_H / max;
		h = (double)d->n[i][c] * STRIP_H / max;
		if (h < 1)
			h = 1;
		x = (double)((int64_t)(i * d->width) + d->base - pg->a0) * STRIP_W / pg->span;
		fprintf(pg->f, "M%.2f %.2fh%.2fv%.2fh%.2fz", x, STRIP_H - below - h, bw, h, -bw);
	}
	fputs("\"/>", pg->f);
}

void html_strip(struct page *pg)
{
	const struct bdensity *d = &pg->x->density;
	uint64_t max = 1, n;
	char t[32];
	unsigned int i;
	int c;

	for (i = 0; i < d->used; i++) {
		n = bucket_total(d, i);
		if (n > max)
			max = n;
	}
	fputs("<section id=\"activity\"><h2>Activity</h2>\n<p class=\"legend\">Events over time, "
	      "stacked:", pg->f);
	for (c = 0; c < BDENS_CATS; c++)
		fprintf(pg->f, " <span class=\"sw c%d\"></span>%s", c, cat_names[c]);
	fprintf(pg->f, ". <span id=\"strip-max\">Tallest bar: %llu events in %.3f ms.</span> "
		"Drag across the strip to show only that time; the tables and rows follow.</p>\n",
		(unsigned long long)max, (double)(d->width ? d->width : 1) / 1e6);
	view_times(pg->x, (uint64_t)pg->a0, t, sizeof(t));
	fprintf(pg->f, "<svg id=\"strip\" class=\"strip\" viewBox=\"0 0 %.0f %.0f\" "
		"preserveAspectRatio=\"none\" role=\"img\" aria-label=\"events over time\" "
		"data-span=\"%llu\" data-first=\"%lld\" data-bucket=\"%llu\" data-offset=\"%lld\" "
		"data-buckets=\"%u\"", STRIP_W, STRIP_H, (unsigned long long)pg->span,
		pg->x->first_ns ? html_rel(pg, pg->x->first_ns) : 0,
		(unsigned long long)d->width, (long long)(d->base - pg->a0), d->used);
	for (c = 0; c < BDENS_CATS; c++) {
		char name[16];

		snprintf(name, sizeof(name), "data-c%d", c);
		counts_attr(pg, name, &d->n[0][c], BDENS_CATS, d->used);
	}
	counts_attr(pg, "data-failed", d->failed, 1, d->used);
	fputs(">", pg->f);
	for (c = 0; c < BDENS_CATS; c++)
		cat_path(pg, c, max);
	fprintf(pg->f, "<rect id=\"strip-sel\" class=\"sel\" x=\"0\" y=\"0\" width=\"0\" "
		"height=\"%.0f\"/></svg>\n<div class=\"axis\" id=\"strip-axis\">", STRIP_H);
	for (i = 0; i <= 4; i++) {
		view_times(pg->x, (uint64_t)(pg->a0 + (int64_t)(pg->span / 4 * i)), t, sizeof(t));
		fprintf(pg->f, "<span>%s</span>", t);
	}
	fputs("</div><p id=\"strip-readout\" class=\"readout\">&nbsp;</p></section>\n", pg->f);
}
