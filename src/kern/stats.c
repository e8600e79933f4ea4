// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "output/esc.h"
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
	[PS_CNT_FILTERED] = "filtered",
	[PS_CNT_FILTERED_EVENTS] = "filtered_events",
	[PS_CNT_FILTERED_PATHS] = "filtered_paths",
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

/* What user space lost, by reason: one list for the sum, the record and the summary line. */
#define USER_LOSSES 4
struct user_loss {
	const char *name;
	uint64_t n;
};

static void user_losses(const struct ps_stats *st, struct user_loss l[USER_LOSSES])
{
	l[0] = (struct user_loss){ "decode_failed", st->decode_failed };
	l[1] = (struct user_loss){ "write_failed", st->write_failed };
	l[2] = (struct user_loss){ "model_full", st->model_full };
	l[3] = (struct user_loss){ "socket_dropped", st->socket_dropped };
}

uint64_t stats_lost(const struct ps_stats *st)
{
	struct user_loss l[USER_LOSSES];
	uint64_t n = st->kernel[PS_CNT_RB_FULL] + st->kernel[PS_CNT_TRACKED_FULL] +
		     st->kernel[PS_CNT_STASH_FULL] + st->kernel[PS_CNT_COMPAT];
	int i;

	user_losses(st, l);
	for (i = 0; i < USER_LOSSES; i++)
		n += l[i].n;
	return n;
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

static unsigned int named_survivors(const struct ps_stats *st)
{
	return st->nsurvivors < STATS_SURVIVORS_MAX ? st->nsurvivors : STATS_SURVIVORS_MAX;
}

/* Who was still running, in the same order in "keys" and "comms". */
static void render_survivors(struct out *o, const struct ps_stats *st)
{
	char key[48];
	unsigned int i;

	out_obj_begin(o, "survivors");
	out_uint(o, "count", st->nsurvivors);
	out_arr_begin(o, "keys");
	for (i = 0; i < named_survivors(st); i++) {
		snprintf(key, sizeof(key), "%u@%llu", st->survivors[i].pid,
			 (unsigned long long)st->survivors[i].start_boot);
		out_str(o, NULL, key);
	}
	out_arr_end(o);
	out_arr_begin(o, "comms");
	for (i = 0; i < named_survivors(st); i++)
		out_str(o, NULL, st->survivors[i].comm);
	out_arr_end(o);
	out_obj_end(o);
}

void stats_render(struct out *o, const struct render_ctx *c, uint64_t seq,
		  uint64_t ts_boot, const struct ps_stats *st)
{
	struct user_loss l[USER_LOSSES];
	int i;

	render_common(o, c, seq, ts_boot, "stats");
	out_uint(o, "events", st->delivered);
	out_uint(o, "findings", st->findings);
	out_uint(o, "lost", stats_lost(st));
	out_bool(o, "complete", stats_complete(st));
	out_obj_begin(o, "counters");
	for (i = 0; i < PS_CNT__MAX; i++)
		if (counter_names[i])
			out_uint(o, counter_names[i], st->kernel[i]);
	user_losses(st, l);
	for (i = 0; i < USER_LOSSES; i++)
		out_uint(o, l[i].name, l[i].n);
	out_uint(o, "consumer_filtered_events", st->user_filtered_events);
	out_uint(o, "consumer_filtered_paths", st->user_filtered_paths);
	out_obj_end(o);
	if (st->nsurvivors)
		render_survivors(o, st);
	out_obj_end(o);
}

static void print_survivors(FILE *f, const struct ps_stats *st)
{
	unsigned int i;

	if (!st->nsurvivors)
		return;
	fprintf(f, "procscope: %u process%s of the tree still running, from now on untraced:",
		st->nsurvivors, st->nsurvivors == 1 ? "" : "es");
	for (i = 0; i < named_survivors(st); i++) {
		fputs(i ? ", " : " ", f);
		esc_text(f, st->survivors[i].comm);
		fprintf(f, " (pid %u, key %u@%llu)", st->survivors[i].pid, st->survivors[i].pid,
			(unsigned long long)st->survivors[i].start_boot);
	}
	if (st->nsurvivors > named_survivors(st))
		fprintf(f, " and %u more", st->nsurvivors - named_survivors(st));
	fputc('\n', f);
}

void stats_print(FILE *f, const struct ps_stats *st)
{
	struct user_loss l[USER_LOSSES];
	bool first = true;
	int i;

	fprintf(f, "procscope: %llu events, %llu matched a rule, %llu lost, %llu truncated",
		(unsigned long long)st->delivered, (unsigned long long)st->findings,
		(unsigned long long)stats_lost(st),
		(unsigned long long)stats_truncated(st));
	for (i = 0; i < PS_CNT__MAX; i++) {
		if (!counter_names[i] || !st->kernel[i])
			continue;
		fprintf(f, "%s%s %llu", first ? " (" : ", ", counter_names[i],
			(unsigned long long)st->kernel[i]);
		first = false;
	}
	user_losses(st, l);
	for (i = 0; i < USER_LOSSES; i++) {
		if (!l[i].n)
			continue;
		fprintf(f, "%s%s %llu", first ? " (" : ", ", l[i].name, (unsigned long long)l[i].n);
		first = false;
	}
	if (st->user_filtered_events + st->user_filtered_paths) {
		fprintf(f, "%sconsumer_filtered %llu", first ? " (" : ", ",
			(unsigned long long)(st->user_filtered_events + st->user_filtered_paths));
		first = false;
	}
	fprintf(f, "%s\n", first ? "" : ")");
	print_survivors(f, st);
}
