/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Rules in the kernel: a sandboxed hook's compiled ops (include/records.h)
 * evaluated against the act's facts at the hook's tracepoint, and a
 * process whose act the sandbox refuses killed with SIGKILL before it
 * returns to user space.  Three-valued like the consumer's evaluator: a
 * fact the act lacks is unknown, and an allow list refuses what it cannot
 * decide.
 */
#ifndef PS_RULES_BPF_H
#define PS_RULES_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "records.h"
#include "maps.bpf.h"

/* Bit h: hook h (enum ps_khook) has rules in rule_hooks.  Set by the loader. */
const volatile __u32 cfg_rules_hooks = 0;
/* procscope's mount namespace (its inode number): only its root roots a path. */
const volatile __u32 cfg_rules_mntns = 0;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, PS_KH__COUNT);
	__type(key, __u32);
	__type(value, struct ps_rule_hook);
} rule_hooks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, PS_RULE_STRS);
	__type(key, __u32);
	__type(value, struct ps_rule_str);
} rule_strs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, PS_RSCREEN_NUM);
	__type(key, struct ps_rscreen_num);
	__type(value, __u64);
} rule_screen_num SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, PS_RSCREEN_STR);
	__type(key, struct ps_rscreen_str);
	__type(value, __u64);
} rule_screen_str SEC(".maps");

/* Prefix atoms; each entry's rules include those of every prefix of it. */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, PS_RSCREEN_PFX);
	__type(key, struct ps_rscreen_pfx);
	__type(value, __u64);
} rule_screen_pfx SEC(".maps");

/* Steps of one path walk: components and mount crossings of a PS_PATH_MAX path. */
#define PS_RPATH_STEPS 2048

/*
 * The state of a bpf_loop() walk lives in the map value, not on the stack:
 * the verifier then checks the callback once instead of following every
 * value the state takes from one iteration to the next.
 */

/* Building a path root-first: the dentry walk of path.bpf.h, written backwards. */
struct rpath_walk {
	__u64 dentry, vfsmnt, mnt;     /* kernel pointers, read with probes */
	__u32 pos;         /* pass 0: bytes so far; pass 1: where the component ends */
	__u32 name_slot;   /* where the leaf's name goes */
	__u32 slot;        /* where the path goes */
	__u32 pass;
	bool first;
	bool rooted;
	bool done;
	bool cut;
};

struct rule_run {
	__u64 cand;        /* rules still to judge: those the screens admit */
	__u32 pc;          /* the op to run next */
	__u32 pad;
	__u64 val, unk;    /* the stack: top in bit 0 */
	__u32 depth;
	__u8 scope;        /* 0 no, 1 yes, 2 unknown */
	int verdict;       /* -1: none; else the index of the rule that refuses the act */
};

struct ps_rule_facts {
	struct rpath_walk w;
	struct rule_run r;
	struct ps_rscreen_str key;     /* a string screen's lookup key */
	struct ps_rscreen_pfx pkey;    /* a prefix screen's */
	__u64 present;                 /* bit per enum ps_rfact */
	__u64 longs;                   /* string facts cut at PS_RSTR_LEN - 1: no exact match */
	bool any_root;                 /* a deny list's: a path rooted elsewhere is still a path */
	__u64 u[PS_RF_NUM_SLOTS];
	char s[8][PS_RSTR_LEN];        /* PS_RF_NSTR used; indexes are masked with 7 */
	char slack[PS_RSTR_LEN];       /* masked writes past the last string land here */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ps_rule_facts);
} rule_facts SEC(".maps");

static __always_inline bool rules_on(__u32 hook)
{
	return cfg_rules_hooks & (1u << hook);
}

static __always_inline struct ps_rule_facts *rules_facts_get(void)
{
	__u32 zero = 0;
	struct ps_rule_facts *f = bpf_map_lookup_elem(&rule_facts, &zero);

	if (f)
		f->present = f->longs = 0;
	return f;
}

static __always_inline void rules_fact(struct ps_rule_facts *f, __u32 which, __u64 v)
{
	f->u[which & (PS_RF_NUM_SLOTS - 1)] = v;
	f->present |= 1ULL << which;
}

/* bpf_loop() contexts: stable pointers only. */
struct rules_ctx {
	struct ps_rule_facts *f;
	struct ps_rule_hook *h;
};

/*
 * One step towards the root.  Pass 0 measures the path (bytes, and whether
 * it reaches the root of procscope's own mount namespace); pass 1 writes
 * the bytes that land in its first PS_RSTR_LEN - 1, so a long path keeps
 * the prefix rules test, and is marked long for exact ones.
 */
/*
 * The walk reads the dentry chain through untrusted typed pointers: plain
 * loads the kernel guards, not a probe helper call each (most of a walk's
 * cost).  The pointers themselves are kept as numbers between steps.
 */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;
#define RPATH_AS(type, v) ((type *)bpf_rdonly_cast((void *)(v), bpf_core_type_id_kernel(type)))

static long rpath_step(__u32 i, void *ctx)
{
	struct ps_rule_facts *f = ((struct rules_ctx *)ctx)->f;
	struct rpath_walk *w = &f->w;
	struct dentry *d = RPATH_AS(struct dentry, w->dentry), *parent = d->d_parent;
	struct vfsmount *vfsmnt = RPATH_AS(struct vfsmount, w->vfsmnt);
	struct mount *mnt = RPATH_AS(struct mount, w->mnt);
	struct dentry *mnt_root = vfsmnt->mnt_root;
	const unsigned char *name;
	__u32 len, start, n;

	if (d == mnt_root) {
		struct mount *up = mnt->mnt_parent;

		if (up == mnt) {
			/*
			 * A detached mount, or the root of another mount namespace, is
			 * its own parent too: its "absolute" path is not one procscope
			 * could open.  Only the root of our own namespace roots a path.
			 */
			struct mnt_namespace *ns = mnt->mnt_ns;

			if (!f->any_root && (!ns || ns->root != mnt || ns->ns.inum != cfg_rules_mntns))
				w->cut = true;
			w->rooted = w->done = true;
			return 1;
		}
		w->dentry = (__u64)mnt->mnt_mountpoint;
		w->mnt = (__u64)up;
		w->vfsmnt = (__u64)&up->mnt;
		return 0;
	}
	len = d->d_name.len;
	name = d->d_name.name;
	if (len == 0 || len >= PS_RSTR_LEN) {
		w->cut = w->done = true;
		return 1;
	}
	if (!w->pass) {
		if (w->first) {
			bpf_probe_read_kernel(f->s[w->name_slot & 7], len & (PS_RSTR_LEN - 1), name);
			w->first = false;
		}
		w->pos += len + 1;
	} else {
		/* pos is where this component ends in the final string. */
		start = w->pos > len ? w->pos - len : 0;
		if (start < PS_RSTR_LEN - 1) {
			n = PS_RSTR_LEN - 1 - start;
			if (n > len)
				n = len;
			bpf_probe_read_kernel(f->s[w->slot & 7] + (start & (PS_RSTR_LEN - 1)),
					      n & (PS_RSTR_LEN - 1), name);
			if (start)
				f->s[w->slot & 7][(start - 1) & (PS_RSTR_LEN - 1)] = '/';
		}
		w->pos = start ? start - 1 : 0;
	}
	if (parent == d) { /* a pseudo file (memfd, pipe ...): no root, no leading '/' */
		w->done = true;
		return 1;
	}
	w->dentry = (__u64)parent;
	return 0;
}

static __always_inline bool rpath_walk(struct rules_ctx *c, const struct path *p, __u32 pass)
{
	struct rpath_walk *w = &c->f->w;
	struct vfsmount *vfsmnt = BPF_CORE_READ(p, mnt);
	__u32 total = w->pos;

	w->dentry = (__u64)BPF_CORE_READ(p, dentry);
	if (!w->dentry || !vfsmnt)
		return false;
	w->vfsmnt = (__u64)vfsmnt;
	w->mnt = (__u64)container_of(vfsmnt, struct mount, mnt);
	w->pass = pass;
	w->done = w->rooted = w->cut = false;
	w->pos = pass ? total : 0;
	bpf_loop(PS_RPATH_STEPS, rpath_step, c, 0);
	return w->done && !w->cut;
}

/*
 * Facts `slot` (the path) and `slot + 1` (its last name) from a kernel path:
 * what a path too deep to walk lacks, and for an allow list a path not
 * reachable from procscope's root (a detached mount, another mount
 * namespace): then the allow list refuses the act.  A deny list judges such
 * a path as its own root sees it, as the consumer does: moving into a new
 * mount namespace must not put /etc/shadow out of its reach.
 */
static __noinline void rules_path_fact(struct ps_rule_facts *f, __u32 slot, const struct path *p)
{
	struct rules_ctx c = { .f = f };
	struct rpath_walk *w = &f->w;
	__u32 s = (slot - PS_RF_PATH) & 7, total;

	if (!p || s >= PS_RF_NSTR - 1)
		return;
	__builtin_memset(f->s[s], 0, PS_RSTR_LEN);
	__builtin_memset(f->s[s + 1], 0, PS_RSTR_LEN);
	__builtin_memset(w, 0, sizeof(*w));
	w->name_slot = s + 1;
	w->slot = s;
	w->first = true;
	if (!rpath_walk(&c, p, 0))
		return;
	total = w->pos;
	if (total == 0) {
		f->s[s][0] = '/'; /* the root itself */
	} else {
		if (!w->rooted)
			total -= 1; /* a pseudo file's one name has no '/' before it */
		w->pos = total;
		if (!rpath_walk(&c, p, 1))
			return;
		if (total >= PS_RSTR_LEN)
			f->longs |= 1ULL << slot; /* cut: prefix tests only */
	}
	f->present |= (1ULL << slot) | (1ULL << (slot + 1));
}

static __always_inline void rules_exe_fact(struct ps_rule_facts *f, __u32 slot, struct task_struct *t)
{
	struct file *exe = t ? BPF_CORE_READ(t, mm, exe_file) : NULL;

	if (exe)
		rules_path_fact(f, slot, &exe->f_path);
}

/* The calling binary of an exec, kept from sys_enter to sched_process_exec. */
struct ps_rule_caller {
	char path[PS_RSTR_LEN];
	char name[PS_RSTR_LEN];
	__u64 present;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct ps_rule_caller);
} rule_caller SEC(".maps");

static __noinline void rules_save_caller(struct task_struct *task)
{
	struct ps_rule_hook *h;
	struct ps_rule_facts *f;
	struct ps_rule_caller *c;
	__u32 hook = PS_KH_BPRM;

	h = bpf_map_lookup_elem(&rule_hooks, &hook);
	if (!h || !(h->needs & PS_RN_BIN))
		return;
	f = rules_facts_get();
	c = bpf_task_storage_get(&rule_caller, task, NULL, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!f || !c)
		return;
	f->any_root = h->flags & PS_RH_DENY_LIST;
	rules_exe_fact(f, PS_RF_BIN, task);
	__builtin_memcpy(c->path, f->s[PS_RF_BIN - PS_RF_PATH], PS_RSTR_LEN);
	__builtin_memcpy(c->name, f->s[PS_RF_BIN_NAME - PS_RF_PATH], PS_RSTR_LEN);
	c->present = f->present & ((1ULL << PS_RF_BIN) | (1ULL << PS_RF_BIN_NAME));
}

/* The caller's binary into f, and forgotten (a failed exec leaves a stale one: it is replaced). */
static __always_inline void rules_caller_fact(struct ps_rule_facts *f, struct task_struct *task)
{
	struct ps_rule_caller *c = bpf_task_storage_get(&rule_caller, task, NULL, 0);

	if (!c)
		return;
	__builtin_memcpy(f->s[PS_RF_BIN - PS_RF_PATH], c->path, PS_RSTR_LEN);
	__builtin_memcpy(f->s[PS_RF_BIN_NAME - PS_RF_PATH], c->name, PS_RSTR_LEN);
	f->present |= c->present;
	c->present = 0;
}

static __always_inline void rpush(struct rule_run *r, bool v, bool u)
{
	r->val = (r->val << 1) | (v && !u);
	r->unk = (r->unk << 1) | u;
	r->depth++;
}

static __always_inline void rpop(struct rule_run *r, bool *v, bool *u)
{
	*v = r->val & 1;
	*u = r->unk & 1;
	r->val >>= 1;
	r->unk >>= 1;
	if (r->depth)
		r->depth--;
}

static __always_inline bool rcmp(__u8 cmp, __u64 a, __u64 b)
{
	switch (cmp) {
	case PS_RCMP_EQ: return a == b;
	case PS_RCMP_NE: return a != b;
	case PS_RCMP_LT: return a < b;
	case PS_RCMP_LE: return a <= b;
	case PS_RCMP_GT: return a > b;
	default: return a >= b;
	}
}

/* Does string fact `slot` equal (or start with) literal `idx`? */
static __always_inline bool rstr(struct ps_rule_facts *f, __u32 slot, __u32 idx, bool prefix)
{
	struct ps_rule_str *lit = bpf_map_lookup_elem(&rule_strs, &idx);
	const __u64 *a, *b;
	__u32 n, k, full;
	__u64 mask;

	if (!lit)
		return false;
	n = lit->len;
	if (n >= PS_RSTR_LEN)
		return false;
	a = (const __u64 *)lit->s;
	b = (const __u64 *)f->s[(slot - PS_RF_PATH) & 7];
	full = n / 8;
	for (k = 0; k < PS_RSTR_LEN / 8; k++) {
		if (k >= full)
			break;
		if (a[k] != b[k])
			return false;
	}
	if (n % 8) {
		mask = (1ULL << ((n % 8) * 8)) - 1;
		if ((a[full & 31] ^ b[full & 31]) & mask)
			return false;
	}
	if (prefix)
		return true;
	/* Exact: the fact ends where the literal does, and was not cut. */
	return !(f->longs & (1ULL << slot)) && !f->s[(slot - PS_RF_PATH) & 7][n & (PS_RSTR_LEN - 1)];
}

/* Decide a rule: the event's value is on the stack, its scope in r->scope. */
static __always_inline long rule_end(struct rule_run *r, struct ps_rule_hook *h, __u32 idx)
{
	bool v, u;

	rpop(r, &v, &u);
	r->depth = 0;
	if (h->flags & PS_RH_DENY_LIST) {
		if (r->scope == 1 && v && !u) {
			r->verdict = idx;
			return 1;
		}
		return 0;
	}
	/* Allow list: the first rule in scope decides, and refuses what it does not allow. */
	if (r->scope == 0)
		return 0;
	if (!(r->scope == 1 && v && !u))
		r->verdict = idx;
	return 1;
}

/* Index of the lowest set bit of a non-zero m (de Bruijn). */
static const __u8 ps_debruijn[64] = {
	0, 1, 48, 2, 57, 49, 28, 3, 61, 58, 50, 42, 38, 29, 17, 4,
	62, 55, 59, 36, 53, 51, 43, 22, 45, 39, 33, 30, 24, 18, 12, 5,
	63, 47, 56, 27, 60, 41, 37, 16, 54, 35, 52, 21, 44, 32, 23, 11,
	46, 26, 40, 15, 34, 20, 31, 10, 25, 14, 19, 9, 13, 8, 7, 6,
};

/* On to the next rule the screens admit: 1 when there is none. */
static __always_inline long rule_next(struct rule_run *r, struct ps_rule_hook *h)
{
	__u64 m = r->cand;
	__u32 idx;

	r->depth = 0;
	if (!m)
		return 1;
	idx = ps_debruijn[(((m & -m) * 0x03f79d71b4cb0a89ULL) >> 58) & 63];
	r->cand = m & (m - 1);
	r->pc = h->rule_start[idx & (PS_RULES_MAX - 1)];
	return 0;
}

static long rule_step(__u32 i, void *ctx)
{
	struct ps_rule_facts *f = ((struct rules_ctx *)ctx)->f;
	struct ps_rule_hook *h = ((struct rules_ctx *)ctx)->h;
	struct rule_run *r = &f->r;
	struct ps_rule_op *op;
	bool a, au, b, bu, known;

	i = r->pc;
	if (i >= h->nops)
		return 1;
	/* The mask is the bound the verifier needs; keep the compiler from dropping it. */
	barrier_var(i);
	op = &h->ops[i & (PS_RULE_OPS - 1)];
	r->pc = i + 1;
	if (r->depth >= PS_RULE_DEPTH && op->op <= PS_ROP_PREFIX)
		return 1; /* the compiler never does this */
	known = f->present & (1ULL << (op->fact & 63));
	switch (op->op) {
	case PS_ROP_TRUE:
		rpush(r, true, false);
		break;
	case PS_ROP_CMP:
		rpush(r, known && rcmp(op->cmp, f->u[op->fact & (PS_RF_NUM_SLOTS - 1)], op->val), !known);
		break;
	case PS_ROP_ALL:
		rpush(r, known && (f->u[op->fact & (PS_RF_NUM_SLOTS - 1)] & op->val) == op->val, !known);
		break;
	case PS_ROP_ANY:
		rpush(r, known && (f->u[op->fact & (PS_RF_NUM_SLOTS - 1)] & op->val), !known);
		break;
	case PS_ROP_STR:
	case PS_ROP_PREFIX:
		rpush(r, known && rstr(f, op->fact, op->aux, op->op == PS_ROP_PREFIX), !known);
		break;
	case PS_ROP_NOT:
		r->val ^= ~r->unk & 1;
		break;
	case PS_ROP_AND:
	case PS_ROP_OR:
		rpop(r, &a, &au);
		rpop(r, &b, &bu);
		if (op->op == PS_ROP_AND) {
			if ((!a && !au) || (!b && !bu))
				rpush(r, false, false);
			else
				rpush(r, !au && !bu, au || bu);
		} else {
			if ((a && !au) || (b && !bu))
				rpush(r, true, false);
			else
				rpush(r, false, au || bu);
		}
		break;
	case PS_ROP_SCOPE_END:
		rpop(r, &a, &au);
		r->scope = au ? 2 : a;
		r->depth = 0;
		/* A deny list skips a rule whose scope is not certain; an allow list does not. */
		if (r->scope == 0 || (r->scope == 2 && (h->flags & PS_RH_DENY_LIST)))
			return rule_next(r, h);
		break;
	case PS_ROP_RULE_END:
		if (rule_end(r, h, op->aux))
			return 1;
		return rule_next(r, h);
	}
	return 0;
}

/*
 * The rules the screens admit for these facts (see include/records.h).
 * Before the string facts are read (`strings` false), rules with an atom on
 * a string are admitted: the caller reads the strings, which cost a dentry
 * walk each, only when some rule may still apply.  A missing fact is
 * unknown: an allow list must judge the rules it would screen, a deny list
 * cannot match them.
 */
static __always_inline __u64 rules_screen(__u32 hook, struct ps_rule_hook *h, struct ps_rule_facts *f,
					  bool strings)
{
	bool admit = !(h->flags & PS_RH_DENY_LIST);
	__u64 cand = h->always, *m;
	__u32 j;

	for (j = 0; j < PS_RFSCREENS; j++) {
		struct ps_rscreen_flags *fs = &h->fscreen[j];

		if (fs->fact >= PS_RF__NUM)
			continue;
		if (f->present & (1ULL << fs->fact) ? f->u[fs->fact & (PS_RF_NUM_SLOTS - 1)] & fs->bits : admit)
			cand |= fs->rules;
	}
	for (j = 0; j < PS_RSCREENS; j++) {
		__u8 fact = h->screen_fact[j], kind = h->screen_kind[j];
		char *s;

		if (fact == 0xff)
			continue;
		if (!strings && fact >= PS_RF_PATH) {
			cand |= h->screened[j];
			continue;
		}
		if (!(f->present & (1ULL << (fact & 63)))) {
			if (admit)
				cand |= h->screened[j];
			continue;
		}
		if (fact < PS_RF_PATH) {
			struct ps_rscreen_num k = { .hook = hook, .fact = fact,
						    .val = f->u[fact & (PS_RF_NUM_SLOTS - 1)] };

			m = bpf_map_lookup_elem(&rule_screen_num, &k);
			if (m)
				cand |= *m & h->screened[j];
			continue;
		}
		s = f->s[(fact - PS_RF_PATH) & 7];
		/* A string cut short is not the one it starts like. */
		if ((kind & PS_RSK_EXACT) && !(f->longs & (1ULL << (fact & 63)))) {
			f->key.hook = hook;
			f->key.fact = fact;
			__builtin_memcpy(f->key.s, s, PS_RSTR_LEN);
			m = bpf_map_lookup_elem(&rule_screen_str, &f->key);
			if (m)
				cand |= *m & h->screened[j];
		}
		if (kind & PS_RSK_PREFIX) {
			f->pkey.prefixlen = (2 + PS_RPFX_LEN) * 8;
			f->pkey.hook = hook;
			f->pkey.fact = fact;
			__builtin_memcpy(f->pkey.s, s, PS_RPFX_LEN);
			m = bpf_map_lookup_elem(&rule_screen_pfx, &f->pkey);
			if (m)
				cand |= *m & h->screened[j];
		}
	}
	return cand;
}

/*
 * Evaluate hook `hook` on facts `f`.  Returns the index of the rule whose
 * sandbox refuses the act, or -1.
 */
static __noinline int rules_eval_hook(__u32 hook, struct ps_rule_facts *f)
{
	struct rules_ctx c = { .f = f };

	c.h = bpf_map_lookup_elem(&rule_hooks, &hook);
	if (!c.h || !f)
		return -1;
	__builtin_memset(&f->r, 0, sizeof(f->r));
	f->r.verdict = -1;
	f->r.cand = rules_screen(hook, c.h, f, true);
	if (rule_next(&f->r, c.h))
		return -1;
	bpf_loop(PS_RULE_OPS, rule_step, &c, 0);
	return f->r.verdict;
}

/* Refuse the act: the task dies before it returns to user space. */
static __always_inline __u16 rules_kill(int verdict)
{
	if (verdict < 0)
		return 0;
	/* A kill that could not be sent is not reported as one: the act stands, reported. */
	if (bpf_send_signal(9 /* SIGKILL */))
		return 0;
	return PS_HF_KILLED | (((verdict + 1) & 0xff) << PS_HF_RULE_SHIFT);
}

/*
 * The scope facts every hook has, the acting binary and its parent's, read
 * only when the numbers leave some rule that may apply.  False: none may.
 */
static __always_inline bool rules_scope_facts(__u32 hook, struct ps_rule_facts *f,
					      struct task_struct *task, bool bin)
{
	struct ps_rule_hook *h = bpf_map_lookup_elem(&rule_hooks, &hook);

	if (!h || !rules_screen(hook, h, f, false))
		return false;
	f->any_root = h->flags & PS_RH_DENY_LIST;
	if (bin && (h->needs & PS_RN_BIN))
		rules_exe_fact(f, PS_RF_BIN, task);
	if (h->needs & PS_RN_PARENT)
		rules_exe_fact(f, PS_RF_PARENT, BPF_CORE_READ(task, real_parent));
	return true;
}


#endif
