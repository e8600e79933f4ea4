// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>

#include "syscalls.h"

/*
 * p[] for the open family: the argument holding the path, the flags, the
 * mode (-1: none, -2: implied by the syscall, as for creat).
 */
const struct syscall_desc syscall_table[] = {
	/* Successful execs come from sched_process_exec; these rows report failures. */
	{ SYS_execve, "execve", "process.exec", PS_SPEC_CREDS, 0,
	  { CAP_PATH(0, AT_CWD), CAP_ARGV(1) }, fmt_exec_failed, { 0 }, NULL },
	{ SYS_execveat, "execveat", "process.exec", PS_SPEC_CREDS, 0,
	  { CAP_PATH(1, 0), CAP_ARGV(2) }, fmt_exec_failed, { 1 }, NULL },
	{ SYS_open, "open", "file.open", 0, 0,
	  { CAP_PATH(0, AT_CWD) }, fmt_open, { 0, 1, 2 }, NULL },
	{ SYS_openat, "openat", "file.open", 0, 0,
	  { CAP_PATH(1, 0) }, fmt_open, { 1, 2, 3 }, NULL },
	{ SYS_openat2, "openat2", "file.open", 0, 0,
	  { CAP_PATH(1, 0), CAP_BYTES(2, 24) }, fmt_open, { 1, -1, -1 }, NULL },
	{ SYS_creat, "creat", "file.open", 0, 0,
	  { CAP_PATH(0, AT_CWD) }, fmt_open, { 0, -2, 1 }, NULL },
};

const unsigned int syscall_count = sizeof(syscall_table) / sizeof(syscall_table[0]);

const struct syscall_desc *syscall_find(int nr)
{
	unsigned int i;

	for (i = 0; i < syscall_count; i++)
		if (syscall_table[i].nr == nr)
			return &syscall_table[i];
	return NULL;
}

bool type_is_notable(const char *type)
{
	static const char *const notable[] = { "priv.", "ns.", "mount.", "proc.", "kernel." };
	size_t i;

	for (i = 0; i < sizeof(notable) / sizeof(notable[0]); i++)
		if (!strncmp(type, notable[i], strlen(notable[i])))
			return true;
	return false;
}

void syscall_spec(const struct syscall_desc *d, struct ps_spec *spec)
{
	unsigned int i;

	memset(spec, 0, sizeof(*spec));
	spec->flags = PS_SPEC_ENABLED | d->spec_flags;
	spec->cond_arg = d->cond_arg;
	for (i = 0; i < PS_MAX_BLOBS && d->caps[i].kind != PS_CAP_NONE; i++)
		spec->caps[i] = d->caps[i];
	spec->ncaps = i;
}
