// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Timeline folding (see fold.h): a few open folds, one per process, in a small table. */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

#include "event/event.h"
#include "event/render.h"
#include "event/syscalls.h"
#include "output/fold.h"
#include "output/out.h"

#define FOLD_SLOTS     64     /* processes with a fold open at once; the oldest gives way */
#define FOLD_HELD_MAX  64     /* failed execs held per process; more are let out */
#define FOLD_HELD_BYTES 65536 /* and at most this much of their rendered lines */

enum kind { K_NONE, K_LOADER, K_MISS };

struct slot {
	enum kind kind;
	unsigned int pid;
	uint64_t age;                  /* when opened, in events: the oldest gives way */
	struct out line;               /* loader: the summary's start; miss: the held lines */
	unsigned int n, enoent, failed;
	char base[NAME_MAX + 1];       /* miss: the program name searched for */
	uint64_t argv;                 /* miss: its argv's hash: a PATH search passes one argv */
};

struct fold {
	struct slot slot[FOLD_SLOTS];
	uint64_t events;
};

struct fold *fold_new(void)
{
	struct fold *f = calloc(1, sizeof(*f));
	unsigned int i;

	if (!f)
		return NULL;
	for (i = 0; i < FOLD_SLOTS; i++)
		out_init(&f->slot[i].line, OUT_TEXT);
	return f;
}

void fold_free(struct fold *f)
{
	unsigned int i;

	if (!f)
		return;
	for (i = 0; i < FOLD_SLOTS; i++)
		out_free(&f->slot[i].line);
	free(f);
}

static bool under(const char *path, const char *const *dirs)
{
	for (; *dirs; dirs++)
		if (!strncmp(path, *dirs, strlen(*dirs)))
			return true;
	return false;
}

/* Where the dynamic loader and the C library's locale code look, and nothing else. */
bool fold_loader_path(const char *path, bool failed)
{
	static const char *const libdirs[] = {
		"/lib/", "/lib64/", "/lib32/", "/libx32/", "/usr/lib/", "/usr/lib64/", "/usr/lib32/",
		"/usr/libx32/", NULL,   /* not /usr/local/lib: group-writable on some systems */
	};
	static const char *const locale[] = {
		"/usr/lib/locale/", "/usr/share/locale/", "/usr/share/locale-langpack/",
		"/usr/share/i18n/", NULL,
	};
	const char *base = strrchr(path, '/');

	if (!strcmp(path, "/etc/ld.so.cache"))
		return true;
	/* A preload file that exists is how libraries are injected: shown. */
	if (!strcmp(path, "/etc/ld.so.preload"))
		return failed;
	if (under(path, locale))
		return true;
	if (!under(path, libdirs) || !base)
		return false;
	return strstr(path, "/gconv/") || !fnmatch("*.so", base + 1, 0) ||
	       !fnmatch("*.so.*", base + 1, 0);
}

static bool read_only_open(const struct ps_event *ev)
{
	const struct ev_blob *how = ev_blob_for(ev, 2);
	unsigned long long flags;

	if (ev->desc->fmt != fmt_open)
		return false;
	/* openat2's flags are in a structure that may not have been read: then not folded. */
	if (ev->desc->p[1] == -1 && (!how || how->len < 16))
		return false;
	flags = ev_open_flags(ev, NULL, NULL);
	return (flags & O_ACCMODE) == O_RDONLY && !(flags & (O_CREAT | O_TRUNC)) &&
	       (flags & O_TMPFILE) != O_TMPFILE;
}

/* The last name of an exec's path into base; false when it has none. */
static bool exec_base(const struct ps_event *ev, int arg, char *base)
{
	char path[PS_PATH_MAX * 2];
	const char *b;

	if (!ev_path(ev, arg, path, sizeof(path)))
		return false;
	b = strrchr(path, '/');
	if (!b || !b[1] || strlen(b + 1) > NAME_MAX)
		return false;
	strcpy(base, b + 1);
	return true;
}

/* FNV-1a of the argv blob (the same NUL-separated strings in a failed and a done exec). */
static uint64_t argv_hash(const struct ps_event *ev)
{
	uint64_t h = 1469598103934665603ULL;
	unsigned int i;
	uint32_t j;

	for (i = 0; i < ev->nblobs; i++)
		if (ev->blobs[i].kind == PS_BLOB_ARGV)
			for (j = 0; j < ev->blobs[i].len; j++)
				h = (h ^ (unsigned char)ev->blobs[i].data[j]) * 1099511628211ULL;
	return h;
}

static enum kind kind_of(const struct ps_event *ev, char *base)
{
	char path[PS_PATH_MAX * 2];
	long long ret;

	if (ev->rule || ev->notable || ev->hdr->kind != PS_REC_SYSCALL || !ev->desc)
		return K_NONE;
	ret = ev->sc.ret;
	if (!strcmp(ev->type, "process.exec"))
		/* Not EACCES: a refused exec says where something was, and is shown. */
		return (ret == -ENOENT || ret == -ENOTDIR) &&
		       exec_base(ev, ev->desc->p[0], base) ? K_MISS : K_NONE;
	if (strcmp(ev->type, "file.access") && !(!strcmp(ev->type, "file.open") && read_only_open(ev)))
		return K_NONE;
	if (!ev_path(ev, ev->desc->p[0], path, sizeof(path)))
		return K_NONE;
	return fold_loader_path(path, ret < 0) ? K_LOADER : K_NONE;
}

static struct slot *slot_of(struct fold *f, unsigned int pid)
{
	unsigned int i;

	for (i = 0; i < FOLD_SLOTS; i++)
		if (f->slot[i].kind != K_NONE && f->slot[i].pid == pid)
			return &f->slot[i];
	return NULL;
}

/* Let a fold out: the loader's summary line, or the held execs as they were. */
static int let_out(struct slot *s, FILE *out)
{
	int ret = 0;

	if (s->kind == K_LOADER) {
		out_raw(&s->line, " %u %s", s->n, s->n == 1 ? "open" : "opens");
		if (s->enoent)
			out_raw(&s->line, ", %u ENOENT", s->enoent);
		if (s->failed > s->enoent)
			out_raw(&s->line, ", %u other errors", s->failed - s->enoent);
		out_raw(&s->line, " (dynamic loader and locale files; --full lists them)");
		if (!s->line.failed && fprintf(out, "%s\n", s->line.buf) < 0)
			ret = -1;
	} else if (s->kind == K_MISS && s->line.len && !s->line.failed) {
		if (fwrite(s->line.buf, 1, s->line.len, out) != s->line.len)
			ret = -1;
	}
	s->kind = K_NONE;
	out_reset(&s->line);
	return ret;
}

static struct slot *slot_open(struct fold *f, enum kind k, unsigned int pid, FILE *out, int *ret)
{
	struct slot *s = NULL;
	unsigned int i;

	for (i = 0; i < FOLD_SLOTS && !s; i++)
		if (f->slot[i].kind == K_NONE)
			s = &f->slot[i];
	if (!s) {
		s = &f->slot[0];
		for (i = 1; i < FOLD_SLOTS; i++)
			if (f->slot[i].age < s->age)
				s = &f->slot[i];
		*ret |= let_out(s, out);
	}
	s->kind = k;
	s->pid = pid;
	s->age = f->events;
	s->n = s->enoent = s->failed = 0;
	s->base[0] = '\0';
	out_reset(&s->line);
	return s;
}

static void hold(struct slot *s, const struct ps_event *ev, const struct render_ctx *rc)
{
	long long ret = ev->sc.ret;

	if (s->kind == K_LOADER) {
		if (!s->n)
			render_text_prefix(ev, rc, "ld.so", "", &s->line);
		s->n++;
		s->failed += ret < 0;
		s->enoent += ret == -ENOENT;
		return;
	}
	render_text(ev, rc, &s->line);
	out_raw(&s->line, "\n");
	s->n++;
}

static int show(const struct ps_event *ev, const struct render_ctx *rc, unsigned int misses,
		FILE *out)
{
	struct out o;
	int ret = 0;

	out_init(&o, OUT_TEXT);
	render_text(ev, rc, &o);
	if (misses)
		out_raw(&o, " (after %u PATH %s)", misses, misses == 1 ? "miss" : "misses");
	if (!o.failed && fprintf(out, "%s\n", o.buf) < 0)
		ret = -1;
	out_free(&o);
	return ret;
}

int fold_event(struct fold *f, const struct ps_event *ev, const struct render_ctx *rc, FILE *out)
{
	char base[NAME_MAX + 1] = "", found[NAME_MAX + 1];
	struct slot *s = slot_of(f, ev->hdr->pid);
	enum kind k = kind_of(ev, base);
	unsigned int misses = 0;
	int ret = 0;

	f->events++;
	if (s && s->kind == k && (k != K_MISS || (!strcmp(s->base, base) && s->argv == argv_hash(ev) &&
						  s->n < FOLD_HELD_MAX && s->line.len < FOLD_HELD_BYTES))) {
		hold(s, ev, rc);
		return 0;
	}
	/* The exec a PATH search was looking for, with the same argv: the misses become a note on it. */
	if (s && s->kind == K_MISS && ev->hdr->kind == PS_REC_EXEC && exec_base(ev, 0, found) &&
	    !strcmp(found, s->base) && s->argv == argv_hash(ev)) {
		misses = s->n;
		s->kind = K_NONE;
		out_reset(&s->line);
	} else if (s) {
		ret |= let_out(s, out);
	}
	if (k != K_NONE) {
		s = slot_open(f, k, ev->hdr->pid, out, &ret);
		if (k == K_MISS) {
			strcpy(s->base, base);
			s->argv = argv_hash(ev);
		}
		hold(s, ev, rc);
		return ret;
	}
	return ret | show(ev, rc, misses, out);
}

int fold_flush(struct fold *f, FILE *out)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < FOLD_SLOTS; i++)
		if (f->slot[i].kind != K_NONE)
			ret |= let_out(&f->slot[i], out);
	return ret;
}
