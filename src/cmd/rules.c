// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * procscope rules check FILE...   load, check and fold rules files; print the
 *                                 compiled form per hook (exit 0), or the
 *                                 first error as FILE:LINE:COL (exit 65)
 * procscope rules list [--hooks]  the default policy, or the hooks and the
 *                                 event attributes each accepts
 */
#include <stdio.h>
#include <string.h>

#include "cmd/cli.h"
#include "cmd/rules.h"
#include "common/exitcodes.h"
#include "rules/rules.h"

static void usage(FILE *f)
{
	fputs("Usage: procscope rules check FILE...   check rules files and print what they compile to\n"
	      "       procscope rules list [--hooks]  the default policy (--hooks: every hook and its\n"
	      "                                       event attributes)\n", f);
}

static int load_files(struct ruleset *rs, char *const *files, int n)
{
	char err[512];
	int i;

	for (i = 0; i < n; i++) {
		if (rules_load_file(rs, files[i], err, sizeof(err))) {
			fprintf(stderr, "procscope: %s\n", err);
			return PS_EXIT_DATAERR;
		}
	}
	return 0;
}

static int check(int argc, char **argv)
{
	struct ruleset rs = { 0 };
	int ret;

	if (argc < 1) {
		fputs("procscope rules check: give the rules file(s) to check\n", stderr);
		return PS_EXIT_USAGE;
	}
	ret = load_files(&rs, argv, argc);
	if (!ret) {
		rules_print(stdout, &rs);
		printf("%zu rule%s in %d file%s: OK\n", rules_count(&rs), rules_count(&rs) == 1 ? "" : "s",
		       argc, argc == 1 ? "" : "s");
	}
	rules_free(&rs);
	return ret;
}

static void list_hooks(void)
{
	int h, a;

	puts("Every hook accepts the scope attributes binary_path, binary_name, binary_prefix,\n"
	     "parent_binary_path, parent_binary_name, parent_binary_prefix.");
	for (h = 0; h < RH__COUNT; h++) {
		int n = 0;

		printf("%-20s", rules_hook_name(h));
		for (a = 0; a < RA_ARG0; a++)
			if (rules_hook_accepts(h, a))
				printf("%s%s", n++ ? ", " : "", rules_attr_name(a));
		if (rules_hook_accepts(h, RA_ARG0))
			printf("%sarg0 ... arg31", n++ ? ", " : "");
		printf("%s%s\n", n ? "" : "(scope only)", rules_hook_sandboxable(h) ? "" : "; no sandbox");
	}
}

static int list(int argc, char **argv)
{
	struct ruleset rs = { 0 };
	char err[512];

	if (argc == 1 && !strcmp(argv[0], "--hooks")) {
		list_hooks();
		return 0;
	}
	if (argc) {
		usage(stderr);
		return PS_EXIT_USAGE;
	}
	if (rules_load_default(&rs, err, sizeof(err))) {
		fprintf(stderr, "procscope: the built-in default policy does not load: %s\n", err);
		return PS_EXIT_SOFTWARE;
	}
	printf("The default policy (%zu rules; --rules FILE replaces it, --no-default-rules turns it off)\n\n",
	       rules_count(&rs));
	rules_print(stdout, &rs);
	rules_free(&rs);
	return 0;
}

int rules_main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "check"))
		return check(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "list"))
		return list(argc - 2, argv + 2);
	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return PS_EXIT_USAGE;
}

int rules_for_trace(const struct ps_opts *o, struct ruleset *rs)
{
	char err[512];
	int ret;

	memset(rs, 0, sizeof(*rs));
	if (o->nrules) {
		ret = load_files(rs, (char *const *)o->rules, o->nrules);
		if (ret)
			rules_free(rs);
		return ret;
	}
	if (o->no_default_rules)
		return 0;
	if (rules_load_default(rs, err, sizeof(err))) {
		fprintf(stderr, "procscope: the built-in default policy does not load: %s\n", err);
		rules_free(rs);
		return PS_EXIT_SOFTWARE;
	}
	return 0;
}
