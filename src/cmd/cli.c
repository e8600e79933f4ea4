// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cli.h"
#include "common/exitcodes.h"
#include "machine/preflight.h"
#include "output/metrics.h"
#include "output/rotate.h"
#include "records.h"

void cli_usage(FILE *f)
{
	fputs(
"Usage: procscope [OPTIONS] -- COMMAND [ARG...]   trace a command and everything it starts\n"
"       procscope [OPTIONS] -p PID[,PID...]       trace running processes and their children\n"
"       procscope [OPTIONS] --all                 trace every process on the host (root)\n"
"       procscope doctor [--json]                 what this machine allows, and how to fix it\n"
"       procscope verify DIR                      check an evidence bundle\n"
"       procscope report DIR [--format md|html|text]\n"
"       procscope rules check FILE...             check rules files, print what they compile to\n"
"       procscope rules list                      the default policy, rule by rule\n"
"\n"
"Output:\n"
"  --json               JSON Lines on stdout (the command's stdout goes to stderr)\n"
"  -o, --output FILE    JSON Lines to FILE (with --json: to both); - or /dev/stdout: stdout\n"
"  --append             add to an existing -o FILE (the invoker's own) instead of refusing it\n"
"  --rotate-size SIZE   rotate -o FILE before it grows past SIZE (bytes, or with k, M, G)\n"
"  --rotate-keep N      rotated files kept: FILE.1 (newest) to FILE.N (default 5, at most 999)\n"
"  --output-socket PATH JSON Lines to a Unix stream socket; reconnects, never sends half a record\n"
"  --metrics FILE       Prometheus text metrics, rewritten atomically every interval and at the end\n"
"  --metrics-interval SECONDS  how often --metrics is rewritten (default 5, 1 to 3600)\n"
"  --bundle DIR         write an evidence bundle into DIR\n"
"  --force              overwrite an existing output file, write into a non-empty DIR\n"
"  -q, --quiet          no live timeline on stderr\n"
"  --timeline PATH      the live timeline on this terminal, FIFO or new file instead\n"
"  --color WHEN         colour the timeline: auto (on a terminal, unless NO_COLOR is set),\n"
"                       always, never\n"
"  --full               every event on the timeline: no folding of loader and locale\n"
"                       lookups or of PATH-search exec misses\n"
"  -c, --summary        at the end, a table per event type and syscall on stderr: calls,\n"
"                       errors by errno, first and last time (no live timeline on stderr)\n"
"Scope:\n"
"  -p, --pid PIDS       attach to these processes (comma-separated)\n"
"  --all                every process on the host (root or CAP_SYS_ADMIN): only rule\n"
"                       matches, execs and exits are reported unless -e widens it\n"
"  --gc-period SECONDS  keep an exited process in the model this long (default 30 with\n"
"                       --all, 5 otherwise; 1 to 3600)\n"
"  --user NAME          run COMMAND as this user (root only)\n"
"  --timeout SECONDS    stop tracing after this long, 0.001 to 31536000 (exit code 124)\n"
"Filters (in the kernel; exec, fork and exit are kept unless -e excludes them):\n"
"  -e, --events LIST    only these classes, event types or syscalls; !NAME excludes,\n"
"                       globs allowed (-e file,net  -e '!openat'  -e trace=%network)\n"
"  --path PREFIX        file events only under PREFIX (repeatable, at most 8)\n"
"  --list-events        print the classes, event types and syscalls -e accepts\n"
"  --failed             only syscalls that failed (returned an errno)\n"
"  --succeeded          only syscalls that succeeded\n"
"Rules (findings carry \"rule\"; see docs/rules.md):\n"
"  --rules FILE         use this rules file instead of the default policy (repeatable)\n"
"  --no-default-rules   no default policy: report no findings unless --rules is given\n"
"Privacy:\n"
"  --env                capture each exec's environment (redacted)\n"
"  --redact REGEX       also redact what matches REGEX (repeatable)\n"
"  --no-redact          do not redact secrets in arguments and environment\n"
"Limits:\n"
"  --max-args N         argv elements kept per exec (default 64, at most 1024)\n"
"  --max-arg-len BYTES  bytes kept per argv element (default 1024, at most 65536)\n"
"  --args-bytes BYTES   bytes of argv read per exec (default 16384, at most 65536)\n"
"  --buffer-size MIB    ring buffer size (default 16, power of two, at most 1024;\n"
"                       64 without root or CAP_SYS_ADMIN)\n"
"  --max-procs N        processes followed at once (default 65536, at most 4194304;\n"
"                       65536 without root or CAP_SYS_ADMIN)\n"
"Other:\n"
"  -f, --follow-forks   accepted for strace users: children are always followed\n"
"  -v, --verbose        show libbpf and verifier messages\n"
"  -V, --version        print the version\n"
"  -h, --help           print this help\n"
"\n"
"Exit status: the command's own (128+N if it died of signal N); otherwise see README.\n",
	      f);
}

enum {
	OPT_JSON = 256, OPT_BUNDLE, OPT_FORCE, OPT_COLOR, OPT_USER, OPT_TIMEOUT, OPT_ENV,
	OPT_REDACT, OPT_NO_REDACT, OPT_MAX_ARGS, OPT_MAX_ARG_LEN, OPT_ARGS_BYTES,
	OPT_BUFFER, OPT_MAX_PROCS, OPT_APPEND, OPT_ROTATE_SIZE, OPT_ROTATE_KEEP, OPT_OUTPUT_SOCKET,
	OPT_METRICS, OPT_METRICS_INTERVAL, OPT_FAILED, OPT_SUCCEEDED, OPT_RULES, OPT_NO_DEFAULT_RULES,
	OPT_PATH, OPT_LIST_EVENTS, OPT_TIMELINE, OPT_FULL, OPT_ALL, OPT_GC_PERIOD,
};

static const struct option long_opts[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ "output", required_argument, NULL, 'o' },
	{ "append", no_argument, NULL, OPT_APPEND },
	{ "rotate-size", required_argument, NULL, OPT_ROTATE_SIZE },
	{ "rotate-keep", required_argument, NULL, OPT_ROTATE_KEEP },
	{ "output-socket", required_argument, NULL, OPT_OUTPUT_SOCKET },
	{ "metrics", required_argument, NULL, OPT_METRICS },
	{ "metrics-interval", required_argument, NULL, OPT_METRICS_INTERVAL },
	{ "bundle", required_argument, NULL, OPT_BUNDLE },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "timeline", required_argument, NULL, OPT_TIMELINE },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "full", no_argument, NULL, OPT_FULL },
	{ "summary", no_argument, NULL, 'c' },
	{ "pid", required_argument, NULL, 'p' },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "gc-period", required_argument, NULL, OPT_GC_PERIOD },
	{ "user", required_argument, NULL, OPT_USER },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "failed", no_argument, NULL, OPT_FAILED },
	{ "succeeded", no_argument, NULL, OPT_SUCCEEDED },
	{ "events", required_argument, NULL, 'e' },
	{ "path", required_argument, NULL, OPT_PATH },
	{ "list-events", no_argument, NULL, OPT_LIST_EVENTS },
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "no-default-rules", no_argument, NULL, OPT_NO_DEFAULT_RULES },
	{ "env", no_argument, NULL, OPT_ENV },
	{ "redact", required_argument, NULL, OPT_REDACT },
	{ "no-redact", no_argument, NULL, OPT_NO_REDACT },
	{ "max-args", required_argument, NULL, OPT_MAX_ARGS },
	{ "max-arg-len", required_argument, NULL, OPT_MAX_ARG_LEN },
	{ "args-bytes", required_argument, NULL, OPT_ARGS_BYTES },
	{ "buffer-size", required_argument, NULL, OPT_BUFFER },
	{ "max-procs", required_argument, NULL, OPT_MAX_PROCS },
	{ "follow-forks", no_argument, NULL, 'f' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

static int usage_error(const char *fmt, const char *arg)
{
	fputs("procscope: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs(" (see procscope --help)\n", stderr);
	return PS_EXIT_USAGE;
}

/* How many long options `name` (its first `len` bytes) names; an exact name is one. */
static int long_matches(const char *name, size_t len)
{
	const struct option *lo;
	int n = 0;

	for (lo = long_opts; lo->name; lo++) {
		if (strncmp(lo->name, name, len))
			continue;
		if (strlen(lo->name) == len)
			return 1;
		n++;
	}
	return n;
}

/*
 * getopt's own messages are off: one sentence instead, naming the option as
 * it was typed (`word` is the argument getopt was reading).
 */
static int option_error(int opt, const char *word)
{
	size_t len;
	char name[80];

	if (!strncmp(word, "--", 2)) {
		len = strcspn(word + 2, "=");
		snprintf(name, sizeof(name), "--%.*s", (int)len, word + 2);
		if (opt == ':')
			return usage_error("option %s needs a value", name);
		switch (long_matches(word + 2, len)) {
		case 0:
			return usage_error("option %s is unknown", name);
		case 1:
			return usage_error("option %s takes no value", name);
		default:
			return usage_error("option %s is ambiguous: write its whole name", name);
		}
	}
	if (isprint(optopt))
		snprintf(name, sizeof(name), "-%c", optopt);
	else
		snprintf(name, sizeof(name), "-\\x%02x", (unsigned int)(optopt & 0xff));
	return usage_error(opt == ':' ? "option %s needs a value" : "option %s is unknown", name);
}

/* A whole number in [min, max], or -1. */
static long number(const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	return v;
}

/*
 * Plain decimal seconds in [0.001, one year]: strtod alone would take "nan"
 * (which compares false with every bound and so meant no timeout), "inf",
 * hex and leading blanks.
 */
static int parse_seconds(const char *s, double *out)
{
	size_t digits = strspn(s, "0123456789");
	const char *p = s + digits;
	double v;

	if (*p == '.') {
		p++;
		digits += strspn(p, "0123456789");
		p += strspn(p, "0123456789");
	}
	if (!digits || *p)
		return -1;
	v = strtod(s, NULL);
	if (!(v >= 0.001 && v <= 31536000))
		return -1;
	*out = v;
	return 0;
}

static int parse_limit(int opt, const char *arg, struct ps_opts *o)
{
	long v;

	switch (opt) {
	case OPT_MAX_ARGS:
		v = number(arg, 1, 1024);
		if (v < 0)
			return usage_error("--max-args takes a number from 1 to 1024, not '%s'", arg);
		o->args_max = v;
		break;
	case OPT_MAX_ARG_LEN:
		v = number(arg, 16, PS_ARGS_MAX);
		if (v < 0)
			return usage_error("--max-arg-len takes a number of bytes from 16 to 65536, not '%s'", arg);
		o->arg_len_max = v;
		break;
	case OPT_ARGS_BYTES:
		v = number(arg, 256, PS_ARGS_MAX);
		if (v < 0)
			return usage_error("--args-bytes takes a number of bytes from 256 to 65536, not '%s'", arg);
		o->args_bytes = v;
		break;
	case OPT_BUFFER:
		v = number(arg, 1, 1024);
		if (v < 0 || (v & (v - 1)))
			return usage_error("--buffer-size takes a power of two from 1 to 1024 (MiB), not '%s'", arg);
		o->buffer_bytes = (unsigned long)v << 20;
		break;
	case OPT_ROTATE_KEEP:
		v = number(arg, 1, ROTATE_KEEP_MAX);
		if (v < 0)
			return usage_error("--rotate-keep takes a number from 1 to 999, not '%s'", arg);
		o->rotate_keep = v;
		break;
	case OPT_METRICS_INTERVAL:
		v = number(arg, 1, METRICS_INTERVAL_MAX);
		if (v < 0)
			return usage_error("--metrics-interval takes a number of seconds from 1 to 3600, not '%s'", arg);
		o->metrics_interval = v;
		break;
	case OPT_ROTATE_SIZE:
		o->rotate_size = rotate_parse_size(arg);
		if (o->rotate_size < ROTATE_SIZE_MIN)
			return usage_error("--rotate-size takes a size from 1k to 1024G (a number of bytes, or with k, M or G), not '%s'", arg);
		break;
	case OPT_GC_PERIOD:
		v = number(arg, 1, 3600);
		if (v < 0)
			return usage_error("--gc-period takes a number of seconds from 1 to 3600, not '%s'", arg);
		o->gc_period = v;
		break;
	case OPT_MAX_PROCS:
		v = number(arg, 16, 1 << 22);
		if (v < 0)
			return usage_error("--max-procs takes a number from 16 to 4194304, not '%s'", arg);
		o->max_procs = v;
		break;
	}
	return -1;
}

static int parse_one(int opt, const char *arg, struct ps_opts *o)
{
	char err[256];

	switch (opt) {
	case OPT_JSON:
		o->json_stdout = true;
		break;
	case 'o':
		o->output = arg;
		break;
	case OPT_BUNDLE:
		o->bundle = arg;
		break;
	case OPT_APPEND:
		o->append = true;
		break;
	case OPT_OUTPUT_SOCKET:
		o->output_socket = arg;
		break;
	case OPT_METRICS:
		o->metrics = arg;
		break;
	case OPT_FORCE:
		o->force = true;
		break;
	case 'q':
		o->quiet = true;
		break;
	case OPT_TIMELINE:
		o->timeline = arg;
		break;
	case OPT_FULL:
		o->full = true;
		break;
	case OPT_ALL:
		o->all = true;
		break;
	case 'c':
		o->summary = true;
		break;
	case OPT_COLOR:
		if (!strcmp(arg, "auto"))
			o->color = -1;
		else if (!strcmp(arg, "always"))
			o->color = 1;
		else if (!strcmp(arg, "never"))
			o->color = 0;
		else
			return usage_error("--color takes auto, always or never, not '%s'", arg);
		break;
	case 'p':
		if (attach_parse(arg, o->pids, PS_MAX_TARGETS, &o->npids, err, sizeof(err)))
			return usage_error("%s", err);
		break;
	case OPT_USER:
		o->user = arg;
		break;
	case OPT_TIMEOUT:
		if (parse_seconds(arg, &o->timeout))
			return usage_error("--timeout takes a number of seconds from 0.001 to 31536000 (a year), not '%s'", arg);
		break;
	case OPT_FAILED:
	case OPT_SUCCEEDED:
		if (o->result)
			return usage_error("give --failed or --succeeded, not both (or the same twice)%s", "");
		o->result = opt == OPT_FAILED ? PS_RESULT_FAILED : PS_RESULT_SUCCEEDED;
		break;
	case 'e':
		if (o->nevents == PS_MAX_EVENTS_ARGS)
			return usage_error("at most 16 -e lists (one list may name many)%s", "");
		if (filter_add_events(&o->filter, arg, err, sizeof(err)))
			return usage_error("%s", err);
		o->events[o->nevents++] = arg;
		break;
	case OPT_PATH:
		if (filter_add_path(&o->filter, arg, err, sizeof(err)))
			return usage_error("%s", err);
		o->paths[o->npaths++] = arg;
		break;
	case OPT_LIST_EVENTS:
		filter_list(stdout);
		return PS_EXIT_OK;
	case OPT_RULES:
		if (o->nrules == PS_MAX_RULES_FILES)
			return usage_error("at most 16 --rules files%s", "");
		o->rules[o->nrules++] = arg;
		break;
	case OPT_NO_DEFAULT_RULES:
		o->no_default_rules = true;
		break;
	case OPT_ENV:
		o->capture_env = true;
		break;
	case OPT_REDACT:
		if (o->nredact == PS_MAX_REDACT)
			return usage_error("at most 32 --redact patterns%s", "");
		o->redact[o->nredact++] = arg;
		break;
	case OPT_NO_REDACT:
		o->no_redact = true;
		break;
	case 'f':
		/* strace's "follow forks": procscope always follows the whole tree. */
		break;
	case 'v':
		o->verbose = true;
		break;
	case 'V':
		printf("procscope %s (record schema %d)\n", PS_VERSION, PS_SCHEMA_VERSION);
		return PS_EXIT_OK;
	case 'h':
		cli_usage(stdout);
		return PS_EXIT_OK;
	default:
		return parse_limit(opt, arg, o);
	}
	return -1;
}

int cli_check_limits(const struct ps_opts *o, bool privileged)
{
	char msg[256];

	/* Both are kernel memory the invoker pins for as long as procscope runs. */
	if (privileged)
		return -1;
	if (o->buffer_bytes > (unsigned long)PS_UNPRIV_BUFFER_MIB << 20) {
		snprintf(msg, sizeof(msg), "--buffer-size %lu is over the %d MiB of kernel memory a user other than root may pin; root or CAP_SYS_ADMIN lifts this limit",
			 o->buffer_bytes >> 20, PS_UNPRIV_BUFFER_MIB);
		return usage_error("%s", msg);
	}
	if (o->max_procs > PS_UNPRIV_MAX_PROCS) {
		snprintf(msg, sizeof(msg), "--max-procs %u is over the %d processes a user other than root may size the kernel's process map for; root or CAP_SYS_ADMIN lifts this limit",
			 o->max_procs, PS_UNPRIV_MAX_PROCS);
		return usage_error("%s", msg);
	}
	return -1;
}

/* "-o -" and "-o /dev/stdout" name procscope's own stdout, not a file to create. */
static bool is_stdout(const char *path)
{
	return !strcmp(path, "-") || !strcmp(path, "/dev/stdout");
}

/* --all: alone, and only for whoever may see every process. */
static int check_all(const struct ps_opts *o)
{
	if (o->argv || o->npids)
		return usage_error("--all traces every process on the host: give it without a command or -p%s", "");
	if (!preflight_may_pin_memory()) {
		fputs("procscope: --all shows every process on the host, more than an ordinary user may see: run it as root or with CAP_SYS_ADMIN\n",
		      stderr);
		return PS_EXIT_NOPERM;
	}
	return -1;
}

static int check(struct ps_opts *o)
{
	int ret;

	if (o->all && (ret = check_all(o)) >= 0)
		return ret;
	if (!o->argv && !o->npids && !o->all)
		return usage_error("nothing to trace: give a command after -- or -p PID, or --all%s", "");
	if (o->argv && o->npids)
		return usage_error("give either a command or -p PID, not both%s", "");
	if (o->user && o->npids)
		return usage_error("--user applies to a launched command, not to -p%s", "");
	if (o->user && geteuid() != 0)
		return usage_error("--user needs root: only root may run a command as another user%s", "");
	if ((o->append || o->rotate_size || o->rotate_keep) && !o->output)
		return usage_error("--append, --rotate-size and --rotate-keep apply to -o FILE%s", "");
	if (o->rotate_keep && !o->rotate_size)
		return usage_error("--rotate-keep needs --rotate-size%s", "");
	if (o->metrics_interval && !o->metrics)
		return usage_error("--metrics-interval needs --metrics FILE%s", "");
	if (o->output_socket && !o->output_socket[0])
		return usage_error("--output-socket needs a path%s", "");
	if (o->output && is_stdout(o->output)) {
		if (o->append || o->rotate_size)
			return usage_error("--append and --rotate-size apply to a file, not to stdout%s", "");
		/* The same stream as --json: the command's own stdout moves to stderr. */
		o->output = NULL;
		o->json_stdout = true;
	}
	return cli_check_limits(o, preflight_may_pin_memory());
}

int cli_parse(int argc, char **argv, struct ps_opts *o)
{
	int opt, ret;

	memset(o, 0, sizeof(*o));
	o->color = -1;
	o->args_max = 64;
	o->arg_len_max = 1024;
	o->args_bytes = 16384;
	o->buffer_bytes = 16UL << 20;
	o->max_procs = 65536;
	opterr = 0;
	/* 0, not 1: glibc then also forgets a cluster ("-qV") an earlier call left half read. */
	optind = 0;
	for (;;) {
		/* getopt moves optind only past a whole word: this is the word it reads. */
		int at = optind ? optind : 1;

		/* '+': stop at the command, whose own options are not ours; ':': report a missing value apart. */
		opt = getopt_long(argc, argv, "+:o:qcp:e:fvVh", long_opts, NULL);
		if (opt == -1)
			break;
		if (opt == '?' || opt == ':')
			return option_error(opt, argv[at]);
		/* "-o -- cmd" lacks the value: it must not create a file named "--". */
		if (optarg && !strcmp(optarg, "--")) {
			optopt = opt;
			return option_error(':', argv[at]);
		}
		ret = parse_one(opt, optarg, o);
		if (ret >= 0)
			return ret;
	}
	if (optind < argc)
		o->argv = argv + optind;
	return check(o);
}

/* Levenshtein distance, computed only as far as `max`: max + 1 means "further". */
static unsigned int edit_distance(const char *a, const char *b, unsigned int max)
{
	unsigned int row[33], i, j, diag, up, best;
	size_t la = strlen(a), lb = strlen(b);

	if (lb >= sizeof(row) / sizeof(row[0]) || (la > lb ? la - lb : lb - la) > max)
		return max + 1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		best = row[0];
		for (j = 1; j <= lb; j++) {
			up = row[j];
			row[j] = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < row[j])
				row[j] = up + 1;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			diag = up;
			if (row[j] < best)
				best = row[j];
		}
		if (best > max)
			return max + 1;
	}
	return row[lb] > max ? max + 1 : row[lb];
}

bool cli_misspelt(const char *word, const char *name)
{
	unsigned int d;

	if (strchr(word, '/'))
		return false;
	d = edit_distance(word, name, 2);
	return d >= 1 && d <= 2;
}
