// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* procscope: what did this program, and everything it started, do? */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "cmd/doctor.h"
#include "common/exitcodes.h"
#include "proc/launcher.h"
#include "cmd/report.h"
#include "cmd/rules.h"
#include "cmd/trace.h"
#include "cmd/verify.h"

struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv);
};

static const struct subcommand subcommands[] = {
	{ "doctor", doctor_main },
	{ "verify", verify_main },
	{ "report", report_main },
	{ "rules", rules_main },
};

/*
 * "procscope verfy DIR" would trace a program named verfy: when no such
 * program is on PATH, the user meant a subcommand.
 */
static int refuse_misspelt(const char *word)
{
	char path[PATH_MAX];
	size_t i;

	if (word[0] == '-')
		return -1; /* an option, never a subcommand (--rules is not "rules") */
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++) {
		if (!cli_misspelt(word, subcommands[i].name))
			continue;
		if (launch_find(word, path, sizeof(path)) != ENOENT)
			return -1;
		fprintf(stderr, "procscope: '%s' is not a command; did you mean 'procscope %s'?\n",
			word, subcommands[i].name);
		return PS_EXIT_USAGE;
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct ps_opts opts;
	char **self;
	size_t i;
	int ret;

	if (argc > 1) {
		for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
			if (!strcmp(argv[1], subcommands[i].name))
				return subcommands[i].run(argc - 1, argv + 1);
		ret = refuse_misspelt(argv[1]);
		if (ret >= 0)
			return ret;
	}
	/* getopt reorders argv: the run header shows it as it was typed. */
	self = calloc(argc + 1, sizeof(*self));
	if (self)
		memcpy(self, argv, argc * sizeof(*self));
	ret = cli_parse(argc, argv, &opts);
	if (ret < 0) {
		opts.self_argv = self;
		opts.self_argc = self ? argc : 0;
		ret = trace_main(&opts);
	}
	free(self);
	return ret;
}
