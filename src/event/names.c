// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Name tables.  Values come from the C library's and the kernel's headers;
 * values newer than the oldest headers procscope builds with (Debian 12:
 * glibc 2.36, Linux 6.1 UAPI) are literals, marked L() with the kernel
 * release that added them.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/io_uring.h>
#include <linux/kexec.h>
#include <linux/module.h>
#include <linux/openat2.h>
#include <linux/perf_event.h>
#include <linux/prctl.h>
#include <linux/seccomp.h>

#include "event/names.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Header constants are 32-bit ints; the cast keeps a negative enum value
 * (glibc's MS_NOUSER is 1 << 31) from sign-extending to 64 bits.
 */
#define N(x)		{ (unsigned int)(x), #x }
#define L(v, x)		{ (v), #x }
#define TAB(name, arr)	const struct ps_nametab name = { arr, ARRAY_SIZE(arr) }

const char *name_of(const struct ps_nametab *t, unsigned long long v)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->names[i].value == v)
			return t->names[i].name;
	return NULL;
}

size_t flag_names(const struct ps_nametab *t, unsigned long long v,
		  const char **out, size_t max, unsigned long long *rest)
{
	size_t i, n = 0;

	for (i = 0; i < t->n && n < max; i++) {
		unsigned long long bits = t->names[i].value;

		if (bits && (v & bits) == bits) {
			out[n++] = t->names[i].name;
			v &= ~bits;
		}
	}
	if (rest)
		*rest = v;
	return n;
}

/* open(2) */

static const struct ps_name open_access[] = {
	N(O_RDONLY), N(O_WRONLY), N(O_RDWR),
};
TAB(ps_open_access, open_access);

static const struct ps_name open_flags[] = {
	N(O_CREAT),
	N(O_EXCL),
	N(O_NOCTTY),
	N(O_TRUNC),
	N(O_APPEND),
	N(O_NONBLOCK),
	N(O_SYNC),		/* contains O_DSYNC */
	N(O_DSYNC),
	N(O_ASYNC),
	N(O_DIRECT),
	/* glibc defines O_LARGEFILE as 0 on 64-bit; the kernel's bit: */
	L(0100000, O_LARGEFILE),
	N(O_TMPFILE),		/* contains O_DIRECTORY */
	N(O_DIRECTORY),
	N(O_NOFOLLOW),
	N(O_NOATIME),
	N(O_CLOEXEC),
};
TAB(ps_open_flags, open_flags);

size_t open_flag_names(unsigned long long flags, const char **out, size_t max,
		       unsigned long long *rest)
{
	const char *mode = name_of(&ps_open_access, flags & O_ACCMODE);
	size_t n = 0;

	if ((flags & O_PATH) && max > 0) {
		out[n++] = "O_PATH";
		flags &= ~(unsigned long long)O_PATH;
		/*
		 * O_PATH makes the access bits meaningless: O_RDONLY (no
		 * bits) would say something untrue; bits the caller did set
		 * are still shown.
		 */
		if (!(flags & O_ACCMODE))
			mode = NULL;
	}
	if (mode && n < max) {
		out[n++] = mode;
		flags &= ~(unsigned long long)O_ACCMODE;
	}
	return n + flag_names(&ps_open_flags, flags, out + n, max - n, rest);
}

/* errno */

#define E(e)		[e] = #e
#define EK(v, e)	[(v) - 512] = #e

static const char *const errnos[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG),
	E(ENOEXEC), E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES),
	E(EFAULT), E(ENOTBLK), E(EBUSY), E(EEXIST), E(EXDEV), E(ENODEV),
	E(ENOTDIR), E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(ENOTTY),
	E(ETXTBSY), E(EFBIG), E(ENOSPC), E(ESPIPE), E(EROFS), E(EMLINK),
	E(EPIPE), E(EDOM), E(ERANGE), E(EDEADLK), E(ENAMETOOLONG), E(ENOLCK),
	E(ENOSYS), E(ENOTEMPTY), E(ELOOP), E(ENOMSG), E(EIDRM), E(ECHRNG),
	E(EL2NSYNC), E(EL3HLT), E(EL3RST), E(ELNRNG), E(EUNATCH), E(ENOCSI),
	E(EL2HLT), E(EBADE), E(EBADR), E(EXFULL), E(ENOANO), E(EBADRQC),
	E(EBADSLT), E(EBFONT), E(ENOSTR), E(ENODATA), E(ETIME), E(ENOSR),
	E(ENONET), E(ENOPKG), E(EREMOTE), E(ENOLINK), E(EADV), E(ESRMNT),
	E(ECOMM), E(EPROTO), E(EMULTIHOP), E(EDOTDOT), E(EBADMSG),
	E(EOVERFLOW), E(ENOTUNIQ), E(EBADFD), E(EREMCHG), E(ELIBACC),
	E(ELIBBAD), E(ELIBSCN), E(ELIBMAX), E(ELIBEXEC), E(EILSEQ),
	E(ERESTART), E(ESTRPIPE), E(EUSERS), E(ENOTSOCK), E(EDESTADDRREQ),
	E(EMSGSIZE), E(EPROTOTYPE), E(ENOPROTOOPT), E(EPROTONOSUPPORT),
	E(ESOCKTNOSUPPORT), E(EOPNOTSUPP), E(EPFNOSUPPORT), E(EAFNOSUPPORT),
	E(EADDRINUSE), E(EADDRNOTAVAIL), E(ENETDOWN), E(ENETUNREACH),
	E(ENETRESET), E(ECONNABORTED), E(ECONNRESET), E(ENOBUFS), E(EISCONN),
	E(ENOTCONN), E(ESHUTDOWN), E(ETOOMANYREFS), E(ETIMEDOUT),
	E(ECONNREFUSED), E(EHOSTDOWN), E(EHOSTUNREACH), E(EALREADY),
	E(EINPROGRESS), E(ESTALE), E(EUCLEAN), E(ENOTNAM), E(ENAVAIL),
	E(EISNAM), E(EREMOTEIO), E(EDQUOT), E(ENOMEDIUM), E(EMEDIUMTYPE),
	E(ECANCELED), E(ENOKEY), E(EKEYEXPIRED), E(EKEYREVOKED),
	E(EKEYREJECTED), E(EOWNERDEAD), E(ENOTRECOVERABLE), E(ERFKILL),
	E(EHWPOISON),
};

/* The kernel's internal codes (include/linux/errno.h): no UAPI header has them. */
static const char *const kernel_errnos[] = {
	EK(512, ERESTARTSYS), EK(513, ERESTARTNOINTR), EK(514, ERESTARTNOHAND),
	EK(515, ENOIOCTLCMD), EK(516, ERESTART_RESTARTBLOCK),
	EK(517, EPROBE_DEFER), EK(518, EOPENSTALE), EK(519, ENOPARAM),
	EK(521, EBADHANDLE), EK(522, ENOTSYNC), EK(523, EBADCOOKIE),
	EK(524, ENOTSUPP), EK(525, ETOOSMALL), EK(526, ESERVERFAULT),
	EK(527, EBADTYPE), EK(528, EJUKEBOX), EK(529, EIOCBQUEUED),
	EK(530, ERECALLCONFLICT), EK(531, ENOGRACE),
};

const char *errno_name(int err)
{
	if (err > 0 && (size_t)err < ARRAY_SIZE(errnos))
		return errnos[err];
	if (err >= 512 && (size_t)(err - 512) < ARRAY_SIZE(kernel_errnos))
		return kernel_errnos[err - 512];
	return NULL;
}

const char *errno_str(int err, char buf[ERRNO_STR_LEN])
{
	const char *name = errno_name(err);

	if (name)
		return name;
	snprintf(buf, ERRNO_STR_LEN, "%d", err);
	return buf;
}

/* Signals */

#define S(s)		[s] = #s
#define RT(n)		"SIGRTMIN+" #n

static const char *const signals[] = {
	S(SIGHUP), S(SIGINT), S(SIGQUIT), S(SIGILL), S(SIGTRAP), S(SIGABRT),
	S(SIGBUS), S(SIGFPE), S(SIGKILL), S(SIGUSR1), S(SIGSEGV), S(SIGUSR2),
	S(SIGPIPE), S(SIGALRM), S(SIGTERM), S(SIGSTKFLT), S(SIGCHLD),
	S(SIGCONT), S(SIGSTOP), S(SIGTSTP), S(SIGTTIN), S(SIGTTOU), S(SIGURG),
	S(SIGXCPU), S(SIGXFSZ), S(SIGVTALRM), S(SIGPROF), S(SIGWINCH),
	S(SIGIO), S(SIGPWR), S(SIGSYS),
};

#define PS_SIGRTMIN 34

static const char *const rt_signals[] = {
	"SIGRTMIN", RT(1), RT(2), RT(3), RT(4), RT(5), RT(6), RT(7), RT(8),
	RT(9), RT(10), RT(11), RT(12), RT(13), RT(14), RT(15), RT(16), RT(17),
	RT(18), RT(19), RT(20), RT(21), RT(22), RT(23), RT(24), RT(25), RT(26),
	RT(27), RT(28), RT(29), RT(30),
};

const char *signal_name(int sig)
{
	if (sig > 0 && (size_t)sig < ARRAY_SIZE(signals))
		return signals[sig];
	if (sig >= PS_SIGRTMIN && (size_t)(sig - PS_SIGRTMIN) < ARRAY_SIZE(rt_signals))
		return rt_signals[sig - PS_SIGRTMIN];
	return NULL;
}

/* Capabilities */

#define C(c)		{ 1ULL << (c), #c }

static const struct ps_name caps[] = {
	C(CAP_CHOWN), C(CAP_DAC_OVERRIDE), C(CAP_DAC_READ_SEARCH), C(CAP_FOWNER),
	C(CAP_FSETID), C(CAP_KILL), C(CAP_SETGID), C(CAP_SETUID), C(CAP_SETPCAP),
	C(CAP_LINUX_IMMUTABLE), C(CAP_NET_BIND_SERVICE), C(CAP_NET_BROADCAST),
	C(CAP_NET_ADMIN), C(CAP_NET_RAW), C(CAP_IPC_LOCK), C(CAP_IPC_OWNER),
	C(CAP_SYS_MODULE), C(CAP_SYS_RAWIO), C(CAP_SYS_CHROOT), C(CAP_SYS_PTRACE),
	C(CAP_SYS_PACCT), C(CAP_SYS_ADMIN), C(CAP_SYS_BOOT), C(CAP_SYS_NICE),
	C(CAP_SYS_RESOURCE), C(CAP_SYS_TIME), C(CAP_SYS_TTY_CONFIG), C(CAP_MKNOD),
	C(CAP_LEASE), C(CAP_AUDIT_WRITE), C(CAP_AUDIT_CONTROL), C(CAP_SETFCAP),
	C(CAP_MAC_OVERRIDE), C(CAP_MAC_ADMIN), C(CAP_SYSLOG), C(CAP_WAKE_ALARM),
	C(CAP_BLOCK_SUSPEND), C(CAP_AUDIT_READ), C(CAP_PERFMON), C(CAP_BPF),
	C(CAP_CHECKPOINT_RESTORE),
};
TAB(ps_capabilities, caps);
_Static_assert(ARRAY_SIZE(caps) == CAP_LAST_CAP + 1, "a capability has no name");

const char *cap_name(int cap)
{
	if (cap < 0 || cap >= 64)
		return NULL;
	return name_of(&ps_capabilities, 1ULL << cap);
}

/* Files */

static const struct ps_name at_flags[] = {
	N(AT_SYMLINK_NOFOLLOW),
	N(AT_REMOVEDIR),
	N(AT_SYMLINK_FOLLOW),
	N(AT_NO_AUTOMOUNT),
	N(AT_EMPTY_PATH),
	N(AT_STATX_FORCE_SYNC),
	N(AT_STATX_DONT_SYNC),
	N(AT_RECURSIVE),
	L(0x10000, AT_EXECVE_CHECK),		/* Linux 6.14 */
};
TAB(ps_at_flags, at_flags);

static const struct ps_name faccessat_flags[] = {
	N(AT_SYMLINK_NOFOLLOW), N(AT_EACCESS), N(AT_EMPTY_PATH),
};
TAB(ps_faccessat_flags, faccessat_flags);

static const struct ps_name rename_flags[] = {
	N(RENAME_NOREPLACE), N(RENAME_EXCHANGE), N(RENAME_WHITEOUT),
};
TAB(ps_rename_flags, rename_flags);

static const struct ps_name memfd_flags[] = {
	N(MFD_CLOEXEC),
	N(MFD_ALLOW_SEALING),
	N(MFD_HUGETLB),
	L(0x0008, MFD_NOEXEC_SEAL),		/* Linux 6.3 */
	L(0x0010, MFD_EXEC),			/* Linux 6.3 */
};
TAB(ps_memfd_flags, memfd_flags);

static const struct ps_name resolve_flags[] = {
	N(RESOLVE_NO_XDEV), N(RESOLVE_NO_MAGICLINKS), N(RESOLVE_NO_SYMLINKS),
	N(RESOLVE_BENEATH), N(RESOLVE_IN_ROOT), N(RESOLVE_CACHED),
};
TAB(ps_resolve_flags, resolve_flags);

static const struct ps_name file_types[] = {
	N(S_IFREG), N(S_IFDIR), N(S_IFCHR), N(S_IFBLK), N(S_IFIFO), N(S_IFLNK),
	N(S_IFSOCK),
};
TAB(ps_file_types, file_types);

/* Processes and namespaces */

static const struct ps_name clone_flags[] = {
	N(CLONE_NEWTIME),
	N(CLONE_VM),
	N(CLONE_FS),
	N(CLONE_FILES),
	N(CLONE_SIGHAND),
	N(CLONE_PIDFD),
	N(CLONE_PTRACE),
	N(CLONE_VFORK),
	N(CLONE_PARENT),
	N(CLONE_THREAD),
	N(CLONE_NEWNS),
	N(CLONE_SYSVSEM),
	N(CLONE_SETTLS),
	N(CLONE_PARENT_SETTID),
	N(CLONE_CHILD_CLEARTID),
	N(CLONE_DETACHED),
	N(CLONE_UNTRACED),
	N(CLONE_CHILD_SETTID),
	N(CLONE_NEWCGROUP),
	N(CLONE_NEWUTS),
	N(CLONE_NEWIPC),
	N(CLONE_NEWUSER),
	N(CLONE_NEWPID),
	N(CLONE_NEWNET),
	N(CLONE_IO),
	L(0x100000000ULL, CLONE_CLEAR_SIGHAND),	/* Linux 5.5, not in glibc 2.36 */
	L(0x200000000ULL, CLONE_INTO_CGROUP),	/* Linux 5.7, not in glibc 2.36 */
};
TAB(ps_clone_flags, clone_flags);

static const struct ps_name ns_flags[] = {
	N(CLONE_NEWTIME), N(CLONE_NEWNS), N(CLONE_NEWCGROUP), N(CLONE_NEWUTS),
	N(CLONE_NEWIPC), N(CLONE_NEWUSER), N(CLONE_NEWPID), N(CLONE_NEWNET),
};
TAB(ps_ns_flags, ns_flags);

static const struct ps_name prctl_options[] = {
	N(PR_SET_PDEATHSIG),
	N(PR_GET_PDEATHSIG),
	N(PR_GET_DUMPABLE),
	N(PR_SET_DUMPABLE),
	N(PR_GET_UNALIGN),
	N(PR_SET_UNALIGN),
	N(PR_GET_KEEPCAPS),
	N(PR_SET_KEEPCAPS),
	N(PR_GET_FPEMU),
	N(PR_SET_FPEMU),
	N(PR_GET_FPEXC),
	N(PR_SET_FPEXC),
	N(PR_GET_TIMING),
	N(PR_SET_TIMING),
	N(PR_SET_NAME),
	N(PR_GET_NAME),
	N(PR_GET_ENDIAN),
	N(PR_SET_ENDIAN),
	N(PR_GET_SECCOMP),
	N(PR_SET_SECCOMP),
	N(PR_CAPBSET_READ),
	N(PR_CAPBSET_DROP),
	N(PR_GET_TSC),
	N(PR_SET_TSC),
	N(PR_GET_SECUREBITS),
	N(PR_SET_SECUREBITS),
	N(PR_SET_TIMERSLACK),
	N(PR_GET_TIMERSLACK),
	N(PR_TASK_PERF_EVENTS_DISABLE),
	N(PR_TASK_PERF_EVENTS_ENABLE),
	N(PR_MCE_KILL),
	N(PR_MCE_KILL_GET),
	N(PR_SET_MM),
	N(PR_SET_PTRACER),
	N(PR_SET_CHILD_SUBREAPER),
	N(PR_GET_CHILD_SUBREAPER),
	N(PR_SET_NO_NEW_PRIVS),
	N(PR_GET_NO_NEW_PRIVS),
	N(PR_GET_TID_ADDRESS),
	N(PR_SET_THP_DISABLE),
	N(PR_GET_THP_DISABLE),
	N(PR_MPX_ENABLE_MANAGEMENT),
	N(PR_MPX_DISABLE_MANAGEMENT),
	N(PR_SET_FP_MODE),
	N(PR_GET_FP_MODE),
	N(PR_CAP_AMBIENT),
	N(PR_SVE_SET_VL),
	N(PR_SVE_GET_VL),
	N(PR_GET_SPECULATION_CTRL),
	N(PR_SET_SPECULATION_CTRL),
	N(PR_PAC_RESET_KEYS),
	N(PR_SET_TAGGED_ADDR_CTRL),
	N(PR_GET_TAGGED_ADDR_CTRL),
	N(PR_SET_IO_FLUSHER),
	N(PR_GET_IO_FLUSHER),
	N(PR_SET_SYSCALL_USER_DISPATCH),
	N(PR_PAC_SET_ENABLED_KEYS),
	N(PR_PAC_GET_ENABLED_KEYS),
	N(PR_SCHED_CORE),
	N(PR_SME_SET_VL),
	N(PR_SME_GET_VL),
	L(65, PR_SET_MDWE),			/* Linux 6.3 */
	L(66, PR_GET_MDWE),			/* Linux 6.3 */
	L(67, PR_SET_MEMORY_MERGE),		/* Linux 6.4 */
	L(68, PR_GET_MEMORY_MERGE),		/* Linux 6.4 */
	L(69, PR_RISCV_V_SET_CONTROL),		/* Linux 6.5 */
	L(70, PR_RISCV_V_GET_CONTROL),		/* Linux 6.5 */
	L(71, PR_RISCV_SET_ICACHE_FLUSH_CTX),	/* Linux 6.10 */
	L(72, PR_PPC_GET_DEXCR),		/* Linux 6.10 */
	L(73, PR_PPC_SET_DEXCR),		/* Linux 6.10 */
	L(74, PR_GET_SHADOW_STACK_STATUS),	/* Linux 6.13 */
	L(75, PR_SET_SHADOW_STACK_STATUS),	/* Linux 6.13 */
	L(76, PR_LOCK_SHADOW_STACK_STATUS),	/* Linux 6.13 */
	L(77, PR_TIMER_CREATE_RESTORE_IDS),	/* Linux 6.16 */
	L(78, PR_FUTEX_HASH),			/* Linux 6.16 */
	N(PR_SET_VMA),
	L(0x41555856, PR_GET_AUXV),		/* Linux 6.2 */
};
TAB(ps_prctl_options, prctl_options);

static const struct ps_name seccomp_ops[] = {
	N(SECCOMP_SET_MODE_STRICT), N(SECCOMP_SET_MODE_FILTER),
	N(SECCOMP_GET_ACTION_AVAIL), N(SECCOMP_GET_NOTIF_SIZES),
};
TAB(ps_seccomp_ops, seccomp_ops);

static const struct ps_name ptrace_requests[] = {
	N(PTRACE_TRACEME),
	N(PTRACE_PEEKTEXT),
	N(PTRACE_PEEKDATA),
	N(PTRACE_PEEKUSER),
	N(PTRACE_POKETEXT),
	N(PTRACE_POKEDATA),
	N(PTRACE_POKEUSER),
	N(PTRACE_CONT),
	N(PTRACE_KILL),
	N(PTRACE_SINGLESTEP),
	N(PTRACE_GETREGS),
	N(PTRACE_SETREGS),
	N(PTRACE_GETFPREGS),
	N(PTRACE_SETFPREGS),
	N(PTRACE_ATTACH),
	N(PTRACE_DETACH),
	N(PTRACE_GETFPXREGS),
	N(PTRACE_SETFPXREGS),
	L(21, PTRACE_OLDSETOPTIONS),		/* x86 asm/ptrace-abi.h */
	N(PTRACE_SYSCALL),
	N(PTRACE_GET_THREAD_AREA),
	N(PTRACE_SET_THREAD_AREA),
	N(PTRACE_ARCH_PRCTL),
	N(PTRACE_SYSEMU),
	N(PTRACE_SYSEMU_SINGLESTEP),
	N(PTRACE_SINGLEBLOCK),
	N(PTRACE_SETOPTIONS),
	N(PTRACE_GETEVENTMSG),
	N(PTRACE_GETSIGINFO),
	N(PTRACE_SETSIGINFO),
	N(PTRACE_GETREGSET),
	N(PTRACE_SETREGSET),
	N(PTRACE_SEIZE),
	N(PTRACE_INTERRUPT),
	N(PTRACE_LISTEN),
	N(PTRACE_PEEKSIGINFO),
	N(PTRACE_GETSIGMASK),
	N(PTRACE_SETSIGMASK),
	N(PTRACE_SECCOMP_GET_FILTER),
	N(PTRACE_SECCOMP_GET_METADATA),
	N(PTRACE_GET_SYSCALL_INFO),
	N(PTRACE_GET_RSEQ_CONFIGURATION),
	L(0x4210, PTRACE_SET_SYSCALL_USER_DISPATCH_CONFIG), /* Linux 6.11 */
	L(0x4211, PTRACE_GET_SYSCALL_USER_DISPATCH_CONFIG), /* Linux 6.11 */
	L(0x4212, PTRACE_SET_SYSCALL_INFO),	/* Linux 6.16 */
};
TAB(ps_ptrace_requests, ptrace_requests);

/* Mounts */

static const struct ps_name mount_flags[] = {
	/* Old callers put this magic in the high half; the kernel drops it. */
	N(MS_MGC_VAL),
	N(MS_RDONLY),
	N(MS_NOSUID),
	N(MS_NODEV),
	N(MS_NOEXEC),
	N(MS_SYNCHRONOUS),
	N(MS_REMOUNT),
	N(MS_MANDLOCK),
	N(MS_DIRSYNC),
	N(MS_NOSYMFOLLOW),
	N(MS_NOATIME),
	N(MS_NODIRATIME),
	N(MS_BIND),
	N(MS_MOVE),
	N(MS_REC),
	N(MS_SILENT),
	N(MS_POSIXACL),
	N(MS_UNBINDABLE),
	N(MS_PRIVATE),
	N(MS_SLAVE),
	N(MS_SHARED),
	N(MS_RELATIME),
	N(MS_KERNMOUNT),
	N(MS_I_VERSION),
	N(MS_STRICTATIME),
	N(MS_LAZYTIME),
	N(MS_SUBMOUNT),
	N(MS_NOREMOTELOCK),
	N(MS_NOSEC),
	N(MS_BORN),
	N(MS_ACTIVE),
	N(MS_NOUSER),
};
TAB(ps_mount_flags, mount_flags);

static const struct ps_name umount_flags[] = {
	N(MNT_FORCE), N(MNT_DETACH), N(MNT_EXPIRE), N(UMOUNT_NOFOLLOW),
};
TAB(ps_umount_flags, umount_flags);

static const struct ps_name move_mount_flags[] = {
	N(MOVE_MOUNT_F_SYMLINKS),
	N(MOVE_MOUNT_F_AUTOMOUNTS),
	N(MOVE_MOUNT_F_EMPTY_PATH),
	N(MOVE_MOUNT_T_SYMLINKS),
	N(MOVE_MOUNT_T_AUTOMOUNTS),
	N(MOVE_MOUNT_T_EMPTY_PATH),
	N(MOVE_MOUNT_SET_GROUP),
	L(0x200, MOVE_MOUNT_BENEATH),		/* Linux 6.5 */
};
TAB(ps_move_mount_flags, move_mount_flags);

static const struct ps_name open_tree_flags[] = {
	N(OPEN_TREE_CLONE),
	N(AT_SYMLINK_NOFOLLOW),
	N(AT_NO_AUTOMOUNT),
	N(AT_EMPTY_PATH),
	N(AT_RECURSIVE),
	N(OPEN_TREE_CLOEXEC),
};
TAB(ps_open_tree_flags, open_tree_flags);

static const struct ps_name fsmount_flags[] = {
	N(FSMOUNT_CLOEXEC),
};
TAB(ps_fsmount_flags, fsmount_flags);

static const struct ps_name mount_attr_flags[] = {
	N(MOUNT_ATTR_RDONLY),
	N(MOUNT_ATTR_NOSUID),
	N(MOUNT_ATTR_NODEV),
	N(MOUNT_ATTR_NOEXEC),
	N(MOUNT_ATTR_NOATIME),
	N(MOUNT_ATTR_STRICTATIME),
	N(MOUNT_ATTR_NODIRATIME),
	N(MOUNT_ATTR_IDMAP),
	N(MOUNT_ATTR_NOSYMFOLLOW),
};
TAB(ps_mount_attr_flags, mount_attr_flags);

/* Network */

static const struct ps_name socket_families[] = {
	N(AF_UNSPEC), N(AF_UNIX), N(AF_INET), N(AF_AX25), N(AF_IPX),
	N(AF_APPLETALK), N(AF_NETROM), N(AF_BRIDGE), N(AF_ATMPVC), N(AF_X25),
	N(AF_INET6), N(AF_ROSE), N(AF_DECnet), N(AF_NETBEUI), N(AF_SECURITY),
	N(AF_KEY), N(AF_NETLINK), N(AF_PACKET), N(AF_ASH), N(AF_ECONET),
	N(AF_ATMSVC), N(AF_RDS), N(AF_SNA), N(AF_IRDA), N(AF_PPPOX),
	N(AF_WANPIPE), N(AF_LLC), N(AF_IB), N(AF_MPLS), N(AF_CAN), N(AF_TIPC),
	N(AF_BLUETOOTH), N(AF_IUCV), N(AF_RXRPC), N(AF_ISDN), N(AF_PHONET),
	N(AF_IEEE802154), N(AF_CAIF), N(AF_ALG), N(AF_NFC), N(AF_VSOCK),
	N(AF_KCM), N(AF_QIPCRTR), N(AF_SMC), N(AF_XDP), N(AF_MCTP),
};
TAB(ps_socket_families, socket_families);

static const struct ps_name socket_types[] = {
	N(SOCK_STREAM), N(SOCK_DGRAM), N(SOCK_RAW), N(SOCK_RDM),
	N(SOCK_SEQPACKET), N(SOCK_DCCP), N(SOCK_PACKET),
};
TAB(ps_socket_types, socket_types);

static const struct ps_name socket_type_flags[] = {
	N(SOCK_NONBLOCK), N(SOCK_CLOEXEC),
};
TAB(ps_socket_type_flags, socket_type_flags);

/* IPv6 extension header numbers that alias IPPROTO_IP (HOPOPTS) are left out. */
static const struct ps_name ip_protocols[] = {
	N(IPPROTO_IP), N(IPPROTO_ICMP), N(IPPROTO_IGMP), N(IPPROTO_IPIP),
	N(IPPROTO_TCP), N(IPPROTO_EGP), N(IPPROTO_PUP), N(IPPROTO_UDP),
	N(IPPROTO_IDP), N(IPPROTO_TP), N(IPPROTO_DCCP), N(IPPROTO_IPV6),
	N(IPPROTO_ROUTING), N(IPPROTO_FRAGMENT), N(IPPROTO_RSVP),
	N(IPPROTO_GRE), N(IPPROTO_ESP), N(IPPROTO_AH), N(IPPROTO_ICMPV6),
	N(IPPROTO_NONE), N(IPPROTO_DSTOPTS), N(IPPROTO_MTP), N(IPPROTO_BEETPH),
	N(IPPROTO_ENCAP), N(IPPROTO_PIM), N(IPPROTO_COMP),
	L(115, IPPROTO_L2TP),			/* linux/in.h, not in glibc 2.36 */
	N(IPPROTO_SCTP), N(IPPROTO_MH), N(IPPROTO_UDPLITE), N(IPPROTO_MPLS),
	N(IPPROTO_ETHERNET), N(IPPROTO_RAW),
	L(256, IPPROTO_SMC),			/* Linux 6.11 */
	N(IPPROTO_MPTCP),
};
TAB(ps_ip_protocols, ip_protocols);

/* BPF and perf */

static const struct ps_name bpf_cmds[] = {
	N(BPF_MAP_CREATE),
	N(BPF_MAP_LOOKUP_ELEM),
	N(BPF_MAP_UPDATE_ELEM),
	N(BPF_MAP_DELETE_ELEM),
	N(BPF_MAP_GET_NEXT_KEY),
	N(BPF_PROG_LOAD),
	N(BPF_OBJ_PIN),
	N(BPF_OBJ_GET),
	N(BPF_PROG_ATTACH),
	N(BPF_PROG_DETACH),
	N(BPF_PROG_TEST_RUN),
	N(BPF_PROG_GET_NEXT_ID),
	N(BPF_MAP_GET_NEXT_ID),
	N(BPF_PROG_GET_FD_BY_ID),
	N(BPF_MAP_GET_FD_BY_ID),
	N(BPF_OBJ_GET_INFO_BY_FD),
	N(BPF_PROG_QUERY),
	N(BPF_RAW_TRACEPOINT_OPEN),
	N(BPF_BTF_LOAD),
	N(BPF_BTF_GET_FD_BY_ID),
	N(BPF_TASK_FD_QUERY),
	N(BPF_MAP_LOOKUP_AND_DELETE_ELEM),
	N(BPF_MAP_FREEZE),
	N(BPF_BTF_GET_NEXT_ID),
	N(BPF_MAP_LOOKUP_BATCH),
	N(BPF_MAP_LOOKUP_AND_DELETE_BATCH),
	N(BPF_MAP_UPDATE_BATCH),
	N(BPF_MAP_DELETE_BATCH),
	N(BPF_LINK_CREATE),
	N(BPF_LINK_UPDATE),
	N(BPF_LINK_GET_FD_BY_ID),
	N(BPF_LINK_GET_NEXT_ID),
	N(BPF_ENABLE_STATS),
	N(BPF_ITER_CREATE),
	N(BPF_LINK_DETACH),
	N(BPF_PROG_BIND_MAP),
	L(36, BPF_TOKEN_CREATE),		/* Linux 6.9 */
	L(37, BPF_PROG_STREAM_READ_BY_FD),	/* Linux 6.17 */
};
TAB(ps_bpf_cmds, bpf_cmds);

static const struct ps_name bpf_prog_types[] = {
	N(BPF_PROG_TYPE_UNSPEC),
	N(BPF_PROG_TYPE_SOCKET_FILTER),
	N(BPF_PROG_TYPE_KPROBE),
	N(BPF_PROG_TYPE_SCHED_CLS),
	N(BPF_PROG_TYPE_SCHED_ACT),
	N(BPF_PROG_TYPE_TRACEPOINT),
	N(BPF_PROG_TYPE_XDP),
	N(BPF_PROG_TYPE_PERF_EVENT),
	N(BPF_PROG_TYPE_CGROUP_SKB),
	N(BPF_PROG_TYPE_CGROUP_SOCK),
	N(BPF_PROG_TYPE_LWT_IN),
	N(BPF_PROG_TYPE_LWT_OUT),
	N(BPF_PROG_TYPE_LWT_XMIT),
	N(BPF_PROG_TYPE_SOCK_OPS),
	N(BPF_PROG_TYPE_SK_SKB),
	N(BPF_PROG_TYPE_CGROUP_DEVICE),
	N(BPF_PROG_TYPE_SK_MSG),
	N(BPF_PROG_TYPE_RAW_TRACEPOINT),
	N(BPF_PROG_TYPE_CGROUP_SOCK_ADDR),
	N(BPF_PROG_TYPE_LWT_SEG6LOCAL),
	N(BPF_PROG_TYPE_LIRC_MODE2),
	N(BPF_PROG_TYPE_SK_REUSEPORT),
	N(BPF_PROG_TYPE_FLOW_DISSECTOR),
	N(BPF_PROG_TYPE_CGROUP_SYSCTL),
	N(BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE),
	N(BPF_PROG_TYPE_CGROUP_SOCKOPT),
	N(BPF_PROG_TYPE_TRACING),
	N(BPF_PROG_TYPE_STRUCT_OPS),
	N(BPF_PROG_TYPE_EXT),
	N(BPF_PROG_TYPE_LSM),
	N(BPF_PROG_TYPE_SK_LOOKUP),
	N(BPF_PROG_TYPE_SYSCALL),
	L(32, BPF_PROG_TYPE_NETFILTER),		/* Linux 6.4 */
};
TAB(ps_bpf_prog_types, bpf_prog_types);

static const struct ps_name bpf_map_types[] = {
	N(BPF_MAP_TYPE_UNSPEC),
	N(BPF_MAP_TYPE_HASH),
	N(BPF_MAP_TYPE_ARRAY),
	N(BPF_MAP_TYPE_PROG_ARRAY),
	N(BPF_MAP_TYPE_PERF_EVENT_ARRAY),
	N(BPF_MAP_TYPE_PERCPU_HASH),
	N(BPF_MAP_TYPE_PERCPU_ARRAY),
	N(BPF_MAP_TYPE_STACK_TRACE),
	N(BPF_MAP_TYPE_CGROUP_ARRAY),
	N(BPF_MAP_TYPE_LRU_HASH),
	N(BPF_MAP_TYPE_LRU_PERCPU_HASH),
	N(BPF_MAP_TYPE_LPM_TRIE),
	N(BPF_MAP_TYPE_ARRAY_OF_MAPS),
	N(BPF_MAP_TYPE_HASH_OF_MAPS),
	N(BPF_MAP_TYPE_DEVMAP),
	N(BPF_MAP_TYPE_SOCKMAP),
	N(BPF_MAP_TYPE_CPUMAP),
	N(BPF_MAP_TYPE_XSKMAP),
	N(BPF_MAP_TYPE_SOCKHASH),
	N(BPF_MAP_TYPE_CGROUP_STORAGE),
	N(BPF_MAP_TYPE_REUSEPORT_SOCKARRAY),
	N(BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE),
	N(BPF_MAP_TYPE_QUEUE),
	N(BPF_MAP_TYPE_STACK),
	N(BPF_MAP_TYPE_SK_STORAGE),
	N(BPF_MAP_TYPE_DEVMAP_HASH),
	N(BPF_MAP_TYPE_STRUCT_OPS),
	N(BPF_MAP_TYPE_RINGBUF),
	N(BPF_MAP_TYPE_INODE_STORAGE),
	N(BPF_MAP_TYPE_TASK_STORAGE),
	N(BPF_MAP_TYPE_BLOOM_FILTER),
	N(BPF_MAP_TYPE_USER_RINGBUF),
	L(32, BPF_MAP_TYPE_CGRP_STORAGE),	/* Linux 6.2 */
	L(33, BPF_MAP_TYPE_ARENA),		/* Linux 6.9 */
};
TAB(ps_bpf_map_types, bpf_map_types);

static const struct ps_name perf_types[] = {
	N(PERF_TYPE_HARDWARE), N(PERF_TYPE_SOFTWARE), N(PERF_TYPE_TRACEPOINT),
	N(PERF_TYPE_HW_CACHE), N(PERF_TYPE_RAW), N(PERF_TYPE_BREAKPOINT),
};
TAB(ps_perf_types, perf_types);

/* Kernel */

static const struct ps_name io_uring_setup_flags[] = {
	N(IORING_SETUP_IOPOLL),
	N(IORING_SETUP_SQPOLL),
	N(IORING_SETUP_SQ_AFF),
	N(IORING_SETUP_CQSIZE),
	N(IORING_SETUP_CLAMP),
	N(IORING_SETUP_ATTACH_WQ),
	N(IORING_SETUP_R_DISABLED),
	N(IORING_SETUP_SUBMIT_ALL),
	N(IORING_SETUP_COOP_TASKRUN),
	N(IORING_SETUP_TASKRUN_FLAG),
	N(IORING_SETUP_SQE128),
	N(IORING_SETUP_CQE32),
	N(IORING_SETUP_SINGLE_ISSUER),
	N(IORING_SETUP_DEFER_TASKRUN),
	L(1U << 14, IORING_SETUP_NO_MMAP),		/* Linux 6.5 */
	L(1U << 15, IORING_SETUP_REGISTERED_FD_ONLY),	/* Linux 6.5 */
	L(1U << 16, IORING_SETUP_NO_SQARRAY),		/* Linux 6.6 */
	L(1U << 17, IORING_SETUP_HYBRID_IOPOLL),	/* Linux 6.13 */
	L(1U << 18, IORING_SETUP_CQE_MIXED),		/* Linux 6.18 */
};
TAB(ps_io_uring_setup_flags, io_uring_setup_flags);

static const struct ps_name module_flags[] = {
	N(MODULE_INIT_IGNORE_MODVERSIONS), N(MODULE_INIT_IGNORE_VERMAGIC),
	N(MODULE_INIT_COMPRESSED_FILE),
};
TAB(ps_module_flags, module_flags);

static const struct ps_name kexec_flags[] = {
	N(KEXEC_ON_CRASH),
	N(KEXEC_PRESERVE_CONTEXT),
	L(0x4, KEXEC_UPDATE_ELFCOREHDR),	/* Linux 6.6 */
	L(0x8, KEXEC_CRASH_HOTPLUG_SUPPORT),	/* Linux 6.10 */
};
TAB(ps_kexec_flags, kexec_flags);

static const struct ps_name kexec_file_flags[] = {
	N(KEXEC_FILE_UNLOAD),
	N(KEXEC_FILE_ON_CRASH),
	N(KEXEC_FILE_NO_INITRAMFS),
	L(0x08, KEXEC_FILE_DEBUG),		/* Linux 6.7 */
	L(0x10, KEXEC_FILE_NO_CMA),		/* Linux 6.16 */
	L(0x20, KEXEC_FILE_FORCE_DTB),		/* Linux 6.18 */
};
TAB(ps_kexec_file_flags, kexec_file_flags);

static const struct ps_name kexec_archs[] = {
	N(KEXEC_ARCH_DEFAULT), N(KEXEC_ARCH_386), N(KEXEC_ARCH_68K),
	N(KEXEC_ARCH_PARISC), N(KEXEC_ARCH_X86_64), N(KEXEC_ARCH_PPC),
	N(KEXEC_ARCH_PPC64), N(KEXEC_ARCH_IA_64), N(KEXEC_ARCH_ARM),
	N(KEXEC_ARCH_S390), N(KEXEC_ARCH_SH), N(KEXEC_ARCH_MIPS_LE),
	N(KEXEC_ARCH_MIPS), N(KEXEC_ARCH_AARCH64), N(KEXEC_ARCH_RISCV),
	N(KEXEC_ARCH_LOONGARCH),
};
TAB(ps_kexec_archs, kexec_archs);
