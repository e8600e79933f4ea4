// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Replay benchmark: trace a command once with procscope's own kernel side,
 * keeping every ring-buffer record in memory, then feed that recorded
 * stream through decoding and each sink (and JSON Lines with the default
 * policy judging every event, "rules") REPEAT times and print the
 * consumer's CPU per event and events/s per core for each.  The kernel and
 * the workload are out of the measured loop: this is the consumer alone.
 *
 *   replay REPEAT DIR -- COMMAND [ARG...]   (root; DIR: scratch space for the bundle)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "bundle/bundle.h"
#include "cmd/cli.h"
#include "proc/launcher.h"
#include "kern/loader.h"
#include "procscope.skel.h"
#include "kern/scope.h"
#include "output/sinks.h"
#include "proc/model.h"
#include "rules/rules.h"

struct recording {
	char *buf;
	size_t len, cap, n;
};

static int keep(void *ctx, void *data, size_t size)
{
	struct recording *r = ctx;
	size_t need = sizeof(uint32_t) + ((size + 7) & ~7ul);
	char *p;

	if (r->len + need > r->cap) {
		r->cap = r->cap ? r->cap * 2 : 1 << 24;
		p = realloc(r->buf, r->cap);
		if (!p)
			return -ENOMEM;
		r->buf = p;
	}
	memcpy(r->buf + r->len, &(uint32_t){ size }, sizeof(uint32_t));
	memcpy(r->buf + r->len + sizeof(uint32_t), data, size);
	r->len += need;
	r->n++;
	return 0;
}

static int record(char **argv, struct recording *r)
{
	struct loader_opts lo = { .ringbuf_bytes = 64 << 20, .max_procs = 65536, .args_bytes = 16384 };
	struct launch l = { .pid = -1, .barrier_fd = -1, .status_fd = -1 };
	struct launch_opts lopts = { 0 };
	struct procscope_bpf *skel = NULL;
	struct ring_buffer *rb = NULL;
	struct scope sc = { 0 };
	char err[512];
	int status, ret = 1;

	if (loader_load(&skel, &lo, err, sizeof(err)) || scope_open(&sc, skel) ||
	    launch_prepare(&l, argv, &lopts, err, sizeof(err)) || scope_add(&sc, l.pid, 0, 0) < 0 ||
	    loader_attach(skel, err, sizeof(err))) {
		fprintf(stderr, "replay: cannot trace: %s\n", err);
		goto cleanup;
	}
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), keep, r, NULL);
	if (!rb || launch_release(&l))
		goto cleanup;
	while (waitpid(l.pid, &status, WNOHANG) == 0 || skel->bss->live_procs)
		ring_buffer__poll(rb, 50);
	ring_buffer__consume(rb);
	ret = 0;
cleanup:
	ring_buffer__free(rb);
	scope_close(&sc);
	loader_destroy(skel);
	return ret;
}

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One pass of the recording through sinks set up as procscope sets them. */
static double replay(const struct recording *r, const char *sink, const char *dir)
{
	struct bundle_meta meta;
	struct ps_opts opts = { 0 };
	struct ps_stats stats = { 0 };
	struct run run = { .args_max = 4096, .arg_len_max = 65536 };
	struct model *model = model_new(MODEL_MAX_DEFAULT, &run);
	struct sinks s;
	FILE *null = fopen("/dev/null", "w");
	char err[512], path[4096];
	struct sink *k = NULL;
	struct ruleset rules = { 0 };
	size_t off = 0;
	double t0;

	if (!null || !model || sinks_init(&s, &run, model, &stats))
		return -1;
	/* "rules": JSON Lines with the default policy judging every event, as procscope runs by default. */
	if (!strcmp(sink, "rules")) {
		if (rules_load_default(&rules, err, sizeof(err))) {
			fprintf(stderr, "replay: %s\n", err);
			return -1;
		}
		s.rules = &rules;
	}
	bundle_meta_init(&meta, &opts);
	snprintf(path, sizeof(path), "%s/bundle", dir);
	if (!strcmp(sink, "jsonl") || !strcmp(sink, "rules"))
		k = sink_jsonl_new(null);
	else if (!strcmp(sink, "timeline"))
		k = sink_timeline_new(null, NULL, false, 0, false);
	else if (!strcmp(sink, "bundle"))
		k = sink_bundle_new(path, true, &meta);
	if (k)
		sinks_add(&s, k);
	if (sinks_open(&s, err, sizeof(err))) {
		fprintf(stderr, "replay: %s\n", err);
		return -1;
	}
	t0 = cpu_now();
	while (off < r->len) {
		uint32_t size;

		memcpy(&size, r->buf + off, sizeof(size));
		sinks_record(&s, r->buf + off + sizeof(size), size);
		off += sizeof(size) + ((size + 7) & ~7ul);
	}
	sinks_finish(&s, 0);
	sinks_close(&s, true, err, sizeof(err));
	t0 = cpu_now() - t0;
	sinks_free(&s);
	model_free(model);
	rules_free(&rules);
	fclose(null);
	return t0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	static const char *const sinks[] = { "decode", "jsonl", "rules", "timeline", "bundle" };
	struct recording r = { 0 };
	const char *dir;
	int repeat, i, k;
	double t[64];

	if (argc < 5 || strcmp(argv[3], "--") || (repeat = atoi(argv[1])) < 1 || repeat > 64) {
		fprintf(stderr, "usage: replay REPEAT DIR -- COMMAND [ARG...]\n");
		return 2;
	}
	dir = argv[2];
	if (record(argv + 4, &r) || !r.n)
		return 1;
	printf("replay: %zu records (%.1f MiB), median of %d passes\n", r.n, r.len / 1048576.0, repeat);
	for (k = 0; k < 5; k++) {
		for (i = 0; i < repeat; i++)
			if ((t[i] = replay(&r, sinks[k], dir)) < 0)
				return 1;
		qsort(t, repeat, sizeof(t[0]), cmp);
		printf("  %-8s %7.3f us/event  %9.0f events/s per core\n", sinks[k],
		       t[repeat / 2] * 1e6 / r.n, r.n / t[repeat / 2]);
	}
	free(r.buf);
	return 0;
}
