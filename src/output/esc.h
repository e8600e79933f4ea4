/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * How an untrusted string (everything in an event came from the traced
 * program) is shown to a person: one rule, esc_next(), for the live
 * timeline, the text and Markdown summaries, process-tree.txt, report.html
 * and verify's messages.  JSON outputs are not shown this way: JSON escaping
 * keeps their data exact.
 *
 * The rule: a byte or character a reader could not see, or could mistake for
 * something else, is written as an escape made of printable ASCII:
 *
 *   \\          a backslash itself, so no name can forge an escape
 *   \xNN        C0 controls and DEL (one byte), and each byte that is not
 *               part of valid shortest-form UTF-8 (overlong forms,
 *               surrogates, code points over U+10FFFF, cut sequences)
 *   \uNNNN      C1 controls, bidirectional controls (U+061C, U+200E,
 *   \UNNNNNNNN  U+200F, U+202A..U+202E, U+2066..U+2069), zero-width and
 *               other invisible or format characters (U+00AD, U+200B..U+200D,
 *               U+2060..U+2064, U+FEFF, variation selectors, tags...),
 *               line and paragraph separators, spaces other than U+0020,
 *               and noncharacters
 *
 * Everything else (printable ASCII but the backslash, visible UTF-8) is
 * shown as it is.
 */
#ifndef PS_ESC_H
#define PS_ESC_H

#include <stddef.h>
#include <stdio.h>

/* The longest escape, "\U0010ffff", and its NUL. */
#define ESC_TOK_MAX 12

/* Length of the valid shortest-form UTF-8 sequence at s (at most avail bytes), or 0. */
size_t esc_utf8_len(const unsigned char *s, size_t avail);

/*
 * Look at the start of s (avail >= 1 bytes): returns how many bytes the next
 * character covers, and sets tok to "" when they are shown as they are, or
 * to the escape that replaces them.
 */
size_t esc_next(const char *s, size_t avail, char tok[ESC_TOK_MAX]);

/* A writer of escaped text: the runs shown as they are, and the escapes. */
struct esc_sink {
	void (*plain)(void *ctx, const char *s, size_t n);
	void (*token)(void *ctx, const char *tok);
};

/* Apply esc_next() to s[0..len), handing each part to the sink. */
void esc_walk(const char *s, size_t len, const struct esc_sink *k, void *ctx);

/* For a terminal or a text file. */
void esc_text(FILE *f, const char *s);
/* esc_text into buf (len bytes, NUL-terminated), cut at a character marked "...". */
void esc_text_buf(char *buf, size_t len, const char *s);
/*
 * For Markdown: as esc_text, plus the characters that format inline
 * Markdown or end a table cell backslash-escaped and < > & as entities, so
 * that rendered it reads as esc_text does.  Callers never start a line with
 * a value, so line-start markers (#, -, 1.) need no escape.
 */
void esc_md(FILE *f, const char *s);
/* For HTML element content: & < > " ' as entities, escapes in <span class="esc">. */
void esc_html(FILE *f, const char *s);
/*
 * For HTML attribute values and text-only elements (<title>, and anything
 * inside <svg>, where a <span> would end the SVG): the escapes as plain text.
 */
void esc_html_plain(FILE *f, const char *s);

#endif
