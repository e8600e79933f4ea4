/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * IA-32 syscalls (int $0x80, sysenter): their numbers mapped onto the rows
 * of the x86-64 table, so that a 32-bit call is the same event with the same
 * fields, marked "abi": "ia32".  The numbering comes from the system's
 * <asm/unistd_32.h> at build time.
 */
#ifndef PS_SYSCALLS_IA32_H
#define PS_SYSCALLS_IA32_H

#include <stdbool.h>
#include <stdint.h>

#include "records.h"

struct syscall_desc;

/* How an IA-32 call's arguments differ from its x86-64 twin's. */
#define IA32_ID16     (1u << 0) /* 16-bit uids/gids: 0xffff means -1 (arguments in `ids`) */
#define IA32_SPLIT64  (1u << 1) /* a 64-bit length as (low, high) in args 1 and 2 */
#define IA32_SEXT1    (1u << 2) /* argument 1 is a signed 32-bit value */
#define IA32_NOFLAGS  (1u << 3) /* umount(path): umount2 with flags 0 */

struct ia32_call {
	const char *name;                 /* the IA-32 name (setuid32, truncate64 ...) */
	const struct syscall_desc *desc;  /* the x86-64 row it is decoded as; NULL: not an act */
	bool known;                       /* not an act procscope reports (read, mmap2 ...) */
	unsigned int fix;                 /* IA32_* */
	uint8_t ids;                      /* with IA32_ID16: bit i set when argument i is an id */
};

/* The IA-32 call `nr`, or NULL for a number the system does not name. */
const struct ia32_call *ia32_find(unsigned int nr);

/* Fill the spec map entry for an IA-32 call (flags 0: counted as undecoded). */
void ia32_spec(const struct ia32_call *c, struct ps_spec *spec);

/*
 * Bring a decoded IA-32 record's arguments to the x86-64 row's meaning, and
 * its number to the x86-64 one, so every formatter works unchanged.
 */
void ia32_normalise(const struct ia32_call *c, struct ps_syscall *sc);

/* The name of an IA-32 socketcall(2) call number that procscope decodes. */
const char *socketcall_name(unsigned int call);

#endif
