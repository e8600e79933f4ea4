// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The one rule for showing untrusted strings to a person (see esc.h), and its writers. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "output/esc.h"

size_t esc_utf8_len(const unsigned char *s, size_t avail)
{
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0 && s[0] >= 0xc2)
		n = 2;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3;
	else if ((s[0] & 0xf8) == 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (n > avail)
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if (n == 3 && ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0)))
		return 0; /* overlong, or a UTF-16 surrogate */
	if (n == 4 && ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90)))
		return 0; /* overlong, or over U+10FFFF */
	return n;
}

static uint32_t decode(const unsigned char *s, size_t n)
{
	static const unsigned char lead_mask[] = { 0, 0x7f, 0x1f, 0x0f, 0x07 };
	uint32_t cp = s[0] & lead_mask[n];
	size_t i;

	for (i = 1; i < n; i++)
		cp = cp << 6 | (s[i] & 0x3f);
	return cp;
}

/*
 * Characters that show as nothing, as something else, or act on the text
 * around them: C1 controls, Unicode's format characters (Cf: bidirectional
 * controls, zero-width characters, the BOM, tags), the other default-ignorable
 * code points (variation selectors, Hangul fillers, the combining grapheme
 * joiner), separators (Zl, Zp, and Zs but U+0020) and noncharacters.
 * Sorted, for the early exit.
 */
static const struct {
	uint32_t lo, hi;
} invisible[] = {
	{ 0x0080, 0x00a0 },   { 0x00ad, 0x00ad },   { 0x034f, 0x034f },   { 0x0600, 0x0605 },
	{ 0x061c, 0x061c },   { 0x06dd, 0x06dd },   { 0x070f, 0x070f },   { 0x0890, 0x0891 },
	{ 0x08e2, 0x08e2 },   { 0x115f, 0x1160 },   { 0x1680, 0x1680 },   { 0x17b4, 0x17b5 },
	{ 0x180b, 0x180f },   { 0x2000, 0x200f },   { 0x2028, 0x202f },   { 0x205f, 0x206f },
	{ 0x3000, 0x3000 },   { 0x3164, 0x3164 },   { 0xfdd0, 0xfdef },   { 0xfe00, 0xfe0f },
	{ 0xfeff, 0xfeff },   { 0xffa0, 0xffa0 },   { 0xfff0, 0xfffb },   { 0x110bd, 0x110bd },
	{ 0x110cd, 0x110cd }, { 0x13430, 0x1343f }, { 0x1bca0, 0x1bca3 }, { 0x1d173, 0x1d17a },
	{ 0xe0000, 0xe0fff },
};

static bool is_invisible(uint32_t cp)
{
	size_t i;

	if ((cp & 0xfffe) == 0xfffe)
		return true; /* U+FFFE, U+FFFF and their twins in every plane */
	for (i = 0; i < sizeof(invisible) / sizeof(invisible[0]) && cp >= invisible[i].lo; i++)
		if (cp <= invisible[i].hi)
			return true;
	return false;
}

size_t esc_next(const char *str, size_t avail, char tok[ESC_TOK_MAX])
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t cp;
	size_t n;

	tok[0] = '\0';
	if (*s == '\\') {
		memcpy(tok, "\\\\", 3);
		return 1;
	}
	if (*s >= 0x20 && *s < 0x7f)
		return 1;
	n = *s < 0x80 ? 0 : esc_utf8_len(s, avail);
	if (!n) {
		/* A control byte, or a byte that is not (part of) UTF-8. */
		snprintf(tok, ESC_TOK_MAX, "\\x%02x", *s);
		return 1;
	}
	cp = decode(s, n);
	if (is_invisible(cp))
		snprintf(tok, ESC_TOK_MAX, cp > 0xffff ? "\\U%08x" : "\\u%04x", (unsigned int)cp);
	return n;
}

void esc_walk(const char *s, size_t len, const struct esc_sink *k, void *ctx)
{
	char tok[ESC_TOK_MAX];
	size_t i = 0, run = 0, n;

	while (i < len) {
		n = esc_next(s + i, len - i, tok);
		if (tok[0]) {
			k->plain(ctx, s + run, i - run);
			k->token(ctx, tok);
			run = i + n;
		}
		i += n;
	}
	k->plain(ctx, s + run, i - run);
}

static void walk(FILE *f, const char *s, const struct esc_sink *k)
{
	esc_walk(s ? s : "", s ? strlen(s) : 0, k, f);
}

static void plain_raw(void *ctx, const char *s, size_t n)
{
	FILE *f = ctx;

	fwrite(s, 1, n, f);
}

static void token_raw(void *ctx, const char *tok)
{
	FILE *f = ctx;

	fputs(tok, f);
}

void esc_text(FILE *f, const char *s)
{
	static const struct esc_sink k = { plain_raw, token_raw };

	walk(f, s, &k);
}

struct bounded {
	char *buf;
	size_t room, off;       /* room: bytes for text, leaving 4 for "..." and NUL */
	bool full;
};

/* Whole pieces only: an escape is never cut in two. */
static void plain_buf(void *ctx, const char *s, size_t n)
{
	struct bounded *b = ctx;

	if (b->full || b->off + n > b->room) {
		b->full = true;
		return;
	}
	memcpy(b->buf + b->off, s, n);
	b->off += n;
}

static void token_buf(void *ctx, const char *tok)
{
	plain_buf(ctx, tok, strlen(tok));
}

void esc_text_buf(char *buf, size_t len, const char *s)
{
	static const struct esc_sink k = { plain_buf, token_buf };
	struct bounded b = { .buf = buf, .room = len > 4 ? len - 4 : 0 };
	size_t i = 0, n, total = s ? strlen(s) : 0;
	char tok[ESC_TOK_MAX];

	if (!len)
		return;
	/* Character by character, so a cut never splits a UTF-8 sequence. */
	while (i < total && !b.full) {
		n = esc_next(s + i, total - i, tok);
		esc_walk(s + i, n, &k, &b);
		if (!b.full)
			i += n;
	}
	if (b.full && len >= 4) {
		memcpy(buf + b.off, "...", 3);
		b.off += 3;
	}
	buf[b.off < len ? b.off : len - 1] = '\0';
}

static void plain_md(void *ctx, const char *s, size_t n)
{
	FILE *f = ctx;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '<')
			fputs("&lt;", f);
		else if (s[i] == '>')
			fputs("&gt;", f);
		else if (s[i] == '&')
			fputs("&amp;", f);
		else if (strchr("`*_[]|~", s[i]))
			fprintf(f, "\\%c", s[i]);
		else
			fputc(s[i], f);
	}
}

/*
 * \x, \u and \U are no Markdown escapes and render as written; the
 * backslash escape must itself be escaped to render as two backslashes.
 */
static void token_md(void *ctx, const char *tok)
{
	FILE *f = ctx;

	fputs(strcmp(tok, "\\\\") ? tok : "\\\\\\\\", f);
}

void esc_md(FILE *f, const char *s)
{
	static const struct esc_sink k = { plain_md, token_md };

	walk(f, s, &k);
}

static void plain_html(void *ctx, const char *s, size_t n)
{
	FILE *f = ctx;
	size_t i;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			fputc(s[i], f);
		}
	}
}

/* Escapes are printable ASCII without & < > " ': safe in any HTML context as they are. */
static void token_html(void *ctx, const char *tok)
{
	FILE *f = ctx;

	fprintf(f, "<span class=\"esc\">%s</span>", tok);
}

void esc_html(FILE *f, const char *s)
{
	static const struct esc_sink k = { plain_html, token_html };

	walk(f, s, &k);
}

void esc_html_plain(FILE *f, const char *s)
{
	static const struct esc_sink k = { plain_html, token_raw };

	walk(f, s, &k);
}
