// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The rules front end: parsing, list and macro expansion, type-aware
 * folding (by the compiled form it prints), every load error with its
 * position, and evaluation with first-match and allow-list semantics.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rules/rules.h"

static char err[512];

static int load(struct ruleset *rs, const char *yaml)
{
	memset(rs, 0, sizeof(*rs));
	err[0] = 0;
	return rules_load_string(rs, "t.yaml", yaml, err, sizeof(err));
}

/* The folded event condition of the first rule of hook h. */
static char *event_text(const struct ruleset *rs, enum rule_hook h)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);

	rules_print_expr(f, rs->hooks[h].rules[0].event);
	fclose(f);
	return s;
}

static void folds_to(const char *hook_yaml, enum rule_hook h, const char *want)
{
	struct ruleset rs;
	char *got;

	if (load(&rs, hook_yaml))
		fail_msg("%s", err);
	got = event_text(&rs, h);
	assert_string_equal(got, want);
	free(got);
	rules_free(&rs);
}

static void fails_with(const char *yaml, const char *want)
{
	struct ruleset rs;

	assert_int_equal(load(&rs, yaml), -1);
	if (!strstr(err, want))
		fail_msg("error '%s' lacks '%s'", err, want);
	rules_free(&rs);
}

#define HOOK(h, ev) h ":\n  enabled: true\n  rules:\n    - rule: R\n      event: " ev "\n"

static void test_flags_and_prefixes_fold_by_type(void **state)
{
	(void)state;
	folds_to(HOOK("capset", "ecaps == CAP_SYS_ADMIN AND ecaps == CAP_NET_RAW"), RH_CAPSET,
		 "ecaps has all of CAP_NET_RAW|CAP_SYS_ADMIN");
	folds_to(HOOK("capset", "ecaps == CAP_SYS_ADMIN OR ecaps == CAP_NET_RAW"), RH_CAPSET,
		 "ecaps has any of CAP_NET_RAW|CAP_SYS_ADMIN");
	folds_to(HOOK("file_open", "path_prefix == \"/usr\" AND path_prefix == \"/usr/lib\""),
		 RH_FILE_OPEN, "path_prefix == \"/usr/lib\"");
	folds_to(HOOK("file_open", "path_prefix in [\"/usr\", \"/etc\"] AND path_prefix == \"/usr/lib/x\""),
		 RH_FILE_OPEN, "path_prefix == \"/usr/lib/x\"");
	folds_to(HOOK("file_open", "name == \"a\" OR name == \"b\" OR name == \"a\""), RH_FILE_OPEN,
		 "name in [\"a\", \"b\"]");
	folds_to(HOOK("setuid", "uid in [1, 2, 10] AND uid < 5"), RH_SETUID, "uid in [1, 2]");
	folds_to(HOOK("setuid", "uid in [1, 2] AND uid in [2, 3]"), RH_SETUID, "uid == 2");
	folds_to(HOOK("setuid", "NOT NOT uid == 0"), RH_SETUID, "uid == 0");
	folds_to(HOOK("socket_connect", "ipv4_dst == \"10.0.0.0/8\" AND ipv4_dst == \"10.1.2.3/16\""),
		 RH_SOCKET_CONNECT, "ipv4_dst == \"10.1.0.0/16\"");
	folds_to(HOOK("capset", "ecaps == ANY_CAPS"), RH_CAPSET,
		 "ecaps has any of CAP_CHOWN|CAP_DAC_OVERRIDE|CAP_DAC_READ_SEARCH|CAP_FOWNER|CAP_FSETID|"
		 "CAP_KILL|CAP_SETGID|CAP_SETUID|CAP_SETPCAP|CAP_LINUX_IMMUTABLE|CAP_NET_BIND_SERVICE|"
		 "CAP_NET_BROADCAST|CAP_NET_ADMIN|CAP_NET_RAW|CAP_IPC_LOCK|CAP_IPC_OWNER|CAP_SYS_MODULE|"
		 "CAP_SYS_RAWIO|CAP_SYS_CHROOT|CAP_SYS_PTRACE|CAP_SYS_PACCT|CAP_SYS_ADMIN|CAP_SYS_BOOT|"
		 "CAP_SYS_NICE|CAP_SYS_RESOURCE|CAP_SYS_TIME|CAP_SYS_TTY_CONFIG|CAP_MKNOD|CAP_LEASE|"
		 "CAP_AUDIT_WRITE|CAP_AUDIT_CONTROL|CAP_SETFCAP|CAP_MAC_OVERRIDE|CAP_MAC_ADMIN|CAP_SYSLOG|"
		 "CAP_WAKE_ALARM|CAP_BLOCK_SUSPEND|CAP_AUDIT_READ|CAP_PERFMON|CAP_BPF|"
		 "CAP_CHECKPOINT_RESTORE");
}

static void test_always_false_is_an_error(void **state)
{
	(void)state;
	fails_with(HOOK("setuid", "uid == 1 AND uid == 2"),
		   "t.yaml:5:27: always false: uid == 1 AND uid == 2 can never hold");
	fails_with(HOOK("file_open", "path_prefix == \"/usr\" AND path_prefix == \"/etc\""),
		   "always false");
	fails_with(HOOK("setuid", "uid > 5 AND uid < 3"), "always false");
	fails_with(HOOK("setuid", "uid in [1, 2] AND uid > 7"), "always false");
	fails_with(HOOK("socket_connect", "ipv4_dst == \"10.0.0.0/8\" AND ipv4_dst == \"192.168.0.0/16\""),
		   "always false");
}

static void test_errors_name_the_place(void **state)
{
	(void)state;
	fails_with("foo:\n  enabled: true\n", "t.yaml:1:1: unknown hook 'foo'");
	fails_with(HOOK("setuid", "colour == 1"), "t.yaml:5:14: unknown attribute 'colour'");
	fails_with(HOOK("setuid", "path == \"/x\""), "hook setuid has no event attribute 'path'");
	fails_with(HOOK("setuid", "uid == \"root\""), "uid takes a number, not a string");
	fails_with(HOOK("file_open", "name == 5"), "name takes a string, not a number");
	fails_with(HOOK("file_open", "name == sh"), "strings are quoted");
	fails_with(HOOK("file_open", "access_mode == O_BOGUS"), "unknown name \"O_BOGUS\"");
	fails_with(HOOK("file_open", "name < \"a\""), "only == != and in compare it");
	fails_with(HOOK("file_open", "name == \"a\" and name == \"b\""), "expected AND, OR or the end");
	fails_with(HOOK("file_open", "(name == \"a\""), "expected ')'");
	fails_with(HOOK("file_open", "name == \"a"), "unterminated string");
	fails_with(HOOK("file_open", "nosuch_macro"), "undefined macro 'nosuch_macro'");
	fails_with(HOOK("file_open", "name in nosuch"), "undefined list 'nosuch'");
	fails_with(HOOK("socket_connect", "ipv4_dst == \"10.0.0.0/33\""), "is not an IPv4 address");
	fails_with("setuid:\n  enabled: true\n  sandbox: {enabled: true}\n  bogus: 1\n",
		   "t.yaml:4:3: unknown key 'bogus' in a hook");
	fails_with("setuid:\n  enabled: yes please\n", "expected true or false");
	fails_with("prctl:\n  enabled: true\n  sandbox: {enabled: true}\n", "hook prctl has no sandbox");
	fails_with("setuid: [\n", "not valid YAML");
	fails_with(HOOK("setuid", "uid == 0") "    - rule: R\n      event: uid == 1\n",
		   "rule R is defined twice");
	fails_with(HOOK("setuid", "uid == 0") "setuid:\n  enabled: false\n", "duplicate key 'setuid'");
	fails_with("setuid:\n  rules:\n    - rule: R\n      severity: urgent\n", "severity 'urgent'");
	fails_with("setuid:\n  rules:\n    - rule: R\n      mitre: X12\n", "mitre 'X12'");
	fails_with("setuid:\n  rules:\n    - rule: \"R\\e[2J\"\n", "no control characters");
}

static void test_lists_and_macros_expand_one_level(void **state)
{
	(void)state;
	folds_to("lists:\n  - list: shells\n    items: [sh, bash]\n"
		 HOOK("bprm_check", "name in shells"), RH_BPRM_CHECK, "name in [\"sh\", \"bash\"]");
	/* A list's name inside a quoted string is the string. */
	folds_to("lists:\n  - list: shells\n    items: [sh, bash]\n"
		 HOOK("bprm_check", "name == \"shells\""), RH_BPRM_CHECK, "name == \"shells\"");
	folds_to("lists:\n  - list: tmp\n    items: [\"/tmp/\"]\n"
		 "macros:\n  - macro: from_tmp\n    condition: path_prefix in tmp\n"
		 HOOK("bprm_check", "from_tmp AND NOT name == \"x\""), RH_BPRM_CHECK,
		 "path_prefix == \"/tmp/\" AND NOT name == \"x\"");
	folds_to("lists:\n  - list: ids\n    items: [0, 7]\n" HOOK("setuid", "uid in ids"), RH_SETUID,
		 "uid in [0, 7]");
	fails_with("macros:\n  - macro: a\n    condition: uid == 0\n  - macro: b\n    condition: a\n"
		   HOOK("setuid", "b"), "macro 'a' used inside a macro: macros expand one level");
	fails_with("lists:\n  - list: a\n    items: [1]\n  - list: a\n    items: [2]\n",
		   "t.yaml:4:11: 'a' is defined twice");
	fails_with("lists:\n  - list: uid\n    items: [1]\n", "cannot name a list or macro");
}

static void test_limits(void **state)
{
	char *yaml = malloc(1 << 17), *p;
	int i;

	(void)state;
	p = yaml + sprintf(yaml, "setuid:\n  enabled: true\n  rules:\n");
	for (i = 0; i < 65; i++)
		p += sprintf(p, "    - rule: R%d\n      event: uid == %d\n", i, i);
	fails_with(yaml, "hook setuid has more than 64 rules");
	p = yaml + sprintf(yaml, HOOK("setuid", "uid in ["));
	p -= 1; /* the newline */
	for (i = 0; i < 257; i++)
		p += sprintf(p, "%s%d", i ? ", " : "", i);
	sprintf(p, "]\n");
	fails_with(yaml, "a list of more than 256 items");
	p = yaml + sprintf(yaml, HOOK("setuid", "uid == 0"));
	p -= 1;
	for (i = 0; i < 16; i++)
		p += sprintf(p, " AND NOT uid == %d", i + 1);
	sprintf(p, "\n");
	fails_with(yaml, "more than 32 operations");
	/* Nesting and length are bounded before folding: no stack or time exhaustion. */
	p = yaml + sprintf(yaml, HOOK("setuid", ""));
	p -= 1;
	for (i = 0; i < 100; i++)
		p += sprintf(p, "NOT ");
	sprintf(p, "uid == 0\n");
	fails_with(yaml, "nested more than 64 deep");
	p = yaml + sprintf(yaml, HOOK("setuid", "uid == 0"));
	p -= 1;
	for (i = 0; i < 5000; i++)
		p += sprintf(p, " OR uid == %d", i);
	sprintf(p, "\n");
	fails_with(yaml, "more than 4096 operations in one condition");
	free(yaml);
}

static struct rule_facts facts_uid(uint64_t uid, const char *bin)
{
	struct rule_facts f;

	f.present = f.args_present = 0;
	rules_fact_u(&f, RA_UID, uid);
	rules_fact_s(&f, RA_BINARY_PATH, bin);
	rules_fact_s(&f, RA_BINARY_PREFIX, bin);
	return f;
}

static void test_eval_first_match_and_sandbox(void **state)
{
	struct ruleset rs;
	struct rule_verdict v;
	struct rule_facts f;

	(void)state;
	assert_int_equal(load(&rs, "setuid:\n  enabled: true\n  rules:\n"
			      "    - rule: A\n      scope: binary_path == \"/bin/x\"\n      event: uid == 0\n"
			      "    - rule: B\n      event: uid < 1000\n"), 0);
	f = facts_uid(0, "/bin/x");
	assert_true(rules_eval(&rs, RH_SETUID, &f, &v));
	assert_string_equal(v.rule->name, "A");
	f = facts_uid(0, "/bin/y");
	assert_true(rules_eval(&rs, RH_SETUID, &f, &v));
	assert_string_equal(v.rule->name, "B");
	f = facts_uid(5000, "/bin/x");
	assert_false(rules_eval(&rs, RH_SETUID, &f, &v));
	/* A missing attribute: unknown, so a report rule does not match. */
	f = facts_uid(0, NULL);
	assert_true(rules_eval(&rs, RH_SETUID, &f, &v));
	assert_string_equal(v.rule->name, "B");
	assert_false(v.block);
	rules_free(&rs);

	/* Allow list: what the rule in scope allows is silent; the rest is refused; unknown fails closed. */
	assert_int_equal(load(&rs, "setuid:\n  enabled: true\n  sandbox: {enabled: true}\n  rules:\n"
			      "    - rule: OnlyNobody\n      scope: binary_prefix == \"/usr/\"\n"
			      "      event: uid == 65534\n"), 0);
	f = facts_uid(65534, "/usr/bin/su");
	assert_false(rules_eval(&rs, RH_SETUID, &f, &v));
	f = facts_uid(0, "/usr/bin/su");
	assert_true(rules_eval(&rs, RH_SETUID, &f, &v));
	assert_true(v.block);
	assert_false(v.unknown);
	f = facts_uid(0, "/opt/x");
	assert_false(rules_eval(&rs, RH_SETUID, &f, &v));
	f.present = 0;
	rules_fact_s(&f, RA_BINARY_PREFIX, "/usr/bin/su");
	assert_true(rules_eval(&rs, RH_SETUID, &f, &v));
	assert_true(v.block && v.unknown);
	rules_free(&rs);

	/* Enabled with no rules: every act. */
	assert_int_equal(load(&rs, "prctl:\n  enabled: true\n"), 0);
	f = facts_uid(0, NULL);
	assert_true(rules_eval(&rs, RH_PRCTL, &f, &v));
	assert_null(v.rule);
	assert_false(rules_eval(&rs, RH_SETUID, &f, &v));
	rules_free(&rs);
}

static void test_two_files_merge_but_not_one_hook(void **state)
{
	struct ruleset rs;

	(void)state;
	assert_int_equal(load(&rs, HOOK("setuid", "uid == 0")), 0);
	assert_int_equal(rules_load_string(&rs, "u.yaml", HOOK("setgid", "gid == 0"), err, sizeof(err)), 0);
	assert_string_equal(rs.files, "t.yaml,u.yaml");
	assert_int_equal(rules_count(&rs), 2);
	assert_int_equal(rules_load_string(&rs, "v.yaml", HOOK("setuid", "uid == 1"), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "v.yaml:1:1: hook setuid is already defined by another rules file"));
	rules_free(&rs);
}

static void test_default_policy_loads(void **state)
{
	struct ruleset rs = { 0 };

	(void)state;
	if (rules_load_default(&rs, err, sizeof(err)))
		fail_msg("%s", err);
	assert_true(rules_count(&rs) >= 25);
	assert_true(rs.hooks[RH_FILE_OPEN].enabled);
	/* Read-only prctl queries are not findings: the hook is off. */
	assert_false(rs.hooks[RH_PRCTL].enabled);
	for (int h = 0; h < RH__COUNT; h++)
		for (size_t i = 0; i < rs.hooks[h].nrules; i++) {
			assert_non_null(rs.hooks[h].rules[i].severity);
			assert_non_null(rs.hooks[h].rules[i].mitre);
		}
	rules_free(&rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flags_and_prefixes_fold_by_type),
		cmocka_unit_test(test_always_false_is_an_error),
		cmocka_unit_test(test_errors_name_the_place),
		cmocka_unit_test(test_lists_and_macros_expand_one_level),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_eval_first_match_and_sandbox),
		cmocka_unit_test(test_two_files_merge_but_not_one_hook),
		cmocka_unit_test(test_default_policy_loads),
	};

	return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}
