// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Benchmark workloads.  Prints the elapsed wall-clock time in seconds.
 *   loops open N PATH    N x (open PATH; close)
 *   loops forkexec N     N x (fork; exec /bin/true; wait)
 *   loops wait-open N PATH   the open loop, once SIGUSR1 arrives (for a
 *                        tracer to attach first)
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int open_loop(long n, const char *path)
{
	long i;
	int fd;

	for (i = 0; i < n; i++) {
		fd = open(path, O_RDONLY);
		if (fd < 0) {
			perror(path);
			return 1;
		}
		close(fd);
	}
	return 0;
}

static int forkexec_loop(long n)
{
	pid_t pid;
	long i;

	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid < 0)
			return 1;
		if (pid == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		waitpid(pid, NULL, 0);
	}
	return 0;
}

static void wait_for_usr1(void)
{
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigwait(&set, &sig);
}

int main(int argc, char **argv)
{
	double t0;
	int ret;

	if (argc == 4 && !strcmp(argv[1], "wait-open"))
		wait_for_usr1();
	t0 = now();
	if (argc == 4 && (!strcmp(argv[1], "open") || !strcmp(argv[1], "wait-open")))
		ret = open_loop(atol(argv[2]), argv[3]);
	else if (argc == 3 && !strcmp(argv[1], "forkexec"))
		ret = forkexec_loop(atol(argv[2]));
	else {
		fprintf(stderr, "usage: loops open|wait-open N PATH | loops forkexec N\n");
		return 2;
	}
	fprintf(stderr, "%.6f\n", now() - t0);
	return ret;
}
