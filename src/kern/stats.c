// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "output/out.h"
#include "event/render.h"
#include "kern/stats.h"

/* Names in the stats record, indexed by enum ps_counter. */
static const char *const counter_names[PS_CNT__MAX] = {
	[PS_CNT_EVENTS] = NULL, /* reported as "events" */
	[PS_CNT_RB_FULL] = "ringbuf_full",
	[PS_CNT_TRACKED_FULL] = "tracked_full",
	[PS_CNT_STASH_FULL] = "stash_full",
	[PS_CNT_STR_TRUNC] = "str_truncated",
	[PS_CNT_PATH_TRUNC] = "path_truncated",
	[PS_CNT_ARGS_TRUNC] = "args_truncated",
	[PS_CNT_READ_FAIL] = "read_failed",
	[PS_CNT_REC_TRUNC] = "record_truncated",
	[PS_CNT_COMPAT] = "compat_syscalls",
	[PS_CNT_UNFOLLOWED] = "unfollowed",
};

int stats_read(int fd, struct ps_stats *st)
{
	int ncpu = libbpf_num_possible_cpus();
	__u64 *vals;
	__u32 key;
	int i;

	if (ncpu <= 0)
		return -EINVAL;
	vals = calloc(ncpu, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	for (key = 0; key < PS_CNT__MAX; key++) {
		st->kernel[key] = 0;
		if (bpf_map_lookup_elem(fd, &key, vals))
			continue;
		for (i = 0; i < ncpu; i++)
			st->kernel[key] += vals[i];
	}
	free(vals);
	return 0;
}

uint64_t stats_lost(const struct ps_stats *st)
{
	return st->kernel[PS_CNT_RB_FULL] + st->kernel[PS_CNT_TRACKED_FULL] +
	       st->kernel[PS_CNT_STASH_FULL] + st->kernel[PS_CNT_COMPAT] +
	       st->decode_failed + st->write_failed + st->model_full + st->socket_dropped;
}

uint64_t stats_truncated(const struct ps_stats *st)
{
	return st->kernel[PS_CNT_STR_TRUNC] + st->kernel[PS_CNT_PATH_TRUNC] +
	       st->kernel[PS_CNT_ARGS_TRUNC] + st->kernel[PS_CNT_REC_TRUNC];
}

bool stats_complete(const struct ps_stats *st)
{
	return stats_lost(st) == 0;
}

void stats_render(struct out *o, const struct render_ctx *c, uint64_t seq,
		  uint64_t ts_boot, const struct ps_stats *st)
{
	int i;

	render_common(o, c, seq, ts_boot, "stats");
	out_uint(o, "events", st->delivered);
	out_uint(o, "lost", stats_lost(st));
	out_bool(o, "complete", stats_complete(st));
	out_obj_begin(o, "counters");
	for (i = 0; i < PS_CNT__MAX; i++)
		if (counter_names[i])
			out_uint(o, counter_names[i], st->kernel[i]);
	out_uint(o, "decode_failed", st->decode_failed);
	out_uint(o, "write_failed", st->write_failed);
	out_uint(o, "model_full", st->model_full);
	out_uint(o, "socket_dropped", st->socket_dropped);
	out_obj_end(o);
	out_obj_end(o);
}

void stats_print(FILE *f, const struct ps_stats *st)
{
	bool first = true;
	int i;

	fprintf(f, "procscope: %llu events, %llu lost, %llu truncated",
		(unsigned long long)st->delivered, (unsigned long long)stats_lost(st),
		(unsigned long long)stats_truncated(st));
	for (i = 0; i < PS_CNT__MAX; i++) {
		if (!counter_names[i] || !st->kernel[i])
			continue;
		fprintf(f, "%s%s %llu", first ? " (" : ", ", counter_names[i],
			(unsigned long long)st->kernel[i]);
		first = false;
	}
	if (st->decode_failed) {
		fprintf(f, "%sdecode_failed %llu", first ? " (" : ", ",
			(unsigned long long)st->decode_failed);
		first = false;
	}
	if (st->write_failed) {
		fprintf(f, "%swrite_failed %llu", first ? " (" : ", ",
			(unsigned long long)st->write_failed);
		first = false;
	}
	if (st->model_full) {
		fprintf(f, "%smodel_full %llu", first ? " (" : ", ",
			(unsigned long long)st->model_full);
		first = false;
	}
	if (st->socket_dropped) {
		fprintf(f, "%ssocket_dropped %llu", first ? " (" : ", ",
			(unsigned long long)st->socket_dropped);
		first = false;
	}
	fprintf(f, "%s\n", first ? "" : ")");
}
