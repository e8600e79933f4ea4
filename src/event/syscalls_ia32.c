// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stddef.h>
#include <string.h>

#include "event/syscalls.h"
#include "event/syscalls_ia32.h"

struct nr_name {
	int nr;
	const char *name;
};

/* Generated from <asm/unistd_32.h> and <asm/unistd_64.h> by the Makefile. */
static const struct nr_name ia32_names[] = {
#include "ia32_syscalls.h"
};

/* Calls newer than the system headers may be (Debian 12's lack fchmodat2). */
static const struct nr_name ia32_extra[] = {
	{ 452, "fchmodat2" },
};

static const struct nr_name x64_names[] = {
#include "x64_syscalls.h"
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* IA-32 spellings whose x86-64 row has another name, and how they differ. */
static const struct {
	const char *ia32, *x64;
	unsigned int fix;
	uint8_t ids;
} renamed[] = {
	{ "setuid", "setuid", IA32_ID16, 0x1 },
	{ "setgid", "setgid", IA32_ID16, 0x1 },
	{ "setreuid", "setreuid", IA32_ID16, 0x3 },
	{ "setregid", "setregid", IA32_ID16, 0x3 },
	{ "setresuid", "setresuid", IA32_ID16, 0x7 },
	{ "setresgid", "setresgid", IA32_ID16, 0x7 },
	{ "setfsuid", "setfsuid", IA32_ID16, 0x1 },
	{ "setfsgid", "setfsgid", IA32_ID16, 0x1 },
	{ "setgroups", "setgroups", IA32_ID16, 0 },
	{ "chown", "chown", IA32_ID16, 0x6 },
	{ "lchown", "lchown", IA32_ID16, 0x6 },
	{ "fchown", "fchown", IA32_ID16, 0x6 },
	{ "truncate", "truncate", IA32_SEXT1, 0 },
	{ "truncate64", "truncate", IA32_SPLIT64, 0 },
	{ "ftruncate64", "ftruncate", IA32_SPLIT64, 0 },
	{ "umount", "umount2", IA32_NOFLAGS, 0 },
};

/* IA-32-only calls that are no act procscope reports on x86-64 either. */
static const char *const known_ia32_only[] = {
	"_llseek", "_newselect", "mmap2", "sigaction", "sigprocmask", "sigreturn",
	"sigsuspend", "sigpending", "signal", "sgetmask", "ssetmask", "waitpid",
	"oldstat", "oldfstat", "oldlstat", "olduname", "oldolduname", "readdir",
	"stat64", "lstat64", "fstat64", "fstatat64", "fcntl64", "ipc", "nice",
	"stime", "ugetrlimit", "fadvise64_64", "statfs64", "fstatfs64", "sendfile64",
	"break", "ftime", "gtty", "stty", "prof", "lock", "mpx", "ulimit", "profil",
	"idle", "bdflush", "socketcall", "sync_file_range",
};

static const struct syscall_desc *row_named(const char *name)
{
	unsigned int i;

	for (i = 0; i < syscall_count; i++)
		if (!strcmp(syscall_table[i].name, name))
			return &syscall_table[i];
	return NULL;
}

static bool x64_named(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(x64_names); i++)
		if (!strcmp(x64_names[i].name, name))
			return true;
	return false;
}

/* "setuid32" -> "setuid", "clock_gettime64"/"ppoll_time64" -> "clock_gettime"/"ppoll". */
static bool strip_suffix(const char *name, char *buf, size_t len)
{
	static const char *const suffixes[] = { "_time64", "32", "64" };
	size_t n = strlen(name), i, l;

	for (i = 0; i < ARRAY_SIZE(suffixes); i++) {
		l = strlen(suffixes[i]);
		if (n > l && n - l < len && !strcmp(name + n - l, suffixes[i])) {
			memcpy(buf, name, n - l);
			buf[n - l] = '\0';
			return true;
		}
	}
	return false;
}

static bool known_only(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(known_ia32_only); i++)
		if (!strcmp(known_ia32_only[i], name))
			return true;
	return false;
}

static void classify(const char *name, struct ia32_call *c)
{
	char base[64];
	size_t i;

	c->name = name;
	for (i = 0; i < ARRAY_SIZE(renamed); i++) {
		if (!strcmp(renamed[i].ia32, name)) {
			c->desc = row_named(renamed[i].x64);
			c->fix = renamed[i].fix;
			c->ids = renamed[i].ids;
			return;
		}
	}
	c->desc = row_named(name);
	if (!c->desc && strip_suffix(name, base, sizeof(base)) && x64_named(base))
		c->desc = row_named(base);
	if (c->desc)
		return;
	/* The same call exists on x86-64 and is not an act there: nor here. */
	c->known = x64_named(name) || known_only(name) ||
		   (strip_suffix(name, base, sizeof(base)) && x64_named(base));
}

const struct ia32_call *ia32_find(unsigned int nr)
{
	static struct ia32_call by_nr[PS_SYSCALL_MAX];
	static bool built;
	size_t i;

	if (!built) {
		for (i = 0; i < ARRAY_SIZE(ia32_names); i++)
			if (ia32_names[i].nr >= 0 && ia32_names[i].nr < PS_SYSCALL_MAX)
				classify(ia32_names[i].name, &by_nr[ia32_names[i].nr]);
		for (i = 0; i < ARRAY_SIZE(ia32_extra); i++)
			if (!by_nr[ia32_extra[i].nr].name)
				classify(ia32_extra[i].name, &by_nr[ia32_extra[i].nr]);
		built = true;
	}
	return nr < PS_SYSCALL_MAX && by_nr[nr].name ? &by_nr[nr] : NULL;
}

void ia32_spec(const struct ia32_call *c, struct ps_spec *spec)
{
	unsigned int i;

	memset(spec, 0, sizeof(*spec));
	if (!c->desc) {
		spec->flags = c->known ? PS_SPEC_KNOWN : 0;
		return;
	}
	syscall_spec(c->desc, spec);
	/* 32-bit pointers in the arrays and structures the kernel side walks. */
	for (i = 0; i < spec->ncaps; i++)
		if (spec->caps[i].kind == PS_CAP_ARGV || spec->caps[i].kind == PS_CAP_MSGNAME)
			spec->caps[i].aux = 1;
}

void ia32_normalise(const struct ia32_call *c, struct ps_syscall *sc)
{
	unsigned int i;

	sc->nr = c->desc->nr;
	/* The kernel keeps the low 16 bits of a 16-bit id; 0xffff is -1. */
	if (c->fix & IA32_ID16)
		for (i = 0; i < 6; i++)
			if (c->ids & (1u << i))
				sc->args[i] = (uint16_t)sc->args[i] == 0xffff ? 0xffffffffu
									: (uint16_t)sc->args[i];
	if (c->fix & IA32_SPLIT64)
		sc->args[1] = (uint32_t)sc->args[1] | (sc->args[2] << 32);
	if (c->fix & IA32_SEXT1)
		sc->args[1] = (uint64_t)(int64_t)(int32_t)sc->args[1];
	if (c->fix & IA32_NOFLAGS)
		sc->args[1] = 0;
}

const char *socketcall_name(unsigned int call)
{
	static const char *const names[] = {
		[1] = "socket", [2] = "bind", [3] = "connect", [4] = "listen", [5] = "accept",
		[11] = "sendto", [16] = "sendmsg", [18] = "accept4",
	};

	return call < ARRAY_SIZE(names) ? names[call] : NULL;
}
