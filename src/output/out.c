// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/esc.h"
#include "output/out.h"

void out_init(struct out *o, enum out_mode mode)
{
	memset(o, 0, sizeof(*o));
	o->mode = mode;
	o->first[0] = true;
}

void out_free(struct out *o)
{
	free(o->buf);
	o->buf = NULL;
	o->len = o->cap = 0;
}

void out_reset(struct out *o)
{
	o->len = 0;
	o->depth = 0;
	o->first[0] = true;
	o->in_array[0] = false;
	o->failed = false;
	if (o->buf)
		o->buf[0] = '\0';
}

static bool reserve(struct out *o, size_t n)
{
	size_t cap = o->cap ? o->cap : 4096;
	char *p;

	if (o->len + n + 1 <= o->cap)
		return true;
	while (cap < o->len + n + 1)
		cap *= 2;
	p = realloc(o->buf, cap);
	if (!p) {
		o->failed = true;
		return false;
	}
	o->buf = p;
	o->cap = cap;
	return true;
}

/* Every event goes through here many times: the common case is inline. */
static inline void put(struct out *o, const char *s, size_t n)
{
	if (o->len + n + 1 > o->cap && !reserve(o, n))
		return;
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

/* Decimal digits of v, written backwards ending at `end`; returns the start. */
static char *utoa_rev(unsigned long long v, char *end)
{
	do {
		*--end = '0' + v % 10;
		v /= 10;
	} while (v);
	return end;
}

size_t out_u64_str(char *buf, unsigned long long v)
{
	char tmp[24], *end = tmp + sizeof(tmp), *p = utoa_rev(v, end);

	memcpy(buf, p, end - p);
	buf[end - p] = '\0';
	return end - p;
}

static void put_uint(struct out *o, unsigned long long v)
{
	char buf[24], *end = buf + sizeof(buf), *p = utoa_rev(v, end);

	put(o, p, end - p);
}

static void put_int(struct out *o, long long v)
{
	char buf[24], *end = buf + sizeof(buf), *p;

	/* The magnitude as unsigned: -LLONG_MIN does not fit a long long. */
	p = utoa_rev(v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, end);
	if (v < 0)
		*--p = '-';
	put(o, p, end - p);
}

static void putc_(struct out *o, char c)
{
	put(o, &c, 1);
}

/* Does s[0..len) contain any of `set`? */
static bool strpbrk_n(const char *s, size_t len, const char *set)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] && strchr(set, s[i]))
			return true;
	return false;
}

void out_raw(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !reserve(o, n))
		return;
	va_start(ap, fmt);
	vsnprintf(o->buf + o->len, n + 1, fmt, ap);
	va_end(ap);
	o->len += n;
}

/* Printable ASCII other than '"' and '\\': copied to JSON as it is. */
static inline bool json_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

void out_json_escape(struct out *o, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	char esc[8];
	size_t i = 0, n, run;

	while (i < len) {
		unsigned char c = p[i];

		/* Paths and names are mostly plain ASCII: copy such runs at once. */
		for (run = i; run < len && json_plain(p[run]); run++)
			;
		if (run > i) {
			put(o, s + i, run - i);
			i = run;
			continue;
		}
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = c;
			put(o, esc, 2);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			put(o, esc, 6);
			i++;
		} else if ((n = esc_utf8_len(p + i, len - i))) {
			put(o, s + i, n);
			i += n;
		} else {
			/* Not UTF-8: keep the byte visible and the JSON valid. */
			snprintf(esc, sizeof(esc), "\\\\x%02x", c);
			put(o, esc, 5);
			i++;
		}
	}
}

static void put_plain(void *o, const char *s, size_t n)
{
	put(o, s, n);
}

static void put_token(void *o, const char *tok)
{
	put(o, tok, strlen(tok));
}

/* The live timeline shows untrusted text by the one rule of esc.h. */
void out_text_escape(struct out *o, const char *s, size_t len)
{
	static const struct esc_sink k = { put_plain, put_token };

	esc_walk(s, len, &k, o);
}

/* A timeline value, quoted when it holds what separates values. */
static void text_value(struct out *o, const char *s, size_t len)
{
	bool quote = len == 0 || strpbrk_n(s, len, " \",[]=");
	size_t i, start = 0;

	if (!quote) {
		out_text_escape(o, s, len);
		return;
	}
	putc_(o, '"');
	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '"')
			continue;
		out_text_escape(o, s + start, i - start);
		if (i < len)
			put(o, "\\x22", 4);
		start = i + 1;
	}
	putc_(o, '"');
}

/* Separator and key before a value. */
static void key(struct out *o, const char *k)
{
	int d = o->depth;

	if (o->mode == OUT_TEXT) {
		if (o->in_array[d]) {
			if (!o->first[d])
				putc_(o, ',');
		} else if (k) {
			putc_(o, ' ');
			put(o, k, strlen(k));
			putc_(o, '=');
		}
		o->first[d] = false;
		return;
	}
	if (!o->first[d])
		putc_(o, ',');
	o->first[d] = false;
	/* Keys are the program's own identifiers: nothing to escape. */
	if (k && !o->in_array[d]) {
		putc_(o, '"');
		put(o, k, strlen(k));
		put(o, "\":", 2);
	}
}

static void open_level(struct out *o, bool array)
{
	if (o->depth + 1 >= OUT_MAX_DEPTH) {
		o->failed = true;
		return;
	}
	o->depth++;
	o->first[o->depth] = true;
	o->in_array[o->depth] = array;
}

void out_obj_begin(struct out *o, const char *k)
{
	/* Text lines are flat: an object only groups the keys inside it. */
	if (o->mode == OUT_JSON) {
		key(o, k);
		putc_(o, '{');
	} else if (o->in_array[o->depth]) {
		key(o, NULL);
	}
	open_level(o, false);
	if (o->mode == OUT_TEXT)
		o->in_array[o->depth] = o->in_array[o->depth - 1];
}

void out_obj_end(struct out *o)
{
	if (o->depth > 0)
		o->depth--;
	if (o->mode == OUT_JSON)
		putc_(o, '}');
}

void out_arr_begin(struct out *o, const char *k)
{
	key(o, k);
	putc_(o, '[');
	open_level(o, true);
}

void out_arr_end(struct out *o)
{
	if (o->depth > 0)
		o->depth--;
	putc_(o, ']');
}

void out_strn(struct out *o, const char *k, const char *s, size_t len)
{
	key(o, k);
	if (o->mode == OUT_TEXT) {
		text_value(o, s, len);
		return;
	}
	putc_(o, '"');
	out_json_escape(o, s, len);
	putc_(o, '"');
}

void out_str(struct out *o, const char *k, const char *s)
{
	if (!s) {
		out_null(o, k);
		return;
	}
	out_strn(o, k, s, strlen(s));
}

void out_int(struct out *o, const char *k, long long v)
{
	key(o, k);
	put_int(o, v);
}

void out_uint(struct out *o, const char *k, unsigned long long v)
{
	key(o, k);
	put_uint(o, v);
}

void out_bool(struct out *o, const char *k, bool v)
{
	/* A timeline line shows flags that are set, not every one that is not. */
	if (o->mode == OUT_TEXT && !v && !o->in_array[o->depth])
		return;
	key(o, k);
	if (v)
		put(o, "true", 4);
	else
		put(o, "false", 5);
}

void out_mode(struct out *o, const char *k, unsigned int mode)
{
	key(o, k);
	if (o->mode == OUT_TEXT)
		out_raw(o, "0%o", mode);
	else
		put_uint(o, mode);
}

void out_null(struct out *o, const char *k)
{
	key(o, k);
	put(o, "null", 4);
}

void out_names(struct out *o, const char *k, const char *const *names, size_t n)
{
	size_t i;

	if (o->mode == OUT_TEXT) {
		key(o, k);
		for (i = 0; i < n; i++) {
			if (i)
				putc_(o, '|');
			put(o, names[i], strlen(names[i]));
		}
		if (!n)
			putc_(o, '0');
		return;
	}
	out_arr_begin(o, k);
	for (i = 0; i < n; i++)
		out_str(o, NULL, names[i]);
	out_arr_end(o);
}
