/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The part of a ruleset the kernel enforces: the sandboxed setuid, setgid,
 * capset, bprm_check and file_open hooks whose every attribute the kernel
 * has, as the op programs of include/records.h that bpf/rules.bpf.h
 * evaluates.
 */
#ifndef PS_RULES_KERNEL_H
#define PS_RULES_KERNEL_H

#include "records.h"
#include "rules/rules.h"

struct rules_screen_num {
	struct ps_rscreen_num key;
	uint64_t rules;
};

struct rules_screen_str {
	struct ps_rscreen_str key;
	uint64_t rules;
};

struct rules_screen_pfx {
	struct ps_rscreen_pfx key;
	uint64_t rules;
};

struct rules_kernel {
	uint32_t hooks;                         /* bit per enum ps_khook compiled */
	struct ps_rule_hook hook[PS_KH__COUNT];
	struct ps_rule_str strs[PS_RULE_STRS];
	uint32_t nstrs;
	struct rules_screen_num num[PS_RSCREEN_NUM];
	uint32_t nnum;
	struct rules_screen_str str[PS_RSCREEN_STR];
	uint32_t nstr;
	struct rules_screen_pfx pfx[PS_RSCREEN_PFX];
	uint32_t npfx;
	const char *why[RH__COUNT];             /* NULL: the kernel enforces the hook's sandbox */
};

/* The kernel hook of a rules hook, or -1 when the kernel has none for it. */
int rules_khook(enum rule_hook h);

/*
 * Compile every sandboxed hook the kernel can enforce into `k` (zeroed
 * first).  A hook it cannot is left out, and k->why[h] says why, in a few
 * words.
 */
void rules_kernel_compile(const struct ruleset *rs, struct rules_kernel *k);

#endif
