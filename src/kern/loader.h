/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Opening, sizing, loading and attaching the BPF programs (nothing is pinned). */
#ifndef PS_LOADER_H
#define PS_LOADER_H

#include <stdbool.h>
#include <stddef.h>

struct procscope_bpf;
struct rules_kernel;
struct ev_filter;

struct loader_opts {
	unsigned long ringbuf_bytes;  /* power of two, >= 4096 */
	unsigned int max_procs;       /* tracked map entries */
	unsigned int args_bytes;      /* bytes of argv read at exec */
	bool capture_env;
	int result;                   /* enum ps_result_filter */
	bool confine;                 /* stop following processes that gain privileges */
	bool all;                     /* --all: follow every user process, whatever its parent */
	bool verbose;                 /* libbpf and verifier messages on stderr */
	const struct rules_kernel *rules; /* sandboxes the kernel enforces; NULL: none */
	const struct ev_filter *filter;   /* -e and --path; NULL: none */
};

/* Returns PS_EXIT_OK or an exit code with one sentence in err. */
int loader_load(struct procscope_bpf **skel, const struct loader_opts *lo,
		char *err, size_t errlen);
int loader_attach(struct procscope_bpf *skel, char *err, size_t errlen);
void loader_destroy(struct procscope_bpf *skel);

#endif
