/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The table of covered syscalls.  One row says what the kernel side captures
 * (it becomes the spec map) and how user space renders the record, so adding
 * a syscall is one row plus, at most, one formatter.
 */
#ifndef PS_SYSCALLS_H
#define PS_SYSCALLS_H

#include <stdbool.h>
#include <stdint.h>

#include "records.h"

struct ps_event;
struct out;

struct syscall_desc {
	int nr;
	const char *name;
	const char *type;          /* event type, "category.action" */
	unsigned int spec_flags;   /* PS_SPEC_* beyond ENABLED */
	unsigned char cond_arg;    /* with PS_SPEC_IF_ARG */
	struct ps_cap caps[PS_MAX_BLOBS];
	/* Writes the category object; `p` says which argument holds what. */
	void (*fmt)(const struct ps_event *ev, struct out *o);
	signed char p[4];
	/* When the type depends on the arguments (clone: ns.clone or process.fork). */
	const char *(*type_of)(const struct ps_event *ev);
};

/* Capture shorthands for table rows. */
#define CAP_PATH(a, dirfd) { PS_CAP_PATH, (a), (dirfd), 0 }
#define CAP_STR(a)         { PS_CAP_STR, (a), 0, 0 }
#define CAP_BYTES(a, n)    { PS_CAP_BYTES, (a), (n), 0 }
#define CAP_FD(a)          { PS_CAP_FD_PATH, (a), 0, 0 }
#define CAP_ARGV(a)        { PS_CAP_ARGV, (a), 0, 0 }
#define CAP_SOCK(a)        { PS_CAP_SOCK, (a), 0, 0 }
#define CAP_MSGNAME(a)     { PS_CAP_MSGNAME, (a), 0, 0 }
#define CAP_TARGET(a, k)   { PS_CAP_TARGET, (a), (k), 0 }
/* BYTES whose length is in argument n (or *argument n with LEN_PTR). */
#define CAP_BYTES_LEN(a, n)     { PS_CAP_BYTES, (a), PS_CAP_LEN_ARG | (n), 0 }
#define CAP_BYTES_LENPTR(a, n)  { PS_CAP_BYTES, (a), PS_CAP_LEN_ARG | PS_CAP_LEN_PTR | (n), 0 }
#define AT_CWD             PS_AUX_CWD

extern const struct syscall_desc syscall_table[];
extern const unsigned int syscall_count;

const struct syscall_desc *syscall_find(int nr);

/* For a row whose type depends on its arguments, the type other than d->type. */
const char *syscall_alt_type(const struct syscall_desc *d);

/* Privilege, namespace, mount, process-access and kernel events stand out. */
bool type_is_notable(const char *type);

/* Fill `spec` for the kernel's spec map from a table row. */
void syscall_spec(const struct syscall_desc *d, struct ps_spec *spec);

/* Formatters, one file per category, and the pieces they share. */
void fmt_creds(struct out *o, const char *key, const struct ps_creds *c);
/* The CREDS blob PS_ARG_BEFORE or PS_ARG_AFTER, or NULL. */
const struct ps_creds *ev_creds(const struct ps_event *ev, uint8_t which);
bool creds_gained(const struct ps_creds *before, const struct ps_creds *after);
bool exec_gains_privilege(const struct ps_event *ev);
void fmt_path(const struct ps_event *ev, struct out *o, const char *key, int arg);
void fmt_str_arg(const struct ps_event *ev, struct out *o, const char *key, int arg);
/* "pid@start": a process's key, stable across pid reuse. */
void fmt_key(struct out *o, const char *name, unsigned int pid, unsigned long long start_boot);
void fmt_open_flags(struct out *o, unsigned long long flags);
void fmt_exec(const struct ps_event *ev, struct out *o);
void fmt_exec_failed(const struct ps_event *ev, struct out *o);
void fmt_fork(const struct ps_event *ev, struct out *o);
void fmt_exit(const struct ps_event *ev, struct out *o);
void fmt_open(const struct ps_event *ev, struct out *o);

/* Pieces every category uses (fmt_file.c). */
struct ps_nametab;
/* Flag names under `key`, and "<key>_unknown" for bits without a name. */
void fmt_flags(struct out *o, const char *key, const struct ps_nametab *t,
	       unsigned long long v);
/* The name of `v` under `key`, or the number when it has none. */
void fmt_name(struct out *o, const char *key, const struct ps_nametab *t, long long v);
/*
 * Name tables kept beside the one formatter that uses them; exported so
 * that the field catalog lists their names.
 */
extern const struct ps_nametab ps_access_modes;         /* fmt_file.c: R_OK, W_OK, X_OK */
extern const struct ps_nametab ps_ambient_ops;          /* fmt_priv.c */
extern const struct ps_nametab ps_seccomp_modes;
extern const struct ps_nametab ps_securebits;
extern const struct ps_nametab ps_seccomp_filter_flags;
extern const struct ps_nametab ps_fsopen_flags;         /* fmt_mount.c */
extern const struct ps_nametab ps_fsconfig_cmds;
extern const struct ps_nametab ps_pidfd_flags;          /* fmt_proc.c */
extern const struct ps_nametab ps_delete_module_flags;  /* fmt_kernel.c */
extern const struct ps_nametab ps_perf_flags;
/* A uid or gid argument; (uid_t)-1, "unchanged", is written as -1. */
void fmt_id(struct out *o, const char *key, unsigned long long v);
/*
 * The file named by argument `arg`: its path under `key`, and the descriptor
 * ("fd" beside "path", "<key>_fd" otherwise) when the argument is one
 * (CAP_FD) or is an empty path with AT_EMPTY_PATH, which names the
 * directory descriptor itself.
 */
void fmt_file_ref(const struct ps_event *ev, struct out *o, const char *key, int arg);

/* Files (fmt_file.c). */
const char *unlinkat_type(const struct ps_event *ev);
void fmt_file_path(const struct ps_event *ev, struct out *o);
void fmt_file_rename(const struct ps_event *ev, struct out *o);
void fmt_file_link(const struct ps_event *ev, struct out *o);
void fmt_file_symlink(const struct ps_event *ev, struct out *o);
void fmt_file_mode(const struct ps_event *ev, struct out *o);
void fmt_file_chown(const struct ps_event *ev, struct out *o);
void fmt_file_truncate(const struct ps_event *ev, struct out *o);
void fmt_file_mknod(const struct ps_event *ev, struct out *o);
void fmt_file_memfd(const struct ps_event *ev, struct out *o);
void fmt_file_access(const struct ps_event *ev, struct out *o);

/* Network (fmt_net.c). */
void fmt_socket(const struct ps_event *ev, struct out *o);
void fmt_net_addr(const struct ps_event *ev, struct out *o);
void fmt_listen(const struct ps_event *ev, struct out *o);
void fmt_accept(const struct ps_event *ev, struct out *o);

/* Privilege (fmt_priv.c). */
void fmt_setid(const struct ps_event *ev, struct out *o);
void fmt_setgroups(const struct ps_event *ev, struct out *o);
void fmt_capset(const struct ps_event *ev, struct out *o);
void fmt_prctl(const struct ps_event *ev, struct out *o);
void fmt_seccomp(const struct ps_event *ev, struct out *o);

/* Namespaces and clones (fmt_ns.c). */
const char *clone_type(const struct ps_event *ev);
void fmt_clone(const struct ps_event *ev, struct out *o);
void fmt_unshare(const struct ps_event *ev, struct out *o);
void fmt_setns(const struct ps_event *ev, struct out *o);

/* Mounts (fmt_mount.c). */
void fmt_mount(const struct ps_event *ev, struct out *o);
void fmt_umount(const struct ps_event *ev, struct out *o);
void fmt_pivot_root(const struct ps_event *ev, struct out *o);
void fmt_chroot(const struct ps_event *ev, struct out *o);
void fmt_move_mount(const struct ps_event *ev, struct out *o);
void fmt_fsopen(const struct ps_event *ev, struct out *o);
void fmt_fsconfig(const struct ps_event *ev, struct out *o);
void fmt_fsmount(const struct ps_event *ev, struct out *o);
void fmt_open_tree(const struct ps_event *ev, struct out *o);
void fmt_mount_setattr(const struct ps_event *ev, struct out *o);

/* Acts on other processes (fmt_proc.c). */
void fmt_ptrace(const struct ps_event *ev, struct out *o);
void fmt_vm_access(const struct ps_event *ev, struct out *o);
void fmt_signal(const struct ps_event *ev, struct out *o);
void fmt_pidfd_open(const struct ps_event *ev, struct out *o);
void fmt_pidfd_getfd(const struct ps_event *ev, struct out *o);

/* The kernel (fmt_kernel.c). */
void fmt_init_module(const struct ps_event *ev, struct out *o);
void fmt_finit_module(const struct ps_event *ev, struct out *o);
void fmt_delete_module(const struct ps_event *ev, struct out *o);
void fmt_bpf(const struct ps_event *ev, struct out *o);
void fmt_kexec_load(const struct ps_event *ev, struct out *o);
void fmt_kexec_file_load(const struct ps_event *ev, struct out *o);
void fmt_io_uring_setup(const struct ps_event *ev, struct out *o);
void fmt_perf_event_open(const struct ps_event *ev, struct out *o);

#endif
