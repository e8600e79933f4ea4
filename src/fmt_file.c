// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Formatters of file events. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "event.h"
#include "names.h"
#include "out.h"
#include "syscalls.h"

/* Write "path" for argument `arg`; an unreadable path is null, never "". */
void fmt_path(const struct ps_event *ev, struct out *o, const char *key, int arg)
{
	const struct ev_blob *s = ev_blob_for(ev, arg);
	char path[PS_PATH_MAX * 2];

	if (!ev_path(ev, arg, path, sizeof(path))) {
		out_null(o, key);
		return;
	}
	out_str(o, key, path);
	/* The argument as the program passed it, when it was relative. */
	if (s && s->kind == PS_BLOB_STR && s->len && s->data[0] != '/' && o->mode == OUT_JSON) {
		char raw_key[64];

		snprintf(raw_key, sizeof(raw_key), "%s_arg", key);
		out_strn(o, raw_key, s->data, s->len);
	}
}

void fmt_open_flags(struct out *o, unsigned long long flags)
{
	const char *names[48];
	unsigned long long rest;
	size_t n = open_flag_names(flags, names, 48, &rest);

	out_names(o, "flags", names, n);
	if (rest)
		out_uint(o, "flags_unknown", rest);
}

void fmt_open(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;
	const signed char *p = ev->desc->p;
	unsigned long long flags = 0, mode = 0;
	bool has_mode = false;

	if (p[1] >= 0) {
		flags = (unsigned int)sc->args[p[1]];
	} else if (p[1] == -2) {
		flags = O_CREAT | O_WRONLY | O_TRUNC;
	} else {
		const struct ev_blob *how = ev_blob_for(ev, 2);

		if (how && how->len >= 16) {
			memcpy(&flags, how->data, 8);
			memcpy(&mode, how->data + 8, 8);
			has_mode = true;
		}
	}
	if (p[2] >= 0) {
		mode = sc->args[p[2]] & 07777;
		has_mode = true;
	}
	/* The mode only means something when a file may be created. */
	if (!(flags & O_CREAT) && (flags & O_TMPFILE) != O_TMPFILE)
		has_mode = false;
	out_obj_begin(o, "file");
	fmt_path(ev, o, "path", p[0]);
	fmt_open_flags(o, flags);
	if (has_mode)
		out_uint(o, "mode", mode);
	out_obj_end(o);
}
