/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Escaping of untrusted strings (everything in an event came from the traced
 * program) for each place the bundle shows them: a terminal or text file,
 * Markdown, and HTML (text and attribute values alike).
 */
#ifndef PS_BUNDLE_ESC_H
#define PS_BUNDLE_ESC_H

#include <stdio.h>

/* Control characters (C0, DEL, C1) as \xNN or \u00NN: no terminal escapes. */
void esc_text(FILE *f, const char *s);
/*
 * esc_text, plus the characters that format inline Markdown or end a table
 * cell backslash-escaped and < > & as entities.  Callers never start a line
 * with a value, so line-start markers (#, -, 1.) need no escape.
 */
void esc_md(FILE *f, const char *s);
/* & < > " ' as entities and control characters as visible escapes. */
void esc_html(FILE *f, const char *s);

#endif
