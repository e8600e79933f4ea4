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
 *    of = : - _ . nor "bearer", "AKIA" or "ASIA": every rule needs one.
 * Redacting twice is not checked: with quotes nested wrongly a second pass
 * may hide more, as a hidden quote no longer ends a value.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
	return strpbrk(s, "=:-_.") || strcasestr(s, "bearer") || strstr(s, "AKIA") ||
	       strstr(s, "ASIA");
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
	for (i = 0; i < n; i++) {
		fuzz_env(builtin, argv[i]);
		fuzz_env(user, argv[i]);
	}
	free(buf);
	return 0;
}
