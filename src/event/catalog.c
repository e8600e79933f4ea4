// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The field catalog (catalog.h): what each formatter writes, in the order it
 * writes it.  A field list shared by several types or formatters is declared
 * once and spliced in with INCLUDE(); adding a key is one line in the list
 * of the formatter that writes it.
 */
#include <stddef.h>
#include <string.h>

#include "event/catalog.h"
#include "event/names.h"
#include "event/syscalls.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Field list shorthands: a kind, flags, then what the kind needs. */
#define END			{ NULL, 0, 0, NULL, NULL, NULL, NULL }
#define F(n, k, fl, doc)	{ n, k, fl, NULL, NULL, NULL, doc }
#define FU(n, k, fl, u, doc)	{ n, k, fl, NULL, NULL, u, doc }
#define FN(n, k, fl, nm, doc)	{ n, k, fl, &(nm), NULL, NULL, doc }
#define FO(n, fl, ob, doc)	{ n, CAT_OBJECT, fl, NULL, &(ob), NULL, doc }
#define INCLUDE(ob)		{ "", CAT_INCLUDE, 0, NULL, &(ob), NULL, NULL }
#define FIELDS(...)		((const struct cat_field[]){ __VA_ARGS__, END })
#define OBJECT(var, ...)	static const struct cat_object var = { NULL, FIELDS(__VA_ARGS__), NULL }

#define OPT	CF_OPT
#define NUL	CF_NULL
#define YES	(CF_TRUE | CF_OPT)	/* present, as true, only when it holds */

/* Names: of tables, of a function, of a list. */
#define TABS(var, id_, ...)	static const struct cat_names var = { .id = id_, .tabs = { __VA_ARGS__ } }
#define LIST(var, id_, ...)	static const struct cat_names var = \
	{ .id = id_, .list = (const char *const[]){ __VA_ARGS__, NULL } }

TABS(n_caps, "capabilities", &ps_capabilities);
TABS(n_at, "at_flags", &ps_at_flags);
TABS(n_faccessat, "faccessat_flags", &ps_faccessat_flags);
TABS(n_rename, "rename_flags", &ps_rename_flags);
TABS(n_memfd, "memfd_flags", &ps_memfd_flags);
TABS(n_clone, "clone_flags", &ps_clone_flags);
TABS(n_ns, "ns_flags", &ps_ns_flags);
TABS(n_mount, "mount_flags", &ps_mount_flags);
TABS(n_umount, "umount_flags", &ps_umount_flags);
TABS(n_move_mount, "move_mount_flags", &ps_move_mount_flags);
TABS(n_open_tree, "open_tree_flags", &ps_open_tree_flags);
TABS(n_fsmount, "fsmount_flags", &ps_fsmount_flags);
TABS(n_mount_attr, "mount_attr_flags", &ps_mount_attr_flags);
TABS(n_sock_flags, "socket_type_flags", &ps_socket_type_flags);
TABS(n_io_uring, "io_uring_setup_flags", &ps_io_uring_setup_flags);
TABS(n_module, "module_flags", &ps_module_flags);
TABS(n_kexec, "kexec_flags", &ps_kexec_flags);
TABS(n_kexec_file, "kexec_file_flags", &ps_kexec_file_flags);
TABS(n_kexec_arch, "kexec_archs", &ps_kexec_archs);
TABS(n_prctl, "prctl_options", &ps_prctl_options);
TABS(n_seccomp_op, "seccomp_ops", &ps_seccomp_ops);
TABS(n_families, "socket_families", &ps_socket_families);
TABS(n_sock_types, "socket_types", &ps_socket_types);
TABS(n_protocols, "ip_protocols", &ps_ip_protocols);
TABS(n_ptrace, "ptrace_requests", &ps_ptrace_requests);
TABS(n_bpf_cmds, "bpf_cmds", &ps_bpf_cmds);
TABS(n_bpf_progs, "bpf_prog_types", &ps_bpf_prog_types);
TABS(n_bpf_maps, "bpf_map_types", &ps_bpf_map_types);
TABS(n_perf_types, "perf_types", &ps_perf_types);
TABS(n_file_types, "file_types", &ps_file_types);
TABS(n_ambient, "ambient_ops", &ps_ambient_ops);
TABS(n_seccomp_modes, "seccomp_modes", &ps_seccomp_modes);
TABS(n_securebits, "securebits", &ps_securebits);
TABS(n_seccomp_filter, "seccomp_filter_flags", &ps_seccomp_filter_flags);
TABS(n_fsopen, "fsopen_flags", &ps_fsopen_flags);
TABS(n_fsconfig, "fsconfig_cmds", &ps_fsconfig_cmds);
TABS(n_pidfd, "pidfd_flags", &ps_pidfd_flags);
TABS(n_delete_module, "delete_module_flags", &ps_delete_module_flags);
TABS(n_perf_flags, "perf_flags", &ps_perf_flags);
/* open_flag_names() writes O_PATH, which is in neither of its tables. */
static const struct cat_names n_open_all = {
	.id = "open_flags", .tabs = { &ps_open_access, &ps_open_flags },
	.list = (const char *const[]){ "O_PATH", NULL },
};
/* fmt_file_access() writes F_OK, no bit at all, when nothing else is asked. */
static const struct cat_names n_access = {
	.id = "access_modes", .tabs = { &ps_access_modes }, .list = (const char *const[]){ "F_OK", NULL },
};
/* 512..531: the kernel-internal codes errno_name() knows. */
static const struct cat_names n_errnos = { .id = "errnos", .name_of = errno_name, .max = 1024 };
static const struct cat_names n_signals = { .id = "signals", .name_of = signal_name, .max = 65 };
LIST(n_abi, "abis", "ia32");
LIST(n_unfollow, "unfollow_reasons", "gained privileges", "not readable by the invoker", "not dumpable");
LIST(n_via, "vias", "socketcall");
LIST(n_vm_access, "vm_accesses", "read", "write");
/* fmt_priv.c's cred_fields, and groups. */
LIST(n_cred_changes, "cred_fields", "uid", "euid", "suid", "fsuid", "gid", "egid", "sgid", "fsgid",
     "cap_effective", "cap_permitted", "cap_inheritable", "cap_ambient", "cap_bounding",
     "securebits", "groups");
/* fmt_ns.c's ns_fields. */
LIST(n_ns_names, "ns_names", "mnt", "pid", "net", "uts", "ipc", "user", "cgroup", "time");

/* Every record (render_common). */
const struct cat_object cat_record = { NULL, FIELDS(
	F("schema", CAT_VERSION, 0, "this schema's version"),
	F("seq", CAT_UINT, 0, "position in the stream, contiguous from 1 (the run and stats records included)"),
	F("time", CAT_TIME, 0, "the instant, from the kernel's boot-time clock (right across suspend)"),
	FU("ts_ns", CAT_UINT, 0, "ns", "the same instant since boot: monotonic, for ordering and durations"),
	F("type", CAT_TYPE, 0, "the record's type, category.action")), NULL };

OBJECT(o_ancestor,
	F("exec_id", CAT_STRING, 0, "the ancestor's exec_id"),
	F("pid", CAT_UINT, 0, "its pid"),
	F("comm", CAT_STRING, 0, "its command name"),
	F("exe", CAT_STRING, OPT, "its executable, when known"));

/* Every event (render_json). */
const struct cat_object cat_actor = { NULL, FIELDS(
	F("pid", CAT_UINT, 0, "the actor's process (thread group) id"),
	F("tid", CAT_UINT, 0, "the actor's thread id"),
	F("ppid", CAT_UINT, 0, "its real parent's pid at the time of the event"),
	F("uid", CAT_UINT, 0, "the actor's real uid at the time of the event"),
	F("gid", CAT_UINT, 0, "the actor's real gid"),
	F("euid", CAT_UINT, 0, "the actor's effective uid"),
	F("comm", CAT_STRING, 0, "the actor's command name (16 bytes at most, as the kernel keeps it)"),
	F("key", CAT_KEY, 0, "the actor's process key, unique for the boot (survives pid reuse)"),
	F("parent_key", CAT_KEY, 0, "the key of its real parent at the time of the event"),
	F("exec_id", CAT_STRING, OPT, "--all: the host's boot id and the key (boot_id:pid@start), unique across hosts and boots"),
	F("parent_exec_id", CAT_STRING, OPT, "--all: the same for its real parent"),
	{ "ancestors", CAT_OBJECTS, OPT, NULL, &o_ancestor, NULL,
	  "--all, on an exec and on a finding: the parent, grandparent ... as the process model knows them, nearest first, at most 16" },
	F("container_id", CAT_STRING, OPT, "--all, on an exec and on a finding: the container's 64-hex-digit id, from the cgroup path (docker, containerd, cri-o, podman)"),
	F("pod_uid", CAT_STRING, OPT, "--all: the Kubernetes pod's uid, from the same path")), NULL };

const struct cat_object cat_syscall = { NULL, FIELDS(
	F("syscall", CAT_STRING, 0, "the syscall's name as the caller's ABI spells it (setuid32; "
	  "a socketcall(2) call by its socket call's name)"),
	FN("abi", CAT_STRING, OPT, n_abi, "ia32 for a call through the 32-bit entry point"),
	FN("via", CAT_STRING, OPT, n_via, "socketcall for an IA-32 socket call made through socketcall(2)"),
	F("ret", CAT_INT, 0, "the return value, as the kernel returned it"),
	FN("error", CAT_ENUM, OPT, n_errnos, "on failure (ret < 0): the errno name, or its number")), NULL };

LIST(n_severities, "severities", "low", "medium", "high", "critical");
LIST(n_enforcement, "enforcements", "none", "kill", "deny");

const struct cat_object cat_marks = { NULL, FIELDS(
	F("notable", CAT_BOOL, YES, "a privilege, namespace, mount, process-access or kernel event, "
	  "or a privilege-gaining exec"),
	F("rule", CAT_STRING, OPT, "the rule the event matched (the hook's name for a hook enabled "
	  "with no rules); see docs/rules.md"),
	FN("severity", CAT_STRING, OPT, n_severities, "the rule's severity"),
	F("mitre", CAT_STRING, OPT, "the MITRE ATT&CK technique the rule names"),
	F("blocked", CAT_BOOL, OPT, "with rule: whether procscope stopped the act (never yet: rules "
	  "are evaluated after the act)"),
	FN("enforcement", CAT_STRING, OPT, n_enforcement, "the hook's sandbox refuses the act; how it "
	   "was enforced (none: reported only)"),
	F("rule_incomplete", CAT_BOOL, YES, "the rule was decided without an attribute the act lacked "
	  "(unreadable): an allow list refuses such an act"),
	F("truncated", CAT_BOOL, YES, "a string or structure in the record was cut at a bound"),
	F("read_failed", CAT_BOOL, YES, "some user memory could not be read (the value is null)")), NULL };

/* The stats record (stats_render): fields at the top level. */
OBJECT(o_counters,
	F("ringbuf_full", CAT_UINT, 0, "records dropped: the ring buffer was full"),
	F("tracked_full", CAT_UINT, 0, "processes not followed: the process map was full"),
	F("stash_full", CAT_UINT, 0, "syscalls not recorded: no per-thread storage"),
	F("str_truncated", CAT_UINT, 0, "strings cut at a bound"),
	F("path_truncated", CAT_UINT, 0, "paths cut at a bound"),
	F("args_truncated", CAT_UINT, 0, "argv/env areas cut at a bound"),
	F("read_failed", CAT_UINT, 0, "user memory that could not be read"),
	F("record_truncated", CAT_UINT, 0, "records that outgrew the kernel's assembly buffer"),
	F("compat_syscalls", CAT_UINT, 0, "IA-32 syscalls that could not be decoded"),
	F("unfollowed", CAT_UINT, 0, "processes let go because the invoker may not watch them"),
	F("filtered", CAT_UINT, 0, "syscalls the kernel did not send because --failed or --succeeded "
	  "excluded their result; deliberate, so not in lost"),
	F("filtered_events", CAT_UINT, 0, "syscalls the kernel did not send because -e excluded their "
	  "event type or syscall, dropped at sys_enter; deliberate, so not in lost"),
	F("filtered_paths", CAT_UINT, 0, "file events the kernel did not send because none of their "
	  "absolute paths is under a --path prefix; deliberate, so not in lost"),
	F("decode_failed", CAT_UINT, 0, "records user space could not decode"),
	F("write_failed", CAT_UINT, 0, "lines that could not be written to an output"),
	F("model_full", CAT_UINT, 0, "processes the process model had no room for"),
	F("socket_dropped", CAT_UINT, 0, "records --output-socket dropped: its queue was full while "
	  "no reader took them"),
	F("consumer_filtered_events", CAT_UINT, 0, "records -e excluded that the kernel sends anyway: "
	  "process lifecycle (the process model needs it) and rows whose type depends on their arguments"),
	F("consumer_filtered_paths", CAT_UINT, 0, "file events --path excluded after the consumer resolved "
	  "a path the kernel could not judge (relative, by descriptor, or not in its plain form)"));
OBJECT(o_survivors,
	F("count", CAT_UINT, 0, "processes of the traced tree still running when tracing ended"),
	F("keys", CAT_STRINGS, 0, "the first 16 of them, as pid@start keys"),
	F("comms", CAT_STRINGS, 0, "their command names, in the same order"));
OBJECT(o_stats,
	F("events", CAT_UINT, 0, "events delivered before this record"),
	F("findings", CAT_UINT, 0, "those of them that matched a rule"),
	F("lost", CAT_UINT, 0, "events or processes dropped"),
	F("complete", CAT_BOOL, 0, "true when lost is 0"),
	FO("counters", 0, o_counters, "the kernel's and user space's counters"),
	FO("survivors", OPT, o_survivors, "present when processes of the tree were still running at "
	   "the end (--timeout, a signal to procscope): they ran on untraced"));

/* The run header (run_render): the first record, fields at the top level. */
LIST(n_modes, "run_modes", "launch", "attach", "all");
OBJECT(o_host,
	F("name", CAT_STRING, NUL, "the host name (null: unknown)"),
	F("boot_id", CAT_STRING, NUL, "/proc/sys/kernel/random/boot_id: ts_ns and keys are of this boot"));
OBJECT(o_run,
	F("procscope", CAT_STRING, 0, "procscope's version"),
	F("argv", CAT_STRINGS, 0, "procscope's own command line, redacted"),
	F("command", CAT_STRINGS, 0, "the traced command, redacted (launch mode; empty when attaching)"),
	F("cwd", CAT_STRING, NUL, "procscope's working directory (null: unknown)"),
	FO("host", 0, o_host, "the machine"),
	F("kernel", CAT_STRING, NUL, "the kernel release (uname -r)"),
	FN("mode", CAT_STRING, 0, n_modes, "launch: procscope ran the command; attach: -p PID; all: --all, every process on the host"),
	F("pids", CAT_UINTS, 0, "the processes attached to (attach mode)"),
	F("filters", CAT_STRINGS, 0, "filters in force, one per option as typed: \"--failed\", "
	  "\"--succeeded\", \"-e LIST\", \"--path PREFIX\""),
	F("rules", CAT_STRINGS, 0, "the rules files in force (\"default.yaml\": the built-in default "
	  "policy; empty with --no-default-rules)"));

/* Credentials (fmt_creds). */
static const struct cat_object o_creds = { "creds", FIELDS(
	F("uid", CAT_UINT, 0, "real uid"),
	F("euid", CAT_UINT, 0, "effective uid"),
	F("suid", CAT_UINT, 0, "saved uid"),
	F("fsuid", CAT_UINT, 0, "filesystem uid"),
	F("gid", CAT_UINT, 0, "real gid"),
	F("egid", CAT_UINT, 0, "effective gid"),
	F("sgid", CAT_UINT, 0, "saved gid"),
	F("fsgid", CAT_UINT, 0, "filesystem gid"),
	F("groups", CAT_UINTS, 0, "supplementary groups, the first ones when there are many"),
	F("groups_truncated", CAT_BOOL, YES, "there were more groups than shown"),
	FN("cap_effective", CAT_NAMES, 0, n_caps, "effective capabilities"),
	FN("cap_permitted", CAT_NAMES, 0, n_caps, "permitted capabilities"),
	FN("cap_inheritable", CAT_NAMES, 0, n_caps, "inheritable capabilities"),
	FN("cap_ambient", CAT_NAMES, 0, n_caps, "ambient capabilities"),
	FN("cap_bounding", CAT_NAMES, 0, n_caps, "the capability bounding set")),
	"a task's credentials" };

/* Process lifecycle (fmt_process.c, and fmt_clone for a failed fork). */
OBJECT(o_exec,
	F("filename", CAT_PATH, 0, "the path the program passed to exec, made absolute"),
	F("exe", CAT_STRING, OPT, "the file the kernel runs (a script's interpreter, memfd:NAME); "
	  "absent when its path could not be built"),
	F("fileless", CAT_BOOL, YES, "the executable has no link left: a memfd or a deleted file"),
	F("args", CAT_STRINGS, 0, "argv: at most --max-args elements of at most --max-arg-len bytes, "
	  "after redaction"),
	F("argc", CAT_UINT, 0, "the kernel's count of arguments"),
	F("args_truncated", CAT_BOOL, 0, "args is not the whole argv"),
	F("env", CAT_STRINGS, OPT, "with --env: the environment, KEY=value entries, redacted"),
	F("env_truncated", CAT_BOOL, OPT, "with --env: env is not the whole environment"),
	F("exe_sha256", CAT_STRING, OPT, "--all: SHA-256 of the executable, read through /proc/PID/exe once the exec is reported (cached by device, inode, size, mtime and ctime)"),
	F("exe_sha256_error", CAT_STRING, OPT, "--all: why exe_sha256 is absent (the process had exited or run another program, larger than 256 MiB ...)"),
	F("old_tid", CAT_UINT, OPT, "the thread that called exec, when not the leader"),
	F("privilege_gain", CAT_BOOL, 0, "a setuid/setgid binary or file capabilities took effect"),
	FO("creds_before", OPT, o_creds, "with privilege_gain: the credentials before the exec"),
	FO("creds_after", OPT, o_creds, "with privilege_gain: the credentials after it"),
	F("unfollowed", CAT_BOOL, YES, "procscope, run by a user other than root, stops following "
	  "the process at this exec, as ptrace would refuse it"),
	FN("unfollowed_reason", CAT_STRING, OPT, n_unfollow, "with unfollowed: why"));
OBJECT(o_exec_failed,
	F("filename", CAT_FILE, 0, "the path as passed, made absolute"),
	F("args", CAT_STRINGS, OPT, "argv as passed, when it could be read"),
	F("argc", CAT_UINT, OPT, "with args: the number of arguments read"),
	F("args_truncated", CAT_BOOL, OPT, "with args: args is not the whole argv"));
OBJECT(o_fork,
	F("child_pid", CAT_UINT, 0, "the new process's pid"),
	F("child_key", CAT_KEY, 0, "the new process's key"));
OBJECT(o_fork_failed,
	FN("flags", CAT_FLAGS, OPT, n_clone, "the clone flags (absent when clone3's arguments could not be read)"),
	FN("exit_signal", CAT_ENUM, OPT, n_signals, "with flags: the signal the parent gets at the child's exit"),
	F("child_pid", CAT_INT, OPT, "the child's pid, when the call returned one"));
OBJECT(o_exit_code,
	F("exit_code", CAT_INT, 0, "the exit status, 0-255"));
OBJECT(o_exit_signal,
	FN("signal", CAT_ENUM, 0, n_signals, "the signal that ended the process"),
	F("core_dumped", CAT_BOOL, 0, "it dumped core"));

/* Files (fmt_file.c). */
OBJECT(o_open,
	F("path", CAT_PATH, 0, "the file"),
	FN("flags", CAT_FLAGS, 0, n_open_all, "the access mode first (or O_PATH), then the other flags"),
	F("mode", CAT_UINT, OPT, "the permission bits, when a file may be created (O_CREAT, O_TMPFILE)"),
	F("opened", CAT_PATH, OPT, "the file the kernel opened, where its rules judged the open and it "
				   "is not `path` (a symbolic link on the way)"));
OBJECT(o_file_path,
	F("path", CAT_FILE, 0, "the file"),
	FN("flags", CAT_FLAGS, OPT, n_at, "unlinkat's AT_* flags"));
OBJECT(o_rename,
	F("path", CAT_PATH, 0, "the old name"),
	F("target", CAT_PATH, 0, "the new name"),
	FN("flags", CAT_FLAGS, OPT, n_rename, "renameat2's RENAME_* flags"));
OBJECT(o_link,
	F("path", CAT_FILE, 0, "the existing file"),
	F("target", CAT_PATH, 0, "the new link"),
	FN("flags", CAT_FLAGS, OPT, n_at, "linkat's AT_* flags"));
OBJECT(o_symlink,
	F("path", CAT_PATH, 0, "the link created"),
	F("target", CAT_STRING, NUL, "the bytes stored in the link, not resolved"));
OBJECT(o_mode,
	F("path", CAT_FILE, 0, "the file"),
	F("mode", CAT_UINT, 0, "the permission bits asked for (0644 is 420)"),
	FN("flags", CAT_FLAGS, OPT, n_at, "fchmodat2's AT_* flags"));
OBJECT(o_chown,
	F("path", CAT_FILE, 0, "the file"),
	F("uid", CAT_INT, 0, "the new owner; -1: unchanged"),
	F("gid", CAT_INT, 0, "the new group; -1: unchanged"),
	FN("flags", CAT_FLAGS, OPT, n_at, "fchownat's AT_* flags"));
OBJECT(o_truncate,
	F("path", CAT_FILE, 0, "the file"),
	FU("length", CAT_INT, 0, "bytes", "the new length"));
OBJECT(o_mknod,
	F("path", CAT_FILE, 0, "the node created"),
	FN("file_type", CAT_ENUM, 0, n_file_types, "its type (a type of 0 makes a regular file)"),
	F("mode", CAT_UINT, 0, "the permission bits"),
	F("major", CAT_UINT, OPT, "a device's major number"),
	F("minor", CAT_UINT, OPT, "a device's minor number"));
OBJECT(o_memfd,
	F("name", CAT_STRING, NUL, "the name given (the kernel shows memfd:NAME); ret is the descriptor"),
	FN("flags", CAT_FLAGS, 0, n_memfd, "MFD_* flags"),
	F("huge_page_shift", CAT_UINT, OPT, "with MFD_HUGETLB: log2 of the page size asked for"));
OBJECT(o_access,
	F("path", CAT_FILE, 0, "the file"),
	FN("access", CAT_FLAGS, 0, n_access, "the access checked; F_OK: existence"),
	FN("flags", CAT_FLAGS, OPT, n_faccessat, "faccessat2's AT_* flags"));

/* Network (fmt_net.c, sockaddr.c). */
OBJECT(o_sock_kind,
	FN("family", CAT_ENUM, OPT, n_families, "the address family"),
	FN("type", CAT_ENUM, OPT, n_sock_types, "the socket type"),
	FN("protocol", CAT_ENUM, OPT, n_protocols, "IP sockets: the protocol; packet sockets: "
	   "the EtherType (a number); absent for Unix sockets"));
OBJECT(o_peer_end,
	F("address", CAT_STRING, OPT, "the address the call is about (connect, send: the destination; "
	  "bind, listen: the socket's own; accept: the peer): IP, Unix path or @abstract name, "
	  "or a packet socket's hardware address"),
	F("port", CAT_UINT, OPT, "with an IP address: its port"));
OBJECT(o_sockaddr_more,
	F("scope_id", CAT_UINT, OPT, "an IPv6 address's scope, when set"),
	F("port_id", CAT_UINT, OPT, "a netlink address's port id"),
	F("groups", CAT_UINT, OPT, "a netlink address's multicast groups"),
	F("ethertype", CAT_UINT, OPT, "a packet socket address's protocol"),
	F("ifindex", CAT_INT, OPT, "a packet socket address's interface"));
OBJECT(o_local_end,
	F("local_address", CAT_STRING, OPT, "the socket's own address after the call"),
	F("local_port", CAT_UINT, OPT, "the socket's own port after the call"));
#define F_RAW F("raw", CAT_BOOL, YES, "a raw socket: it sees or forges whole packets")
OBJECT(o_socket,
	FN("family", CAT_ENUM, 0, n_families, "the address family"),
	FN("type", CAT_ENUM, 0, n_sock_types, "the socket type"),
	FN("flags", CAT_FLAGS, 0, n_sock_flags, "SOCK_NONBLOCK, SOCK_CLOEXEC"),
	FN("protocol", CAT_ENUM, OPT, n_protocols, "IP sockets: the protocol; packet sockets: "
	   "the EtherType (a number); absent for Unix sockets"),
	F_RAW);
OBJECT(o_net_addr,
	F("fd", CAT_INT, 0, "the socket"),
	INCLUDE(o_sock_kind),
	INCLUDE(o_peer_end),
	INCLUDE(o_sockaddr_more),
	INCLUDE(o_local_end),
	FU("length", CAT_UINT, OPT, "bytes", "sendto: the length sent (the payload is never captured)"),
	F_RAW);
OBJECT(o_listen,
	F("fd", CAT_INT, 0, "the socket"),
	INCLUDE(o_sock_kind),
	INCLUDE(o_peer_end),
	F("backlog", CAT_INT, 0, "the backlog asked for"),
	F_RAW);
OBJECT(o_accept,
	F("fd", CAT_INT, 0, "the listening socket (ret is the accepted connection)"),
	INCLUDE(o_sock_kind),
	INCLUDE(o_peer_end),
	INCLUDE(o_local_end),
	FN("flags", CAT_FLAGS, OPT, n_sock_flags, "accept4's flags"),
	F_RAW);

/* Privileges (fmt_priv.c): the request, then the credentials around the call. */
OBJECT(o_cred_change,
	FO("before", OPT, o_creds, "the credentials before the call (absent when not captured)"),
	FO("after", OPT, o_creds, "with before: the credentials after it"),
	FN("changed", CAT_NAMES, OPT, n_cred_changes, "with before: the fields that differ"));
OBJECT(o_setuid,
	F("uid", CAT_INT, OPT, "setuid: the uid asked for; -1: unchanged"),
	F("ruid", CAT_INT, OPT, "setreuid, setresuid: the real uid asked for"),
	F("euid", CAT_INT, OPT, "setreuid, setresuid: the effective uid asked for"),
	F("suid", CAT_INT, OPT, "setresuid: the saved uid asked for"),
	F("fsuid", CAT_INT, OPT, "setfsuid: the filesystem uid asked for"),
	INCLUDE(o_cred_change));
OBJECT(o_setgid,
	F("gid", CAT_INT, OPT, "setgid: the gid asked for; -1: unchanged"),
	F("rgid", CAT_INT, OPT, "setregid, setresgid: the real gid asked for"),
	F("egid", CAT_INT, OPT, "setregid, setresgid: the effective gid asked for"),
	F("sgid", CAT_INT, OPT, "setresgid: the saved gid asked for"),
	F("fsgid", CAT_INT, OPT, "setfsgid: the filesystem gid asked for"),
	INCLUDE(o_cred_change));
OBJECT(o_setgroups,
	F("ngroups", CAT_INT, 0, "the number of groups passed"),
	INCLUDE(o_cred_change));
OBJECT(o_cap_request,
	FN("effective", CAT_FLAGS, 0, n_caps, "the effective set asked for"),
	FN("permitted", CAT_FLAGS, 0, n_caps, "the permitted set asked for"),
	FN("inheritable", CAT_FLAGS, 0, n_caps, "the inheritable set asked for"));
OBJECT(o_capset,
	F("pid", CAT_INT, OPT, "the header's pid (0: the caller)"),
	FO("requested", OPT, o_cap_request, "the sets asked for, when they could be read"),
	INCLUDE(o_cred_change));
OBJECT(o_prctl,
	FN("option", CAT_ENUM, 0, n_prctl, "the operation"),
	FN("ambient_op", CAT_ENUM, OPT, n_ambient, "PR_CAP_AMBIENT: the sub-operation"),
	FN("cap", CAT_ENUM, OPT, n_caps, "PR_CAP_AMBIENT, PR_CAPBSET_READ, PR_CAPBSET_DROP: the capability"),
	FN("signal", CAT_ENUM, OPT, n_signals, "PR_SET_PDEATHSIG: the signal"),
	FN("mode", CAT_ENUM, OPT, n_seccomp_modes, "PR_SET_SECCOMP: the mode"),
	FN("securebits", CAT_FLAGS, OPT, n_securebits, "PR_SET_SECUREBITS: the bits"),
	F("pid", CAT_INT, OPT, "PR_SET_PTRACER: the tracer allowed (-1: any)"),
	F("value", CAT_UINT, OPT, "PR_SET_NO_NEW_PRIVS, _KEEPCAPS, _DUMPABLE, _CHILD_SUBREAPER, "
	  "_THP_DISABLE: the value"),
	INCLUDE(o_cred_change));
OBJECT(o_seccomp,
	FN("operation", CAT_ENUM, 0, n_seccomp_op, "the operation"),
	FN("flags", CAT_FLAGS, 0, n_seccomp_filter, "SECCOMP_FILTER_FLAG_*"),
	F("filter_length", CAT_UINT, OPT, "SECCOMP_SET_MODE_FILTER: the filter's length in instructions"),
	INCLUDE(o_cred_change));

/* Namespaces (fmt_ns.c): inode numbers around the call. */
static const struct cat_object o_namespaces = { "namespaces", FIELDS(
	F("mnt", CAT_UINT, 0, "mount namespace inode"),
	F("pid", CAT_UINT, 0, "PID namespace inode"),
	F("net", CAT_UINT, 0, "network namespace inode"),
	F("uts", CAT_UINT, 0, "UTS namespace inode"),
	F("ipc", CAT_UINT, 0, "IPC namespace inode"),
	F("user", CAT_UINT, 0, "user namespace inode"),
	F("cgroup", CAT_UINT, 0, "cgroup namespace inode"),
	F("time", CAT_UINT, 0, "time namespace inode")),
	"a task's namespaces, as the inode numbers /proc/PID/ns shows" };
OBJECT(o_ns_change,
	FO("before", NUL, o_namespaces, "the caller's namespaces before the call; null when not read"),
	FO("after", NUL, o_namespaces, "after it (for a clone, the child's); null when the task was gone"),
	FN("changed", CAT_NAMES, OPT, n_ns_names, "with before and after: the namespaces that differ"));
OBJECT(o_clone,
	FN("flags", CAT_FLAGS, 0, n_clone, "the clone flags"),
	FN("exit_signal", CAT_ENUM, 0, n_signals, "the signal the parent gets at the child's exit"),
	F("child_pid", CAT_INT, OPT, "the child's pid, when the call returned one"),
	INCLUDE(o_ns_change));
OBJECT(o_unshare,
	FN("flags", CAT_FLAGS, 0, n_clone, "the CLONE_* flags"),
	INCLUDE(o_ns_change));
OBJECT(o_setns,
	F("path", CAT_FILE, 0, "the file joined: a /proc/PID/ns file (ns:[inode]) or a pidfd"),
	FN("nstype", CAT_FLAGS, 0, n_ns, "the types allowed; [] accepts any"),
	INCLUDE(o_ns_change));

/* Mounts (fmt_mount.c). */
OBJECT(o_mount,
	F("source", CAT_STRING, NUL, "the source as passed"),
	F("target", CAT_PATH, 0, "the mount point"),
	F("fstype", CAT_STRING, NUL, "the filesystem type as passed"),
	FN("flags", CAT_FLAGS, 0, n_mount, "MS_* flags"));
OBJECT(o_move_mount,
	F("from", CAT_FILE, 0, "the mount moved, often a detached one (a descriptor)"),
	F("target", CAT_FILE, 0, "where it goes"),
	FN("flags", CAT_FLAGS, 0, n_move_mount, "MOVE_MOUNT_* flags"));
OBJECT(o_umount,
	F("target", CAT_PATH, 0, "the mount point"),
	FN("flags", CAT_FLAGS, 0, n_umount, "MNT_* and UMOUNT_* flags"));
OBJECT(o_pivot_root,
	F("new_root", CAT_PATH, 0, "the new root"),
	F("put_old", CAT_PATH, 0, "where the old root goes"));
OBJECT(o_chroot,
	F("path", CAT_PATH, 0, "the new root directory"));
OBJECT(o_fsopen,
	F("fstype", CAT_STRING, NUL, "the filesystem type as passed"),
	FN("flags", CAT_FLAGS, 0, n_fsopen, "FSOPEN_* flags"));
OBJECT(o_fsconfig,
	F("fd", CAT_INT, 0, "the filesystem context"),
	FN("command", CAT_ENUM, 0, n_fsconfig, "the command"),
	F("key", CAT_STRING, OPT | NUL, "the parameter's name, when one was passed"),
	F("value", CAT_STRING, OPT | NUL, "the value, only for source and paths (others may hold secrets)"),
	F("value_fd", CAT_INT, OPT, "FSCONFIG_SET_FD: the descriptor"));
OBJECT(o_fsmount,
	F("fd", CAT_INT, 0, "the filesystem context (ret is the new, detached, mount)"),
	FN("flags", CAT_FLAGS, 0, n_fsmount, "FSMOUNT_* flags"),
	FN("attr_flags", CAT_FLAGS, 0, n_mount_attr, "MOUNT_ATTR_* flags"));
OBJECT(o_open_tree,
	F("path", CAT_FILE, 0, "the tree"),
	FN("flags", CAT_FLAGS, 0, n_open_tree, "OPEN_TREE_* and AT_* flags"));
OBJECT(o_mount_setattr,
	F("path", CAT_FILE, 0, "the mount"),
	FN("flags", CAT_FLAGS, 0, n_at, "AT_* flags"),
	FN("attr_set", CAT_FLAGS, OPT, n_mount_attr, "the attributes set, when struct mount_attr was read"),
	FN("attr_clr", CAT_FLAGS, OPT, n_mount_attr, "with attr_set: the attributes cleared"),
	FN("propagation", CAT_ENUM, OPT, n_mount, "with attr_set: the propagation asked for, when any"),
	F("userns_fd", CAT_INT, OPT, "with MOUNT_ATTR_IDMAP: the user namespace"));

/* Acts on other processes (fmt_proc.c). */
static const struct cat_object o_target = { "target", FIELDS(
	F("pidfd", CAT_INT, OPT, "a pidfd call: the descriptor passed"),
	F("all_processes", CAT_BOOL, YES, "kill(-1): every process the caller may signal"),
	F("process_group", CAT_INT, OPT, "kill(0 or -N): the process group (0: the caller's)"),
	F("pid", CAT_INT, OPT, "the process the kernel resolved, or the number as passed when none"),
	F("tid", CAT_UINT, OPT, "with comm: the thread, when not the leader"),
	F("comm", CAT_STRING, OPT, "the resolved process's command name"),
	F("in_tree", CAT_BOOL, OPT, "with comm: the process is in the traced tree"),
	F("key", CAT_KEY, OPT, "with comm: the process's key"),
	F("pid_in_caller_namespace", CAT_BOOL, YES, "pid is a number in the caller's PID namespace, "
	  "not resolved")),
	"the process acted upon, as the kernel resolved it at the call" };
#define F_TARGET FO("target", OPT, o_target, "the process acted upon, when captured")
OBJECT(o_ptrace,
	FN("request", CAT_ENUM, 0, n_ptrace, "the request"),
	F_TARGET);
OBJECT(o_vm_access,
	FN("access", CAT_STRING, 0, n_vm_access, "process_vm_readv reads, process_vm_writev writes"),
	F_TARGET,
	F("local_iovcnt", CAT_UINT, 0, "the caller's buffers"),
	F("remote_iovcnt", CAT_UINT, 0, "the target's buffers (ret is the bytes moved)"));
OBJECT(o_signal,
	FN("signal", CAT_ENUM, 0, n_signals, "the signal (0 delivers nothing)"),
	F("existence_check", CAT_BOOL, YES, "signal 0: a check that the target exists and may be signalled"),
	F_TARGET);
OBJECT(o_pidfd_open,
	F_TARGET,
	FN("flags", CAT_FLAGS, 0, n_pidfd, "PIDFD_* flags (ret is the pidfd)"));
OBJECT(o_pidfd_getfd,
	F_TARGET,
	F("target_fd", CAT_INT, 0, "the target's descriptor copied (ret is the caller's copy)"));

/* The kernel (fmt_kernel.c). */
OBJECT(o_init_module,
	FU("length", CAT_UINT, 0, "bytes", "the module image's length"),
	F("params", CAT_STRING, NUL, "the module parameters"));
OBJECT(o_finit_module,
	F("path", CAT_FILE, 0, "the module file"),
	F("params", CAT_STRING, NUL, "the module parameters"),
	FN("flags", CAT_FLAGS, 0, n_module, "MODULE_INIT_* flags"));
OBJECT(o_delete_module,
	F("name", CAT_STRING, NUL, "the module"),
	FN("flags", CAT_FLAGS, 0, n_delete_module, "O_NONBLOCK, O_TRUNC"));
OBJECT(o_bpf,
	FN("command", CAT_ENUM, 0, n_bpf_cmds, "the command"),
	FN("map_type", CAT_ENUM, OPT, n_bpf_maps, "BPF_MAP_CREATE: the map type"),
	FU("key_size", CAT_UINT, OPT, "bytes", "BPF_MAP_CREATE: the key size"),
	FU("value_size", CAT_UINT, OPT, "bytes", "BPF_MAP_CREATE: the value size"),
	F("max_entries", CAT_UINT, OPT, "BPF_MAP_CREATE: the capacity"),
	F("name", CAT_STRING, OPT, "BPF_MAP_CREATE, BPF_PROG_LOAD: the object's name"),
	FN("prog_type", CAT_ENUM, OPT, n_bpf_progs, "BPF_PROG_LOAD: the program type"),
	F("insn_cnt", CAT_UINT, OPT, "BPF_PROG_LOAD: the number of instructions"),
	F("expected_attach_type", CAT_UINT, OPT, "BPF_PROG_LOAD: the attach type expected"),
	F("attach_type", CAT_UINT, OPT, "BPF_PROG_ATTACH, BPF_LINK_CREATE: the attach type"));
OBJECT(o_kexec_load,
	F("entry", CAT_UINT, 0, "the entry point"),
	F("segments", CAT_UINT, 0, "the number of segments"),
	FN("flags", CAT_FLAGS, 0, n_kexec, "KEXEC_* flags"),
	FN("arch", CAT_ENUM, 0, n_kexec_arch, "the architecture"));
OBJECT(o_kexec_file_load,
	F("path", CAT_FILE, 0, "the kernel image"),
	F("initrd_fd", CAT_INT, 0, "the initramfs"),
	F("cmdline", CAT_STRING, NUL, "the new kernel's command line"),
	FN("flags", CAT_FLAGS, 0, n_kexec_file, "KEXEC_FILE_* flags"));
OBJECT(o_io_uring,
	F("entries", CAT_UINT, 0, "the submission queue entries asked for"),
	FN("flags", CAT_FLAGS, OPT, n_io_uring, "IORING_SETUP_* flags, when the parameters were read"),
	F("sq_entries", CAT_UINT, OPT, "with flags, on success: the submission queue's size"),
	F("cq_entries", CAT_UINT, OPT, "with flags, on success: the completion queue's size"),
	F("bypasses_syscall_tracing", CAT_BOOL, CF_TRUE, "the ring's requests run without syscalls "
	  "of their own: they are not in the trace"));
OBJECT(o_perf_event,
	FN("perf_type", CAT_ENUM, OPT, n_perf_types, "the event type, when the attributes were read"),
	F("config", CAT_UINT, OPT, "with perf_type: the event"),
	F("pid", CAT_INT, 0, "the process watched (-1 with a cpu: every process)"),
	F("cpu", CAT_INT, 0, "the cpu watched (-1: any)"),
	F("group_fd", CAT_INT, 0, "the group leader (-1: none)"),
	FN("flags", CAT_FLAGS, 0, n_perf_flags, "PERF_FLAG_* flags"));

#define SYS CS_SYSCALL
#define SHAPE(fmt, fl, ob) { fmt, fl, &(ob), NULL }
#define SHAPE_DOC(fmt, fl, ob, doc) { fmt, fl, &(ob), doc }

const struct cat_type cat_types[] = {
	{ "process.exec", 0, "a program started", {
		SHAPE_DOC(fmt_exec, 0, o_exec, "a successful exec"),
		SHAPE_DOC(fmt_exec_failed, SYS, o_exec_failed, "a failed exec") } },
	{ "process.fork", 0, "a new process (never a thread)", {
		SHAPE_DOC(fmt_fork, 0, o_fork, "a process created"),
		SHAPE_DOC(fmt_clone, SYS, o_fork_failed, "a failed fork") } },
	{ "process.exit", 0, "a process ended: its last thread exited", {
		SHAPE_DOC(fmt_exit, 0, o_exit_code, "it exited"),
		SHAPE_DOC(fmt_exit, 0, o_exit_signal, "a signal killed it") } },

	{ "file.open", 0, "a file opened or created", { SHAPE(fmt_open, SYS, o_open) } },
	{ "file.unlink", 0, "a name removed", { SHAPE(fmt_file_path, SYS, o_file_path) } },
	{ "file.rmdir", 0, "a directory removed", { SHAPE(fmt_file_path, SYS, o_file_path) } },
	{ "file.rename", 0, "a file renamed", { SHAPE(fmt_file_rename, SYS, o_rename) } },
	{ "file.mkdir", 0, "a directory created", { SHAPE(fmt_file_mode, SYS, o_mode) } },
	{ "file.link", 0, "a hard link created", { SHAPE(fmt_file_link, SYS, o_link) } },
	{ "file.symlink", 0, "a symbolic link created", { SHAPE(fmt_file_symlink, SYS, o_symlink) } },
	{ "file.chmod", 0, "a file's permissions changed", { SHAPE(fmt_file_mode, SYS, o_mode) } },
	{ "file.chown", 0, "a file's owner changed", { SHAPE(fmt_file_chown, SYS, o_chown) } },
	{ "file.truncate", 0, "a file's length set", { SHAPE(fmt_file_truncate, SYS, o_truncate) } },
	{ "file.mknod", 0, "a device, fifo or socket node created", { SHAPE(fmt_file_mknod, SYS, o_mknod) } },
	{ "file.memfd", 0, "an anonymous memory file created", { SHAPE(fmt_file_memfd, SYS, o_memfd) } },
	{ "file.access", 0, "a file's accessibility checked", { SHAPE(fmt_file_access, SYS, o_access) } },

	{ "net.socket", 0, "a socket created (ret is its descriptor)", { SHAPE(fmt_socket, SYS, o_socket) } },
	{ "net.connect", 0, "a connection asked for", { SHAPE(fmt_net_addr, SYS, o_net_addr) } },
	{ "net.bind", 0, "a socket named", { SHAPE(fmt_net_addr, SYS, o_net_addr) } },
	{ "net.listen", 0, "a socket made to accept connections", { SHAPE(fmt_listen, SYS, o_listen) } },
	{ "net.accept", 0, "a connection accepted", { SHAPE(fmt_accept, SYS, o_accept) } },
	{ "net.send", 0, "data sent to an explicit destination", { SHAPE(fmt_net_addr, SYS, o_net_addr) } },

	{ "priv.setuid", 0, "user ids changed", { SHAPE(fmt_setid, SYS, o_setuid) } },
	{ "priv.setgid", 0, "group ids changed", { SHAPE(fmt_setid, SYS, o_setgid) } },
	{ "priv.setgroups", 0, "supplementary groups set", { SHAPE(fmt_setgroups, SYS, o_setgroups) } },
	{ "priv.capset", 0, "capabilities set", { SHAPE(fmt_capset, SYS, o_capset) } },
	{ "priv.prctl", 0, "a process attribute read or set", { SHAPE(fmt_prctl, SYS, o_prctl) } },
	{ "priv.seccomp", 0, "a seccomp filter or mode installed", { SHAPE(fmt_seccomp, SYS, o_seccomp) } },

	{ "ns.clone", 0, "a process created in new namespaces", { SHAPE(fmt_clone, SYS, o_clone) } },
	{ "ns.unshare", 0, "the caller moved to new namespaces", { SHAPE(fmt_unshare, SYS, o_unshare) } },
	{ "ns.setns", 0, "the caller joined a namespace", { SHAPE(fmt_setns, SYS, o_setns) } },

	{ "mount.mount", 0, "a mount made or moved", {
		SHAPE_DOC(fmt_mount, SYS, o_mount, "mount(2)"),
		SHAPE_DOC(fmt_move_mount, SYS, o_move_mount, "move_mount(2)") } },
	{ "mount.umount", 0, "a mount removed", { SHAPE(fmt_umount, SYS, o_umount) } },
	{ "mount.pivot_root", 0, "the root filesystem swapped", { SHAPE(fmt_pivot_root, SYS, o_pivot_root) } },
	{ "mount.chroot", 0, "the root directory changed", { SHAPE(fmt_chroot, SYS, o_chroot) } },
	{ "mount.fs", 0, "a step of the new mount API", {
		SHAPE_DOC(fmt_fsopen, SYS, o_fsopen, "fsopen(2)"),
		SHAPE_DOC(fmt_fsconfig, SYS, o_fsconfig, "fsconfig(2)"),
		SHAPE_DOC(fmt_fsmount, SYS, o_fsmount, "fsmount(2)"),
		SHAPE_DOC(fmt_open_tree, SYS, o_open_tree, "open_tree(2)"),
		SHAPE_DOC(fmt_mount_setattr, SYS, o_mount_setattr, "mount_setattr(2)") } },

	{ "proc.ptrace", 0, "a process traced or inspected", { SHAPE(fmt_ptrace, SYS, o_ptrace) } },
	{ "proc.vm_access", 0, "another process's memory read or written", {
		SHAPE(fmt_vm_access, SYS, o_vm_access) } },
	{ "proc.signal", 0, "a signal sent", { SHAPE(fmt_signal, SYS, o_signal) } },
	{ "proc.pidfd", 0, "a process descriptor opened, or a descriptor taken from a process", {
		SHAPE_DOC(fmt_pidfd_open, SYS, o_pidfd_open, "pidfd_open(2)"),
		SHAPE_DOC(fmt_pidfd_getfd, SYS, o_pidfd_getfd, "pidfd_getfd(2)") } },

	{ "kernel.module", 0, "a kernel module loaded or removed", {
		SHAPE_DOC(fmt_init_module, SYS, o_init_module, "init_module(2)"),
		SHAPE_DOC(fmt_finit_module, SYS, o_finit_module, "finit_module(2)"),
		SHAPE_DOC(fmt_delete_module, SYS, o_delete_module, "delete_module(2)") } },
	{ "kernel.bpf", 0, "a BPF command", { SHAPE(fmt_bpf, SYS, o_bpf) } },
	{ "kernel.kexec", 0, "a new kernel loaded for kexec", {
		SHAPE_DOC(fmt_kexec_load, SYS, o_kexec_load, "kexec_load(2)"),
		SHAPE_DOC(fmt_kexec_file_load, SYS, o_kexec_file_load, "kexec_file_load(2)") } },
	{ "kernel.io_uring", 0, "an io_uring ring set up", { SHAPE(fmt_io_uring_setup, SYS, o_io_uring) } },
	{ "kernel.perf_event", 0, "a perf event opened", {
		SHAPE(fmt_perf_event_open, SYS, o_perf_event) } },

	{ "run", CT_STATS, "the first record of every run: which command, host and kernel", {
		SHAPE(NULL, 0, o_run) } },
	{ "stats", CT_STATS, "the last record of every run: what was delivered and lost", {
		SHAPE(NULL, 0, o_stats) } },
};

const unsigned int cat_type_count = ARRAY_SIZE(cat_types);

const struct cat_type *cat_find(const char *type)
{
	unsigned int i;

	for (i = 0; i < cat_type_count; i++)
		if (!strcmp(cat_types[i].type, type))
			return &cat_types[i];
	return NULL;
}

bool cat_category(const struct cat_type *t, char *buf, size_t len)
{
	const char *dot = strchr(t->type, '.');
	size_t n = dot ? (size_t)(dot - t->type) : 0;

	if ((t->flags & CT_STATS) || !n || n >= len)
		return false;
	memcpy(buf, t->type, n);
	buf[n] = '\0';
	return true;
}

unsigned int cat_shape_count(const struct cat_type *t)
{
	unsigned int n = 0;

	while (n < CAT_MAX_SHAPES && t->shapes[n].obj)
		n++;
	return n;
}
