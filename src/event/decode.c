// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <string.h>

#include "event/event.h"
#include "event/syscalls.h"
#include "event/syscalls_ia32.h"

static size_t fixed_size(uint16_t kind)
{
	switch (kind) {
	case PS_REC_EXEC:
		return sizeof(struct ps_exec);
	case PS_REC_FORK:
		return sizeof(struct ps_fork);
	case PS_REC_EXIT:
		return sizeof(struct ps_exit);
	case PS_REC_SYSCALL:
		return sizeof(struct ps_syscall);
	}
	return 0;
}

static int decode_blobs(const char *rec, size_t off, size_t size, struct ps_event *ev)
{
	while (off + sizeof(struct ps_blob) <= size) {
		const struct ps_blob *b = (const void *)(rec + off);
		struct ev_blob *e;

		if (b->len > size - off - sizeof(*b))
			return -1;
		if (ev->nblobs == PS_EV_MAX_BLOBS)
			return -1;
		e = &ev->blobs[ev->nblobs++];
		e->kind = b->kind;
		e->arg = b->arg;
		e->flags = b->flags;
		e->len = b->len;
		e->data = rec + off + sizeof(*b);
		off += sizeof(*b) + ((b->len + 7) & ~7u);
	}
	return off == size ? 0 : -1;
}

/*
 * The syscall's row.  An IA-32 call is decoded as its x86-64 twin, from a
 * copy of the fixed part whose number and arguments mean what the twin's do.
 */
static int decode_syscall(struct ps_event *ev)
{
	const struct ia32_call *c;
	const char *sub;

	memcpy(&ev->sc, ev->fixed, sizeof(ev->sc));
	ev->fixed = &ev->sc;
	if (ev->sc.abi == PS_ABI_X64) {
		ev->desc = syscall_find(ev->sc.nr);
		ev->syscall = ev->desc ? ev->desc->name : NULL;
		return ev->desc ? 0 : -1;
	}
	c = ev->sc.abi == PS_ABI_IA32 ? ia32_find(ev->sc.nr) : NULL;
	if (!c || !c->desc)
		return -1;
	ev->ia32 = true;
	ev->desc = c->desc;
	ev->syscall = c->name;
	if (ev->sc.subcall) {
		sub = socketcall_name(ev->sc.subcall);
		if (!sub)
			return -1;
		ev->syscall = sub;
	}
	ia32_normalise(c, &ev->sc);
	return 0;
}

int decode_record(const void *rec, size_t size, struct ps_event *ev)
{
	const struct ps_hdr *h = rec;
	size_t fixed;

	memset(ev, 0, sizeof(*ev));
	if (size < sizeof(*h) || h->size != size)
		return -1;
	fixed = fixed_size(h->kind);
	if (!fixed || size < sizeof(*h) + fixed)
		return -1;
	ev->hdr = h;
	ev->fixed = (const char *)rec + sizeof(*h);
	if (decode_blobs(rec, sizeof(*h) + fixed, size, ev))
		return -1;
	switch (h->kind) {
	case PS_REC_EXEC:
		ev->type = "process.exec";
		ev->notable = exec_gains_privilege(ev);
		return 0;
	case PS_REC_FORK:
		ev->type = "process.fork";
		return 0;
	case PS_REC_EXIT:
		ev->type = "process.exit";
		return 0;
	}
	if (decode_syscall(ev))
		return -1;
	ev->type = ev->desc->type_of ? ev->desc->type_of(ev) : ev->desc->type;
	ev->notable = type_is_notable(ev->type);
	return 0;
}

const struct ev_blob *ev_blob_for(const struct ps_event *ev, uint8_t arg)
{
	unsigned int i;

	for (i = 0; i < ev->nblobs; i++)
		if (ev->blobs[i].arg == arg)
			return &ev->blobs[i];
	return NULL;
}

bool dirents_path(const struct ev_blob *b, char *buf, size_t len)
{
	const char *comp[PS_PATH_DEPTH];
	size_t n = 0, pos = 0, i, l;
	const char *p = b->data, *end = b->data + b->len;
	bool rooted = b->flags & PS_BF_ROOTED;

	if (len < 2)
		return false;
	while (p < end && n < PS_PATH_DEPTH) {
		comp[n++] = p;
		p = memchr(p, '\0', end - p);
		if (!p)
			break;
		p++;
	}
	if (!n && !rooted)
		return false;
	/* A pseudo file (pipe:, memfd:) is one component with no root. */
	for (i = n; i-- > 0;) {
		l = strnlen(comp[i], end - comp[i]);
		if ((rooted || i != n - 1) && pos + 1 < len)
			buf[pos++] = '/';
		if (pos + l >= len)
			l = len - pos - 1;
		memcpy(buf + pos, comp[i], l);
		pos += l;
	}
	if (!pos)
		buf[pos++] = '/';
	buf[pos] = '\0';
	return true;
}

/* Lexical clean-up of an absolute path: "//", "/./" and "/x/.." collapse. */
void path_normalise(char *path)
{
	char *out = path, *p = path;

	while (*p) {
		char *seg, *next;
		size_t l;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		seg = p;
		next = strchr(p, '/');
		l = next ? (size_t)(next - seg) : strlen(seg);
		p = seg + l;
		if (l == 1 && seg[0] == '.')
			continue;
		if (l == 2 && seg[0] == '.' && seg[1] == '.') {
			while (out > path && *--out != '/')
				;
			continue;
		}
		*out++ = '/';
		memmove(out, seg, l);
		out += l;
	}
	if (out == path)
		*out++ = '/';
	*out = '\0';
}

bool ev_path(const struct ps_event *ev, uint8_t arg, char *buf, size_t len)
{
	const struct ev_blob *s = ev_blob_for(ev, arg);
	const struct ev_blob *base = ev_blob_for(ev, PS_ARG_BASE | arg);
	size_t blen;

	if (!s || (s->flags & PS_BF_READ_FAILED) || len < 2)
		return false;
	if (s->kind == PS_BLOB_DIRENTS)
		return dirents_path(s, buf, len);
	if (!base || s->len == 0 || s->data[0] == '/') {
		size_t l = s->len < len - 1 ? s->len : len - 1;

		memcpy(buf, s->data, l);
		buf[l] = '\0';
		if (l && buf[0] == '/')
			path_normalise(buf);
		return true;
	}
	if (!dirents_path(base, buf, len) || buf[0] != '/') {
		/* Base unknown: keep the relative path rather than invent one. */
		size_t l = s->len < len - 1 ? s->len : len - 1;

		memcpy(buf, s->data, l);
		buf[l] = '\0';
		return true;
	}
	blen = strlen(buf);
	if (blen + 1 + s->len >= len)
		return false;
	buf[blen] = '/';
	memcpy(buf + blen + 1, s->data, s->len);
	buf[blen + 1 + s->len] = '\0';
	path_normalise(buf);
	return true;
}
