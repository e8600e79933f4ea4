// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* --metrics FILE as a sink: counts every record, rewrites FILE every interval and at the end. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event/event.h"
#include "output/metrics.h"
#include "output/sinks.h"

struct metrics_sink {
	const char *path;
	unsigned int interval;
	struct metrics *m;
	struct output_tally *tally;
	metrics_refresh_fn refresh;
	void *ctx;
	bool count_stdout;         /* --json: the same lines went to stdout */
	uint64_t stdout_bytes;
	double start;
	bool warned;
};

static double real_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int write_now(struct metrics_sink *k, char *err, size_t errlen)
{
	struct metrics_snapshot snap = { .socket_connected = -1 };
	struct ps_stats st = { 0 };

	k->refresh(k->ctx, &st, &snap.procs_tracked);
	snap.stats = &st;
	if (k->tally) {
		memcpy(snap.bytes, k->tally->bytes, sizeof(snap.bytes));
		memcpy(snap.has_output, k->tally->has_output, sizeof(snap.has_output));
		snap.rotations = k->tally->rotations;
		snap.socket_connected = k->tally->has_output[METRICS_OUT_SOCKET] ? k->tally->socket_connected : -1;
		snap.socket_connects = k->tally->socket_connects;
	}
	if (k->count_stdout) {
		snap.has_output[METRICS_OUT_STDOUT] = true;
		snap.bytes[METRICS_OUT_STDOUT] = k->stdout_bytes;
	}
	snap.start_time = k->start;
	snap.now = real_now();
	return metrics_write(k->m, &snap, err, errlen);
}

static int metrics_sink_open(struct sink *s, const struct run *run, char *err, size_t errlen)
{
	struct metrics_sink *k = s->priv;

	(void)run;
	k->start = real_now();
	k->m = metrics_open(k->path, k->interval, err, errlen);
	if (!k->m)
		return -1;
	/* Once now, so that a path that cannot be written fails before anything runs. */
	metrics_due(k->m, mono_ns());
	return write_now(k, err, errlen);
}

static int metrics_sink_event(struct sink *s, const struct sink_rec *r)
{
	struct metrics_sink *k = s->priv;

	if (r->ev)
		metrics_event(k->m, r->type);
	if (r->ev && r->ev->rule)
		metrics_rule_match(k->m, r->ev->rule, 1);
	if (k->count_stdout && r->json)
		k->stdout_bytes += r->json_len + 1;
	return 0;
}

static int metrics_sink_flush(struct sink *s)
{
	struct metrics_sink *k = s->priv;
	char err[512];

	if (!metrics_due(k->m, mono_ns()) || !write_now(k, err, sizeof(err)))
		return 0;
	if (!k->warned)
		fprintf(stderr, "procscope: warning: %s\n", err);
	k->warned = true;
	return 0;
}

static int metrics_sink_close(struct sink *s, bool finished, char *err, size_t errlen)
{
	struct metrics_sink *k = s->priv;
	char msg[512];
	int ret = 0;

	if (k->m && finished && write_now(k, msg, sizeof(msg))) {
		if (err)
			snprintf(err, errlen, "%s", msg);
		ret = -1;
	}
	metrics_close(k->m);
	free(k);
	return ret;
}

static const struct sink_ops metrics_ops = {
	.name = "metrics",
	.want_json = false,
	.open = metrics_sink_open,
	.event = metrics_sink_event,
	.flush = metrics_sink_flush,
	.close = metrics_sink_close,
};

struct sink *sink_metrics_new(const char *path, unsigned int interval_s, bool count_stdout,
			      struct output_tally *t, metrics_refresh_fn refresh, void *ctx)
{
	struct sink *s = sink_new(&metrics_ops, sizeof(struct metrics_sink));
	struct metrics_sink *k;

	if (!s)
		return NULL;
	k = s->priv;
	k->path = path;
	k->interval = interval_s;
	k->count_stdout = count_stdout;
	k->tally = t;
	k->refresh = refresh;
	k->ctx = ctx;
	return s;
}

struct metrics *sink_metrics_counters(struct sink *s)
{
	return s && s->ops == &metrics_ops ? ((struct metrics_sink *)s->priv)->m : NULL;
}
