/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Command line of the trace mode (subcommands parse their own). */
#ifndef PS_CLI_H
#define PS_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "event/filter.h"
#include "proc/attach.h"

#define PS_MAX_REDACT 32
#define PS_MAX_RULES_FILES 16
#define PS_MAX_EVENTS_ARGS 16

struct ps_opts {
	char **argv;               /* command to launch, or NULL in attach mode */
	pid_t pids[PS_MAX_TARGETS];
	int npids;
	bool json_stdout;          /* --json */
	const char *output;        /* -o FILE */
	bool append;               /* --append */
	unsigned long long rotate_size; /* --rotate-size, bytes; 0: never */
	unsigned int rotate_keep;  /* --rotate-keep */
	const char *output_socket; /* --output-socket PATH */
	const char *metrics;       /* --metrics FILE */
	unsigned int metrics_interval; /* --metrics-interval, seconds */
	const char *bundle;        /* --bundle DIR */
	bool force;
	bool quiet;                /* -q: no live timeline */
	const char *timeline;      /* --timeline PATH: the timeline there, not on stderr */
	int color;                 /* -1 auto, 0 never, 1 always */
	bool full;                 /* --full: no folding on the timeline */
	bool summary;              /* -c: the calls table at the end */
	bool all;                  /* --all: every process on the host */
	unsigned int gc_period;    /* --gc-period, seconds; 0: the mode's default */
	double timeout;            /* seconds, 0: none */
	bool capture_env;          /* --env */
	int result;                /* enum ps_result_filter: --failed, --succeeded */
	struct ev_filter filter;   /* -e/--events and --path, parsed */
	const char *events[PS_MAX_EVENTS_ARGS]; /* -e as typed, for the run header */
	int nevents;
	const char *paths[PS_PATHS_MAX]; /* --path as typed */
	int npaths;
	const char *rules[PS_MAX_RULES_FILES]; /* --rules FILE */
	int nrules;
	bool no_default_rules;     /* --no-default-rules */
	bool no_redact;
	const char *redact[PS_MAX_REDACT];
	int nredact;
	const char *user;          /* --user NAME */
	unsigned int args_max;     /* argv elements kept */
	unsigned int arg_len_max;  /* bytes kept of one argv element */
	unsigned int args_bytes;   /* bytes of the argv area read in the kernel */
	unsigned long buffer_bytes;
	unsigned int max_procs;
	bool verbose;
	char **self_argv;          /* procscope's own command line, as given (for the run header) */
	int self_argc;
};

/*
 * Without root or CAP_SYS_ADMIN an invoker may pin at most this much kernel
 * memory: a capability-only procscope must not let any user exhaust it.
 */
#define PS_UNPRIV_BUFFER_MIB 64
#define PS_UNPRIV_MAX_PROCS  65536

/* -1 if the kernel memory `o` asks for is within the invoker's limits, else 64 with a sentence. */
int cli_check_limits(const struct ps_opts *o, bool privileged);

/* Returns -1 to go on, or an exit code (help and version print and return 0). */
int cli_parse(int argc, char **argv, struct ps_opts *o);
void cli_usage(FILE *f);

/*
 * Is `word` a slip of the subcommand `name` (one or two letters added, lost
 * or changed), and not a path?
 */
bool cli_misspelt(const char *word, const char *name);

#endif
