// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* One event reduced to what a table row shows: when, who, what, on what, result. */
#include <stdlib.h>
#include <string.h>

#include "bundle/bundle_index.h"
#include "bundle/bundle_out.h"
#include "output/out.h"

json_t *meta_get(json_t *meta, const char *path)
{
	char key[64];
	const char *dot;

	while (meta && (dot = strchr(path, '.'))) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		meta = json_object_get(meta, key);
		path = dot + 1;
	}
	return meta ? json_object_get(meta, path) : NULL;
}

const char *meta_str(json_t *meta, const char *path)
{
	return json_string_value(meta_get(meta, path));
}

void cut_utf8(char *s, size_t len)
{
	size_t n = strlen(s);

	/* snprintf() filled the buffer: the value was (probably) cut. */
	if (n + 1 < len)
		return;
	n = len - 4;
	while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	memcpy(s + n, "...", 4);
}

json_t *json_text(const char *s)
{
	json_t *j = json_string(s);
	struct out o;

	if (j || !s)
		return j;
	/* Escape the way event lines do, so a value reads the same everywhere. */
	out_init(&o, OUT_JSON);
	out_raw(&o, "\"");
	out_json_escape(&o, s, strlen(s));
	out_raw(&o, "\"");
	if (!o.failed)
		j = json_loadb(o.buf, o.len, JSON_DECODE_ANY, NULL);
	out_free(&o);
	return j;
}

static json_t *category(json_t *ev, const char *type)
{
	const char *dot = type ? strchr(type, '.') : NULL;
	char key[32];

	if (!dot)
		return NULL;
	snprintf(key, sizeof(key), "%.*s", (int)(dot - type), type);
	return json_object_get(ev, key);
}

static void subject(json_t *cat, char *buf, size_t len)
{
	static const char *const keys[] = { "path", "filename", "address", "name", "target", NULL };
	const char *const *k;
	json_t *v;

	buf[0] = '\0';
	for (k = keys; *k; k++) {
		v = json_object_get(cat, *k);
		if (!json_is_string(v))
			continue;
		if (!strcmp(*k, "address") && json_is_integer(json_object_get(cat, "port")))
			snprintf(buf, len, "%s port %lld", json_string_value(v),
				 json_integer_value(json_object_get(cat, "port")));
		else
			snprintf(buf, len, "%s", json_string_value(v));
		return;
	}
}

bool event_view(const char *line, struct event_view *v)
{
	json_t *ret, *cat;
	const char *err;
	char *dump;

	memset(v, 0, sizeof(*v));
	v->ev = json_loads(line, 0, NULL);
	if (!json_is_object(v->ev)) {
		event_view_free(v);
		return false;
	}
	snprintf(v->time, sizeof(v->time), "%s",
		 json_string_value(json_object_get(v->ev, "time")) ?: "?");
	v->pid = json_integer_value(json_object_get(v->ev, "pid"));
	v->comm = json_string_value(json_object_get(v->ev, "comm")) ?: "";
	v->type = json_string_value(json_object_get(v->ev, "type")) ?: "?";
	ret = json_object_get(v->ev, "ret");
	err = json_string_value(json_object_get(v->ev, "error"));
	if (err)
		snprintf(v->result, sizeof(v->result), "%s", err);
	else if (json_is_integer(ret) && json_integer_value(ret))
		snprintf(v->result, sizeof(v->result), "ok (%lld)", json_integer_value(ret));
	else
		snprintf(v->result, sizeof(v->result), "ok");
	cat = category(v->ev, v->type);
	subject(cat, v->subject, sizeof(v->subject));
	dump = cat ? json_dumps(cat, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	snprintf(v->details, sizeof(v->details), "%s", dump ? dump : "");
	free(dump);
	cut_utf8(v->subject, sizeof(v->subject));
	cut_utf8(v->details, sizeof(v->details));
	return true;
}

void event_view_free(struct event_view *v)
{
	json_decref(v->ev);
	v->ev = NULL;
}

void view_times(const struct bidx *x, uint64_t ts, char *buf, size_t len)
{
	if (!ts || !x->first_ns)
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, "%+.3fs", ((double)ts - (double)x->first_ns) / 1e9);
}
