// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <string.h>

#include "bundle_esc.h"

/* Writes an escape for a control character at `s`; returns bytes consumed. */
static size_t put_control(FILE *f, const unsigned char *s)
{
	if (*s < 0x20 || *s == 0x7f) {
		fprintf(f, "\\x%02x", *s);
		return 1;
	}
	/* C1 controls in UTF-8 (U+0080..U+009F) act as escapes on some terminals. */
	if (*s == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f) {
		fprintf(f, "\\u%04x", s[1]);
		return 2;
	}
	return 0;
}

void esc_text(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	while (p && *p) {
		n = put_control(f, p);
		if (!n) {
			fputc(*p, f);
			n = 1;
		}
		p += n;
	}
}

void esc_md(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	while (p && *p) {
		n = put_control(f, p);
		if (n) {
			p += n;
			continue;
		}
		if (*p == '<')
			fputs("&lt;", f);
		else if (*p == '>')
			fputs("&gt;", f);
		else if (*p == '&')
			fputs("&amp;", f);
		else if (strchr("\\`*_[]|~", *p))
			fprintf(f, "\\%c", *p);
		else
			fputc(*p, f);
		p++;
	}
}

void esc_html(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	while (p && *p) {
		n = put_control(f, p);
		if (n) {
			p += n;
			continue;
		}
		switch (*p) {
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
			fputc(*p, f);
		}
		p++;
	}
}
