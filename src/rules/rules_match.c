/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Which hook an event is, and its facts: the attributes the rules of that
 * hook test, read from the decoded record and the process model.  One
 * event can be an act of two hooks (an open with O_TRUNC is file_open and
 * path_truncate; an exec is bprm_check and sched_process_exec): they are
 * tried in that order and the first one with a finding reports.
 *
 * Paths are what the kernel resolved where the record has it (the file an
 * open returned, the executable of an exec); otherwise the path as given,
 * joined with its base directory and normalised lexically.  A path that is
 * not absolute, or could not be read, is missing: tests of it are unknown.
 */
#include <fcntl.h>
#include <linux/bpf.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include "rules/rules_match.h"
#include "event/event.h"
#include "event/syscalls.h"
#include "proc/model.h"

#define NEWUSER 0x10000000ULL /* CLONE_NEWUSER */
#define PTRACE_ATTACH_REQ 16
#define PTRACE_SEIZE_REQ 0x4206

struct facts_buf {
	struct rule_facts f;
	bool opened;      /* the path facts are the file the kernel opened */
	char path[PS_PATH_MAX];
	char bpf_name[17];
};

/* The last name of a path; a pseudo file's ("memfd:a/b") is all of it, as the kernel names it. */
static const char *base_name(const char *p)
{
	const char *s = p[0] == '/' ? strrchr(p, '/') : NULL;

	return s ? s + 1 : p;
}

static void facts_binary(struct rule_facts *f, const char *exe, enum rule_attr path)
{
	if (!exe || (exe[0] != '/' && strncmp(exe, "memfd:", 6)))
		return;
	/* binary_path, binary_name, binary_prefix are consecutive, as are the parent's. */
	rules_fact_s(f, path, exe);
	rules_fact_s(f, path + 1, base_name(exe));
	rules_fact_s(f, path + 2, exe);
}

static void facts_scope(struct rule_facts *f, const struct ps_event *ev, struct model *m,
			const struct proc *p)
{
	const struct ps_hdr *h = ev->hdr;
	const struct proc *parent = NULL;
	const char *exe = p ? p->exe : NULL;

	/* An exec's actor is the program that called it: the image it replaced. */
	if (p && h->kind == PS_REC_EXEC)
		exe = p->nchain ? p->chain[p->nchain - 1] : NULL;
	facts_binary(f, exe, RA_BINARY_PATH);
	if (m)
		parent = model_get(m, (struct proc_key){ h->ppid, h->parent_start_boot });
	facts_binary(f, parent ? parent->exe : NULL, RA_PARENT_BINARY_PATH);
}

/* path, name and path_prefix from a path known to be absolute (or a memfd's). */
static void facts_path(struct facts_buf *b, bool have)
{
	struct rule_facts *f = &b->f;

	if (!have || !(b->path[0] == '/' || !strncmp(b->path, "memfd:", 6)))
		return;
	rules_fact_s(f, RA_PATH, b->path);
	rules_fact_s(f, RA_NAME, base_name(b->path));
	rules_fact_s(f, RA_PATH_PREFIX, b->path);
}

static void facts_arg_path(struct facts_buf *b, const struct ps_event *ev, int arg)
{
	if (arg >= 0)
		facts_path(b, ev_path(ev, (uint8_t)arg, b->path, sizeof(b->path)));
}

/* Effective or permitted capabilities that `after` has and `before` had not. */
static void facts_gained(struct rule_facts *f, const struct ps_creds *before,
			 const struct ps_creds *after)
{
	if (before && after)
		rules_fact_u(f, RA_GAINED_CAPS, (after->cap_eff & ~before->cap_eff) |
						(after->cap_prm & ~before->cap_prm));
}

/* A kernel path walk that stopped short (too deep, unreadable) is no path. */
static bool whole_dirents(const struct ev_blob *b, char *buf, size_t len)
{
	if (b->flags & (PS_BF_TRUNCATED | PS_BF_READ_FAILED))
		return false;
	return dirents_path(b, buf, len);
}

static uint64_t open_flags(const struct ps_event *ev, bool *known)
{
	int fa = ev->desc->p[1];
	const struct ev_blob *how;
	uint64_t v = 0;

	*known = true;
	if (fa == -2) /* creat */
		return O_CREAT | O_WRONLY | O_TRUNC;
	if (fa >= 0)
		return (uint32_t)ev->sc.args[fa]; /* the kernel takes an int */
	how = ev_blob_for(ev, 2); /* openat2: struct open_how, flags first */
	if (how && how->len >= sizeof(v)) {
		memcpy(&v, how->data, sizeof(v));
		return v;
	}
	*known = false;
	return 0;
}

static void facts_open(struct facts_buf *b, const struct ps_event *ev, uint64_t *flags)
{
	const struct ev_blob *ret = ev_blob_for(ev, PS_ARG_RETFD);
	bool known;

	*flags = open_flags(ev, &known);
	/* The file the kernel opened (its rules judged it): symlinks and ".." already resolved. */
	b->opened = ev->sc.ret >= 0 && ret && ret->kind == PS_BLOB_DIRENTS &&
		    whole_dirents(ret, b->path, sizeof(b->path));
	if (b->opened)
		facts_path(b, true);
	else
		facts_arg_path(b, ev, ev->desc->p[0]);
	if (known) {
		rules_fact_u(&b->f, RA_ACCESS_MODE, *flags & O_ACCMODE);
		rules_fact_u(&b->f, RA_CREATION_FLAGS, *flags & ~(uint64_t)O_ACCMODE);
	}
}

static void facts_exec(struct facts_buf *b, const struct ps_event *ev)
{
	const struct ev_blob *exe = ev_blob_for(ev, PS_ARG_EXE);
	const struct ps_creds *before = ev_creds(ev, PS_ARG_BEFORE);
	const struct ps_creds *after = ev_creds(ev, PS_ARG_AFTER);
	struct rule_facts *f = &b->f;

	facts_path(b, exe ? whole_dirents(exe, b->path, sizeof(b->path))
			  : ev_path(ev, 0, b->path, sizeof(b->path)));
	rules_fact_u(f, RA_EUID, after ? after->euid : ev->hdr->euid);
	if (after) {
		rules_fact_u(f, RA_EGID, after->egid);
		rules_fact_u(f, RA_ECAPS, after->cap_eff);
	}
	facts_gained(f, before, after);
}

/* argv[0..31] straight from the record: rules see what ran, not what outputs redact. */
static void facts_argv(struct rule_facts *f, const struct ps_event *ev)
{
	const struct ev_blob *a = NULL;
	unsigned int i, n = 0;
	size_t off = 0;

	for (i = 0; i < ev->nblobs; i++)
		if (ev->blobs[i].kind == PS_BLOB_ARGV)
			a = &ev->blobs[i];
	if (!a)
		return;
	while (off < a->len && n < RA__COUNT - RA_ARG0) {
		const char *s = a->data + off;
		size_t l = strnlen(s, a->len - off);

		if (off + l >= a->len)
			break; /* the last one was cut: not a whole argument */
		rules_fact_s(f, RA_ARG0 + n++, s);
		off += l + 1;
	}
}

static void facts_creds(struct rule_facts *f, const struct ps_event *ev, enum rule_hook h)
{
	const struct ps_creds *before = ev_creds(ev, PS_ARG_BEFORE);
	const struct ps_creds *after = ev_creds(ev, PS_ARG_AFTER);

	if (!after)
		return;
	switch (h) {
	case RH_SETUID:
		rules_fact_u(f, RA_UID, after->uid);
		rules_fact_u(f, RA_EUID, after->euid);
		if (before)
			rules_fact_u(f, RA_PREV_EUID, before->euid);
		break;
	case RH_SETGID:
		rules_fact_u(f, RA_GID, after->gid);
		rules_fact_u(f, RA_EGID, after->egid);
		break;
	default: /* RH_CAPSET */
		rules_fact_u(f, RA_ECAPS, after->cap_eff);
		rules_fact_u(f, RA_PCAPS, after->cap_prm);
		facts_gained(f, before, after);
	}
}

static void facts_addr(struct rule_facts *f, const struct ps_event *ev)
{
	const struct ev_blob *a = ev_blob_for(ev, 1);
	struct sockaddr_in in4;
	struct sockaddr_in6 in6;

	if (!a || a->kind != PS_BLOB_BYTES || a->len < sizeof(sa_family_t))
		return;
	if (((const struct sockaddr *)a->data)->sa_family == AF_INET && a->len >= sizeof(in4)) {
		memcpy(&in4, a->data, sizeof(in4));
		memcpy(f->addr, &in4.sin_addr, 4);
		rules_fact_u(f, RA_IPV4_DST, 0);
		rules_fact_u(f, RA_PORT_DST, ntohs(in4.sin_port));
	} else if (((const struct sockaddr *)a->data)->sa_family == AF_INET6 &&
		   a->len >= sizeof(in6)) {
		memcpy(&in6, a->data, sizeof(in6));
		memcpy(f->addr, &in6.sin6_addr, 16);
		rules_fact_u(f, RA_IPV6_DST, 0);
		rules_fact_u(f, RA_PORT_DST, ntohs(in6.sin6_port));
	}
}

static void facts_listen(struct rule_facts *f, const struct ps_event *ev)
{
	const struct ev_blob *s = ev_blob_for(ev, 0);
	struct ps_sock k;

	if (!s || s->kind != PS_BLOB_SOCK || s->len < sizeof(k))
		return;
	memcpy(&k, s->data, sizeof(k));
	rules_fact_u(f, RA_FAMILY, k.family);
	rules_fact_u(f, RA_PORT_SRC, k.sport);
}

static void facts_bpf(struct facts_buf *b, const struct ps_event *ev, size_t name_off)
{
	const struct ev_blob *a = ev_blob_for(ev, 1);
	uint32_t type;

	if (!a || a->kind != PS_BLOB_BYTES || a->len < sizeof(type))
		return;
	memcpy(&type, a->data, sizeof(type));
	rules_fact_u(&b->f, RA_TYPE, type);
	if (a->len < name_off + 16)
		return;
	memcpy(b->bpf_name, a->data + name_off, 16);
	b->bpf_name[16] = 0;
	rules_fact_s(&b->f, RA_NAME, b->bpf_name);
	rules_fact_s(&b->f, RA_PREFIX, b->bpf_name);
}

static uint64_t clone_flags(const struct ps_event *ev)
{
	const struct ev_blob *ca;
	uint64_t v = 0;

	if (strcmp(ev->desc->name, "clone3"))
		return ev->sc.args[0];
	ca = ev_blob_for(ev, 0);
	if (ca && ca->len >= sizeof(v))
		memcpy(&v, ca->data, sizeof(v));
	return v;
}

/*
 * What each hook can match, as -e would name it: the inverse of
 * syscall_hooks() below (and of the exec hooks), so that --all sends the
 * kernel's filter only what some rule may judge.  Keep the two in step.
 */
static const char *const hook_events[RH__COUNT] = {
	[RH_SETUID] = "priv.setuid",
	[RH_SETGID] = "priv.setgid",
	[RH_CAPSET] = "priv.capset",
	[RH_PRCTL] = "priv.prctl",
	[RH_CREATE_USER_NS] = "unshare,clone,clone3",
	[RH_PTRACE_ACCESS_CHECK] = "proc.vm_access,proc.ptrace",
	[RH_BPRM_CHECK] = "process.exec",
	[RH_SCHED_PROCESS_EXEC] = "process.exec",
	[RH_FILE_OPEN] = "file.open",
	[RH_PATH_TRUNCATE] = "file.open,file.truncate",
	[RH_PATH_UNLINK] = "file.unlink",
	[RH_PATH_SYMLINK] = "file.symlink",
	[RH_PATH_CHMOD] = "file.chmod",
	[RH_PATH_CHOWN] = "file.chown",
	[RH_SB_MOUNT] = "mount",
	[RH_SOCKET_CREATE] = "net.socket",
	[RH_SOCKET_CONNECT] = "net.connect",
	[RH_BPF_PROG_LOAD] = "kernel.bpf",
	[RH_BPF_MAP_CREATE] = "kernel.bpf",
	[RH_SOCKET_LISTEN] = "net.listen",
	[RH_KERNEL_MODULE_LOAD] = "kernel.module",
	[RH_KEXEC_LOAD] = "kernel.kexec",
};

const char *rules_hook_events(enum rule_hook h)
{
	return h < RH__COUNT ? hook_events[h] : NULL;
}

/* The hooks a syscall event is an act of, in the order they are tried; returns how many. */
static int syscall_hooks(const struct ps_event *ev, enum rule_hook *hk, struct facts_buf *b)
{
	const char *t = ev->type, *name = ev->desc->name;
	struct rule_facts *f = &b->f;
	const __u64 *arg = ev->sc.args;
	bool ok = ev->sc.ret >= 0;
	uint64_t flags;

	if (!strcmp(t, "priv.setuid") || !strcmp(t, "priv.setgid") || !strcmp(t, "priv.capset")) {
		/* The new ids and sets exist only once the call succeeded. */
		if (!ok)
			return 0;
		hk[0] = t[5] == 'c' ? RH_CAPSET : t[8] == 'u' ? RH_SETUID : RH_SETGID;
		facts_creds(f, ev, hk[0]);
		return 1;
	}
	if (!strcmp(t, "priv.prctl"))
		return hk[0] = RH_PRCTL, 1;
	if (!strcmp(name, "unshare") || !strcmp(name, "clone") || !strcmp(name, "clone3")) {
		const struct ps_creds *before = ev_creds(ev, PS_ARG_BEFORE);

		if (!((strcmp(name, "unshare") ? clone_flags(ev) : arg[0]) & NEWUSER))
			return 0;
		rules_fact_u(f, RA_EUID, before ? before->euid : ev->hdr->euid);
		if (before)
			rules_fact_u(f, RA_ECAPS, before->cap_eff);
		return hk[0] = RH_CREATE_USER_NS, 1;
	}
	if (!strcmp(t, "proc.vm_access") ||
	    (!strcmp(t, "proc.ptrace") && (arg[0] == PTRACE_ATTACH_REQ || arg[0] == PTRACE_SEIZE_REQ)))
		return hk[0] = RH_PTRACE_ACCESS_CHECK, 1;
	if (!strcmp(t, "file.open")) {
		facts_open(b, ev, &flags);
		hk[0] = RH_FILE_OPEN;
		hk[1] = RH_PATH_TRUNCATE;
		return flags & O_TRUNC ? 2 : 1;
	}
	if (!strcmp(t, "file.truncate") || !strcmp(t, "file.unlink") || !strcmp(t, "file.chmod") ||
	    !strcmp(t, "file.chown")) {
		facts_arg_path(b, ev, ev->desc->p[0]);
		if (t[5] == 't')
			return hk[0] = RH_PATH_TRUNCATE, 1;
		if (t[5] == 'u')
			return hk[0] = RH_PATH_UNLINK, 1;
		if (t[7] == 'm') {
			rules_fact_u(f, RA_MODE, arg[ev->desc->p[1]] & 07777);
			return hk[0] = RH_PATH_CHMOD, 1;
		}
		rules_fact_u(f, RA_UID, (uint32_t)arg[ev->desc->p[1]]);
		rules_fact_u(f, RA_GID, (uint32_t)arg[ev->desc->p[2]]);
		return hk[0] = RH_PATH_CHOWN, 1;
	}
	if (!strcmp(t, "file.symlink")) {
		/* The target as stored in the link, not resolved. */
		const struct ev_blob *s = ev_blob_for(ev, 0);

		if (s && s->kind == PS_BLOB_STR && !(s->flags & PS_BF_READ_FAILED) &&
		    s->len < sizeof(b->path)) {
			memcpy(b->path, s->data, s->len);
			b->path[s->len] = 0;
			rules_fact_s(f, RA_PATH, b->path);
			rules_fact_s(f, RA_PATH_PREFIX, b->path);
		}
		return hk[0] = RH_PATH_SYMLINK, 1;
	}
	if (!strcmp(name, "mount")) {
		facts_arg_path(b, ev, 1);
		return hk[0] = RH_SB_MOUNT, 1;
	}
	if (!strcmp(t, "net.socket")) {
		rules_fact_u(f, RA_FAMILY, (uint32_t)arg[0]);
		rules_fact_u(f, RA_TYPE, arg[1] & 0xf);
		rules_fact_u(f, RA_PROTOCOL, (uint32_t)arg[2]);
		return hk[0] = RH_SOCKET_CREATE, 1;
	}
	if (!strcmp(t, "net.connect")) {
		facts_addr(f, ev);
		return hk[0] = RH_SOCKET_CONNECT, 1;
	}
	if (!strcmp(t, "net.listen")) {
		facts_listen(f, ev);
		return hk[0] = RH_SOCKET_LISTEN, 1;
	}
	if (!strcmp(t, "kernel.bpf") && (arg[0] == BPF_PROG_LOAD || arg[0] == BPF_MAP_CREATE)) {
		bool prog = arg[0] == BPF_PROG_LOAD;

		facts_bpf(b, ev, prog ? offsetof(union bpf_attr, prog_name)
				      : offsetof(union bpf_attr, map_name));
		return hk[0] = prog ? RH_BPF_PROG_LOAD : RH_BPF_MAP_CREATE, 1;
	}
	if (!strcmp(t, "kernel.module") && strcmp(name, "delete_module"))
		return hk[0] = RH_KERNEL_MODULE_LOAD, 1;
	if (!strcmp(t, "kernel.kexec"))
		return hk[0] = RH_KEXEC_LOAD, 1;
	return 0;
}

const struct rule *rules_killed_by(const struct ruleset *rs, const struct ps_event *ev,
				   enum rule_hook *hook)
{
	unsigned int idx = ev->hdr->flags >> PS_HF_RULE_SHIFT;
	const char *t = ev->type;

	if (!rs || !(ev->hdr->flags & PS_HF_KILLED) || !idx)
		return NULL;
	if (ev->hdr->kind == PS_REC_EXEC)
		*hook = RH_BPRM_CHECK;
	else if (!strcmp(t, "priv.setuid"))
		*hook = RH_SETUID;
	else if (!strcmp(t, "priv.setgid"))
		*hook = RH_SETGID;
	else if (!strcmp(t, "priv.capset"))
		*hook = RH_CAPSET;
	else if (!strcmp(t, "file.open"))
		*hook = RH_FILE_OPEN;
	else
		return NULL;
	return idx - 1 < rs->hooks[*hook].nrules ? &rs->hooks[*hook].rules[idx - 1] : NULL;
}

/*
 * The first of the event's hooks with a finding on facts f; with `held`,
 * only findings whose rule held (not an allow list's refusal of what it
 * did not allow).
 */
static bool first_finding(const struct ruleset *rs, const enum rule_hook *hk, int n,
			  const struct rule_facts *f, bool held, struct rules_match *out)
{
	int i;

	for (i = 0; i < n; i++) {
		const struct rule_hook_cfg *c = &rs->hooks[hk[i]];
		struct rule_verdict v;

		if (held && c->sandbox && !c->deny_list)
			continue;
		if (!rules_eval(rs, hk[i], f, &v))
			continue;
		out->rule = v.rule;
		out->hook = hk[i];
		out->block = v.block;
		out->unknown = v.unknown;
		out->name = v.rule ? v.rule->name : rules_hook_name(hk[i]);
		return true;
	}
	return false;
}

bool rules_match_event(const struct ruleset *rs, const struct ps_event *ev, struct model *m,
		       const struct proc *p, struct rules_match *out)
{
	struct facts_buf b;
	enum rule_hook hk[2];
	int n = 0;

	memset(out, 0, sizeof(*out));
	if (!rs)
		return false;
	b.f.present = b.f.args_present = 0;
	b.opened = false;
	if (ev->hdr->kind == PS_REC_EXEC) {
		facts_exec(&b, ev);
		facts_argv(&b.f, ev);
		hk[n++] = RH_BPRM_CHECK;
		hk[n++] = RH_SCHED_PROCESS_EXEC;
	} else if (ev->hdr->kind == PS_REC_SYSCALL && ev->desc) {
		n = syscall_hooks(ev, hk, &b);
	}
	if (!n)
		return false;
	facts_scope(&b.f, ev, m, p);
	if (first_finding(rs, hk, n, &b.f, false, out))
		return true;
	/*
	 * The path as given is judged too: a descriptor another thread swapped
	 * before the kernel's rules read it must not hide what was asked for.
	 * An allow list's verdict is the kernel's, on the file it opened.
	 */
	if (!b.opened)
		return false;
	b.f.present &= ~((1ULL << RA_PATH) | (1ULL << RA_NAME) | (1ULL << RA_PATH_PREFIX));
	facts_arg_path(&b, ev, ev->desc->p[0]);
	return first_finding(rs, hk, n, &b.f, true, out);
}
