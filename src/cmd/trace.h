/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Trace mode: preflight, load, launch or attach, consume, tear down. */
#ifndef PS_TRACE_H
#define PS_TRACE_H

struct ps_opts;

/* Returns the exit status procscope should end with. */
int trace_main(struct ps_opts *o);

#endif
