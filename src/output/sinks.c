// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdlib.h>
#include <string.h>

#include "event/event.h"
#include "event/filter.h"
#include "kern/scope.h"
#include "output/sinks.h"
#include "proc/fleet.h"
#include "proc/model.h"
#include "rules/rules_match.h"
#include "rules/rules_kernel.h"

int sinks_init(struct sinks *s, struct run *run, struct model *model, struct ps_stats *stats)
{
	memset(s, 0, sizeof(*s));
	s->run = run;
	s->model = model;
	s->stats = stats;
	out_init(&s->jo, OUT_JSON);
	s->aligned_len = PS_SCRATCH_SIZE;
	s->aligned = malloc(s->aligned_len);
	return s->aligned ? 0 : -1;
}

void sinks_free(struct sinks *s)
{
	out_free(&s->jo);
	free(s->aligned);
	s->aligned = NULL;
}

void sinks_add(struct sinks *s, struct sink *k)
{
	struct sink **tail = &s->list;

	while (*tail)
		tail = &(*tail)->next;
	k->next = NULL;
	*tail = k;
	s->want_json |= k->ops->want_json;
}

static void dispatch(struct sinks *s, struct sink_rec *r)
{
	struct sink *k;

	if (s->want_json) {
		if (s->jo.failed) {
			/* Not rendered (out of memory): the line is lost, counted once. */
			s->stats->write_failed++;
		} else {
			r->json = s->jo.buf;
			r->json_len = s->jo.len;
		}
	}
	for (k = s->list; k; k = k->next)
		if ((!k->ops->want_json || r->json) && k->ops->event(k, r))
			s->stats->write_failed++;
}

/* A record procscope writes itself: the run header, the stats record. */
static void own_record(struct sinks *s, const char *type)
{
	struct sink_rec r = { .type = type, .model = s->model, .run = s->run, .seq = s->seq };

	dispatch(s, &r);
}

int sinks_open(struct sinks *s, char *err, size_t errlen)
{
	struct sink *k;

	for (k = s->list; k; k = k->next) {
		if (k->ops->open && k->ops->open(k, s->run, err, errlen))
			return -1;
		k->opened = true;
	}
	out_reset(&s->jo);
	run_render(s->run, &s->jo, ++s->seq);
	own_record(s, "run");
	return 0;
}

/* The event's finding, if a rule matches: every sink sees the same one. */
static void mark_finding(struct sinks *s, struct ps_event *ev, const struct proc *p)
{
	struct rules_match m;

	bool killed = ev->hdr->flags & PS_HF_KILLED;
	enum rule_hook hook;
	const struct rule *kr = rules_killed_by(s->rules, ev, &hook);

	if (kr) {
		/* The kernel's verdict stands even where the consumer's facts differ. */
		m = (struct rules_match){ .rule = kr, .name = kr->name, .hook = hook, .block = true };
	} else if (!rules_match_event(s->rules, ev, s->model, p, &m)) {
		return;
	}
	/*
	 * Where the kernel enforces the sandbox and the consumer refused only for
	 * want of a fact, the kernel's verdict is the one: it sees facts the
	 * consumer may not (the parent of a root is not in the model).  A refusal
	 * on known facts that the kernel did not carry out is still reported, and
	 * so is any refusal of an act the kernel does not judge (a failed call).
	 */
	if (m.block && m.unknown && !killed && rules_khook(m.hook) >= 0 &&
	    (s->kernel_hooks & (1u << rules_khook(m.hook))) &&
	    (ev->hdr->kind == PS_REC_EXEC || ev->sc.ret >= 0))
		return;
	ev->killed = killed;
	ev->rule = m.name;
	ev->severity = m.rule ? m.rule->severity : NULL;
	ev->mitre = m.rule ? m.rule->mitre : NULL;
	ev->rule_block = m.block;
	ev->rule_unknown = m.unknown;
	s->stats->findings++;
}

/*
 * What -e and --path exclude that reached user space: process lifecycle
 * (the model needs it), rows whose type depends on their arguments, paths
 * the kernel could not judge.  The model still sees them.
 */
static bool filtered(struct sinks *s, struct ps_event *ev)
{
	switch (filter_event(s->filter, ev)) {
	case FILTER_KEEP:
		return false;
	case FILTER_BY_EVENT:
		s->stats->user_filtered_events++;
		break;
	case FILTER_BY_PATH:
		s->stats->user_filtered_paths++;
		break;
	}
	if (s->model)
		model_event(s->model, ev);
	return true;
}

/* What --all reports of every process although no rule matched: its execs and its exit. */
static bool lifecycle_context(const struct ps_event *ev)
{
	return ev->hdr->kind == PS_REC_EXEC || ev->hdr->kind == PS_REC_EXIT;
}

int sinks_record(void *ctx, void *data, size_t size)
{
	struct sinks *s = ctx;
	struct ev_context fctx;
	struct ps_event ev;
	struct sink_rec r;

	/* Records are 8-aligned in the ring, but decode from a private copy. */
	if (size > s->aligned_len || decode_record(memcpy(s->aligned, data, size), size, &ev)) {
		s->stats->decode_failed++;
		return 0;
	}
	/* Recorded before procscope found the invoker may not trace the process. */
	if (s->scope && s->scope->ndropped &&
	    scope_was_dropped(s->scope, ev.hdr->pid, ev.hdr->start_boot))
		return 0;
	ev.run = s->run;
	s->last_ts = ev.hdr->ts_boot;
	if (s->filter && filtered(s, &ev))
		return 0;
	r = (struct sink_rec){ .ev = &ev, .type = ev.type, .model = s->model, .run = s->run };
	if (s->model)
		r.proc = model_event(s->model, &ev);
	if (s->rules)
		mark_finding(s, &ev, r.proc);
	/* --all: the kernel sent what a rule may judge; what none matched stays in the model. */
	if (s->matches_only && !ev.rule && !lifecycle_context(&ev)) {
		s->stats->user_filtered_events++;
		return 0;
	}
	r.seq = ev.seq = ++s->seq;
	s->stats->delivered++;
	if (s->fleet)
		fleet_context(s->fleet, s->model, r.proc, &ev, &fctx);
	if (s->want_json) {
		out_reset(&s->jo);
		render_json(&ev, &s->run->rc, &s->jo);
	}
	dispatch(s, &r);
	return 0;
}

void sinks_flush(struct sinks *s)
{
	struct sink *k;

	for (k = s->list; k; k = k->next)
		if (k->ops->flush && k->ops->flush(k))
			s->stats->write_failed++;
}

void sinks_finish(struct sinks *s, uint64_t ts_boot)
{
	if (s->model)
		s->stats->model_full = model_stats(s->model)->full;
	out_reset(&s->jo);
	stats_render(&s->jo, &s->run->rc, ++s->seq, ts_boot, s->stats);
	own_record(s, "stats");
	sinks_flush(s);
}

struct sink *sink_new(const struct sink_ops *ops, size_t priv_size)
{
	struct sink *s = calloc(1, sizeof(*s));

	if (s && !(s->priv = calloc(1, priv_size))) {
		free(s);
		s = NULL;
	}
	if (s)
		s->ops = ops;
	return s;
}

int sinks_close(struct sinks *s, bool finished, char *err, size_t errlen)
{
	struct sink *k, *next;
	int ret = 0;

	for (k = s->list; k; k = next) {
		next = k->next;
		if (k->ops->close(k, finished && k->opened, ret ? NULL : err, errlen))
			ret = -1;
		free(k);
	}
	s->list = NULL;
	return ret;
}

struct sink *sink_find(struct sinks *s, const char *name)
{
	struct sink *k;

	for (k = s->list; k; k = k->next)
		if (!strcmp(k->ops->name, name))
			return k;
	return NULL;
}
