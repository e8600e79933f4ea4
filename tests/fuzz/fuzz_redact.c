// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * libFuzzer target for secret redaction.  The input is split at NUL bytes
 * into argv, which is redacted as argv and element by element as
 * environment entries, with the built-in rules alone and with user patterns.
 * Beyond "no crash, no sanitizer report", it checks what holds whatever the
 * rules are:
 *  - an output is its input with non-empty spans replaced by markers, and
 *    nothing else changed (so it is at most 9 bytes longer per marker);
 *  - redact_argv counts the entries that differ, and treats the first
 *    element as redact_env does (no context precedes it);
 *  - the built-in rules leave alone an argv in which no element holds any
 *    of = : - _ . / % @, an upper-case letter, "bearer", "pass", "dapi",
 *    "machine", "default", or is "mc": every rule needs one (a key, a
 *    token's prefix, a command whose operand is secret, a .netrc keyword).
 * The first element is also tried as a user pattern: when the bounded
 * matcher accepts it, its matches over the next elements must be those of
 * the C library's regexec (leaving out what ere.h reads differently:
 * escapes, '$' and '^' inside a pattern, newlines in the subject), for
 * short patterns with few '+' and '{' (regcomp copies the operand of each,
 * so t++++... takes it exponential memory).
 * Redacting twice is not checked: with quotes nested wrongly a second pass
 * may hide more, as a hidden quote no longer ends a value.
 */
#include <regex.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/ere.h"
#include "common/redact.h"

#define MAX_ARGS 256
#define MARK_LEN (sizeof(REDACT_MARK) - 1)

#define CHECK(cond, in, out) do {					\
	if (!(cond)) {							\
		fprintf(stderr, "check failed: %s\ninput:  \"%s\"\noutput: \"%s\"\n", \
			#cond, (in), (out));				\
		abort();						\
	}								\
} while (0)

static struct redactor *builtin, *user;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[256];

	(void)argc;
	(void)argv;
	builtin = redactor_new();
	user = redactor_new();
	if (!builtin || !user || redactor_add(user, "[0-9]{3,}|^x+y|q*", err, sizeof(err))) {
		fprintf(stderr, "cannot set up the redactors\n");
		abort();
	}
	return 0;
}

/* `out` is `in` with non-empty spans replaced by markers (greedy embedding). */
static bool is_redaction_of(const char *out, const char *in)
{
	const char *m = strstr(out, REDACT_MARK), *f;
	size_t inlen = strlen(in), pos, n;

	if (!m)
		return !strcmp(out, in);
	n = m - out;
	if (n > inlen || memcmp(out, in, n))
		return false;
	pos = n;
	for (out = m + MARK_LEN; (m = strstr(out, REDACT_MARK)); out = m + MARK_LEN) {
		n = m - out;
		if (pos >= inlen)
			return false;
		f = memmem(in + pos + 1, inlen - pos - 1, out, n);
		if (!f)
			return false;
		pos = f - in + n;
	}
	n = strlen(out);
	return pos + 1 + n <= inlen && !memcmp(in + inlen - n, out, n);
}

static size_t count_marks(const char *s)
{
	size_t n = 0;

	while ((s = strstr(s, REDACT_MARK))) {
		n++;
		s += MARK_LEN;
	}
	return n;
}

static void check_output(const char *in, const char *out)
{
	CHECK(is_redaction_of(out, in), in, out);
	CHECK(strlen(out) <= strlen(in) + (MARK_LEN - 1) * count_marks(out), in, out);
}

static bool has_trigger(const char *s)
{
	return strpbrk(s, "=:-_./%@ABCDEFGHIJKLMNOPQRSTUVWXYZ") || strcasestr(s, "bearer") ||
	       strstr(s, "pass") || strstr(s, "dapi") || strstr(s, "machine") ||
	       strstr(s, "default") || !strcmp(s, "mc");
}

#define MAX_SPANS 32

/* The matches as redaction finds them, resuming after each; -1 when out of budget. */
static int ere_spans(const struct ere *re, const char *s, size_t *out)
{
	struct ere_scratch *w = ere_scratch_new(ere_states(re));
	size_t len = strlen(s), off = 0, so, eo;
	unsigned long budget = 1ul << 28;
	int n = 0, ret = 0;

	if (!w)
		abort();
	while (off < len && n < 2 * MAX_SPANS) {
		ret = ere_search(re, w, s, len, off, &so, &eo, &budget);
		if (ret <= 0)
			break;
		out[n++] = so;
		out[n++] = eo;
		off = eo > so ? eo : so + 1;
	}
	ere_scratch_free(w);
	return ret < 0 ? -1 : n;
}

static int glibc_spans(const regex_t *re, const char *s, size_t *out)
{
	size_t len = strlen(s), off = 0;
	regmatch_t m;
	int n = 0;

	while (off < len && n < 2 * MAX_SPANS) {
		m.rm_so = off;
		m.rm_eo = len;
		if (regexec(re, s, 1, &m, REG_STARTEND))
			break;
		out[n++] = m.rm_so;
		out[n++] = m.rm_eo;
		off = m.rm_eo > m.rm_so ? (size_t)m.rm_eo : (size_t)m.rm_so + 1;
	}
	return n;
}

/* Patterns regcomp copes with: it copies the operand of each + and {}. */
static bool glibc_can(const char *pat)
{
	int copies = 0;

	if (strlen(pat) > 64)
		return false;
	for (; *pat; pat++)
		copies += *pat == '+' || *pat == '{';
	return copies <= 4;
}

/* The first element as a pattern, over the next few short elements. */
static void fuzz_pattern(char *const *in, int n)
{
	size_t a[2 * MAX_SPANS], b[2 * MAX_SPANS];
	struct ere *re;
	regex_t g;
	char why[128];
	int i, na, nb;

	if (ere_compile(in[0], &re, why, sizeof(why)))
		return;
	if (!glibc_can(in[0])) {
		/* still searched, for the sanitizers and the budget */
		for (i = 1; i < n && i < 5; i++)
			ere_spans(re, in[i], b);
		ere_free(re);
		return;
	}
	/* what the C library refuses, ere refuses too */
	CHECK(!regcomp(&g, in[0], REG_EXTENDED), in[0], "accepted");
	for (i = 1; i < n && i < 5; i++) {
		if (strlen(in[i]) > 64 || strchr(in[i], '\n') || strpbrk(in[0], "\\$^"))
			continue;
		na = glibc_spans(&g, in[i], a);
		nb = ere_spans(re, in[i], b);
		CHECK(nb == na && !memcmp(a, b, na * sizeof(*a)), in[0], in[i]);
	}
	regfree(&g);
	ere_free(re);
}

static char **copy_argv(char *const *src, int n)
{
	char **argv = calloc(n, sizeof(*argv));
	int i;

	if (!argv)
		abort();
	for (i = 0; i < n; i++) {
		argv[i] = strdup(src[i]);
		if (!argv[i])
			abort();
	}
	return argv;
}

static void free_argv(char **argv, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(argv[i]);
	free(argv);
}

static void fuzz_argv(const struct redactor *r, char *const *in, int n, bool triggers)
{
	char **argv = copy_argv(in, n), *env;
	int i, ret, changed = 0;

	ret = redact_argv(r, argv, n);
	for (i = 0; i < n; i++) {
		check_output(in[i], argv[i]);
		changed += strcmp(in[i], argv[i]) != 0;
		if (r == builtin && !triggers)
			CHECK(!strcmp(in[i], argv[i]), in[i], argv[i]);
	}
	/* the count is of entries that differ */
	CHECK(ret == changed, in[0], argv[0]);
	/* the first element has no context: as an environment entry */
	env = redact_env(r, in[0]);
	CHECK(!strcmp(env ? env : in[0], argv[0]), in[0], argv[0]);
	free(env);
	free_argv(argv, n);
}

static void fuzz_env(const struct redactor *r, const char *in)
{
	char *out = redact_env(r, in);

	if (!out)
		return;
	check_output(in, out);
	CHECK(strcmp(in, out), in, out);
	if (r == builtin)
		CHECK(has_trigger(in), in, out);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *argv[MAX_ARGS], *p;
	bool triggers = false;
	int n = 0, i;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (p = buf; p <= buf + size && n < MAX_ARGS; p += strlen(p) + 1) {
		argv[n++] = p;
		triggers |= has_trigger(p);
	}
	fuzz_argv(builtin, argv, n, triggers);
	fuzz_argv(user, argv, n, true);
	fuzz_pattern(argv, n);
	for (i = 0; i < n; i++) {
		fuzz_env(builtin, argv[i]);
		fuzz_env(user, argv[i]);
	}
	free(buf);
	return 0;
}
