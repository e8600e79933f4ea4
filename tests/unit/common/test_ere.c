// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The bounded matcher for --redact patterns against the C library's
 * regexec, which it replaces: every match of each pattern over each
 * subject must be the same.  The subjects avoid the C library's quirks
 * (a '$' before a newline-consuming atom, word assertions right at a
 * search's starting offset), where ere.h documents its own reading.
 */
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/ere.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_SPANS 64

/* Every match as the redaction loop finds them: [so, eo) pairs, resuming after each. */
static int glibc_spans(const char *pat, const char *s, size_t *out)
{
	size_t len = strlen(s), off = 0;
	regmatch_t m;
	regex_t re;
	int n = 0;

	assert_int_equal(regcomp(&re, pat, REG_EXTENDED), 0);
	while (off < len && n < 2 * MAX_SPANS) {
		m.rm_so = off;
		m.rm_eo = len;
		if (regexec(&re, s, 1, &m, REG_STARTEND))
			break;
		out[n++] = m.rm_so;
		out[n++] = m.rm_eo;
		off = m.rm_eo > m.rm_so ? (size_t)m.rm_eo : (size_t)m.rm_so + 1;
	}
	regfree(&re);
	return n;
}

static int ere_spans(const char *pat, const char *s, size_t *out)
{
	size_t len = strlen(s), off = 0, so, eo;
	unsigned long budget = 1ul << 30;
	struct ere_scratch *w;
	struct ere *re;
	char why[128];
	int n = 0, ret;

	assert_int_equal(ere_compile(pat, &re, why, sizeof(why)), ERE_OK);
	w = ere_scratch_new(ere_states(re));
	assert_non_null(w);
	while (off < len && n < 2 * MAX_SPANS) {
		ret = ere_search(re, w, s, len, off, &so, &eo, &budget);
		assert_true(ret >= 0);
		if (!ret)
			break;
		out[n++] = so;
		out[n++] = eo;
		off = eo > so ? eo : so + 1;
	}
	ere_scratch_free(w);
	ere_free(re);
	return n;
}

static void same_as_glibc(const char *pat, const char *s)
{
	size_t a[2 * MAX_SPANS], b[2 * MAX_SPANS];
	int na = glibc_spans(pat, s, a), nb = ere_spans(pat, s, b), i;

	if (na != nb || memcmp(a, b, na * sizeof(*a))) {
		fprintf(stderr, "/%s/ on \"%s\":\n  C library:", pat, s);
		for (i = 0; i < na; i += 2)
			fprintf(stderr, " [%zu,%zu)", a[i], a[i + 1]);
		fprintf(stderr, "\n  ere:      ");
		for (i = 0; i < nb; i += 2)
			fprintf(stderr, " [%zu,%zu)", b[i], b[i + 1]);
		fprintf(stderr, "\n");
		fail();
	}
}

static void test_like_glibc(void **state)
{
	static const char *const patterns[] = {
		"a", "abc", "a*", "a+", "a?b", "a|b", "ab|cd", "(ab)+", "(a|ab)(c|bcd)(d*)",
		"a{2}", "a{2,}", "a{,2}", "a{1,3}b", "(a{1,2}){2}", "x{0}y", "()", "(|a)b",
		"a**", "(a*)*b", "(a+)+b", "(a|aa)*c", "a|a*c", ".", ".*", "a.c", "[abc]+",
		"[^abc]+", "[a-c]+x", "[]a]+", "[^]a]", "[a-]+", "[--/]", "[[:digit:]]+",
		"[[:alpha:][:digit:]_]+", "[[:space:]]+", "[[:upper:]][[:lower:]]*",
		"[[:punct:]]", "[[.-.]a]+", "[[=a=]]", "\\.", "a\\*", "\\w+", "\\W+", "\\s+",
		"\\S+", "^a", "a$", "^$", "^a|b$", "(^a|b)c", "\\bfoo\\b", "\\<ab", "ab\\>",
		"\\Bb", "\\`a", "c\\'", "s3cr[0-9]+", "customer-[0-9]+", "[A-Za-z0-9]{8}",
		"(foo|foobar)(bar)?", "a)", "x|", "|x", "(a|b)*a(a|b){3}", "\xc3\xa9+",
	};
	static const char *const subjects[] = {
		"", "a", "aaa", "ab", "abcd", "abcbcd", "xaaby", "foobar foo bar", "a1b2 c3",
		"s3cr123 and s3cr9", "customer-4711,customer-", "AbcDef ghi", "-./a]b",
		"x y\tz", "aaaaaaaaaac", "abababab", "caac", "\xc3\xa9\xc3\xa9x", "a.b*c",
		"id=ABCDEFGH12 x", "(a)",
	};
	size_t i, j;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(patterns); i++)
		for (j = 0; j < ARRAY_SIZE(subjects); j++)
			same_as_glibc(patterns[i], subjects[j]);
}

static void refused(const char *pat, enum ere_error code, const char *why)
{
	struct ere *re = (struct ere *)1;
	char got[128];

	assert_int_equal(ere_compile(pat, &re, got, sizeof(got)), code);
	assert_null(re);
	assert_string_equal(got, why);
}

/* What the C library refuses is refused, with its reason. */
static void test_syntax_errors(void **state)
{
	(void)state;
	refused("a(", ERE_ESYNTAX, "Unmatched ( or \\(");
	refused("[a", ERE_ESYNTAX, "Unmatched [, [^, [:, [., or [=");
	refused("[]", ERE_ESYNTAX, "Unmatched [, [^, [:, [., or [=");
	refused("[z-a]", ERE_ESYNTAX, "Invalid range end");
	refused("[a-c-e]", ERE_ESYNTAX, "Invalid range end");
	refused("[[:foo:]]", ERE_ESYNTAX, "Invalid character class name");
	refused("[[.ab.]]", ERE_ESYNTAX, "Invalid collation character");
	refused("a\\", ERE_ESYNTAX, "Trailing backslash");
	refused("*a", ERE_ESYNTAX, "Invalid preceding regular expression");
	refused("a|*b", ERE_ESYNTAX, "Invalid preceding regular expression");
	refused("^*", ERE_ESYNTAX, "Invalid preceding regular expression");
	refused("a{2,1}", ERE_ESYNTAX, "Invalid content of \\{\\}");
	refused("a{}", ERE_ESYNTAX, "Invalid content of \\{\\}");
	refused("a{1", ERE_ESYNTAX, "Unmatched \\{");
	refused("a{32768}", ERE_ESYNTAX, "Regular expression too big");
	refused("(a)\\1", ERE_EBACKREF, "a back-reference");
	refused("(a*)*\\1\\1\\1b", ERE_EBACKREF, "a back-reference");
	/* sized before it is built: refusing costs nothing */
	refused("(a{1,1000}){1,1000}", ERE_ESIZE, "its repetitions expand to more than 2000 states");
	refused("a{1,32767}", ERE_ESIZE, "its repetitions expand to more than 2000 states");
}

static void test_too_long(void **state)
{
	char pat[ERE_MAX_LEN + 2];
	struct ere *re;
	char why[128];

	(void)state;
	memset(pat, 'a', sizeof(pat) - 1);
	pat[sizeof(pat) - 1] = '\0';
	assert_int_equal(ere_compile(pat, &re, why, sizeof(why)), ERE_ESIZE);
	assert_string_equal(why, "it is longer than 1024 bytes");
	pat[ERE_MAX_LEN] = '\0';
	assert_int_equal(ere_compile(pat, &re, why, sizeof(why)), ERE_OK);
	ere_free(re);
}

/* Each state visited takes one from the budget; at zero the search gives up. */
static void test_budget(void **state)
{
	const char *s = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaab";
	size_t so, eo;
	unsigned long budget = 10;
	struct ere_scratch *w;
	struct ere *re;
	char why[128];

	(void)state;
	assert_int_equal(ere_compile("(a|aa)+b", &re, why, sizeof(why)), ERE_OK);
	w = ere_scratch_new(ere_states(re));
	assert_non_null(w);
	assert_int_equal(ere_search(re, w, s, strlen(s), 0, &so, &eo, &budget), -1);
	assert_int_equal(budget, 0);
	budget = 100000;
	assert_int_equal(ere_search(re, w, s, strlen(s), 0, &so, &eo, &budget), 1);
	assert_int_equal(so, 0);
	assert_int_equal(eo, strlen(s));
	assert_true(budget < 100000);
	ere_scratch_free(w);
	ere_free(re);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_like_glibc),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_budget),
	};

	return cmocka_run_group_tests_name("ere", tests, NULL, NULL);
}
