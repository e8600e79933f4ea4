/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The evidence bundle (--bundle DIR): every event streamed to events.jsonl
 * as it arrives, each line hash-chained to the one before, then at the end
 * the summaries, a self-contained report.html and MANIFEST.sha256.  The
 * format, the chain rule and `verify`'s exit codes are in docs/bundle.md.
 *
 * A bundle cut short (procscope killed) keeps every line already flushed and
 * metadata.json says "state":"running": `verify` reports it as incomplete,
 * not corrupt, as long as the chain holds.
 */
#ifndef PS_BUNDLE_H
#define PS_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct ps_opts;

/* What the trace code knows about the run.  Any string may be NULL. */
struct bundle_meta {
	const char *procscope_version;
	const char *const *argv;     /* the traced command, ALREADY REDACTED */
	int argc;
	const char *cwd;             /* NULL: procscope's own working directory */
	const pid_t *target_pids;    /* attach mode */
	int ntargets;
	const char *backend;         /* "tracepoints" */
	struct {
		unsigned int args_max, arg_len_max, args_bytes, path_max, max_procs;
		unsigned long buffer_bytes;
		double timeout;          /* seconds, 0: none */
		bool capture_env, redaction;
	} limits;
	uint64_t start_ns, end_ns;   /* CLOCK_REALTIME; 0: unknown */
	int exit_status;             /* procscope's exit status for the command; -1: unknown */
	const char *exit_signal;     /* "SIGKILL" when the command died of a signal */
	const char *stop_reason;     /* why the run ended early ("SIGINT", "timeout"...); NULL: it did not */
};

struct bundle;

/*
 * Fill `m` from the command line: version, limits, targets, backend, start
 * time now, exit status unknown.  argv is left NULL: set it to the redacted
 * command line before bundle_open().
 */
void bundle_meta_init(struct bundle_meta *m, const struct ps_opts *o);

/*
 * Create the bundle directory `dir` (0750; an existing one must be empty
 * unless `force`) and write metadata.json ("state":"running").  Returns NULL
 * with one sentence in `err` on failure.
 */
struct bundle *bundle_open(const char *dir, bool force, const struct bundle_meta *meta,
			   char *err, size_t errlen);

/*
 * Append one event: a JSON object line without newline, in seq order, the
 * stats record last.  Lines are flushed to disk at least every 100 ms or
 * 256 lines.  Returns 0, or -1 when the line was not written (a bad line,
 * or an earlier write error: after one, no more lines are written, so the
 * chain never has a hole; the count goes into metadata.json).  `facts`
 * (NULL: none) are what the caller knows of the event without parsing it.
 */
struct bfacts;
int bundle_event(struct bundle *b, const char *line, size_t len, const struct bfacts *facts);

/* Write out buffered lines now (call when idle, e.g. on a poll timeout). */
int bundle_flush(struct bundle *b);

/*
 * Finish: fsync events.jsonl, write the summaries and report, rewrite
 * metadata.json ("state":"finished"), then MANIFEST.sha256, whose SHA-256
 * goes to `manifest_hex` (65 bytes, may be NULL).  Always frees `b`.
 * Returns 0, or -1 with a sentence in `err`.
 */
int bundle_close(struct bundle *b, const struct bundle_meta *meta, char *manifest_hex,
		 char *err, size_t errlen);

/*
 * The bundle as a sink of the pipeline (output/sink.h): created by its
 * open, sealed by its close with `meta` as the caller has completed it by
 * then (exit status, end time, stop reason).
 */
struct sink;
struct sink *sink_bundle_new(const char *dir, bool force, struct bundle_meta *meta);

#endif
