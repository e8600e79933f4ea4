// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The evidence bundle as a sink: the shared JSON line, plus the decoded event for the index. */
#include <stdio.h>
#include <stdlib.h>

#include "bundle/bundle.h"
#include "bundle/bundle_index.h"
#include "event/event.h"
#include "event/names.h"
#include "event/render.h"
#include "output/out.h"
#include "output/sinks.h"

struct bsink {
	const char *dir;
	bool force;
	struct bundle_meta *meta;   /* the caller's: completed before close */
	struct bundle *b;
};

static int bsink_open(struct sink *s, const struct run *run, char *err, size_t errlen)
{
	struct bsink *k = s->priv;

	(void)run;
	k->b = bundle_open(k->dir, k->force, k->meta, err, errlen);
	return k->b ? 0 : -1;
}

/* What the bundle's index would otherwise parse the line back for. */
static void event_facts(const struct ps_event *ev, struct bfacts *f, char key[RENDER_KEY_LEN],
			char errnum[ERRNO_STR_LEN])
{
	const struct ps_hdr *h = ev->hdr;
	const struct ps_syscall *sc = h->kind == PS_REC_SYSCALL ? ev->fixed : NULL;

	f->type = ev->type;
	f->syscall = ev->syscall;
	f->error = sc && sc->ret < 0 ? errno_str((int)-sc->ret, errnum) : NULL;
	f->ts = h->ts_boot;
	f->notable = ev->notable;
	render_key(key, h->pid, h->start_boot);
	f->key = key;
}

static int bsink_event(struct sink *s, const struct sink_rec *r)
{
	struct bsink *k = s->priv;
	char key[RENDER_KEY_LEN], errnum[ERRNO_STR_LEN];
	struct bfacts facts;

	if (!r->ev)
		return bundle_event(k->b, r->json, r->json_len, NULL);
	event_facts(r->ev, &facts, key, errnum);
	return bundle_event(k->b, r->json, r->json_len, &facts);
}

static int bsink_flush(struct sink *s)
{
	bundle_flush(((struct bsink *)s->priv)->b);
	return 0;
}

static int bsink_close(struct sink *s, bool finished, char *err, size_t errlen)
{
	struct bsink *k = s->priv;
	char hash[65] = "", why[512];
	int ret = 0;

	if (k->b) {
		ret = bundle_close(k->b, k->meta, hash, why, sizeof(why));
		if (ret && finished && err)
			snprintf(err, errlen, "the bundle could not be sealed: %s", why);
		else if (!ret && finished)
			fprintf(stderr, "procscope: bundle %s written; MANIFEST.sha256 sha256 %s\n",
				k->dir, hash);
	}
	free(k);
	return finished ? ret : 0;
}

static const struct sink_ops bundle_ops = {
	.name = "bundle",
	.want_json = true,
	.open = bsink_open,
	.event = bsink_event,
	.flush = bsink_flush,
	.close = bsink_close,
};

struct sink *sink_bundle_new(const char *dir, bool force, struct bundle_meta *meta)
{
	struct sink *s = sink_new(&bundle_ops, sizeof(struct bsink));
	struct bsink *k;

	if (!s)
		return NULL;
	k = s->priv;
	k->dir = dir;
	k->force = force;
	k->meta = meta;
	return s;
}
