/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * procscope's own exit codes (documented in the README).  In trace mode the
 * command's own status is passed through, so these follow sysexits(3), a
 * range ordinary programs rarely use.
 */
#ifndef PS_EXITCODES_H
#define PS_EXITCODES_H

#define PS_EXIT_OK          0
#define PS_EXIT_FAILED      1   /* verify: the bundle failed a check */
#define PS_EXIT_INCOMPLETE  2   /* verify: intact, but the capture was cut short */
#define PS_EXIT_USAGE       64  /* wrong flag or argument */
#define PS_EXIT_DATAERR     65  /* malformed input file (rules, bundle) */
#define PS_EXIT_NOINPUT     66  /* a PID or input file that does not exist */
#define PS_EXIT_UNAVAILABLE 69  /* the kernel lacks something procscope needs */
#define PS_EXIT_SOFTWARE    70  /* internal error, e.g. a BPF program failed to load */
#define PS_EXIT_OSERR       71  /* system error: fork, memory, map creation */
#define PS_EXIT_CANTCREAT   73  /* an output file or directory cannot be created */
#define PS_EXIT_NOPERM      77  /* missing capabilities, or a PID that may not be traced */
#define PS_EXIT_TIMEOUT     124 /* --timeout expired before the traced tree ended */
#define PS_EXIT_NOEXEC      126 /* the command exists but cannot be executed */
#define PS_EXIT_NOTFOUND    127 /* the command was not found */

#endif
