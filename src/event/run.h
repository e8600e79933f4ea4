/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * One run of procscope: the settings every event is rendered with, and what
 * the run header (the first record, {"type":"run"}) says about the run.
 * Set once before the first event; events point here rather than carry
 * copies.
 */
#ifndef PS_RUN_H
#define PS_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "event/render.h"

struct redactor;
struct out;

#define RUN_HOST_LEN 256
#define RUN_BOOT_ID_LEN 40
#define RUN_KERNEL_LEN 128
#define RUN_CWD_LEN 4096
#define RUN_FILTERS_MAX 32

struct run {
	/* How events are rendered. */
	struct render_ctx rc;
	const struct redactor *redact;       /* NULL: no redaction */
	unsigned int args_max;               /* argv elements kept */
	unsigned int arg_len_max;            /* bytes kept of one argv element */
	/* What the run header says.  Any pointer may be NULL. */
	const char *version;
	const char *const *argv;             /* procscope's own command line, ALREADY REDACTED */
	int argc;
	const char *const *command;          /* launch mode: the traced command, ALREADY REDACTED */
	int ncommand;
	const pid_t *pids;                   /* attach mode: the targets */
	int npids;
	bool all;                            /* --all: every process on the host */
	const char *filters[RUN_FILTERS_MAX]; /* in force, as typed: "--failed", "-e file" ... */
	const char *const *rules_files;      /* NULL-terminated; NULL: none */
	uint64_t start_boot;                 /* when the run started, ns since boot */
	char cwd[RUN_CWD_LEN];               /* "" when unknown */
	char host[RUN_HOST_LEN];
	char boot_id[RUN_BOOT_ID_LEN];
	char kernel[RUN_KERNEL_LEN];
};

/* Fill the machine's side of the header: working directory, host name, boot id, kernel. */
void run_identify(struct run *r);

/* "launch" when a command is launched, else "attach". */
const char *run_mode(const struct run *r);

/* The run header record, {"type":"run",...}, as the record numbered `seq`. */
void run_render(const struct run *r, struct out *o, uint64_t seq);

#endif
