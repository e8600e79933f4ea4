// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdlib.h>
#include <string.h>

#include "bundle/bundle.h"
#include "bundle/bundle_index.h"
#include "event/event.h"
#include "event/names.h"
#include "kern/scope.h"
#include "output/sinks.h"

int sinks_init(struct sinks *s)
{
	out_init(&s->jo, OUT_JSON);
	out_init(&s->to, OUT_TEXT);
	s->aligned_len = PS_SCRATCH_SIZE;
	s->aligned = malloc(s->aligned_len);
	return s->aligned ? 0 : -1;
}

void sinks_free(struct sinks *s)
{
	out_free(&s->jo);
	out_free(&s->to);
	free(s->aligned);
	s->aligned = NULL;
}

static bool wants_json(const struct sinks *s)
{
	return s->json[0] || s->json[1] || s->bundle;
}

/* What the bundle's index would otherwise parse the line back for. */
static void event_facts(const struct ps_event *ev, struct bfacts *f, char key[RENDER_KEY_LEN],
			char errnum[24])
{
	const struct ps_hdr *h = ev->hdr;
	const struct ps_syscall *sc = h->kind == PS_REC_SYSCALL ? ev->fixed : NULL;

	f->type = ev->type;
	f->error = NULL;
	/* As the line says it: the errno's name, or its number when it has none. */
	if (sc && sc->ret < 0) {
		f->error = errno_name(-sc->ret);
		if (!f->error) {
			out_u64_str(errnum, (unsigned long long)-sc->ret);
			f->error = errnum;
		}
	}
	f->ts = h->ts_boot;
	f->notable = ev->notable;
	render_key(key, h->pid, h->start_boot);
	f->key = key;
}

static void write_json(struct sinks *s, const struct bfacts *facts)
{
	size_t i;

	if (s->jo.failed) {
		s->stats->write_failed++;
		return;
	}
	s->jo.buf[s->jo.len] = '\n';
	for (i = 0; i < sizeof(s->json) / sizeof(s->json[0]); i++)
		if (s->json[i] && fwrite(s->jo.buf, 1, s->jo.len + 1, s->json[i]) != s->jo.len + 1)
			s->stats->write_failed++;
	s->jo.buf[s->jo.len] = '\0';
	if (s->bundle && bundle_event(s->bundle, s->jo.buf, s->jo.len, facts))
		s->stats->write_failed++;
}

int sinks_record(void *ctx, void *data, size_t size)
{
	struct sinks *s = ctx;
	struct ps_event ev;

	/* Records are 8-aligned in the ring, but decode from a private copy. */
	if (size > s->aligned_len || decode_record(memcpy(s->aligned, data, size), size, &ev)) {
		s->stats->decode_failed++;
		return 0;
	}
	/* Recorded before procscope found the invoker may not trace the process. */
	if (s->scope && s->scope->ndropped &&
	    scope_was_dropped(s->scope, ev.hdr->pid, ev.hdr->start_boot))
		return 0;
	ev.seq = ++s->seq;
	ev.redact = s->redact;
	ev.args_max = s->args_max;
	ev.arg_len_max = s->arg_len_max;
	s->last_ts = ev.hdr->ts_boot;
	s->stats->delivered++;
	if (wants_json(s)) {
		struct bfacts facts;
		char key[RENDER_KEY_LEN], errnum[24];

		out_reset(&s->jo);
		render_json(&ev, &s->rc, &s->jo);
		/* Room for the newline write_json() adds. */
		out_raw(&s->jo, " ");
		s->jo.len--;
		if (s->bundle)
			event_facts(&ev, &facts, key, errnum);
		write_json(s, s->bundle ? &facts : NULL);
	}
	if (s->timeline) {
		out_reset(&s->to);
		render_text(&ev, &s->rc, &s->to);
		if (!s->to.failed)
			fprintf(s->timeline, "%s\n", s->to.buf);
	}
	return 0;
}

void sinks_flush(struct sinks *s)
{
	size_t i;

	for (i = 0; i < sizeof(s->json) / sizeof(s->json[0]); i++)
		if (s->json[i] && fflush(s->json[i]))
			s->stats->write_failed++;
	if (s->bundle)
		bundle_flush(s->bundle);
	if (s->timeline)
		fflush(s->timeline);
}

void sinks_finish(struct sinks *s, uint64_t ts_boot)
{
	if (wants_json(s)) {
		out_reset(&s->jo);
		stats_render(&s->jo, &s->rc, ++s->seq, ts_boot, s->stats);
		out_raw(&s->jo, " ");
		s->jo.len--;
		write_json(s, NULL);
	}
	sinks_flush(s);
}
