// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* procscope: what did this program, and everything it started, do? */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "doctor.h"
#include "exitcodes.h"
#include "report.h"
#include "trace.h"
#include "verify.h"

struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv);
};

static const struct subcommand subcommands[] = {
	{ "doctor", doctor_main },
	{ "verify", verify_main },
	{ "report", report_main },
};

int main(int argc, char **argv)
{
	struct ps_opts opts;
	size_t i;
	int ret;

	if (argc > 1) {
		for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
			if (!strcmp(argv[1], subcommands[i].name))
				return subcommands[i].run(argc - 1, argv + 1);
	}
	ret = cli_parse(argc, argv, &opts);
	if (ret >= 0)
		return ret;
	return trace_main(&opts);
}
