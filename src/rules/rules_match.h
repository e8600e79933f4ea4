/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Matching decoded events against a ruleset (the consumer's side of the rules). */
#ifndef PS_RULES_MATCH_H
#define PS_RULES_MATCH_H

#include "rules/rules.h"

struct ps_event;
struct model;
struct proc;

struct rules_match {
	const struct rule *rule;    /* NULL when the hook is enabled with no rules */
	const char *name;           /* the rule's name, or the hook's */
	enum rule_hook hook;
	bool block;                 /* the hook's sandbox refuses the act */
	bool unknown;               /* decided without an attribute the act lacked */
};

/*
 * The finding for one event, if any: its hooks' rules evaluated with the
 * actor `p` (may be NULL) and its parent from the model `m` (may be NULL).
 */
bool rules_match_event(const struct ruleset *rs, const struct ps_event *ev, struct model *m,
		       const struct proc *p, struct rules_match *out);

/*
 * The rule the kernel killed an event's process for (PS_HF_KILLED and the
 * rule's index in the record header), or NULL.
 */
const struct rule *rules_killed_by(const struct ruleset *rs, const struct ps_event *ev,
				   enum rule_hook *hook);

#endif
