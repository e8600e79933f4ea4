// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "proc/attach.h"
#include "proc/fleet.h"
#include "bundle/bundle.h"
#include "cmd/cli.h"
#include "common/exitcodes.h"
#include "proc/launcher.h"
#include "kern/loader.h"
#include "event/names.h"
#include "machine/preflight.h"
#include "procscope.skel.h"
#include "common/redact.h"
#include "common/tty.h"
#include "output/safefile.h"
#include "kern/scope.h"
#include "output/rotate.h"
#include "output/sinks.h"
#include "proc/model.h"
#include "proc/procfs.h"
#include "cmd/trace.h"
#include "cmd/rules.h"
#include "rules/rules.h"
#include "rules/rules_kernel.h"

struct trace {
	struct ps_opts *o;
	char **argv_redacted;      /* the command line as outputs may show it */
	char **self_redacted;      /* procscope's own, for the run header */
	struct procscope_bpf *skel;
	struct ring_buffer *rb;
	struct launch launch;
	struct scope scope;
	struct redactor *redact;
	bool all_by_rules;         /* --all without -e: the rules decide what is reported */
	struct fleet fleet;        /* --all's additions to records */
	struct run run;
	struct ruleset rules;
	struct rules_kernel *krules;  /* the sandboxes the kernel enforces */
	const char *rules_files[PS_MAX_RULES_FILES + 1]; /* for the run header */
	char *filter_words[RUN_FILTERS_MAX]; /* the run header's filters that are built */
	struct model *model;
	struct sinks sinks;
	bool sinks_closed;
	struct output_tally tally; /* bytes per output, for --metrics */
	bool finished;             /* stats are final */
	struct ps_stats stats;
	struct bundle_meta meta;
	bool reaped;
	int status;            /* wait status of the launched command */
	int stop_signal;       /* the signal that made procscope stop early */
	bool timed_out;
	char err[512];
};

static volatile sig_atomic_t got_signal, got_signal_code;

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got_signal = sig;
	got_signal_code = si ? si->si_code : SI_USER;
}

static void install_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO };
	size_t i;

	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	/* A closed stdout is counted as failed writes, not a silent death. */
	signal(SIGPIPE, SIG_IGN);
}

static uint64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int setup_redaction(struct trace *t)
{
	int i;

	if (t->o->no_redact)
		return PS_EXIT_OK;
	t->redact = redactor_new();
	if (!t->redact) {
		snprintf(t->err, sizeof(t->err), "out of memory");
		return PS_EXIT_OSERR;
	}
	for (i = 0; i < t->o->nredact; i++)
		if (redactor_add(t->redact, t->o->redact[i], t->err, sizeof(t->err)))
			return PS_EXIT_USAGE;
	return PS_EXIT_OK;
}

/* A redacted copy of n strings (NULL-terminated), or NULL when out of memory. */
static char **redacted_copy(const struct trace *t, char *const *argv, int n)
{
	char **copy = calloc(n + 1, sizeof(char *));
	int i;

	for (i = 0; copy && i < n; i++)
		if (!(copy[i] = strdup(argv[i]))) {
			while (i--)
				free(copy[i]);
			free(copy);
			return NULL;
		}
	if (copy && t->redact)
		redact_argv(t->redact, copy, n);
	return copy;
}

static void free_strings(char **v)
{
	for (int i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* Whether word spells --redact, as getopt accepts it (any unambiguous prefix of at least --red). */
static bool is_redact_option(const char *word, bool *inline_value)
{
	size_t len = strcspn(word, "=");

	*inline_value = word[len] == '=';
	return len >= 5 && len <= 8 && !strncmp(word, "--redact", len);
}

/*
 * A --redact pattern names the secret it hides: procscope's own command line
 * never shows one, whatever the redactor makes of the rest.
 */
static int hide_redact_patterns(char **v, int n)
{
	bool inline_value;
	int i;

	for (i = 0; i < n && strcmp(v[i], "--"); i++) {
		if (!is_redact_option(v[i], &inline_value))
			continue;
		if (!inline_value && ++i >= n)
			break;
		free(v[i]);
		if (!(v[i] = strdup(inline_value ? "--redact=[REDACTED]" : "[REDACTED]")))
			return -1;
	}
	return 0;
}

/* The command line itself can hold secrets: redact it for the metadata too. */
static int redact_command(struct trace *t)
{
	int n = 0;

	if (t->o->self_argv && !(t->self_redacted = redacted_copy(t, t->o->self_argv, t->o->self_argc)))
		goto oom;
	if (t->self_redacted && hide_redact_patterns(t->self_redacted, t->o->self_argc))
		goto oom;
	if (!t->o->argv)
		return PS_EXIT_OK;
	while (t->o->argv[n])
		n++;
	t->argv_redacted = redacted_copy(t, t->o->argv, n);
	if (!t->argv_redacted)
		goto oom;
	t->meta.argv = (const char *const *)t->argv_redacted;
	t->meta.argc = n;
	return PS_EXIT_OK;
oom:
	snprintf(t->err, sizeof(t->err), "out of memory");
	return PS_EXIT_OSERR;
}

static int check_targets(struct trace *t)
{
	bool root = geteuid() == 0;
	const char *what;
	int i, ret;

	for (i = 0; i < t->o->npids; i++) {
		ret = attach_check(t->o->pids[i], t->err, sizeof(t->err));
		if (ret)
			return ret;
		what = root ? attach_sensitive(t->o->pids[i]) : NULL;
		if (what)
			fprintf(stderr, "procscope: warning: PID %d is %s, which handles passwords and keys: its arguments and files may hold secrets that redaction cannot recognise\n",
				t->o->pids[i], what);
	}
	return PS_EXIT_OK;
}

static int add_sink(struct trace *t, struct sink *k)
{
	if (!k) {
		snprintf(t->err, sizeof(t->err), "out of memory");
		return PS_EXIT_OSERR;
	}
	sinks_add(&t->sinks, k);
	return PS_EXIT_OK;
}

/* The kernel's counters, with what user space lost the same way. */
static void read_counters(const struct trace *t, struct ps_stats *st)
{
	stats_read(bpf_map__fd(t->skel->maps.counters), st);
	/* Processes user space could not add are lost the same way. */
	st->kernel[PS_CNT_TRACKED_FULL] += t->scope.add_failed;
	st->kernel[PS_CNT_UNFOLLOWED] += t->scope.ndropped;
}

/* The counters as the stats record will give them, read while the run goes on (--metrics). */
static void metrics_refresh(void *ctx, struct ps_stats *st, uint64_t *procs)
{
	struct trace *t = ctx;

	*st = t->stats;
	*procs = 0;
	if (!t->skel || !t->skel->bss)
		return;
	*procs = t->skel->bss->live_procs;
	/* At the end t->stats is final. */
	if (t->finished)
		return;
	read_counters(t, st);
}

/* The sinks this command line asks for; with -o and --json, the same records go to both. */
static int register_sinks(struct trace *t)
{
	int ret = PS_EXIT_OK;

	if (t->o->json_stdout)
		ret = add_sink(t, sink_jsonl_new(stdout));
	if (!ret && t->o->output)
		ret = add_sink(t, sink_file_new(t->o->output, &(struct rotfile_opts){
			.append = t->o->append, .force = t->o->force, .limit = t->o->rotate_size,
			.keep = t->o->rotate_keep ? t->o->rotate_keep : ROTATE_KEEP_DEFAULT }, &t->tally));
	if (!ret && t->o->output_socket)
		ret = add_sink(t, sink_socket_new(t->o->output_socket, &t->stats, &t->tally));
	/* -c replaces the timeline on stderr, as strace's does; --timeline keeps its own. */
	if (!ret && t->o->timeline)
		ret = add_sink(t, sink_timeline_new(NULL, t->o->timeline, t->o->force, t->o->color,
							  t->o->full));
	else if (!ret && !t->o->quiet && !t->o->summary)
		ret = add_sink(t, sink_timeline_new(stderr, NULL, false, -1, t->o->full));
	if (!ret && t->o->summary)
		ret = add_sink(t, sink_summary_new(stderr));
	if (!ret && t->o->bundle)
		ret = add_sink(t, sink_bundle_new(t->o->bundle, t->o->force, &t->meta));
	/* Last: it reads what the sinks before it tallied. */
	if (!ret && t->o->metrics)
		ret = add_sink(t, sink_metrics_new(t->o->metrics, t->o->metrics_interval ?
			t->o->metrics_interval : METRICS_INTERVAL_DEFAULT, t->o->json_stdout,
			&t->tally, metrics_refresh, t));
	return ret;
}

/* Every output is opened before anything runs, so a bad path costs nothing. */
static int open_outputs(struct trace *t)
{
	int ret = register_sinks(t);

	if (ret)
		return ret;
	return sinks_open(&t->sinks, t->err, sizeof(t->err)) ? PS_EXIT_CANTCREAT : PS_EXIT_OK;
}

static int load(struct trace *t)
{
	struct loader_opts lo = {
		.ringbuf_bytes = t->o->buffer_bytes,
		.max_procs = t->o->max_procs,
		.args_bytes = t->o->args_bytes,
		.capture_env = t->o->capture_env,
		.result = t->o->result,
		.filter = &t->o->filter,
		/* --all is for root or CAP_SYS_ADMIN alone (cli.c): it sees every process, as asked. */
		.confine = getuid() != 0 && !t->o->all,
		.all = t->o->all,
		.verbose = t->o->verbose,
	};

	if (t->rules.files) {
		t->krules = malloc(sizeof(*t->krules));
		if (!t->krules) {
			snprintf(t->err, sizeof(t->err), "out of memory");
			return PS_EXIT_OSERR;
		}
		rules_kernel_compile(&t->rules, t->krules);
		if (t->krules->hooks)
			lo.rules = t->krules;
		t->sinks.kernel_hooks = t->krules->hooks;
	}
	return loader_load(&t->skel, &lo, t->err, sizeof(t->err));
}

static int track_child(struct trace *t)
{
	if (scope_add(&t->scope, t->launch.pid, 0, 0) < 0) {
		snprintf(t->err, sizeof(t->err), "cannot follow the command: %s", strerror(errno));
		return PS_EXIT_SOFTWARE;
	}
	return PS_EXIT_OK;
}

/* A process running before procscope: what /proc says of it. */
static void seed_one(pid_t pid, void *ctx)
{
	fleet_seed(model_seed_proc(((struct trace *)ctx)->model, pid));
}

static int start(struct trace *t)
{
	struct launch_opts lo = {
		.user = t->o->user,
		.stdout_to_stderr = t->o->json_stdout,
	};
	int ret, child_errno;

	ret = scope_open(&t->scope, t->skel);
	if (ret) {
		snprintf(t->err, sizeof(t->err), "cannot map the scope bitmap: %s", strerror(-ret));
		return PS_EXIT_SOFTWARE;
	}
	if (t->o->argv) {
		ret = launch_prepare(&t->launch, t->o->argv, &lo, t->err, sizeof(t->err));
		if (!ret)
			ret = track_child(t);
		if (ret)
			return ret;
	}
	ret = loader_attach(t->skel, t->err, sizeof(t->err));
	if (ret)
		return ret;
	if (t->o->all) {
		int n = attach_all(&t->scope, seed_one, t);

		/* Nothing else says that it has started: no command runs. */
		if (!t->o->quiet)
			fprintf(stderr, "procscope: tracing every process on the host (%d running now); "
				"Ctrl-C or SIGTERM ends it\n", n);
	}
	if (t->o->npids) {
		attach_follow(&t->scope, t->o->pids, t->o->npids);
		/* The roots were running before procscope: what /proc says of them. */
		for (int i = 0; i < t->o->npids; i++)
			model_seed_proc(t->model, t->o->pids[i]);
		ret = attach_recheck(&t->scope, t->err, sizeof(t->err));
		if (ret)
			return ret;
	}
	t->rb = ring_buffer__new(bpf_map__fd(t->skel->maps.events), sinks_record, &t->sinks, NULL);
	if (!t->rb) {
		snprintf(t->err, sizeof(t->err), "cannot read the ring buffer: %s", strerror(errno));
		return PS_EXIT_SOFTWARE;
	}
	if (!t->o->argv)
		return PS_EXIT_OK;
	/* The timeline starts when the command does. */
	t->run.rc.origin_boot_ns = now_ns(CLOCK_BOOTTIME);
	child_errno = launch_release(&t->launch);
	if (child_errno)
		fprintf(stderr, "procscope: cannot run '%s': %s%s\n", t->o->argv[0], strerror(child_errno),
			child_errno == ENOENT ? " (command not found)" : "");
	return PS_EXIT_OK;
}

/* Ctrl-C from the terminal already reached the command: do not send it twice. */
static void handle_signal(struct trace *t, int *requests)
{
	int sig = got_signal, code = got_signal_code;

	got_signal = 0;
	(*requests)++;
	if (t->o->argv && !t->reaped && *requests == 1) {
		if (code != SI_KERNEL)
			kill(t->launch.pid, sig);
		return;
	}
	t->stop_signal = sig;
}

/*
 * Reap every child procscope has, not only the command: a CLONE_PARENT
 * child of the command is procscope's own, and unreaped it would stay a
 * zombie that still answers kill(pid, 0).  __WALL: whatever its exit signal.
 * Nothing else in procscope forks once the command runs, so no other
 * waiter's status is taken.
 */
static void reap(struct trace *t)
{
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG | __WALL)) > 0) {
		if (t->o->argv && pid == t->launch.pid) {
			t->status = status;
			t->reaped = true;
		}
	}
}

static void run(struct trace *t)
{
	uint64_t deadline = 0, next_gc = 0, now;
	uint64_t gc_period = t->o->gc_period ? t->o->gc_period * 1000000000ULL :
			     t->o->all ? MODEL_GC_PERIOD_ALL_NS : MODEL_GC_PERIOD_NS;
	int requests = 0;

	if (t->o->timeout > 0)
		deadline = now_ns(CLOCK_MONOTONIC) + (uint64_t)(t->o->timeout * 1e9);
	while (!t->stop_signal) {
		ring_buffer__poll(t->rb, 50);
		/* Records are submitted without wake-ups; collect them anyway. */
		ring_buffer__consume(t->rb);
		sinks_flush(&t->sinks);
		if (got_signal)
			handle_signal(t, &requests);
		reap(t);
		/* --all runs until it is stopped: the host never runs out of processes. */
		if (!t->o->all && t->skel->bss->live_procs == 0 && (!t->o->argv || t->reaped))
			break;
		now = now_ns(CLOCK_MONOTONIC);
		if (deadline && now >= deadline) {
			t->timed_out = true;
			break;
		}
		if (now >= next_gc) {
			scope_gc(&t->scope);
			model_gc(t->model, now_ns(CLOCK_BOOTTIME), gc_period);
			next_gc = now + 1000000000ULL;
		}
	}
	ring_buffer__consume(t->rb);
}

static int exit_status(struct trace *t)
{
	if (t->o->argv && !t->reaped)
		reap(t);
	if (t->o->argv && t->reaped) {
		if (WIFSIGNALED(t->status))
			return 128 + WTERMSIG(t->status);
		return WEXITSTATUS(t->status);
	}
	if (t->timed_out)
		return PS_EXIT_TIMEOUT;
	if (t->stop_signal && t->o->argv)
		return 128 + t->stop_signal;
	return PS_EXIT_OK;
}

/*
 * The processes still in the kernel's scope when tracing ends (a daemon the
 * command left, --timeout, a signal): named in the stats record and the
 * summary line, since they go on untraced.
 */
static void read_survivors(struct trace *t)
{
	int fd = bpf_map__fd(t->skel->maps.tracked);
	struct ps_survivor *sv;
	struct ps_tracked tr;
	struct proc *p;
	__u32 key, next;
	char path[64];
	int ret;

	for (ret = bpf_map_get_next_key(fd, NULL, &next); !ret;
	     ret = bpf_map_get_next_key(fd, &key, &next)) {
		key = next;
		if (bpf_map_lookup_elem(fd, &key, &tr))
			continue;
		if (t->stats.nsurvivors++ >= STATS_SURVIVORS_MAX)
			continue;
		sv = &t->stats.survivors[t->stats.nsurvivors - 1];
		sv->pid = key;
		sv->start_boot = tr.start_boot;
		/* A root procscope added before its exec has no start time in the map: the model has it. */
		if (!sv->start_boot && (p = model_find_running(t->model, key)))
			sv->start_boot = p->key.start_boot;
		snprintf(path, sizeof(path), "/proc/%u/comm", key);
		if (procfs_read(path, sv->comm, sizeof(sv->comm)) <= 0)
			snprintf(sv->comm, sizeof(sv->comm), "?");
		sv->comm[strcspn(sv->comm, "\n")] = '\0';
	}
}

/* Returns the exit status: the command's, unless the bundle could not be sealed. */
static int finish(struct trace *t, int status)
{
	int ret;

	read_counters(t, &t->stats);
	/* --all followed the host, not a tree: what still runs is not a survivor of anything. */
	if (!t->o->all)
		read_survivors(t);
	t->finished = true;
	sinks_finish(&t->sinks, now_ns(CLOCK_BOOTTIME));
	if (!t->o->quiet)
		stats_print(stderr, &t->stats);
	/* What the bundle's metadata says of the end. */
	t->meta.exit_status = status;
	t->meta.end_ns = now_ns(CLOCK_REALTIME);
	if (t->reaped && WIFSIGNALED(t->status))
		t->meta.exit_signal = signal_name(WTERMSIG(t->status));
	if (t->timed_out)
		t->meta.stop_reason = "timeout";
	else if (t->stop_signal)
		t->meta.stop_reason = signal_name(t->stop_signal);
	ret = sinks_close(&t->sinks, true, t->err, sizeof(t->err));
	t->sinks_closed = true;
	if (ret) {
		fprintf(stderr, "procscope: %s\n", t->err);
		return PS_EXIT_CANTCREAT;
	}
	return status;
}

/*
 * --all without -e: the kernel sends only the acts some rule may judge, plus
 * the lifecycle, and the consumer reports only what a rule matched.
 */
static int all_filter(struct trace *t)
{
	struct ps_opts *o = t->o;
	const char *events;
	unsigned int h;

	if (!o->all || o->nevents)
		return PS_EXIT_OK;
	for (h = 0; h < RH__COUNT; h++) {
		events = rules_hook_events(h);
		if (!t->rules.hooks[h].present || !t->rules.hooks[h].enabled || !events)
			continue;
		if (filter_add_events(&o->filter, events, t->err, sizeof(t->err)))
			return PS_EXIT_SOFTWARE;
	}
	if (filter_add_events(&o->filter, "process.exec,process.exit", t->err, sizeof(t->err)))
		return PS_EXIT_SOFTWARE;
	t->all_by_rules = true;
	return PS_EXIT_OK;
}

/* The filters as the run header lists them, one option per entry. */
static int describe_filters(struct trace *t)
{
	const struct ps_opts *o = t->o;
	int n = 0, i;

	if (o->result)
		t->run.filters[n++] = o->result == PS_RESULT_FAILED ? "--failed" : "--succeeded";
	if (t->all_by_rules)
		t->run.filters[n++] = "--all: rule matches, execs and exits";
	for (i = 0; i < o->nevents + o->npaths; i++, n++) {
		bool ev = i < o->nevents;

		if (asprintf(&t->filter_words[n], "%s %s", ev ? "-e" : "--path",
			     ev ? o->events[i] : o->paths[i - o->nevents]) < 0) {
			t->filter_words[n] = NULL;
			snprintf(t->err, sizeof(t->err), "out of memory");
			return -1;
		}
		t->run.filters[n] = t->filter_words[n];
	}
	return 0;
}

/* The run's settings and header, the process model and the pipeline, before any output opens. */
static int init_run(struct trace *t)
{
	struct run *r = &t->run;
	uint64_t boot = now_ns(CLOCK_BOOTTIME);

	r->redact = t->redact;
	r->args_max = t->o->args_max;
	r->arg_len_max = t->o->arg_len_max;
	r->rc.boot_to_real_ns = (int64_t)(now_ns(CLOCK_REALTIME) - boot);
	r->rc.origin_boot_ns = boot;
	r->rc.color = t->o->color == 1 || (t->o->color == -1 && tty_color_ok(STDERR_FILENO));
	r->version = PS_VERSION;
	r->argv = (const char *const *)t->self_redacted;
	r->argc = t->self_redacted ? t->o->self_argc : 0;
	r->command = (const char *const *)t->argv_redacted;
	r->ncommand = t->meta.argc;
	r->pids = t->o->pids;
	r->npids = t->o->npids;
	r->all = t->o->all;
	if (describe_filters(t))
		return PS_EXIT_OSERR;
	r->start_boot = boot;
	r->rules_files = t->rules_files;
	run_identify(r);
	t->model = model_new(t->o->max_procs > MODEL_MAX_DEFAULT ? t->o->max_procs : MODEL_MAX_DEFAULT, r);
	if (!t->model || sinks_init(&t->sinks, r, t->model, &t->stats)) {
		snprintf(t->err, sizeof(t->err), "out of memory");
		return PS_EXIT_OSERR;
	}
	t->sinks.scope = &t->scope;
	if (t->rules.files)
		t->sinks.rules = &t->rules;
	if (t->o->filter.ntok || filter_paths_on(&t->o->filter))
		t->sinks.filter = &t->o->filter;
	t->sinks.matches_only = t->all_by_rules;
	if (t->o->all)
		t->sinks.fleet = &t->fleet;
	return PS_EXIT_OK;
}

static void cleanup(struct trace *t)
{
	if (t->launch.pid > 0 && t->launch.barrier_fd >= 0)
		launch_abort(&t->launch);
	ring_buffer__free(t->rb);
	scope_close(&t->scope);
	loader_destroy(t->skel);
	if (!t->sinks_closed)
		sinks_close(&t->sinks, false, NULL, 0);
	sinks_free(&t->sinks);
	model_free(t->model);
	fleet_free(&t->fleet);
	redactor_free(t->redact);
	rules_free(&t->rules);
	free(t->krules);
	for (int i = 0; i < RUN_FILTERS_MAX; i++)
		free(t->filter_words[i]);
	free_strings(t->argv_redacted);
	free_strings(t->self_redacted);
}

int trace_main(struct ps_opts *o)
{
	struct trace t = { .o = o, .launch = { .pid = -1, .barrier_fd = -1, .status_fd = -1 } };
	int ret, status;

	bundle_meta_init(&t.meta, o);
	/* A broken rules file is the user's to fix before anything is checked or loaded. */
	ret = rules_for_trace(o, &t.rules);
	if (ret)
		return ret;
	for (int i = 0; i < o->nrules; i++)
		t.rules_files[i] = o->rules[i];
	if (!o->nrules && t.rules.files)
		t.rules_files[0] = "default.yaml";
	ret = all_filter(&t);
	if (!ret)
		ret = preflight_check(t.err, sizeof(t.err));
	if (!ret)
		ret = setup_redaction(&t);
	if (!ret)
		ret = redact_command(&t);
	if (!ret)
		ret = check_targets(&t);
	if (!ret)
		ret = init_run(&t);
	if (!ret)
		ret = open_outputs(&t);
	if (!ret)
		ret = load(&t);
	install_signals();
	if (!ret)
		ret = start(&t);
	if (ret) {
		fprintf(stderr, "procscope: %s\n", t.err);
		cleanup(&t);
		return ret;
	}
	run(&t);
	status = finish(&t, exit_status(&t));
	cleanup(&t);
	return status;
}
