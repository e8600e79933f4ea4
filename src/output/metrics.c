// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/metrics.h"
#include "output/safefile.h"

struct type_count {
	const char *type;
	uint64_t n;
};

struct rule_count {
	char *name;
	uint64_t n;
};

struct metrics {
	int dirfd;
	char name[NAME_MAX + 1];
	char tmp[NAME_MAX + 1];
	uint64_t interval_ns, next_ns;
	/* Open addressing on the type string's address: one probe per event. */
	struct type_count types[METRICS_MAX_TYPES];
	unsigned int ntypes;
	uint64_t other_types;
	struct rule_count *rules;
	unsigned int nrules;
	uint64_t other_rules;
};

/* Kernel and user-space counters by what they mean to an operator. */
static const struct {
	int counter;               /* enum ps_counter, or -1 for a user-space one */
	const char *name;
} dropped_reasons[] = {
	{ PS_CNT_RB_FULL, "ringbuf_full" },
	{ PS_CNT_TRACKED_FULL, "tracked_full" },
	{ PS_CNT_STASH_FULL, "stash_full" },
	{ PS_CNT_COMPAT, "compat_syscalls" },
	{ PS_CNT_UNFOLLOWED, "unfollowed" },
	{ -1, "decode_failed" },
	{ -1, "write_failed" },
	{ -1, "model_full" },
	{ -1, "socket_dropped" },
}, truncated_reasons[] = {
	{ PS_CNT_STR_TRUNC, "str_truncated" },
	{ PS_CNT_PATH_TRUNC, "path_truncated" },
	{ PS_CNT_ARGS_TRUNC, "args_truncated" },
	{ PS_CNT_REC_TRUNC, "record_truncated" },
}, filtered_reasons[] = {
	{ PS_CNT_FILTERED, "filtered" },
	{ PS_CNT_FILTERED_EVENTS, "filtered_events" },
	{ PS_CNT_FILTERED_PATHS, "filtered_paths" },
	{ -1, "consumer_filtered_events" },
	{ -1, "consumer_filtered_paths" },
};

static const char *const output_names[METRICS_OUT__N] = {
	[METRICS_OUT_STDOUT] = "stdout", [METRICS_OUT_FILE] = "file",
	[METRICS_OUT_SOCKET] = "socket", [METRICS_OUT_BUNDLE] = "bundle",
};

struct metrics *metrics_open(const char *path, unsigned int interval_s, char *err, size_t errlen)
{
	struct metrics *m = calloc(1, sizeof(*m));

	if (!m) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	m->dirfd = safe_open_parent(path, m->name, sizeof(m->name), err, errlen);
	if (m->dirfd < 0)
		goto fail;
	/* Hidden and not *.prom: the textfile collector skips it while it is written. */
	if ((size_t)snprintf(m->tmp, sizeof(m->tmp), ".%s.tmp", m->name) >= sizeof(m->tmp)) {
		snprintf(err, errlen, "cannot write metrics to '%s': the name is too long", path);
		goto fail;
	}
	m->interval_ns = (uint64_t)interval_s * 1000000000ULL;
	return m;
fail:
	metrics_close(m);
	return NULL;
}

void metrics_close(struct metrics *m)
{
	unsigned int i;

	if (!m)
		return;
	if (m->dirfd >= 0)
		close(m->dirfd);
	for (i = 0; i < m->nrules; i++)
		free(m->rules[i].name);
	free(m->rules);
	free(m);
}

void metrics_event(struct metrics *m, const char *type)
{
	size_t h = ((uintptr_t)type >> 3) % METRICS_MAX_TYPES, i;
	struct type_count *t;

	for (i = 0; i < METRICS_MAX_TYPES; i++) {
		t = &m->types[(h + i) % METRICS_MAX_TYPES];
		if (t->type == type) {
			t->n++;
			return;
		}
		if (!t->type)
			break;
	}
	/* A new address: the same name at another address must not make a second series. */
	for (i = 0; i < METRICS_MAX_TYPES; i++) {
		if (m->types[i].type && !strcmp(m->types[i].type, type)) {
			m->types[i].n++;
			return;
		}
	}
	if (m->ntypes + 1 >= METRICS_MAX_TYPES) {
		m->other_types++;
		return;
	}
	t->type = type;
	t->n = 1;
	m->ntypes++;
}

void metrics_rule_match(struct metrics *m, const char *rule, uint64_t n)
{
	struct rule_count *r;
	unsigned int i;

	if (!m)
		return;
	for (i = 0; i < m->nrules; i++) {
		if (!strcmp(m->rules[i].name, rule)) {
			m->rules[i].n += n;
			return;
		}
	}
	r = m->nrules < METRICS_MAX_RULES ? realloc(m->rules, (m->nrules + 1) * sizeof(*r)) : NULL;
	if (r)
		m->rules = r;
	if (!r || !(r[m->nrules].name = strdup(rule))) {
		m->other_rules += n;
		return;
	}
	r[m->nrules++].n = n;
}

bool metrics_due(struct metrics *m, uint64_t now_ns)
{
	if (now_ns < m->next_ns)
		return false;
	m->next_ns = now_ns + m->interval_ns;
	return true;
}

/* A label value: quotes, backslashes and newlines escaped; other control bytes and non-ASCII as '_'. */
static void label_value(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '\\' || c == '"')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else
			fputc(c < 0x20 || c >= 0x7f ? '_' : c, f);
	}
}

static void family(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void sample(FILE *f, const char *name, const char *label, const char *value, uint64_t v)
{
	fputs(name, f);
	if (label) {
		fprintf(f, "{%s=\"", label);
		label_value(f, value);
		fputs("\"}", f);
	}
	fprintf(f, " %llu\n", (unsigned long long)v);
}

static uint64_t user_counter(const struct ps_stats *st, const char *name)
{
	if (!strcmp(name, "decode_failed"))
		return st->decode_failed;
	if (!strcmp(name, "write_failed"))
		return st->write_failed;
	if (!strcmp(name, "model_full"))
		return st->model_full;
	if (!strcmp(name, "consumer_filtered_events"))
		return st->user_filtered_events;
	if (!strcmp(name, "consumer_filtered_paths"))
		return st->user_filtered_paths;
	return st->socket_dropped;
}

static void render_events(const struct metrics *m, const struct ps_stats *st, FILE *f)
{
	unsigned int i;

	family(f, "procscope_events_total", "counter", "Events procscope delivered to its outputs, by event type.");
	for (i = 0; i < METRICS_MAX_TYPES; i++)
		if (m->types[i].type)
			sample(f, "procscope_events_total", "type", m->types[i].type, m->types[i].n);
	if (m->other_types)
		sample(f, "procscope_events_total", "type", "other", m->other_types);
	family(f, "procscope_kernel_records_total", "counter", "Records the kernel programs submitted to the ring buffer.");
	sample(f, "procscope_kernel_records_total", NULL, NULL, st->kernel[PS_CNT_EVENTS]);
}

static void render_losses(const struct ps_stats *st, FILE *f)
{
	size_t i;

	family(f, "procscope_dropped_total", "counter", "Records, syscalls or processes lost, by reason (the stats record's counters).");
	for (i = 0; i < sizeof(dropped_reasons) / sizeof(dropped_reasons[0]); i++)
		sample(f, "procscope_dropped_total", "reason", dropped_reasons[i].name,
		       dropped_reasons[i].counter >= 0 ? st->kernel[dropped_reasons[i].counter] :
		       user_counter(st, dropped_reasons[i].name));
	family(f, "procscope_truncated_total", "counter", "Values cut at a bound, by what was cut.");
	for (i = 0; i < sizeof(truncated_reasons) / sizeof(truncated_reasons[0]); i++)
		sample(f, "procscope_truncated_total", "reason", truncated_reasons[i].name,
		       st->kernel[truncated_reasons[i].counter]);
	family(f, "procscope_read_failed_total", "counter", "User memory reads that failed (the value is null in the record).");
	sample(f, "procscope_read_failed_total", NULL, NULL, st->kernel[PS_CNT_READ_FAIL]);
	/* Deliberate, not a loss: what the filters asked the kernel not to send. */
	family(f, "procscope_filtered_total", "counter", "Records not written because a filter excluded them, by counter (consumer_*: decided in user space).");
	for (i = 0; i < sizeof(filtered_reasons) / sizeof(filtered_reasons[0]); i++)
		sample(f, "procscope_filtered_total", "reason", filtered_reasons[i].name,
		       filtered_reasons[i].counter >= 0 ? st->kernel[filtered_reasons[i].counter] :
		       user_counter(st, filtered_reasons[i].name));
}

static void render_rules(const struct metrics *m, FILE *f)
{
	unsigned int i;

	family(f, "procscope_rule_matches_total", "counter", "Events a rule matched, by rule name.");
	for (i = 0; i < m->nrules; i++)
		sample(f, "procscope_rule_matches_total", "rule", m->rules[i].name, m->rules[i].n);
	if (m->other_rules)
		sample(f, "procscope_rule_matches_total", "rule", "other", m->other_rules);
}

static void render_outputs(const struct metrics_snapshot *s, FILE *f)
{
	int i;

	family(f, "procscope_output_bytes_total", "counter", "Bytes written to each output.");
	for (i = 0; i < METRICS_OUT__N; i++)
		if (s->has_output[i])
			sample(f, "procscope_output_bytes_total", "output", output_names[i], s->bytes[i]);
	if (s->has_output[METRICS_OUT_FILE]) {
		family(f, "procscope_output_rotations_total", "counter", "Times the -o file was rotated.");
		sample(f, "procscope_output_rotations_total", NULL, NULL, s->rotations);
	}
	if (s->socket_connected >= 0) {
		family(f, "procscope_socket_connected", "gauge", "1 while the output socket's reader is connected.");
		sample(f, "procscope_socket_connected", NULL, NULL, s->socket_connected);
		family(f, "procscope_socket_connects_total", "counter", "Connections made to the output socket.");
		sample(f, "procscope_socket_connects_total", NULL, NULL, s->socket_connects);
	}
}

void metrics_render(const struct metrics *m, const struct metrics_snapshot *s, FILE *f)
{
	render_events(m, s->stats, f);
	render_losses(s->stats, f);
	render_rules(m, f);
	family(f, "procscope_processes_tracked", "gauge", "Processes procscope follows now.");
	sample(f, "procscope_processes_tracked", NULL, NULL, s->procs_tracked);
	render_outputs(s, f);
	family(f, "procscope_start_time_seconds", "gauge", "When procscope started, in seconds since the epoch.");
	fprintf(f, "procscope_start_time_seconds %.3f\n", s->start_time);
	family(f, "procscope_last_update_time_seconds", "gauge", "When this file was written, in seconds since the epoch.");
	fprintf(f, "procscope_last_update_time_seconds %.3f\n", s->now);
}

int metrics_write(struct metrics *m, const struct metrics_snapshot *s, char *err, size_t errlen)
{
	FILE *f;
	int fd, bad;

	/* A leftover of ours, or a name someone else planted: either way a fresh O_EXCL file. */
	if (unlinkat(m->dirfd, m->tmp, 0) && errno != ENOENT) {
		snprintf(err, errlen, "cannot write metrics: cannot replace '%s': %s", m->tmp, strerror(errno));
		return -1;
	}
	fd = safe_create_at(m->dirfd, m->tmp, false, err, errlen);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	if (!f) {
		snprintf(err, errlen, "cannot write metrics: %s", strerror(errno));
		close(fd);
		goto fail;
	}
	metrics_render(m, s, f);
	bad = ferror(f);
	if (fclose(f) || bad) {
		snprintf(err, errlen, "cannot write metrics to '%s': %s", m->tmp, strerror(errno ? errno : EIO));
		goto fail;
	}
	if (renameat(m->dirfd, m->tmp, m->dirfd, m->name)) {
		snprintf(err, errlen, "cannot write metrics to '%s': %s", m->name, strerror(errno));
		goto fail;
	}
	return 0;
fail:
	unlinkat(m->dirfd, m->tmp, 0);
	return -1;
}
