// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "event/catalog.h"
#include "event/event.h"
#include "event/filter.h"
#include "event/syscalls.h"
#include "event/syscalls_ia32.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const classes[] = { "process", "file", "net", "priv", "ns", "mount", "proc", "kernel" };

/* strace's class names, as `-e trace=%network` spells them. */
static const struct { const char *from, *to; } class_aliases[] = {
	{ "network", "net" }, { "creds", "priv" },
};

/* Process lifecycle: kept by an include list unless a token excludes it. */
static bool is_lifecycle(const char *type)
{
	return !strcmp(type, "process.exec") || !strcmp(type, "process.fork") ||
	       !strcmp(type, "process.exit");
}

static bool tok_matches(const struct filter_tok *t, const char *type, const char *const names[2])
{
	size_t l;

	switch (t->kind) {
	case FK_ALL:
		return true;
	case FK_CLASS:
		l = strlen(t->name);
		return !strncmp(type, t->name, l) && type[l] == '.';
	case FK_TYPE:
		return !fnmatch(t->name, type, 0);
	case FK_SYSCALL:
		return names && ((names[0] && !fnmatch(t->name, names[0], 0)) ||
				 (names[1] && !fnmatch(t->name, names[1], 0)));
	}
	return false;
}

bool filter_type_wanted(const struct ev_filter *f, const char *type, const char *const names[2])
{
	bool in = !f->includes || is_lifecycle(type);
	unsigned int i;

	/* An exclusion wins wherever it stands in the list. */
	for (i = 0; i < f->ntok; i++) {
		if (!tok_matches(&f->tok[i], type, names))
			continue;
		if (f->tok[i].neg)
			return false;
		in = true;
	}
	return in;
}

bool filter_row_dropped(const struct ev_filter *f, const struct syscall_desc *d, const char *alias)
{
	const char *names[2] = { d->name, alias };

	if (!f->ntok)
		return false;
	if (filter_type_wanted(f, d->type, names))
		return false;
	return !syscall_alt_type(d) || !filter_type_wanted(f, syscall_alt_type(d), names);
}

/* A glob names something procscope reports, or the token is a typo. */
static bool type_exists(const char *pat)
{
	unsigned int i;

	for (i = 0; i < cat_type_count; i++)
		if (!(cat_types[i].flags & CT_STATS) && !fnmatch(pat, cat_types[i].type, 0))
			return true;
	return false;
}

static bool syscall_exists(const char *pat)
{
	unsigned int i;

	for (i = 0; i < syscall_count; i++)
		if (!fnmatch(pat, syscall_table[i].name, 0))
			return true;
	for (i = 0; i < PS_SYSCALL_MAX; i++) {
		const struct ia32_call *c = ia32_find(i);

		if (c && c->desc && !fnmatch(pat, c->name, 0))
			return true;
	}
	return false;
}

static const char *class_of(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(classes); i++)
		if (!strcmp(name, classes[i]))
			return classes[i];
	for (i = 0; i < ARRAY_SIZE(class_aliases); i++)
		if (!strcmp(name, class_aliases[i].from))
			return class_aliases[i].to;
	return NULL;
}

static int add_token(struct ev_filter *f, const char *s, size_t len, char *err, size_t errlen)
{
	struct filter_tok *t;
	const char *cls;
	bool neg = false;
	size_t i;

	if (len && (s[0] == '!' || s[0] == '-')) {
		neg = true;
		s++;
		len--;
	}
	if (len && s[0] == '%') {
		s++;
		len--;
	}
	if (!len) {
		snprintf(err, errlen, "-e: an empty name in the list (write names separated by commas)");
		return -1;
	}
	if (len >= FILTER_NAME_MAX) {
		snprintf(err, errlen, "-e: '%.*s...' is longer than %d characters", 32, s, FILTER_NAME_MAX - 1);
		return -1;
	}
	for (i = 0; i < len; i++) {
		if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789_.*?[]", s[i])) {
			snprintf(err, errlen, "-e: '%.*s' is not a name (lower-case letters, digits, '_', '.' and the globs * ? [])",
				 (int)len, s);
			return -1;
		}
	}
	if (f->ntok >= FILTER_TOKENS_MAX) {
		snprintf(err, errlen, "-e: more than %d names in all", FILTER_TOKENS_MAX);
		return -1;
	}
	t = &f->tok[f->ntok];
	memcpy(t->name, s, len);
	t->name[len] = '\0';
	t->neg = neg;
	if (!strcmp(t->name, "all")) {
		t->kind = FK_ALL;
	} else if ((cls = class_of(t->name))) {
		t->kind = FK_CLASS;
		snprintf(t->name, sizeof(t->name), "%s", cls);
	} else if (strchr(t->name, '.')) {
		t->kind = FK_TYPE;
		if (!type_exists(t->name)) {
			snprintf(err, errlen, "-e: '%s' is not an event type procscope reports "
				 "(procscope --list-events lists them)", t->name);
			return -1;
		}
	} else {
		t->kind = FK_SYSCALL;
		if (!syscall_exists(t->name)) {
			snprintf(err, errlen, "-e: '%s' is not an event class, event type or syscall procscope reports "
				 "(procscope --list-events lists them)", t->name);
			return -1;
		}
	}
	f->ntok++;
	if (!neg)
		f->includes = true;
	return 0;
}

int filter_add_events(struct ev_filter *f, const char *arg, char *err, size_t errlen)
{
	const char *p = arg, *comma, *eq;

	/* strace's qualifier: -e trace=file,network. */
	if (!strncmp(p, "trace=", 6))
		p += 6;
	eq = strchr(p, '=');
	if (eq) {
		snprintf(err, errlen, "-e: only the trace= qualifier is understood ('%.*s=' is strace's, not procscope's)",
			 (int)(eq - p), p);
		return -1;
	}
	for (;;) {
		comma = strchr(p, ',');
		if (add_token(f, p, comma ? (size_t)(comma - p) : strlen(p), err, errlen))
			return -1;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

int filter_add_path(struct ev_filter *f, const char *arg, char *err, size_t errlen)
{
	char buf[PS_PATH_PREFIX_MAX];
	size_t l = strlen(arg);

	if (arg[0] != '/') {
		snprintf(err, errlen, "--path: '%s' is not an absolute path (write it from /)", arg);
		return -1;
	}
	if (l >= sizeof(buf)) {
		snprintf(err, errlen, "--path: a prefix is at most %d bytes", PS_PATH_PREFIX_MAX - 1);
		return -1;
	}
	if (f->npaths >= PS_PATHS_MAX) {
		snprintf(err, errlen, "--path: at most %d prefixes", PS_PATHS_MAX);
		return -1;
	}
	memcpy(buf, arg, l + 1);
	path_normalise(buf);
	if (!strcmp(buf, "/"))
		f->path_root = true;
	memcpy(f->paths[f->npaths++], buf, strlen(buf) + 1);
	return 0;
}

bool filter_path_under(const struct ev_filter *f, const char *path)
{
	unsigned int i;

	for (i = 0; i < f->npaths; i++) {
		size_t l = strlen(f->paths[i]);

		if (!strncmp(path, f->paths[i], l) && (path[l] == '\0' || path[l] == '/'))
			return true;
	}
	return false;
}

/*
 * A file event is dropped when every path it names is known and none is
 * under a prefix; an unreadable or unresolved one keeps it.
 */
static bool path_drops(const struct ev_filter *f, const struct ps_event *ev)
{
	char path[PS_PATH_MAX * 2];
	bool judged = false;
	unsigned int i;

	for (i = 0; i < PS_MAX_BLOBS; i++) {
		const struct ps_cap *c = &ev->desc->caps[i];

		if (c->kind != PS_CAP_PATH && c->kind != PS_CAP_FD_PATH)
			continue;
		if (!ev_path(ev, c->arg, path, sizeof(path)) || path[0] != '/')
			return false;
		if (filter_path_under(f, path))
			return false;
		judged = true;
	}
	return judged;
}

enum filter_verdict filter_event(const struct ev_filter *f, const struct ps_event *ev)
{
	const char *names[2] = { NULL, NULL };

	/* A process killed for an act is reported whatever the filters say. */
	if (ev->hdr->flags & PS_HF_KILLED)
		return FILTER_KEEP;
	if (ev->desc) {
		names[0] = ev->syscall;
		names[1] = ev->desc->name;
	}
	if (f->ntok && !filter_type_wanted(f, ev->type, ev->desc ? names : NULL))
		return FILTER_BY_EVENT;
	/* The kernel saw a "/" that is not procscope's: no prefix can judge such a path. */
	if (filter_paths_on(f) && ev->desc && !strncmp(ev->type, "file.", 5) &&
	    !(ev->hdr->flags & PS_HF_FOREIGN_ROOT) && path_drops(f, ev))
		return FILTER_BY_PATH;
	return FILTER_KEEP;
}

static void list_syscalls(FILE *out, const char *type)
{
	unsigned int i;

	for (i = 0; i < syscall_count; i++) {
		const struct syscall_desc *d = &syscall_table[i];

		const char *alt = syscall_alt_type(d);

		if (!strcmp(d->type, type) || (alt && !strcmp(alt, type)))
			fprintf(out, " %s", d->name);
	}
}

void filter_list(FILE *out)
{
	unsigned int i;
	size_t c;

	fprintf(out, "Classes, event types and the syscalls behind them (-e accepts all three;\n"
		"IA-32 spellings such as setuid32 are accepted too):\n");
	for (c = 0; c < ARRAY_SIZE(classes); c++) {
		fprintf(out, "\n%s\n", classes[c]);
		for (i = 0; i < cat_type_count; i++) {
			const char *type = cat_types[i].type;
			size_t l = strlen(classes[c]);

			if ((cat_types[i].flags & CT_STATS) || strncmp(type, classes[c], l) || type[l] != '.')
				continue;
			fprintf(out, "  %-22s", type);
			if (is_lifecycle(type))
				fprintf(out, " (lifecycle)");
			list_syscalls(out, type);
			fputc('\n', out);
		}
	}
}
