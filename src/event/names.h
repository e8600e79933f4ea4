/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Names for the numbers the kernel speaks in (errno values, signals,
 * capabilities, syscall flags and commands), with their Linux x86-64 values,
 * so that a record says "O_WRONLY|O_CREAT" where the kernel said 0101.
 */
#ifndef PS_NAMES_H
#define PS_NAMES_H

#include <stddef.h>

struct ps_name {
	unsigned long long value;
	const char *name;
};

struct ps_nametab {
	const struct ps_name *names;
	size_t n;
};

/* Exact value -> name, or NULL. */
const char *name_of(const struct ps_nametab *t, unsigned long long v);

/*
 * Decompose the bit set `v` into names, in table order, writing at most
 * `max` to `out`; returns how many were written.  An entry is taken when all
 * its bits are set and no earlier entry took them, so a table lists a name of
 * several bits (O_SYNC) before the names it contains (O_DSYNC).  `*rest`
 * (may be NULL) receives every bit not named in `out`: bits no name covers,
 * and those of names that did not fit in `max`, so nothing is lost silently.
 */
size_t flag_names(const struct ps_nametab *t, unsigned long long v,
		  const char **out, size_t max, unsigned long long *rest);

/*
 * open(2)/openat2(2) flags: the access mode first (O_RDONLY, O_WRONLY,
 * O_RDWR, or O_PATH followed by any access bits the caller also passed),
 * then the other flags; O_TMPFILE is one name, shown only when all its bits
 * are set.  An access mode of 3 has no name and stays in `*rest`.
 */
size_t open_flag_names(unsigned long long flags, const char **out, size_t max,
		       unsigned long long *rest);
/* Its tables: the access modes, and the other flags ("O_PATH" is neither). */
extern const struct ps_nametab ps_open_access;
extern const struct ps_nametab ps_open_flags;

/*
 * 2 -> "ENOENT".  Includes the kernel-internal codes (512..531: ERESTARTSYS,
 * ERESTARTNOINTR...) that a sys_exit tracepoint sees before the signal code
 * turns them into EINTR or a restart.  Unknown -> NULL.
 */
const char *errno_name(int err);

/* An event's failure as records say it: the errno's name, or its number when it has none. */
#define ERRNO_STR_LEN 24
const char *errno_str(int err, char buf[ERRNO_STR_LEN]);

/* 9 -> "SIGKILL"; 34..64 -> "SIGRTMIN".."SIGRTMIN+30" (glibc's SIGRTMIN is
 * 34: it reserves 32 and 33 for itself, which have no name).  Unknown -> NULL. */
const char *signal_name(int sig);

/* 0 -> "CAP_CHOWN" ... 40 -> "CAP_CHECKPOINT_RESTORE"; unknown -> NULL. */
const char *cap_name(int cap);

/*
 * Capabilities as a bit set (value 1ULL << cap), so that flag_names()
 * decomposes a kernel_cap_t mask.
 */
extern const struct ps_nametab ps_capabilities;

/* Bit sets, for flag_names(). */
/* AT_* of the *at syscalls.  0x200 is AT_REMOVEDIR here and AT_EACCESS for
 * faccessat2, which has its own table. */
extern const struct ps_nametab ps_at_flags;
extern const struct ps_nametab ps_faccessat_flags;
extern const struct ps_nametab ps_rename_flags;
extern const struct ps_nametab ps_memfd_flags;     /* MFD_HUGE_* size bits stay in rest */
extern const struct ps_nametab ps_resolve_flags;   /* openat2 RESOLVE_* */
/* clone3 flags; for clone(2) mask out the exit signal (flags & 0xff) first,
 * since CLONE_NEWTIME (0x80) shares those bits. */
extern const struct ps_nametab ps_clone_flags;
extern const struct ps_nametab ps_ns_flags;        /* CLONE_NEW*: unshare, setns */
extern const struct ps_nametab ps_mount_flags;     /* mount(2) MS_* */
extern const struct ps_nametab ps_umount_flags;
extern const struct ps_nametab ps_move_mount_flags;
extern const struct ps_nametab ps_open_tree_flags; /* OPEN_TREE_* and the AT_* it accepts */
extern const struct ps_nametab ps_fsmount_flags;
extern const struct ps_nametab ps_mount_attr_flags; /* MOUNT_ATTR_*: fsmount, mount_setattr */
extern const struct ps_nametab ps_socket_type_flags; /* SOCK_NONBLOCK, SOCK_CLOEXEC */
extern const struct ps_nametab ps_io_uring_setup_flags;
extern const struct ps_nametab ps_module_flags;    /* finit_module */
/* kexec_load: name flags & ~KEXEC_ARCH_MASK here and the architecture,
 * flags & KEXEC_ARCH_MASK, with ps_kexec_archs. */
extern const struct ps_nametab ps_kexec_flags;
extern const struct ps_nametab ps_kexec_file_flags; /* kexec_file_load */

/* Enumerations, for name_of(). */
extern const struct ps_nametab ps_kexec_archs;
extern const struct ps_nametab ps_prctl_options;
extern const struct ps_nametab ps_seccomp_ops;
extern const struct ps_nametab ps_socket_families;
extern const struct ps_nametab ps_socket_types;    /* of type & 0xf */
extern const struct ps_nametab ps_ip_protocols;
extern const struct ps_nametab ps_ptrace_requests;
extern const struct ps_nametab ps_bpf_cmds;
extern const struct ps_nametab ps_bpf_prog_types;
extern const struct ps_nametab ps_bpf_map_types;
extern const struct ps_nametab ps_perf_types;
extern const struct ps_nametab ps_file_types;      /* of mode & S_IFMT */

#endif
