// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* What /proc says about a process: its parent, start time, thread group. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc/procfs.h"

int procfs_read(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

/* Fields of /proc/PID/stat after the comm, which may itself hold ") ". */
const char *procfs_stat_fields(pid_t pid, char *buf, size_t len)
{
	char path[64];
	char *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (procfs_read(path, buf, len) < 0)
		return NULL;
	p = strrchr(buf, ')');
	return p ? p + 2 : NULL;
}

pid_t proc_ppid(pid_t pid)
{
	char buf[1024];
	const char *f = procfs_stat_fields(pid, buf, sizeof(buf));
	char state;
	int ppid;

	if (!f || sscanf(f, "%c %d", &state, &ppid) != 2)
		return -1;
	return ppid;
}

bool proc_is_user_process(pid_t pid)
{
	char buf[1024];
	const char *f = procfs_stat_fields(pid, buf, sizeof(buf));
	unsigned int flags;
	char state;
	int i;

	if (!f || sscanf(f, "%c", &state) != 1 || state == 'Z' || state == 'X')
		return false;
	/* flags is field 9; f starts at field 3. */
	for (i = 3; i < 9 && f; i++) {
		f = strchr(f, ' ');
		if (f)
			f++;
	}
	return f && sscanf(f, "%u", &flags) == 1 && !(flags & 0x00200000 /* PF_KTHREAD */);
}

uint64_t proc_start_boot(pid_t pid)
{
	char buf[1024];
	const char *f = procfs_stat_fields(pid, buf, sizeof(buf));
	unsigned long long ticks;
	long hz = sysconf(_SC_CLK_TCK);
	int i;

	if (!f || hz <= 0)
		return 0;
	/* starttime is field 22; f starts at field 3. */
	for (i = 3; i < 22 && f; i++) {
		f = strchr(f, ' ');
		if (f)
			f++;
	}
	if (!f || sscanf(f, "%llu", &ticks) != 1)
		return 0;
	return ticks * (1000000000ULL / hz);
}

pid_t tgid_of(pid_t tid)
{
	char path[64], buf[4096];
	const char *p;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	if (procfs_read(path, buf, sizeof(buf)) < 0)
		return -1;
	p = strstr(buf, "\nTgid:");
	return p ? (pid_t)strtol(p + 6, NULL, 10) : -1;
}
