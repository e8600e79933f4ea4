/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * One writer for both outputs: type-specific formatters describe an event as
 * keys and values once, and the writer renders them either as JSON or as the
 * key=value tail of a live timeline line.
 */
#ifndef PS_OUT_H
#define PS_OUT_H

#include <stdbool.h>
#include <stddef.h>

enum out_mode { OUT_JSON, OUT_TEXT };

#define OUT_MAX_DEPTH 8

struct out {
	enum out_mode mode;
	char *buf;
	size_t len, cap;
	int depth;
	bool first[OUT_MAX_DEPTH];
	bool in_array[OUT_MAX_DEPTH];
	bool failed;	/* allocation failed: the line is incomplete */
};

void out_init(struct out *o, enum out_mode mode);
void out_free(struct out *o);
void out_reset(struct out *o);

/* Plain text, verbatim (the timeline prefix, separators). */
void out_raw(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* `key` is NULL inside arrays. */
void out_obj_begin(struct out *o, const char *key);
void out_obj_end(struct out *o);
void out_arr_begin(struct out *o, const char *key);
void out_arr_end(struct out *o);
void out_strn(struct out *o, const char *key, const char *s, size_t len);
void out_str(struct out *o, const char *key, const char *s);
void out_int(struct out *o, const char *key, long long v);
void out_uint(struct out *o, const char *key, unsigned long long v);
void out_bool(struct out *o, const char *key, bool v);
/* A file mode: a number in JSON, octal (0644) on the timeline. */
void out_mode(struct out *o, const char *key, unsigned int mode);
void out_null(struct out *o, const char *key);
/* A list of names (flags), as a JSON array or a|b|c. */
void out_names(struct out *o, const char *key, const char *const *names, size_t n);

/* v in decimal into buf (room for 21 bytes); returns its length. */
size_t out_u64_str(char *buf, unsigned long long v);

/* Timeline escaping: the rule of esc_next() (esc.h), shared by every output a person reads. */
void out_text_escape(struct out *o, const char *s, size_t len);

/* JSON string body escaping of arbitrary bytes (invalid UTF-8 becomes \\xNN). */
void out_json_escape(struct out *o, const char *s, size_t len);

#endif
