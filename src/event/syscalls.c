// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>

#include "event/syscalls.h"

/*
 * The rows, one section per event category.  p[] says, for the row's
 * formatter, which argument holds what; -1 means none.  Captures are bounded
 * by what the record can hold: a relative CAP_PATH takes two blobs (the
 * string and its base directory), CREDS and NS two each, PS_EV_MAX_BLOBS
 * in all.
 */
const struct syscall_desc syscall_table[] = {
	/*
	 * Processes.  Successful execs come from sched_process_exec and forks
	 * from sched_process_fork: these rows report failed execs, failed
	 * forks, and clones that create namespaces (ns.clone).
	 */
	{ SYS_execve, "execve", "process.exec", PS_SPEC_CREDS | PS_SPEC_EXEC, 0,
	  { CAP_PATH(0, AT_CWD), CAP_ARGV(1) }, fmt_exec_failed, { 0 }, NULL },
	{ SYS_execveat, "execveat", "process.exec", PS_SPEC_CREDS | PS_SPEC_EXEC, 0,
	  { CAP_PATH(1, 0), CAP_ARGV(2) }, fmt_exec_failed, { 1 }, NULL },
	/* Only failed forks: a successful one is sched_process_fork's process.fork. */
	{ SYS_fork, "fork", "process.fork", PS_SPEC_CLONE | PS_SPEC_NOFLAGS, 0,
	  { }, fmt_clone, { }, clone_type },
	{ SYS_vfork, "vfork", "process.fork", PS_SPEC_CLONE | PS_SPEC_NOFLAGS, 0,
	  { }, fmt_clone, { }, clone_type },
	{ SYS_clone, "clone", "process.fork", PS_SPEC_CLONE | PS_SPEC_NS, 0,
	  { }, fmt_clone, { }, clone_type },
	{ SYS_clone3, "clone3", "process.fork", PS_SPEC_CLONE | PS_SPEC_CLONE3 | PS_SPEC_NS, 0,
	  { CAP_BYTES_LEN(0, 1) }, fmt_clone, { }, clone_type },

	/*
	 * Files.  p[]: fmt_open: path, flags (-2: implied, as for creat), mode;
	 * fmt_file_path: path, AT_* flags; fmt_file_rename and fmt_file_link:
	 * old path, new path, flags; fmt_file_symlink: stored target, link;
	 * fmt_file_mode: path, mode, AT_* flags; fmt_file_chown: path, uid,
	 * gid, AT_* flags; fmt_file_truncate: path, length; fmt_file_mknod:
	 * path, mode, dev; fmt_file_memfd: name, flags; fmt_file_access: path,
	 * mode, flags.  A path argument captured with CAP_FD is a descriptor.
	 */
	{ SYS_open, "open", "file.open", 0, 0,
	  { CAP_PATH(0, AT_CWD) }, fmt_open, { 0, 1, 2 }, NULL },
	{ SYS_openat, "openat", "file.open", 0, 0,
	  { CAP_PATH(1, 0) }, fmt_open, { 1, 2, 3 }, NULL },
	{ SYS_openat2, "openat2", "file.open", 0, 0,
	  { CAP_PATH(1, 0), CAP_BYTES(2, 24) }, fmt_open, { 1, -1, -1 }, NULL },
	{ SYS_creat, "creat", "file.open", 0, 0,
	  { CAP_PATH(0, AT_CWD) }, fmt_open, { 0, -2, 1 }, NULL },
	{ SYS_unlink, "unlink", "file.unlink", 0, 0,
	  { CAP_PATH(0, AT_CWD) }, fmt_file_path, { 0, -1 }, NULL },
	{ SYS_unlinkat, "unlinkat", "file.unlink", 0, 0,
	  { CAP_PATH(1, 0) }, fmt_file_path, { 1, 2 }, unlinkat_type },
	{ SYS_rmdir, "rmdir", "file.rmdir", 0, 0,
	  { CAP_PATH(0, AT_CWD) }, fmt_file_path, { 0, -1 }, NULL },
	{ SYS_rename, "rename", "file.rename", 0, 0,
	  { CAP_PATH(0, AT_CWD), CAP_PATH(1, AT_CWD) }, fmt_file_rename, { 0, 1, -1 }, NULL },
	{ SYS_renameat, "renameat", "file.rename", 0, 0,
	  { CAP_PATH(1, 0), CAP_PATH(3, 2) }, fmt_file_rename, { 1, 3, -1 }, NULL },
	{ SYS_renameat2, "renameat2", "file.rename", 0, 0,
	  { CAP_PATH(1, 0), CAP_PATH(3, 2) }, fmt_file_rename, { 1, 3, 4 }, NULL },
	{ SYS_mkdir, "mkdir", "file.mkdir", 0, 0,
	  { CAP_PATH(0, AT_CWD) }, fmt_file_mode, { 0, 1, -1 }, NULL },
	{ SYS_mkdirat, "mkdirat", "file.mkdir", 0, 0,
	  { CAP_PATH(1, 0) }, fmt_file_mode, { 1, 2, -1 }, NULL },
	{ SYS_link, "link", "file.link", 0, 0,
	  { CAP_PATH(0, AT_CWD), CAP_PATH(1, AT_CWD) }, fmt_file_link, { 0, 1, -1 }, NULL },
	{ SYS_linkat, "linkat", "file.link", 0, 0,
	  { CAP_PATH(1, 0), CAP_PATH(3, 2) }, fmt_file_link, { 1, 3, 4 }, NULL },
	{ SYS_symlink, "symlink", "file.symlink", 0, 0,
	  { CAP_STR(0), CAP_PATH(1, AT_CWD) }, fmt_file_symlink, { 0, 1 }, NULL },
	{ SYS_symlinkat, "symlinkat", "file.symlink", 0, 0,
	  { CAP_STR(0), CAP_PATH(2, 1) }, fmt_file_symlink, { 0, 2 }, NULL },
	{ SYS_chmod, "chmod", "file.chmod", 0, 0,
	  { CAP_PATH(0, AT_CWD) }, fmt_file_mode, { 0, 1, -1 }, NULL },
	{ SYS_fchmod, "fchmod", "file.chmod", 0, 0,
	  { CAP_FD(0) }, fmt_file_mode, { 0, 1, -1 }, NULL },
	{ SYS_fchmodat, "fchmodat", "file.chmod", 0, 0,
	  { CAP_PATH(1, 0) }, fmt_file_mode, { 1, 2, -1 }, NULL },
	/* Linux 6.6; Debian 12's headers lack SYS_fchmodat2. */
	{ 452, "fchmodat2", "file.chmod", 0, 0,
	  { CAP_PATH(1, 0) }, fmt_file_mode, { 1, 2, 3 }, NULL },
	{ SYS_chown, "chown", "file.chown", 0, 0,
	  { CAP_PATH(0, AT_CWD) }, fmt_file_chown, { 0, 1, 2, -1 }, NULL },
	{ SYS_fchown, "fchown", "file.chown", 0, 0,
	  { CAP_FD(0) }, fmt_file_chown, { 0, 1, 2, -1 }, NULL },
	{ SYS_lchown, "lchown", "file.chown", 0, 0,
	  { CAP_PATH(0, AT_CWD) }, fmt_file_chown, { 0, 1, 2, -1 }, NULL },
	{ SYS_fchownat, "fchownat", "file.chown", 0, 0,
	  { CAP_PATH(1, 0) }, fmt_file_chown, { 1, 2, 3, 4 }, NULL },
	{ SYS_truncate, "truncate", "file.truncate", 0, 0,
	  { CAP_PATH(0, AT_CWD) }, fmt_file_truncate, { 0, 1 }, NULL },
	{ SYS_ftruncate, "ftruncate", "file.truncate", 0, 0,
	  { CAP_FD(0) }, fmt_file_truncate, { 0, 1 }, NULL },
	{ SYS_mknod, "mknod", "file.mknod", 0, 0,
	  { CAP_PATH(0, AT_CWD) }, fmt_file_mknod, { 0, 1, 2 }, NULL },
	{ SYS_mknodat, "mknodat", "file.mknod", 0, 0,
	  { CAP_PATH(1, 0) }, fmt_file_mknod, { 1, 2, 3 }, NULL },
	{ SYS_memfd_create, "memfd_create", "file.memfd", 0, 0,
	  { CAP_STR(0) }, fmt_file_memfd, { 0, 1 }, NULL },
	{ SYS_access, "access", "file.access", 0, 0,
	  { CAP_PATH(0, AT_CWD) }, fmt_file_access, { 0, 1, -1 }, NULL },
	{ SYS_faccessat, "faccessat", "file.access", 0, 0,
	  { CAP_PATH(1, 0) }, fmt_file_access, { 1, 2, -1 }, NULL },
	{ SYS_faccessat2, "faccessat2", "file.access", 0, 0,
	  { CAP_PATH(1, 0) }, fmt_file_access, { 1, 2, 3 }, NULL },

	/*
	 * Network.  Never the payload.  p[] for fmt_net_addr: socket fd, the
	 * argument holding the sockaddr, the length sent (-1: none).
	 */
	{ SYS_socket, "socket", "net.socket", 0, 0,
	  { }, fmt_socket, { }, NULL },
	{ SYS_connect, "connect", "net.connect", 0, 0,
	  { CAP_BYTES_LEN(1, 2), CAP_SOCK(0) }, fmt_net_addr, { 0, 1, -1 }, NULL },
	{ SYS_bind, "bind", "net.bind", 0, 0,
	  { CAP_BYTES_LEN(1, 2), CAP_SOCK(0) }, fmt_net_addr, { 0, 1, -1 }, NULL },
	{ SYS_listen, "listen", "net.listen", 0, 0,
	  { CAP_SOCK(0) }, fmt_listen, { 0, 1 }, NULL },
	{ SYS_accept, "accept", "net.accept", PS_SPEC_RETSOCK, 0,
	  { }, fmt_accept, { 0, -1 }, NULL },
	{ SYS_accept4, "accept4", "net.accept", PS_SPEC_RETSOCK, 0,
	  { }, fmt_accept, { 0, 3 }, NULL },
	/* Only with a destination: a send on a connected socket is its connect. */
	{ SYS_sendto, "sendto", "net.send", PS_SPEC_IF_ARG, 4,
	  { CAP_BYTES_LEN(4, 5), CAP_SOCK(0) }, fmt_net_addr, { 0, 4, 2 }, NULL },
	{ SYS_sendmsg, "sendmsg", "net.send", 0, 0,
	  { CAP_MSGNAME(1), CAP_SOCK(0) }, fmt_net_addr, { 0, 1, -1 }, NULL },

	/*
	 * Privilege: credentials before and after every call.  p[] for
	 * fmt_setid: the shape (0: one id, 1: real and effective, 2: real,
	 * effective and saved, 3: filesystem id), then 0 for uids, 1 for gids.
	 */
	{ SYS_setuid, "setuid", "priv.setuid", PS_SPEC_CREDS, 0,
	  { }, fmt_setid, { 0, 0 }, NULL },
	{ SYS_setreuid, "setreuid", "priv.setuid", PS_SPEC_CREDS, 0,
	  { }, fmt_setid, { 1, 0 }, NULL },
	{ SYS_setresuid, "setresuid", "priv.setuid", PS_SPEC_CREDS, 0,
	  { }, fmt_setid, { 2, 0 }, NULL },
	{ SYS_setfsuid, "setfsuid", "priv.setuid", PS_SPEC_CREDS, 0,
	  { }, fmt_setid, { 3, 0 }, NULL },
	{ SYS_setgid, "setgid", "priv.setgid", PS_SPEC_CREDS, 0,
	  { }, fmt_setid, { 0, 1 }, NULL },
	{ SYS_setregid, "setregid", "priv.setgid", PS_SPEC_CREDS, 0,
	  { }, fmt_setid, { 1, 1 }, NULL },
	{ SYS_setresgid, "setresgid", "priv.setgid", PS_SPEC_CREDS, 0,
	  { }, fmt_setid, { 2, 1 }, NULL },
	{ SYS_setfsgid, "setfsgid", "priv.setgid", PS_SPEC_CREDS, 0,
	  { }, fmt_setid, { 3, 1 }, NULL },
	{ SYS_setgroups, "setgroups", "priv.setgroups", PS_SPEC_CREDS, 0,
	  { }, fmt_setgroups, { 0 }, NULL },
	/* The header (version, pid) and the two-word data the caller asked for. */
	{ SYS_capset, "capset", "priv.capset", PS_SPEC_CREDS, 0,
	  { CAP_BYTES(0, 8), CAP_BYTES(1, 24) }, fmt_capset, { 0, 1 }, NULL },
	{ SYS_prctl, "prctl", "priv.prctl", PS_SPEC_CREDS, 0,
	  { }, fmt_prctl, { }, NULL },
	/* The filter's struct sock_fprog: its length in instructions. */
	{ SYS_seccomp, "seccomp", "priv.seccomp", PS_SPEC_CREDS, 0,
	  { CAP_BYTES(2, 16) }, fmt_seccomp, { }, NULL },

	/* Namespaces: inode numbers before and after every call. */
	{ SYS_unshare, "unshare", "ns.unshare", PS_SPEC_NS, 0,
	  { }, fmt_unshare, { }, NULL },
	{ SYS_setns, "setns", "ns.setns", PS_SPEC_NS, 0,
	  { CAP_FD(0) }, fmt_setns, { }, NULL },

	/* Mounts.  Sources and filesystem types are shown as passed. */
	{ SYS_mount, "mount", "mount.mount", 0, 0,
	  { CAP_STR(0), CAP_PATH(1, AT_CWD), CAP_STR(2) }, fmt_mount, { }, NULL },
	{ SYS_umount2, "umount2", "mount.umount", 0, 0,
	  { CAP_PATH(0, AT_CWD) }, fmt_umount, { }, NULL },
	{ SYS_pivot_root, "pivot_root", "mount.pivot_root", 0, 0,
	  { CAP_PATH(0, AT_CWD), CAP_PATH(1, AT_CWD) }, fmt_pivot_root, { }, NULL },
	{ SYS_chroot, "chroot", "mount.chroot", 0, 0,
	  { CAP_PATH(0, AT_CWD) }, fmt_chroot, { }, NULL },
	{ SYS_move_mount, "move_mount", "mount.mount", 0, 0,
	  { CAP_PATH(1, 0), CAP_PATH(3, 2) }, fmt_move_mount, { }, NULL },
	{ SYS_fsopen, "fsopen", "mount.fs", 0, 0,
	  { CAP_STR(0) }, fmt_fsopen, { }, NULL },
	{ SYS_fsconfig, "fsconfig", "mount.fs", 0, 0,
	  { CAP_STR(2), CAP_STR(3) }, fmt_fsconfig, { }, NULL },
	{ SYS_fsmount, "fsmount", "mount.fs", 0, 0,
	  { }, fmt_fsmount, { }, NULL },
	{ SYS_open_tree, "open_tree", "mount.fs", 0, 0,
	  { CAP_PATH(1, 0) }, fmt_open_tree, { }, NULL },
	{ SYS_mount_setattr, "mount_setattr", "mount.fs", 0, 0,
	  { CAP_PATH(1, 0), CAP_BYTES_LEN(3, 4) }, fmt_mount_setattr, { }, NULL },

	/*
	 * Acts on other processes.  p[] for fmt_signal: the argument naming
	 * the target, the signal's argument.
	 */
	{ SYS_ptrace, "ptrace", "proc.ptrace", 0, 0,
	  { CAP_TARGET(1, PS_TGT_PID) }, fmt_ptrace, { }, NULL },
	{ SYS_process_vm_readv, "process_vm_readv", "proc.vm_access", 0, 0,
	  { CAP_TARGET(0, PS_TGT_PID) }, fmt_vm_access, { }, NULL },
	{ SYS_process_vm_writev, "process_vm_writev", "proc.vm_access", 0, 0,
	  { CAP_TARGET(0, PS_TGT_PID) }, fmt_vm_access, { }, NULL },
	{ SYS_kill, "kill", "proc.signal", 0, 0,
	  { CAP_TARGET(0, PS_TGT_PID) }, fmt_signal, { 0, 1 }, NULL },
	{ SYS_tkill, "tkill", "proc.signal", 0, 0,
	  { CAP_TARGET(0, PS_TGT_PID) }, fmt_signal, { 0, 1 }, NULL },
	{ SYS_tgkill, "tgkill", "proc.signal", 0, 0,
	  { CAP_TARGET(1, PS_TGT_PID) }, fmt_signal, { 1, 2 }, NULL },
	{ SYS_pidfd_send_signal, "pidfd_send_signal", "proc.signal", 0, 0,
	  { CAP_TARGET(0, PS_TGT_PIDFD) }, fmt_signal, { 0, 1 }, NULL },
	{ SYS_pidfd_open, "pidfd_open", "proc.pidfd", 0, 0,
	  { CAP_TARGET(0, PS_TGT_PID) }, fmt_pidfd_open, { }, NULL },
	{ SYS_pidfd_getfd, "pidfd_getfd", "proc.pidfd", 0, 0,
	  { CAP_TARGET(0, PS_TGT_PIDFD) }, fmt_pidfd_getfd, { }, NULL },

	/* Code and hooks loaded into the kernel, and ways around syscall tracing. */
	{ SYS_init_module, "init_module", "kernel.module", 0, 0,
	  { CAP_STR(2) }, fmt_init_module, { }, NULL },
	{ SYS_finit_module, "finit_module", "kernel.module", 0, 0,
	  { CAP_FD(0), CAP_STR(1) }, fmt_finit_module, { }, NULL },
	{ SYS_delete_module, "delete_module", "kernel.module", 0, 0,
	  { CAP_STR(0) }, fmt_delete_module, { }, NULL },
	{ SYS_bpf, "bpf", "kernel.bpf", 0, 0,
	  { CAP_BYTES_LEN(1, 2) }, fmt_bpf, { }, NULL },
	{ SYS_kexec_load, "kexec_load", "kernel.kexec", 0, 0,
	  { }, fmt_kexec_load, { }, NULL },
	{ SYS_kexec_file_load, "kexec_file_load", "kernel.kexec", 0, 0,
	  { CAP_FD(0), CAP_STR(3) }, fmt_kexec_file_load, { }, NULL },
	/* struct io_uring_params, read back after the kernel filled it in. */
	{ SYS_io_uring_setup, "io_uring_setup", "kernel.io_uring", 0, 0,
	  { CAP_BYTES(1, 120) }, fmt_io_uring_setup, { }, NULL },
	/* struct perf_event_attr up to config. */
	{ SYS_perf_event_open, "perf_event_open", "kernel.perf_event", 0, 0,
	  { CAP_BYTES(0, 16) }, fmt_perf_event_open, { }, NULL },
};

const unsigned int syscall_count = sizeof(syscall_table) / sizeof(syscall_table[0]);

const struct syscall_desc *syscall_find(int nr)
{
	/* Built on first use: every record looks its row up. */
	static const struct syscall_desc *by_nr[PS_SYSCALL_MAX];
	static bool built;
	unsigned int i;

	if (!built) {
		for (i = 0; i < syscall_count; i++)
			if (syscall_table[i].nr >= 0 && syscall_table[i].nr < PS_SYSCALL_MAX)
				by_nr[syscall_table[i].nr] = &syscall_table[i];
		built = true;
	}
	return nr >= 0 && nr < PS_SYSCALL_MAX ? by_nr[nr] : NULL;
}

const char *syscall_alt_type(const struct syscall_desc *d)
{
	if (d->type_of == clone_type)
		return "ns.clone";
	if (d->type_of == unlinkat_type)
		return "file.rmdir";
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
	if (!strncmp(d->type, "file.", 5))
		spec->flags |= PS_SPEC_FILE;
	if (!strcmp(d->type, "priv.setuid"))
		spec->khook = PS_KH_SETUID + 1;
	else if (!strcmp(d->type, "priv.setgid"))
		spec->khook = PS_KH_SETGID + 1;
	else if (!strcmp(d->type, "priv.capset"))
		spec->khook = PS_KH_CAPSET + 1;
	else if (!strcmp(d->type, "file.open")) {
		spec->khook = PS_KH_FILE_OPEN + 1;
		/* fmt_open's p[1]: the flags' argument; -2 implied (creat), -1 in struct open_how. */
		spec->flags_arg = d->p[1] == -2 ? PS_FLAGS_CREAT
			: d->p[1] == -1 ? PS_FLAGS_HOW : (uint8_t)(d->p[1] + 1);
	}
}
