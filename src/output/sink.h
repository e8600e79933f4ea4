/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * One output of a run.  The dispatcher (sinks.c) decodes each record once,
 * folds it into the process model once, renders the JSON line once if any
 * sink wants it, then hands the same sink_rec to every sink in turn.  A sink
 * is a `struct sink_ops` plus its private state; see docs/architecture.md,
 * "Add a sink".
 */
#ifndef PS_SINK_H
#define PS_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct model;
struct proc;
struct ps_event;
struct run;

/* What a sink is given per record. */
struct sink_rec {
	const struct ps_event *ev;   /* the decoded event; NULL for the run header and stats record */
	const char *type;            /* "run", "stats", or ev->type */
	struct proc *proc;           /* ev's process in the model; NULL when none */
	struct model *model;
	const struct run *run;
	uint64_t seq;
	/* The record as one JSON object, no newline: set when a sink's ops want_json. */
	const char *json;
	size_t json_len;
};

struct sink;

struct sink_ops {
	const char *name;
	bool want_json;              /* needs sink_rec.json */
	/* Before anything runs, so that a bad path costs nothing.  -1 with a sentence in err. */
	int (*open)(struct sink *s, const struct run *run, char *err, size_t errlen);
	/* One record; -1 when it could not be written (counted as write_failed). */
	int (*event)(struct sink *s, const struct sink_rec *r);
	/* Idle: write out what is buffered.  -1 on a write failure. */
	int (*flush)(struct sink *s);
	/*
	 * The end of the run (`finished`), or an abort before it ran.  Frees
	 * the sink's state.  -1 with a sentence in err when a finished run's
	 * output could not be completed.
	 */
	int (*close)(struct sink *s, bool finished, char *err, size_t errlen);
};

struct sink {
	const struct sink_ops *ops;
	void *priv;
	struct sink *next;
	bool opened;
};

/*
 * A sink with `ops` and zeroed private state of `priv_size` bytes; NULL when
 * out of memory.  The sink's close frees the private state, the dispatcher
 * the sink itself.
 */
struct sink *sink_new(const struct sink_ops *ops, size_t priv_size);

#endif
