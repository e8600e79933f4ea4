/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* procscope rules check FILE... | rules list: the rules language's own subcommand. */
#ifndef PS_CMD_RULES_H
#define PS_CMD_RULES_H

struct ruleset;
struct ps_opts;

int rules_main(int argc, char **argv);

/*
 * The ruleset a trace runs with: the --rules files, else the default policy
 * unless --no-default-rules.  Returns 0 (rs empty when there are none), or
 * an exit code with one sentence printed.
 */
int rules_for_trace(const struct ps_opts *o, struct ruleset *rs);

#endif
