// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The one rule for showing untrusted text to a person, and each writer of it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "output/esc.h"
#include "output/out.h"

typedef void (*esc_fn)(FILE *f, const char *s);

static char *escaped(esc_fn fn, const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	fn(f, s);
	fclose(f);
	return buf;
}

static void expect(esc_fn fn, const char *in, const char *want)
{
	char *s = escaped(fn, in);

	if (strcmp(s, want))
		fail_msg("escaping \"%s\": got \"%s\", want \"%s\"", in, s, want);
	free(s);
}

/* UTF-8 of one code point (no checks: the tests also build invalid forms by hand). */
static size_t utf8(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = 0xc0 | cp >> 6;
		out[1] = 0x80 | (cp & 0x3f);
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = 0xe0 | cp >> 12;
		out[1] = 0x80 | (cp >> 6 & 0x3f);
		out[2] = 0x80 | (cp & 0x3f);
		return 3;
	}
	out[0] = 0xf0 | cp >> 18;
	out[1] = 0x80 | (cp >> 12 & 0x3f);
	out[2] = 0x80 | (cp >> 6 & 0x3f);
	out[3] = 0x80 | (cp & 0x3f);
	return 4;
}

static void expect_cp(uint32_t cp, bool escaped_form)
{
	char in[8] = { 0 }, want[16];

	utf8(cp, in);
	if (escaped_form)
		snprintf(want, sizeof(want), cp > 0xffff ? "\\U%08x" : "\\u%04x", (unsigned int)cp);
	else
		snprintf(want, sizeof(want), "%s", in);
	expect(esc_text, in, want);
}

static void test_controls_and_backslash(void **state)
{
	char in[2] = { 0 }, want[8];
	uint32_t cp;
	int c;

	(void)state;
	for (c = 1; c < 0x20; c++) {
		in[0] = c;
		snprintf(want, sizeof(want), "\\x%02x", c);
		expect(esc_text, in, want);
	}
	expect(esc_text, "\x7f", "\\x7f");
	for (cp = 0x80; cp <= 0x9f; cp++)
		expect_cp(cp, true);   /* C1: 0x9b is CSI on some terminals */
	/* A backslash is escaped itself, so a name cannot pass for an escape. */
	expect(esc_text, "\\", "\\\\");
	expect(esc_text, "a\\x1bb", "a\\\\x1bb");
	expect(esc_text, "a\033b", "a\\x1bb");
	expect(esc_text, "\\u202e", "\\\\u202e");
	expect(esc_text, "plain ASCII ~!@#$%^&*()_+{}|:\"<>?", "plain ASCII ~!@#$%^&*()_+{}|:\"<>?");
}

static void test_invisible_characters(void **state)
{
	static const uint32_t shown_escaped[] = {
		/* bidirectional controls */
		0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e,
		0x2066, 0x2067, 0x2068, 0x2069,
		/* zero-width and other format characters */
		0x200b, 0x200c, 0x200d, 0x2060, 0x2061, 0x2064, 0xfeff, 0x00ad, 0x180e,
		0x0600, 0x06dd, 0x070f, 0xfff9, 0xfffb, 0x110bd, 0x1d173, 0xe0001, 0xe0041, 0xe007f,
		/* default-ignorable: variation selectors, fillers, the grapheme joiner */
		0x034f, 0xfe00, 0xfe0f, 0xe0100, 0xe01ef, 0x115f, 0x3164, 0xffa0,
		/* separators: line, paragraph, and spaces other than U+0020 */
		0x2028, 0x2029, 0x00a0, 0x1680, 0x2000, 0x200a, 0x202f, 0x205f, 0x3000,
		/* noncharacters */
		0xfdd0, 0xfdef, 0xfffe, 0xffff, 0x1fffe, 0x10ffff,
	};
	static const uint32_t shown_as_is[] = {
		0x00a1, 0x00e9, 0x0394, 0x05d0, 0x0627, 0x2010, 0x2030, 0x20ac, 0x2190, 0x3042,
		0x4e2d, 0xfb01, 0xfffd, 0x1f600, 0x10000, 0x2070e,
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(shown_escaped) / sizeof(shown_escaped[0]); i++)
		expect_cp(shown_escaped[i], true);
	for (i = 0; i < sizeof(shown_as_is) / sizeof(shown_as_is[0]); i++)
		expect_cp(shown_as_is[i], false);
	/* The classic: a name that reads "rloexe.jpg" in a bidi-aware viewer. */
	expect(esc_text, "rlo\xe2\x80\xaegpj.exe", "rlo\\u202egpj.exe");
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	expect(esc_text, "\xff", "\\xff");
	expect(esc_text, "a\x80z", "a\\x80z");                     /* a lone continuation byte */
	expect(esc_text, "\xe2\x80", "\\xe2\\x80");                 /* cut short at the end */
	expect(esc_text, "\xe2\x80z", "\\xe2\\x80z");               /* cut short before ASCII */
	expect(esc_text, "\xc0\xaf", "\\xc0\\xaf");                 /* overlong '/' */
	expect(esc_text, "\xc1\xbf", "\\xc1\\xbf");
	expect(esc_text, "\xe0\x80\xaf", "\\xe0\\x80\\xaf");        /* overlong, 3 bytes */
	expect(esc_text, "\xe0\x9f\xbf", "\\xe0\\x9f\\xbf");
	expect(esc_text, "\xf0\x80\x80\xaf", "\\xf0\\x80\\x80\\xaf"); /* overlong, 4 bytes */
	expect(esc_text, "\xf0\x8f\xbf\xbf", "\\xf0\\x8f\\xbf\\xbf");
	expect(esc_text, "\xed\xa0\x80", "\\xed\\xa0\\x80");        /* a UTF-16 surrogate */
	expect(esc_text, "\xed\xbf\xbf", "\\xed\\xbf\\xbf");
	expect(esc_text, "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"); /* over U+10FFFF */
	expect(esc_text, "\xf5\x80\x80\x80", "\\xf5\\x80\\x80\\x80");
	expect(esc_text, "\xfe\xff", "\\xfe\\xff");
	/* An overlong form of a bidi override is no override, but no text either. */
	expect(esc_text, "\xf0\x82\x80\xae", "\\xf0\\x82\\x80\\xae");
	/* Shortest forms around the edges pass. */
	expect(esc_text, "\xc2\xa1\xe0\xa0\x80\xf0\x90\x80\x80\xf4\x8f\xbf\xbd",
	       "\xc2\xa1\xe0\xa0\x80\xf0\x90\x80\x80\xf4\x8f\xbf\xbd");
}

/* Whatever the input, the output holds no control byte and only valid UTF-8. */
static void test_every_code_point(void **state)
{
	char in[8], tok[ESC_TOK_MAX];
	uint32_t cp;
	size_t n, i;

	(void)state;
	for (cp = 1; cp <= 0x10ffff; cp++) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		n = utf8(cp, in);
		assert_int_equal(esc_next(in, n, tok), n);
		for (i = 0; tok[i]; i++)
			assert_true(tok[i] > 0x20 && tok[i] < 0x7f);
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == '\\')
			assert_true(tok[0] == '\\');
	}
	for (i = 0x80; i <= 0xff; i++) {
		in[0] = i;
		assert_int_equal(esc_next(in, 1, tok), 1);
		assert_true(tok[0] == '\\' && tok[1] == 'x');
	}
}

static void test_markdown(void **state)
{
	(void)state;
	expect(esc_md, "a|b *c* [l](u) <x> _y_ `z` ~w~ &", "a\\|b \\*c\\* \\[l\\](u) &lt;x&gt; \\_y\\_ \\`z\\` \\~w\\~ &amp;");
	expect(esc_md, "caf\xc3\xa9", "caf\xc3\xa9");
	/* Rendered, both read as esc_text writes them: \u202e and \\x1b. */
	expect(esc_md, "rlo\xe2\x80\xaegpj.exe", "rlo\\u202egpj.exe");
	expect(esc_md, "a\\x1b", "a\\\\\\\\x1b");
	expect(esc_md, "a\033b", "a\\x1bb");
}

static void test_html(void **state)
{
	(void)state;
	expect(esc_html, "</script><img src=x onerror=alert(1)>\"'&",
	       "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;");
	expect(esc_html, "a\033[31mb\nc",
	       "a<span class=\"esc\">\\x1b</span>[31mb<span class=\"esc\">\\x0a</span>c");
	expect(esc_html, "rlo\xe2\x80\xaegpj.exe", "rlo<span class=\"esc\">\\u202e</span>gpj.exe");
	expect(esc_html, "a\\b", "a<span class=\"esc\">\\\\</span>b");
	/* Attributes and text-only elements: the same escapes, no markup. */
	expect(esc_html_plain, "rlo\xe2\x80\xae<\"", "rlo\\u202e&lt;&quot;");
}

static void test_bounded(void **state)
{
	char buf[12];

	(void)state;
	esc_text_buf(buf, sizeof(buf), "ab\033c");
	assert_string_equal(buf, "ab\\x1bc");
	/* Cut between escapes, never inside one, and marked. */
	esc_text_buf(buf, sizeof(buf), "abcd\033\033\033");
	assert_string_equal(buf, "abcd\\x1b...");
	esc_text_buf(buf, sizeof(buf), "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac");
	assert_string_equal(buf, "\xe2\x82\xac\xe2\x82\xac...");
	esc_text_buf(buf, sizeof(buf), NULL);
	assert_string_equal(buf, "");
}

/* The live timeline uses the same rule. */
static void test_timeline_shares_the_rule(void **state)
{
	const char in[] = "x\033\\\xe2\x80\xae\xff\xc3\xa9";
	char *file = escaped(esc_text, in);
	struct out o;

	(void)state;
	out_init(&o, OUT_TEXT);
	out_text_escape(&o, in, sizeof(in) - 1);
	assert_string_equal(o.buf, file);
	assert_string_equal(o.buf, "x\\x1b\\\\\\u202e\\xff\xc3\xa9");
	out_free(&o);
	free(file);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_controls_and_backslash),
		cmocka_unit_test(test_invisible_characters),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_every_code_point),
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_timeline_shares_the_rule),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
