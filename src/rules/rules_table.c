/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The language's vocabulary: every hook, the attributes its events accept,
 * and how each attribute's literals are typed.  The parser, the checker and
 * `rules check` all read these tables; nothing else names a hook.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"
#include "rules/rules_int.h"
#include "event/names.h"

#define A(x) (1ULL << (x))
#define FILE_ATTRS (A(RA_PATH) | A(RA_NAME) | A(RA_PATH_PREFIX))

static const struct {
	const char *name;
	uint64_t attrs;             /* event attributes (bits of enum rule_attr below RA_ARG0) */
	bool args;                  /* arg0 ... arg31 */
	bool sandbox;
} hooks[RH__COUNT] = {
	[RH_SETUID] = { "setuid", A(RA_UID) | A(RA_EUID) | A(RA_PREV_EUID), false, true },
	[RH_SETGID] = { "setgid", A(RA_GID) | A(RA_EGID), false, true },
	[RH_CAPSET] = { "capset", A(RA_ECAPS) | A(RA_PCAPS) | A(RA_GAINED_CAPS), false, true },
	[RH_PRCTL] = { "prctl", 0, false, false },
	[RH_CREATE_USER_NS] = { "create_user_ns", A(RA_ECAPS) | A(RA_EUID), false, true },
	[RH_PTRACE_ACCESS_CHECK] = { "ptrace_access_check", 0, false, false },
	[RH_BPRM_CHECK] = { "bprm_check", FILE_ATTRS | A(RA_EUID) | A(RA_EGID) | A(RA_ECAPS) |
			    A(RA_GAINED_CAPS), false, true },
	[RH_SCHED_PROCESS_EXEC] = { "sched_process_exec", 0, true, true },
	[RH_FILE_OPEN] = { "file_open", FILE_ATTRS | A(RA_ACCESS_MODE) | A(RA_CREATION_FLAGS),
			   false, true },
	[RH_PATH_TRUNCATE] = { "path_truncate", FILE_ATTRS, false, true },
	[RH_PATH_UNLINK] = { "path_unlink", FILE_ATTRS, false, true },
	[RH_PATH_SYMLINK] = { "path_symlink", A(RA_PATH) | A(RA_PATH_PREFIX), false, true },
	[RH_PATH_CHMOD] = { "path_chmod", FILE_ATTRS | A(RA_MODE), false, true },
	[RH_PATH_CHOWN] = { "path_chown", FILE_ATTRS | A(RA_UID) | A(RA_GID), false, true },
	[RH_SB_MOUNT] = { "sb_mount", FILE_ATTRS, false, false },
	[RH_SOCKET_CREATE] = { "socket_create", A(RA_FAMILY) | A(RA_TYPE) | A(RA_PROTOCOL),
			       false, true },
	[RH_SOCKET_CONNECT] = { "socket_connect", A(RA_IPV4_DST) | A(RA_IPV6_DST) | A(RA_PORT_DST),
				false, true },
	[RH_BPF_PROG_LOAD] = { "bpf_prog_load", A(RA_NAME) | A(RA_PREFIX) | A(RA_TYPE), false, false },
	[RH_BPF_MAP_CREATE] = { "bpf_map_create", A(RA_NAME) | A(RA_PREFIX) | A(RA_TYPE), false, false },
	[RH_SOCKET_LISTEN] = { "socket_listen", A(RA_FAMILY) | A(RA_PORT_SRC), false, true },
	[RH_KERNEL_MODULE_LOAD] = { "kernel_module_load", 0, false, true },
	[RH_KEXEC_LOAD] = { "kexec_load", 0, false, true },
};

static const struct {
	const char *name;
	enum rule_type type;
} attrs[RA_ARG0] = {
	[RA_BINARY_PATH] = { "binary_path", RT_STR },
	[RA_BINARY_NAME] = { "binary_name", RT_STR },
	[RA_BINARY_PREFIX] = { "binary_prefix", RT_PREFIX },
	[RA_PARENT_BINARY_PATH] = { "parent_binary_path", RT_STR },
	[RA_PARENT_BINARY_NAME] = { "parent_binary_name", RT_STR },
	[RA_PARENT_BINARY_PREFIX] = { "parent_binary_prefix", RT_PREFIX },
	[RA_PATH] = { "path", RT_STR },
	[RA_NAME] = { "name", RT_STR },
	[RA_PATH_PREFIX] = { "path_prefix", RT_PREFIX },
	[RA_UID] = { "uid", RT_UINT },
	[RA_EUID] = { "euid", RT_UINT },
	[RA_GID] = { "gid", RT_UINT },
	[RA_EGID] = { "egid", RT_UINT },
	[RA_ECAPS] = { "ecaps", RT_FLAGS },
	[RA_PCAPS] = { "pcaps", RT_FLAGS },
	[RA_ACCESS_MODE] = { "access_mode", RT_ENUM },
	[RA_CREATION_FLAGS] = { "creation_flags", RT_FLAGS },
	[RA_MODE] = { "mode", RT_FLAGS },
	[RA_FAMILY] = { "family", RT_ENUM },
	[RA_TYPE] = { "type", RT_ENUM },
	[RA_PROTOCOL] = { "protocol", RT_ENUM },
	[RA_IPV4_DST] = { "ipv4_dst", RT_CIDR4 },
	[RA_IPV6_DST] = { "ipv6_dst", RT_CIDR6 },
	[RA_PORT_DST] = { "port_dst", RT_UINT },
	[RA_PORT_SRC] = { "port_src", RT_UINT },
	[RA_PREFIX] = { "prefix", RT_PREFIX },
	[RA_GAINED_CAPS] = { "gained_caps", RT_FLAGS },
	[RA_PREV_EUID] = { "prev_euid", RT_UINT },
};

#define SCOPE_ATTRS (A(RA_BINARY_PATH) | A(RA_BINARY_NAME) | A(RA_BINARY_PREFIX) | \
		     A(RA_PARENT_BINARY_PATH) | A(RA_PARENT_BINARY_NAME) | A(RA_PARENT_BINARY_PREFIX))

const char *rules_hook_name(enum rule_hook h)
{
	return (unsigned int)h < RH__COUNT ? hooks[h].name : "?";
}

int rules_hook_find(const char *name)
{
	int h;

	if (!strcmp(name, "setcaps"))
		return RH_CAPSET;
	for (h = 0; h < RH__COUNT; h++)
		if (!strcmp(hooks[h].name, name))
			return h;
	return -1;
}

bool rules_hook_sandboxable(enum rule_hook h)
{
	return hooks[h].sandbox;
}

bool rules_attr_is_scope(enum rule_attr a)
{
	return a < RA_ARG0 && (SCOPE_ATTRS & A(a));
}

bool rules_hook_accepts(enum rule_hook h, enum rule_attr a)
{
	if (a >= RA_ARG0)
		return hooks[h].args && a < RA__COUNT;
	return hooks[h].attrs & A(a);
}

const char *rules_attr_name(enum rule_attr a)
{
	static char argn[RA__COUNT - RA_ARG0][8];

	if (a < RA_ARG0)
		return attrs[a].name;
	if (a >= RA__COUNT)
		return "?";
	if (!argn[a - RA_ARG0][0])
		snprintf(argn[a - RA_ARG0], sizeof(argn[0]), "arg%d", (int)(a - RA_ARG0));
	return argn[a - RA_ARG0];
}

int rules_attr_find(const char *name)
{
	int a;

	for (a = 0; a < RA_ARG0; a++)
		if (!strcmp(attrs[a].name, name))
			return a;
	if (!strncmp(name, "arg", 3) && name[3] >= '0' && name[3] <= '9') {
		char *end;
		long i = strtol(name + 3, &end, 10);

		/* arg0 ... arg31, no leading zeros */
		if (!*end && i < RA__COUNT - RA_ARG0 && (name[3] != '0' || !name[4]))
			return RA_ARG0 + (int)i;
	}
	return -1;
}

enum rule_type rules_attr_type(enum rule_attr a)
{
	return a < RA_ARG0 ? attrs[a].type : RT_STR;
}

/* S_IS* and permission bits, for `mode`. */
static const struct ps_name mode_bits[] = {
	{ 04000, "S_ISUID" }, { 02000, "S_ISGID" }, { 01000, "S_ISVTX" },
	{ 0400, "S_IRUSR" }, { 0200, "S_IWUSR" }, { 0100, "S_IXUSR" },
	{ 040, "S_IRGRP" }, { 020, "S_IWGRP" }, { 010, "S_IXGRP" },
	{ 04, "S_IROTH" }, { 02, "S_IWOTH" }, { 01, "S_IXOTH" },
};
static const struct ps_nametab ps_mode_bits = { mode_bits, sizeof(mode_bits) / sizeof(mode_bits[0]) };

const struct ps_nametab *rules_attr_names(enum rule_hook h, enum rule_attr a)
{
	switch (a) {
	case RA_ECAPS: case RA_PCAPS: case RA_GAINED_CAPS:
		return &ps_capabilities;
	case RA_ACCESS_MODE:
		return &ps_open_access;
	case RA_CREATION_FLAGS:
		return &ps_open_flags;
	case RA_MODE:
		return &ps_mode_bits;
	case RA_FAMILY:
		return &ps_socket_families;
	case RA_PROTOCOL:
		return &ps_ip_protocols;
	case RA_TYPE:
		if (h == RH_BPF_PROG_LOAD)
			return &ps_bpf_prog_types;
		if (h == RH_BPF_MAP_CREATE)
			return &ps_bpf_map_types;
		return &ps_socket_types;
	default:
		return NULL;
	}
}

int rules_name_value(const struct ps_nametab *t, const char *name, uint64_t *v)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->names[i].name, name)) {
			*v = t->names[i].value;
			return 0;
		}
	return -1;
}
