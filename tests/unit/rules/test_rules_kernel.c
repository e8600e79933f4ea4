// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Serialisation of sandboxed hooks into the kernel's maps: the op program
 * of each rule, the string table, the screens, and why a hook stays with
 * the consumer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rules/rules_kernel.h"

static char err[512];
static struct rules_kernel k;

static void load(struct ruleset *rs, const char *yaml)
{
	memset(rs, 0, sizeof(*rs));
	if (rules_load_string(rs, "t.yaml", yaml, err, sizeof(err)))
		fail_msg("%s", err);
	rules_kernel_compile(rs, &k);
}

#define OP(o, f, c, a, v) (struct ps_rule_op){ (o), (f), (c), 0, (a), (v) }

static void same_op(struct ps_rule_op got, struct ps_rule_op want)
{
	assert_int_equal(got.op, want.op);
	assert_int_equal(got.fact, want.fact);
	assert_int_equal(got.cmp, want.cmp);
	assert_int_equal(got.aux, want.aux);
	assert_int_equal(got.val, want.val);
}

static void test_ops_and_strings(void **state)
{
	struct ruleset rs;
	const struct ps_rule_hook *h;

	(void)state;
	load(&rs, "setuid:\n  enabled: true\n  sandbox: {enabled: true, deny_list: true}\n  rules:\n"
		  "    - rule: A\n      scope: binary_name in [\"su\", \"sudo\"]\n"
		  "      event: euid == 0 AND NOT prev_euid < 1000\n");
	assert_int_equal(k.hooks, 1u << PS_KH_SETUID);
	h = &k.hook[PS_KH_SETUID];
	assert_int_equal(h->flags, PS_RH_DENY_LIST);
	assert_int_equal(h->needs, PS_RN_BIN);
	assert_int_equal(h->nrules, 1);
	assert_int_equal(h->nops, 9);
	same_op(h->ops[0], OP(PS_ROP_STR, PS_RF_BIN_NAME, 0, 0, 0));
	same_op(h->ops[1], OP(PS_ROP_STR, PS_RF_BIN_NAME, 0, 1, 0));
	same_op(h->ops[2], OP(PS_ROP_OR, 0, 0, 0, 0));
	same_op(h->ops[3], OP(PS_ROP_SCOPE_END, 0, 0, 0, 0));
	same_op(h->ops[4], OP(PS_ROP_CMP, PS_RF_EUID, PS_RCMP_EQ, 0, 0));
	same_op(h->ops[5], OP(PS_ROP_CMP, PS_RF_PREV_EUID, PS_RCMP_LT, 0, 1000));
	same_op(h->ops[6], OP(PS_ROP_NOT, 0, 0, 0, 0));
	same_op(h->ops[7], OP(PS_ROP_AND, 0, 0, 0, 0));
	same_op(h->ops[8], OP(PS_ROP_RULE_END, 0, 0, 0, 0));
	assert_int_equal(k.nstrs, 2);
	assert_int_equal(k.strs[0].len, 2);
	assert_string_equal(k.strs[1].s, "sudo");
	/* Screened on euid, which needs no path walk, rather than on the binary's name. */
	assert_int_equal(h->screen_fact[0], PS_RF_EUID);
	assert_int_equal(h->screen_kind[0], PS_RSK_EXACT);
	assert_int_equal(h->screened[0], 1);
	assert_int_equal(h->always, 0);
	assert_int_equal(k.nnum, 1);
	assert_int_equal(k.nstr, 0);
	rules_free(&rs);
	/* With the scope alone to screen by, two string keys. */
	load(&rs, "setuid:\n  enabled: true\n  sandbox: {enabled: true, deny_list: true}\n  rules:\n"
		  "    - rule: A\n      scope: binary_name in [\"su\", \"sudo\"]\n"
		  "      event: NOT prev_euid < 1000\n");
	h = &k.hook[PS_KH_SETUID];
	assert_int_equal(h->screen_fact[0], PS_RF_BIN_NAME);
	assert_int_equal(k.nstr, 2);
	assert_string_equal(k.str[1].key.s, "sudo");
	assert_int_equal(k.str[1].rules, 1);
	rules_free(&rs);
}

static void test_screens(void **state)
{
	struct ruleset rs;
	const struct ps_rule_hook *h;

	(void)state;
	/* Deny list: event terms screen too; a rule with no exact term is always judged. */
	load(&rs, "setuid:\n  enabled: true\n  sandbox: {enabled: true, deny_list: true}\n  rules:\n"
		  "    - rule: A\n      event: uid in [0, 5] AND euid > 3\n"
		  "    - rule: B\n      event: uid > 7\n"
		  "    - rule: C\n      event: uid == 5\n"
		  "bprm_check:\n  enabled: true\n  sandbox: {enabled: true}\n  rules:\n"
		  "    - rule: D\n      scope: parent_binary_name == \"xargs\"\n      event: name == \"true\"\n"
		  "    - rule: E\n      event: name == \"true\"\n");
	h = &k.hook[PS_KH_SETUID];
	assert_int_equal(h->rule_start[0], 0);
	assert_int_equal(h->rule_start[1], 8);  /* TRUE SCOPE_END CMP CMP OR CMP AND RULE_END */
	assert_int_equal(h->screen_fact[0], PS_RF_UID);
	assert_int_equal(h->screen_fact[1], 0xff);
	assert_int_equal(h->screened[0], 0x5);
	assert_int_equal(h->always, 0x2);
	assert_int_equal(k.nnum, 2);             /* uid 0 -> A; uid 5 -> A and C */
	assert_int_equal(k.num[0].key.val, 0);
	assert_int_equal(k.num[0].rules, 0x1);
	assert_int_equal(k.num[1].key.val, 5);
	assert_int_equal(k.num[1].rules, 0x5);
	/* Allow list: only scope terms screen (the first rule in scope decides). */
	h = &k.hook[PS_KH_BPRM];
	assert_int_equal(h->flags, 0);
	assert_int_equal(h->screen_fact[0], PS_RF_PARENT_NAME);
	assert_int_equal(h->screened[0], 0x1);
	assert_int_equal(h->always, 0x2);
	rules_free(&rs);
}

static void test_what_stays_with_the_consumer(void **state)
{
	struct ruleset rs;
	char long_path[300];

	(void)state;
	load(&rs, "path_unlink:\n  enabled: true\n  sandbox: {enabled: true}\n  rules:\n"
		  "    - rule: A\n      event: path == \"/etc/x\"\n"
		  "setuid:\n  enabled: true\n  rules:\n    - rule: B\n      event: uid == 0\n");
	assert_int_equal(k.hooks, 0);
	assert_string_equal(k.why[RH_PATH_UNLINK],
			    "the kernel has no enforcing program for this hook yet");
	assert_string_equal(k.why[RH_SETUID], "no sandbox");
	rules_free(&rs);
	memset(long_path, 'a', sizeof(long_path));
	long_path[0] = '/';
	long_path[299] = 0;
	{
		char yaml[1024];

		snprintf(yaml, sizeof(yaml), "bprm_check:\n  enabled: true\n  sandbox: {enabled: true}\n"
			 "  rules:\n    - rule: A\n      event: path == \"%s\"\n", long_path);
		load(&rs, yaml);
	}
	assert_int_equal(k.hooks, 0);
	assert_string_equal(k.why[RH_BPRM_CHECK], "a string of 256 bytes or more");
	rules_free(&rs);
}

/* The atom of prefix p in the trie entries, or NULL. */
static const struct rules_screen_pfx *pfx(const char *p)
{
	uint32_t i;

	for (i = 0; i < k.npfx; i++)
		if (k.pfx[i].key.prefixlen == (2 + strlen(p)) * 8 && !strcmp(k.pfx[i].key.s, p))
			return &k.pfx[i];
	return NULL;
}

static void compile(struct ruleset *rs, const char *yaml)
{
	memset(rs, 0, sizeof(*rs));
	if (rules_load_string(rs, "t.yaml", yaml, err, sizeof(err)))
		fail_msg("%s", err);
	rules_kernel_compile(rs, &k);
}

static void test_file_open_screens(void **state)
{
	const char *rules =
		"    - rule: W\n      event: (access_mode in [O_WRONLY, O_RDWR] OR creation_flags in [O_CREAT, O_TRUNC])"
		" AND path_prefix in [\"/etc/\", \"/etc/cron.d/\"]\n"
		"    - rule: R\n      event: path_prefix == \"/etc/cron\" OR name == \"id_rsa\"\n"
		"    - rule: N\n      event: NOT path == \"/x\"\n";
	char yaml[1024];
	struct ruleset rs;
	const struct ps_rule_hook *h;

	(void)state;
	/* Rules that only report stay with the consumer. */
	snprintf(yaml, sizeof(yaml), "file_open:\n  enabled: true\n  rules:\n%s", rules);
	compile(&rs, yaml);
	assert_int_equal(k.hooks, 0);
	rules_free(&rs);

	snprintf(yaml, sizeof(yaml), "file_open:\n  enabled: true\n"
		 "  sandbox: {enabled: true, deny_list: true}\n  rules:\n%s", rules);
	compile(&rs, yaml);
	assert_int_equal(k.hooks, 1u << PS_KH_FILE_OPEN);
	assert_null(k.why[RH_FILE_OPEN]);
	h = &k.hook[PS_KH_FILE_OPEN];
	assert_int_equal(h->flags, PS_RH_DENY_LIST);
	/* W: screened by what its OR needs, which no path walk is needed to test. */
	assert_int_equal(h->screen_fact[0], PS_RF_ACCESS_MODE);
	assert_int_equal(h->screened[0], 0x1);
	assert_int_equal(h->fscreen[0].fact, PS_RF_CREATION_FLAGS);
	assert_int_equal(h->fscreen[0].bits, 0100 | 01000);
	assert_int_equal(h->fscreen[0].rules, 0x1);
	/* R: both sides of its OR, a prefix and a name. */
	assert_int_equal(h->screen_fact[1], PS_RF_PATH);
	assert_int_equal(h->screen_kind[1], PS_RSK_PREFIX);
	assert_int_equal(h->screen_fact[2], PS_RF_NAME);
	assert_int_equal(h->screened[1], 0x2);
	assert_int_equal(h->screened[2], 0x2);
	/* N: a NOT has no atom. */
	assert_int_equal(h->always, 0x4);
	assert_non_null(pfx("/etc/cron"));
	assert_int_equal(pfx("/etc/cron")->rules, 0x2);
	rules_free(&rs);

	/* The trie finds the longest prefix: its entry carries the shorter ones' rules. */
	compile(&rs, "file_open:\n  enabled: true\n  sandbox: {enabled: true, deny_list: true}\n  rules:\n"
		     "    - rule: A\n      event: path_prefix == \"/etc/\"\n"
		     "    - rule: B\n      event: path_prefix in [\"/etc/cron.d/\", \"/var/\"]\n");
	assert_int_equal(k.npfx, 3);
	assert_int_equal(pfx("/etc/")->rules, 0x1);
	assert_int_equal(pfx("/etc/cron.d/")->rules, 0x3);
	assert_int_equal(pfx("/var/")->rules, 0x2);
	rules_free(&rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_open_screens),
		cmocka_unit_test(test_ops_and_strings),
		cmocka_unit_test(test_screens),
		cmocka_unit_test(test_what_stays_with_the_consumer),
	};

	return cmocka_run_group_tests_name("rules_kernel", tests, NULL, NULL);
}
