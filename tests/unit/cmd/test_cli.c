// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "proc/attach.h"
#include "cmd/cli.h"
#include "common/exitcodes.h"
#include "proc/launcher.h"

/* argv outlives the call: the options keep pointers into it. */
static char *argv[32];

/* The sentences cli_parse writes to stderr go here, for last_error(). */
static int err_fd = -1;

static int parse(struct ps_opts *o, ...)
{
	int argc = 1, saved, ret;
	va_list ap;

	argv[0] = "procscope";
	va_start(ap, o);
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	assert_true(saved >= 0 && dup2(err_fd, STDERR_FILENO) >= 0);
	ret = cli_parse(argc, argv, o);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	return ret;
}

static void test_launch(void **state)
{
	struct ps_opts o;

	(void)state;
	assert_int_equal(parse(&o, "-q", "-o", "x.jsonl", "--timeout", "1.5", "--", "ls", "-l", NULL), -1);
	assert_true(o.quiet);
	assert_string_equal(o.output, "x.jsonl");
	assert_true(o.timeout > 1.4 && o.timeout < 1.6);
	assert_string_equal(o.argv[0], "ls");
	assert_string_equal(o.argv[1], "-l");
	assert_int_equal(o.args_max, 64);
	assert_int_equal(o.buffer_bytes, 16UL << 20);
}

static void test_command_options_are_not_ours(void **state)
{
	struct ps_opts o;

	(void)state;
	assert_int_equal(parse(&o, "make", "-q", "--json", NULL), -1);
	assert_false(o.quiet);
	assert_false(o.json_stdout);
	assert_string_equal(o.argv[1], "-q");
}

static void test_pids(void **state)
{
	struct ps_opts o;

	(void)state;
	assert_int_equal(parse(&o, "-p", "12,34", NULL), -1);
	assert_int_equal(o.npids, 2);
	assert_int_equal(o.pids[1], 34);
	assert_int_equal(parse(&o, "-p", "12,", NULL), -1);
	assert_int_equal(o.npids, 1);
}

static void test_errors(void **state)
{
	struct ps_opts o;

	(void)state;
	assert_int_equal(parse(&o, NULL), PS_EXIT_USAGE);
	assert_int_equal(parse(&o, "--bogus", "--", "ls", NULL), PS_EXIT_USAGE);
	assert_int_equal(parse(&o, "-p", "0", NULL), PS_EXIT_USAGE);
	assert_int_equal(parse(&o, "-p", "1x", NULL), PS_EXIT_USAGE);
	assert_int_equal(parse(&o, "-p", "1", "--", "ls", NULL), PS_EXIT_USAGE);
	assert_int_equal(parse(&o, "--buffer-size", "3", "--", "ls", NULL), PS_EXIT_USAGE);
	assert_int_equal(parse(&o, "--max-args", "0", "--", "ls", NULL), PS_EXIT_USAGE);
	assert_int_equal(parse(&o, "--timeout", "-1", "--", "ls", NULL), PS_EXIT_USAGE);
	assert_int_equal(parse(&o, "--color", "pink", "--", "ls", NULL), PS_EXIT_USAGE);
	assert_int_equal(parse(&o, "-o", "-", "--append", "--", "ls", NULL), PS_EXIT_USAGE);
}

/* What parse() sent to stderr since the last call. */
static const char *last_error(void)
{
	static char buf[1024];
	ssize_t n;

	fflush(stderr);
	n = pread(err_fd, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	/* The next writes start at the beginning of the emptied file. */
	assert_int_equal(ftruncate(err_fd, 0), 0);
	lseek(err_fd, 0, SEEK_SET);
	return buf;
}

#define assert_usage(msg, ...) do {						\
		struct ps_opts o_;						\
		last_error();							\
		assert_int_equal(parse(&o_, __VA_ARGS__, NULL), PS_EXIT_USAGE);	\
		assert_string_equal(last_error(), "procscope: " msg " (see procscope --help)\n"); \
	} while (0)

static void test_option_errors_name_the_option(void **state)
{
	(void)state;
	assert_usage("option -x is unknown", "-x");
	assert_usage("option -x is unknown", "-qx", "--", "ls");
	assert_usage("option -x is unknown", "--json", "-xq", "--", "ls");
	assert_usage("option -\\xee is unknown", "-\xee");
	assert_usage("option -o needs a value", "-o");
	assert_usage("option -o needs a value", "-qo");
	assert_usage("option -p needs a value", "-p");
	assert_usage("option --output needs a value", "--output");
	assert_usage("option --bund needs a value", "--bund");
	/* --out could be --output or --output-socket. */
	assert_usage("option --out is ambiguous: write its whole name", "--out", "x");
	assert_usage("option --bogus is unknown", "--bogus", "--", "ls");
	assert_usage("option --bogus is unknown", "--bogus=1", "--", "ls");
	assert_usage("option --json takes no value", "--json=1", "--", "ls");
	assert_usage("option --max is ambiguous: write its whole name", "--max", "3", "--", "ls");
	/* "--" is where the value was forgotten, never a file name. */
	assert_usage("option -o needs a value", "-o", "--", "ls");
	assert_usage("option --output needs a value", "--output", "--", "ls");
}

static void test_a_half_read_cluster_is_forgotten(void **state)
{
	struct ps_opts o;

	(void)state;
	/* -V returns in the middle of "-Vq"; the next parse starts afresh. */
	assert_int_equal(parse(&o, "-Vq", NULL), PS_EXIT_OK);
	assert_int_equal(parse(&o, "-p", "5", NULL), -1);
	assert_false(o.quiet);
	assert_int_equal(o.pids[0], 5);
}

static void test_timeout_bounds(void **state)
{
	static const char *const bad[] = {
		"nan", "NAN", "inf", "-inf", "infinity", "-1", "0", "0.0009", "1e3", "0x10",
		" 5", "5 ", "31536000.5", "99999999999999999999", ".", "", "+5",
	};
	struct ps_opts o;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		last_error();
		assert_int_equal(parse(&o, "--timeout", bad[i], "--", "ls", NULL), PS_EXIT_USAGE);
		assert_non_null(strstr(last_error(), "--timeout takes a number of seconds from 0.001 to 31536000"));
	}
	assert_int_equal(parse(&o, "--timeout", "0.001", "--", "ls", NULL), -1);
	assert_true(o.timeout == 0.001);
	assert_int_equal(parse(&o, "--timeout", "31536000", "--", "ls", NULL), -1);
	assert_int_equal(parse(&o, "--timeout", ".5", "--", "ls", NULL), -1);
	assert_true(o.timeout == 0.5);
}

static void test_json_and_output_together(void **state)
{
	struct ps_opts o;

	(void)state;
	assert_int_equal(parse(&o, "--json", "-o", "x.jsonl", "--", "ls", NULL), -1);
	assert_true(o.json_stdout);
	assert_string_equal(o.output, "x.jsonl");
}

/* strace habits: -o - and -o /dev/stdout are stdout, -f is accepted. */
static void test_stdout_spellings_and_follow(void **state)
{
	struct ps_opts o;

	(void)state;
	assert_int_equal(parse(&o, "-o", "-", "--", "ls", NULL), -1);
	assert_true(o.json_stdout);
	assert_null(o.output);
	assert_int_equal(parse(&o, "-f", "-o", "/dev/stdout", "--", "ls", NULL), -1);
	assert_true(o.json_stdout);
	assert_null(o.output);
	assert_int_equal(parse(&o, "--follow-forks", "--", "ls", NULL), -1);
	assert_false(o.json_stdout);
}

static void test_misspelt_subcommands(void **state)
{
	(void)state;
	assert_true(cli_misspelt("verfy", "verify"));
	assert_true(cli_misspelt("vreify", "verify"));
	assert_true(cli_misspelt("Verify", "verify"));
	assert_true(cli_misspelt("verifyyy", "verify"));
	assert_true(cli_misspelt("doctr", "doctor"));
	assert_true(cli_misspelt("reprot", "report"));
	assert_false(cli_misspelt("verify", "verify"));
	assert_false(cli_misspelt("verifyyyy", "verify"));
	assert_false(cli_misspelt("./verfy", "verify"));
	assert_false(cli_misspelt("ls", "verify"));
	assert_false(cli_misspelt("", "verify"));
	assert_false(cli_misspelt("vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvverify", "verify"));
}

static void *idle(void *arg)
{
	pid_t *tid = arg;

	*tid = gettid();
	pause();
	return NULL;
}

static void test_attach_refuses_procscope_itself(void **state)
{
	char err[256], want[64];
	pthread_t th;
	pid_t tid = 0;

	(void)state;
	assert_int_equal(attach_check(getpid(), err, sizeof(err)), PS_EXIT_USAGE);
	assert_non_null(strstr(err, "is procscope itself"));
	assert_int_equal(pthread_create(&th, NULL, idle, &tid), 0);
	while (!__atomic_load_n(&tid, __ATOMIC_SEQ_CST))
		usleep(1000);
	assert_int_equal(attach_check(tid, err, sizeof(err)), PS_EXIT_USAGE);
	snprintf(want, sizeof(want), "PID %d is procscope itself", tid);
	assert_non_null(strstr(err, want));
	pthread_cancel(th);
	pthread_join(th, NULL);
}

static void test_attach_names_a_zombie(void **state)
{
	char err[256], want[128];
	pid_t pid;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(0);
	/* Exited, not reaped: waitid with WNOWAIT leaves it a zombie. */
	assert_int_equal(waitid(P_PID, pid, &(siginfo_t){ 0 }, WEXITED | WNOWAIT), 0);
	assert_int_equal(attach_check(pid, err, sizeof(err)), PS_EXIT_NOINPUT);
	snprintf(want, sizeof(want), "PID %d has exited and not yet been reaped (a zombie)", pid);
	assert_non_null(strstr(err, want));
	waitpid(pid, NULL, 0);
}

static void test_attach_names_a_kernel_thread(void **state)
{
	char err[256];

	(void)state;
	/* PID 2 is kthreadd wherever the PID namespace is the host's. */
	if (access("/proc/2/status", R_OK)) {
		skip();
		return;
	}
	assert_int_equal(attach_check(2, err, sizeof(err)), PS_EXIT_USAGE);
	assert_string_equal(err, "PID 2 is a kernel thread: it makes no system calls procscope could trace");
}

static void test_find_follows_the_shell(void **state)
{
	char dir[] = "/tmp/procscope-find-XXXXXX", path[PATH_MAX], out[PATH_MAX];
	char *old = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	setenv("PATH", dir, 1);
	assert_int_equal(launch_find("", out, sizeof(out)), ENOENT);
	/* A directory named like the command is no command. */
	snprintf(path, sizeof(path), "%s/sub", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(launch_find("sub", out, sizeof(out)), ENOENT);
	/* A file found but not executable: 126, as the shell says. */
	snprintf(path, sizeof(path), "%s/plain", dir);
	assert_non_null(f = fopen(path, "w"));
	fclose(f);
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(launch_find("plain", out, sizeof(out)), EACCES);
	assert_int_equal(chmod(path, 0755), 0);
	assert_int_equal(launch_find("plain", out, sizeof(out)), 0);
	assert_string_equal(out, path);
	assert_int_equal(launch_find("nothere", out, sizeof(out)), ENOENT);
	unlink(path);
	snprintf(path, sizeof(path), "%s/sub", dir);
	rmdir(path);
	rmdir(dir);
	if (old)
		setenv("PATH", old, 1);
	free(old);
}

/* Kernel memory an ordinary user may pin: at most 64 MiB of ring buffer, 65536 processes. */
static void test_limits_without_privilege(void **state)
{
	struct ps_opts o;

	(void)state;
	assert_int_equal(parse(&o, "--buffer-size", "64", "--max-procs", "65536", "--", "ls", NULL), -1);
	assert_int_equal(cli_check_limits(&o, false), -1);
	assert_int_equal(parse(&o, "--buffer-size", "128", "--", "ls", NULL), -1);
	assert_int_equal(cli_check_limits(&o, false), PS_EXIT_USAGE);
	assert_int_equal(cli_check_limits(&o, true), -1);
	assert_int_equal(parse(&o, "--max-procs", "65537", "--", "ls", NULL), -1);
	assert_int_equal(cli_check_limits(&o, false), PS_EXIT_USAGE);
	assert_int_equal(cli_check_limits(&o, true), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_launch),
		cmocka_unit_test(test_command_options_are_not_ours),
		cmocka_unit_test(test_pids),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_option_errors_name_the_option),
		cmocka_unit_test(test_a_half_read_cluster_is_forgotten),
		cmocka_unit_test(test_timeout_bounds),
		cmocka_unit_test(test_json_and_output_together),
		cmocka_unit_test(test_stdout_spellings_and_follow),
		cmocka_unit_test(test_misspelt_subcommands),
		cmocka_unit_test(test_attach_refuses_procscope_itself),
		cmocka_unit_test(test_attach_names_a_zombie),
		cmocka_unit_test(test_attach_names_a_kernel_thread),
		cmocka_unit_test(test_find_follows_the_shell),
		cmocka_unit_test(test_limits_without_privilege),
	};
	FILE *err = tmpfile();

	if (!err)
		return 1;
	err_fd = fileno(err);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
