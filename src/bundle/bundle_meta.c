// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* metadata.json: who ran what, where, when, with which limits, and how it ended. */
#include <ctype.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/random.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "bundle/bundle.h"
#include "bundle/bundle_index.h"
#include "bundle/bundle_out.h"
#include "cmd/cli.h"
#include "records.h"
#include "event/render.h"

#ifndef PS_VERSION
#define PS_VERSION "unknown"
#endif

void bundle_meta_init(struct bundle_meta *m, const struct ps_opts *o)
{
	struct timespec ts;

	memset(m, 0, sizeof(*m));
	m->procscope_version = PS_VERSION;
	m->target_pids = o->npids ? o->pids : NULL;
	m->ntargets = o->npids;
	m->backend = "tracepoints";
	m->limits.args_max = o->args_max;
	m->limits.arg_len_max = o->arg_len_max;
	m->limits.args_bytes = o->args_bytes;
	m->limits.path_max = PS_PATH_MAX;
	m->limits.max_procs = o->max_procs;
	m->limits.buffer_bytes = o->buffer_bytes;
	m->limits.timeout = o->timeout;
	m->limits.capture_env = o->capture_env;
	m->limits.redaction = !o->no_redact;
	clock_gettime(CLOCK_REALTIME, &ts);
	m->start_ns = (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	m->exit_status = -1;
}

static int new_uuid(char out[37])
{
	unsigned char b[16];

	if (getrandom(b, sizeof(b), 0) != sizeof(b))
		return -1;
	b[6] = (b[6] & 0x0f) | 0x40;   /* version 4 */
	b[8] = (b[8] & 0x3f) | 0x80;   /* RFC 4122 variant */
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
		 b[12], b[13], b[14], b[15]);
	return 0;
}

/* The first line of a small system file, or JSON null. */
static json_t *first_line(const char *path)
{
	char buf[256] = "";
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return json_null();
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return json_null();
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return json_text(buf);
}

static json_t *time_json(uint64_t real_ns)
{
	struct render_ctx rc = { .boot_to_real_ns = 0 };
	char buf[48];

	if (!real_ns)
		return json_null();
	render_time(&rc, real_ns, buf, sizeof(buf));
	return json_string(buf);
}

static json_t *host_json(void)
{
	struct utsname u;

	if (uname(&u))
		memset(&u, 0, sizeof(u));
	return json_pack("{sosososososo}", "hostname", json_text(u.nodename),
			 "kernel_release", json_text(u.release), "kernel_version", json_text(u.version),
			 "machine", json_text(u.machine),
			 "boot_id", first_line("/proc/sys/kernel/random/boot_id"),
			 "machine_id", first_line("/etc/machine-id"));
}

static json_t *caps_json(void)
{
	json_t *a = json_array();
	cap_t caps = cap_get_proc();
	cap_flag_value_t v;
	char *name, *c;
	int i;

	for (i = 0; caps && i < (int)cap_max_bits(); i++) {
		if (cap_get_flag(caps, i, CAP_EFFECTIVE, &v) || v != CAP_SET)
			continue;
		name = cap_to_name(i);
		if (!name)
			continue;
		for (c = name; *c; c++)
			*c = toupper((unsigned char)*c);
		json_array_append_new(a, json_string(name));
		cap_free(name);
	}
	cap_free(caps);
	return a;
}

static json_t *user_json(void)
{
	struct passwd pw, *res = NULL;
	char buf[4096];
	uid_t uid = getuid();

	getpwuid_r(uid, &pw, buf, sizeof(buf), &res);
	return json_pack("{sIsosIsIso}", "uid", (json_int_t)uid,
			 "name", res ? json_text(res->pw_name) : json_null(),
			 "euid", (json_int_t)geteuid(), "gid", (json_int_t)getgid(),
			 "effective_capabilities", caps_json());
}

static json_t *command_json(const struct bundle_meta *m)
{
	json_t *argv = m->argv ? json_array() : json_null(), *pids = json_array();
	char cwd[4096];
	int i;

	for (i = 0; m->argv && i < m->argc && m->argv[i]; i++)
		json_array_append_new(argv, json_text(m->argv[i]));
	for (i = 0; i < m->ntargets; i++)
		json_array_append_new(pids, json_integer(m->target_pids[i]));
	if (!m->cwd && !getcwd(cwd, sizeof(cwd)))
		cwd[0] = '\0';
	return json_pack("{sososo}", "argv", argv, "cwd", json_text(m->cwd ? m->cwd : cwd),
			 "target_pids", pids);
}

static json_t *limits_json(const struct bundle_meta *m)
{
	return json_pack("{sIsIsIsIsIsIsfsbsb}",
			 "args_max", (json_int_t)m->limits.args_max,
			 "arg_len_max", (json_int_t)m->limits.arg_len_max,
			 "args_bytes", (json_int_t)m->limits.args_bytes,
			 "path_max", (json_int_t)m->limits.path_max,
			 "max_procs", (json_int_t)m->limits.max_procs,
			 "buffer_bytes", (json_int_t)m->limits.buffer_bytes,
			 "timeout_s", m->limits.timeout,
			 "capture_env", m->limits.capture_env,
			 "redaction", m->limits.redaction);
}

json_t *meta_new(const struct bundle_meta *m, char *err, size_t errlen)
{
	char id[37];
	json_t *j;

	if (new_uuid(id)) {
		snprintf(err, errlen, "cannot draw a random investigation id (getrandom failed)");
		return NULL;
	}
	j = json_pack("{sssisssssisssososososssoso}",
		      "format", BUNDLE_FORMAT_NAME, "format_version", BUNDLE_FORMAT_VERSION,
		      "state", "running",
		      "procscope_version", m->procscope_version ? m->procscope_version : "unknown",
		      "schema_version", PS_SCHEMA_VERSION, "investigation_id", id,
		      "host", host_json(), "user", user_json(), "command", command_json(m),
		      "limits", limits_json(m), "backend", m->backend ? m->backend : "unknown",
		      "start", time_json(m->start_ns), "end", json_null());
	if (!j)
		snprintf(err, errlen, "cannot build metadata.json: out of memory");
	return j;
}

static json_t *counts_json(struct bidx *x)
{
	json_t *o = json_object();
	size_t i;

	tally_sort(&x->types);
	for (i = 0; i < x->types.n; i++)
		json_object_set_new(o, x->types.items[i]->key, json_integer(x->types.items[i]->total));
	return o;
}

static json_t *omitted_json(struct bidx *x, uint64_t not_written)
{
	return json_pack("{sIsIsIsIsIsIsIsI}",
			 "lines_not_written", (json_int_t)not_written,
			 "lines_unparsed", (json_int_t)x->unparsed,
			 "paths", (json_int_t)x->files.omitted,
			 "endpoints", (json_int_t)x->net.omitted,
			 "process_events", (json_int_t)x->procs_omitted,
			 "notable_events", (json_int_t)x->notable.omitted,
			 "failures", (json_int_t)x->failures.omitted,
			 "types", (json_int_t)x->types.omitted);
}

static json_t *member(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return v ? json_incref(v) : json_null();
}

/* The stats record's verdict and every drop and truncation counter. */
static json_t *stats_json(json_t *stats)
{
	if (!stats)
		return json_null();
	return json_pack("{sosososo}", "events", member(stats, "events"),
			 "lost", member(stats, "lost"), "complete", member(stats, "complete"),
			 "counters", member(stats, "counters"));
}

void meta_finish(json_t *j, const struct bundle_meta *m, struct bidx *x, const char *chain_head,
		 uint64_t lines, uint64_t not_written, bool stopped_early)
{
	json_t *stats = x->stats;
	bool complete = stats && json_is_true(json_object_get(stats, "complete")) &&
			!stopped_early && !not_written && !m->stop_reason;

	json_object_set_new(j, "state", json_string("finished"));
	json_object_set_new(j, "end", time_json(m->end_ns));
	json_object_set_new(j, "duration_s", m->end_ns > m->start_ns && m->start_ns ?
				json_real((m->end_ns - m->start_ns) / 1e9) : json_null());
	json_object_set_new(j, "exit_status", m->exit_status >= 0 ?
				json_integer(m->exit_status) : json_null());
	json_object_set_new(j, "exit_signal", m->exit_signal ? json_text(m->exit_signal) : json_null());
	json_object_set_new(j, "stop_reason", m->stop_reason ? json_text(m->stop_reason) :
				stopped_early ? json_string("no stats record") : json_null());
	json_object_set_new(j, "events", json_pack("{sIso}", "total", (json_int_t)lines,
						   "by_type", counts_json(x)));
	json_object_set_new(j, "stats", stats_json(stats));
	json_object_set_new(j, "omitted", omitted_json(x, not_written));
	json_object_set_new(j, "chain_head", json_string(chain_head));
	json_object_set_new(j, "complete", json_boolean(complete));
}

int meta_gen(FILE *f, void *json)
{
	if (json_dumpf(json, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10)))
		return -1;
	fputc('\n', f);
	return ferror(f) ? -1 : 0;
}
