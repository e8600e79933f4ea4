// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <unistd.h>

#include "proc/attach.h"
#include "common/exitcodes.h"
#include "records.h"
#include "kern/scope.h"
#include "proc/procfs.h"

int attach_parse(const char *spec, pid_t *pids, int max, int *n, char *err, size_t errlen)
{
	const char *p = spec;
	char *end;
	long v;

	*n = 0;
	while (*p) {
		errno = 0;
		v = strtol(p, &end, 10);
		if (end == p || errno || v <= 0 || v > 4194304 || (*end && *end != ',')) {
			snprintf(err, errlen, "'%s' is not a list of process ids (write -p 1234 or -p 1234,1240)", spec);
			return PS_EXIT_USAGE;
		}
		if (*n == max) {
			snprintf(err, errlen, "at most %d process ids can be given to -p", max);
			return PS_EXIT_USAGE;
		}
		pids[(*n)++] = v;
		p = *end ? end + 1 : end;
	}
	if (!*n) {
		snprintf(err, errlen, "-p needs at least one process id");
		return PS_EXIT_USAGE;
	}
	return PS_EXIT_OK;
}

#define PF_KTHREAD 0x00200000 /* task flag of a kernel thread (include/linux/sched.h) */

/*
 * Why a process whose memory cannot be opened is no target, when /proc still
 * lists it: a kernel thread has no memory, nor does a zombie.  Returns an
 * exit code with `err` set, or 0 when neither explains it.
 */
static int explain_unopenable(pid_t pid, pid_t tgid, char *err, size_t errlen)
{
	char buf[1024];
	const char *f = procfs_stat_fields(tgid, buf, sizeof(buf));
	unsigned int flags;
	long threads;
	char state;

	if (!f || sscanf(f, "%c %*d %*d %*d %*d %*d %u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %ld",
			 &state, &flags, &threads) != 3)
		return 0;
	if (flags & PF_KTHREAD) {
		snprintf(err, errlen, "PID %d is a kernel thread: it makes no system calls procscope could trace", pid);
		return PS_EXIT_USAGE;
	}
	/* A leader that exited before its other threads is a zombie that still runs. */
	if ((state == 'Z' || state == 'X') && threads <= 1) {
		snprintf(err, errlen, "PID %d has exited and not yet been reaped (a zombie): there is nothing left to trace", pid);
		return PS_EXIT_NOINPUT;
	}
	return 0;
}

/* procscope's own system calls would be traced, and their records traced in turn. */
static int refuse_self(pid_t pid, pid_t tgid, char *err, size_t errlen)
{
	if (tgid != getpid())
		return 0;
	snprintf(err, errlen, "PID %d is procscope itself: it cannot trace its own system calls", pid);
	return PS_EXIT_USAGE;
}

/*
 * Open `path` with no effective capability, as an invoker other than root
 * would.  ptrace's rule refuses a process whose permitted capabilities are
 * not among the tracer's effective ones: with procscope's own (CAP_BPF and
 * CAP_PERFMON, from the file) still effective, a process holding only those
 * would pass, though the invoker may not trace it.  Fails closed: -1 with
 * EPERM when the capabilities cannot be lowered or restored.
 */
static int open_as_invoker(const char *path)
{
	cap_t saved = getuid() ? cap_get_proc() : NULL, none = NULL;
	int fd = -1, e;

	if (!getuid())
		return open(path, O_RDONLY | O_CLOEXEC);
	none = saved ? cap_dup(saved) : NULL;
	if (!none || cap_clear_flag(none, CAP_EFFECTIVE) || cap_set_proc(none)) {
		errno = EPERM;
		goto out;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	e = errno;
	if (cap_set_proc(saved)) {
		if (fd >= 0)
			close(fd);
		fd = -1;
		e = EPERM;
	}
	errno = e;
out:
	cap_free(none);
	cap_free(saved);
	return fd;
}

int attach_check(pid_t pid, char *err, size_t errlen)
{
	char path[64];
	pid_t tgid = tgid_of(pid);
	int fd, ret;

	if (tgid <= 0) {
		snprintf(err, errlen, "no process with PID %d exists (check the number with ps)", pid);
		return PS_EXIT_NOINPUT;
	}
	ret = refuse_self(pid, tgid, err, errlen);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "/proc/%d/environ", tgid);
	fd = open_as_invoker(path);
	if (fd < 0 && (errno == EACCES || errno == EPERM)) {
		snprintf(err, errlen, "you may not trace PID %d: it belongs to another user or is not dumpable (run procscope as that user, or as root)", pid);
		return PS_EXIT_NOPERM;
	}
	if (fd < 0) {
		ret = explain_unopenable(pid, tgid, err, errlen);
		if (ret)
			return ret;
		snprintf(err, errlen, "no process with PID %d exists (check the number with ps)", pid);
		return PS_EXIT_NOINPUT;
	}
	close(fd);
	return PS_EXIT_OK;
}

const char *attach_sensitive(pid_t pid)
{
	static const char *const names[] = {
		"sshd", "ssh-agent", "gpg-agent", "sudo", "su", "login", "polkitd", "systemd",
	};
	char path[64], comm[64];
	size_t i;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	if (procfs_read(path, comm, sizeof(comm)) < 0)
		return NULL;
	comm[strcspn(comm, "\n")] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(comm, names[i]))
			return names[i];
	return NULL;
}

struct proc_pair {
	pid_t pid, ppid;
};

/* Every process on the system with its parent. */
static struct proc_pair *scan_procs(size_t *n)
{
	struct proc_pair *v = NULL, *tmp;
	size_t cap = 0;
	struct dirent *de;
	DIR *d = opendir("/proc");

	*n = 0;
	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		pid_t pid;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		pid = atoi(de->d_name);
		if (*n == cap) {
			cap = cap ? cap * 2 : 1024;
			tmp = realloc(v, cap * sizeof(*v));
			if (!tmp)
				break;
			v = tmp;
		}
		v[*n].pid = pid;
		v[*n].ppid = proc_ppid(pid);
		(*n)++;
	}
	closedir(d);
	return v;
}

/*
 * Add the children of `queue[0..tail)` breadth first, from a snapshot of
 * /proc; a descendant the invoker may not trace is skipped with a warning.
 */
static int follow_descendants(struct scope *sc, const struct proc_pair *procs, size_t np,
			      pid_t *queue, size_t tail, size_t qmax)
{
	char err[256];
	size_t head = 0, i;
	int added = 0;

	while (head < tail) {
		pid_t parent = queue[head++];

		for (i = 0; i < np; i++) {
			if (procs[i].ppid != parent || tail >= qmax)
				continue;
			queue[tail++] = procs[i].pid;
			if (attach_check(procs[i].pid, err, sizeof(err))) {
				fprintf(stderr, "procscope: not following PID %d: %s\n", procs[i].pid, err);
				continue;
			}
			added += scope_add(sc, procs[i].pid, proc_start_boot(procs[i].pid), 1) > 0;
		}
	}
	return added;
}

int attach_follow(struct scope *sc, const pid_t *roots, int n)
{
	struct proc_pair *procs;
	int added = 0, round, more, r;
	size_t np, qmax;
	pid_t *queue;

	for (r = 0; r < n; r++) {
		pid_t tgid = tgid_of(roots[r]);

		added += scope_add(sc, tgid, proc_start_boot(tgid), 0) > 0;
	}
	/*
	 * A process added from a snapshot may have forked before it was added:
	 * scan again until a pass finds nothing new (the fork hook covers the rest).
	 */
	for (round = 0; round < 4; round++) {
		procs = scan_procs(&np);
		qmax = np + n + 1;
		queue = calloc(qmax, sizeof(*queue));
		more = 0;
		if (procs && queue) {
			for (r = 0; r < n; r++)
				queue[r] = tgid_of(roots[r]);
			more = follow_descendants(sc, procs, np, queue, n, qmax);
		}
		free(queue);
		free(procs);
		added += more;
		if (!more)
			break;
	}
	return added;
}

int attach_all(struct scope *sc, void (*seen)(pid_t pid, void *ctx), void *ctx)
{
	struct proc_pair *procs;
	int added = 0, round, more, r;
	size_t np, i;

	/* A process that forked between the snapshot and its addition: the next pass has it. */
	for (round = 0; round < 4; round++) {
		procs = scan_procs(&np);
		more = 0;
		for (i = 0; procs && i < np; i++) {
			/* Only whoever may see every process runs --all: no ptrace check, no refusal. */
			if (procs[i].pid == getpid() || !proc_is_user_process(procs[i].pid))
				continue;
			r = scope_add(sc, procs[i].pid, proc_start_boot(procs[i].pid), 0);
			if (r > 0) {
				more++;
				if (seen)
					seen(procs[i].pid, ctx);
			}
		}
		free(procs);
		added += more;
		if (!more)
			break;
	}
	return added;
}

/* One pass over everything in scope; returns how many were dropped, or -1. */
static int recheck_pass(struct scope *sc, pid_t *first)
{
	char err[256];
	size_t n, i;
	int dropped = 0, r;
	__u32 *keys = scope_keys(sc, &n);

	if (!keys)
		return -1;
	for (i = 0; i < n; i++) {
		/* A process that is gone is the collector's business, not a refusal. */
		if (attach_check(keys[i], err, sizeof(err)) != PS_EXIT_NOPERM)
			continue;
		r = scope_drop(sc, keys[i]);
		if (r < 0) {
			dropped = -1;
			break;
		}
		if (r && !*first)
			*first = keys[i];
		dropped += r;
	}
	free(keys);
	return dropped;
}

int attach_recheck(struct scope *sc, char *err, size_t errlen)
{
	size_t before = sc->ndropped;
	pid_t first = 0;
	int round, r;

	for (round = 0; round < ATTACH_RECHECK_ROUNDS; round++) {
		r = recheck_pass(sc, &first);
		if (r < 0) {
			snprintf(err, errlen, "out of memory while checking the processes to follow");
			return PS_EXIT_OSERR;
		}
		if (!r)
			break;
	}
	/*
	 * Each pass drops the children a dropped process forked before the
	 * previous one: one that never settles is refused whole, before a record
	 * is read.
	 */
	if (round == ATTACH_RECHECK_ROUNDS) {
		snprintf(err, errlen, "processes kept gaining privileges while procscope attached, so you may not trace them (run procscope as root)");
		return PS_EXIT_NOPERM;
	}
	if (sc->ndropped - before == 1)
		fprintf(stderr, "procscope: stopped following PID %d: it gained privileges or became untraceable after the -p check, so only root may trace it\n",
			first);
	else if (sc->ndropped > before)
		fprintf(stderr, "procscope: stopped following %zu processes (PID %d and others): they gained privileges or became untraceable after the -p check, so only root may trace them\n",
			sc->ndropped - before, first);
	return PS_EXIT_OK;
}
