// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Executable hashes, cached by file identity (see exehash.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "bundle/bundle_hash.h"
#include "proc/exehash.h"

static uint64_t slot_of(const struct stat *st)
{
	uint64_t h = (uint64_t)st->st_dev * 0x9e3779b97f4a7c15ULL ^ (uint64_t)st->st_ino;

	h ^= (uint64_t)st->st_size * 0xff51afd7ed558ccdULL;
	h ^= (uint64_t)st->st_mtim.tv_nsec ^ ((uint64_t)st->st_ctim.tv_nsec << 17);
	return (h ^ (h >> 29)) % EXEHASH_CACHE;
}

static bool same_file(const struct exehash_entry *e, const struct stat *st)
{
	return e->used && e->dev == (uint64_t)st->st_dev && e->ino == (uint64_t)st->st_ino &&
	       e->size == (uint64_t)st->st_size &&
	       e->mtime_ns == (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec &&
	       e->ctime_ns == (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
}

/* Linear probing over a few slots; when they are all taken the table starts over. */
static struct exehash_entry *find(struct exehash *h, const struct stat *st, bool *hit)
{
	uint64_t s = slot_of(st), i;
	struct exehash_entry *e;

	for (i = 0; i < 8; i++) {
		e = &h->tab[(s + i) % EXEHASH_CACHE];
		if (same_file(e, st)) {
			*hit = true;
			return e;
		}
		if (!e->used) {
			*hit = false;
			return e;
		}
	}
	memset(h->tab, 0, EXEHASH_CACHE * sizeof(*h->tab));
	h->n = 0;
	*hit = false;
	return &h->tab[s];
}

static bool is_want(const struct stat *st, const struct exe_ident *w)
{
	return major(st->st_dev) == w->dev >> 20 && minor(st->st_dev) == (w->dev & 0xfffff) &&
	       (uint64_t)st->st_ino == w->ino && (uint64_t)st->st_size == w->size &&
	       (!w->ctime_ns ||
		(int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec == w->ctime_ns);
}

/* The recorded file, opened through the process if it still runs it, else by its path. */
static int open_want(pid_t pid, const char *path, const struct exe_ident *w, struct stat *st)
{
	/* O_NONBLOCK: a FIFO planted at the path must never stall the consumer. */
	const int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
	char link[64];
	int fd, i;

	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	for (i = 0; i < 2; i++) {
		if (i && !path)
			break;
		/* O_NOFOLLOW on the path: the kernel recorded the file, not a link to one. */
		fd = open(i ? path : link, i ? flags | O_NOFOLLOW : flags);
		if (fd < 0)
			continue;
		if (!fstat(fd, st) && S_ISREG(st->st_mode) && is_want(st, w))
			return fd;
		close(fd);
	}
	return -1;
}

const char *exehash_file(struct exehash *h, pid_t pid, const char *path,
			 const struct exe_ident *want, char hex[65])
{
	struct exehash_entry *e;
	const char *why = NULL;
	struct stat st;
	bool hit;
	int fd;

	if (!want->ino)
		return "the kernel recorded no executable";
	if (!h->tab && !(h->tab = calloc(EXEHASH_CACHE, sizeof(*h->tab))))
		return "out of memory";
	fd = open_want(pid, path, want, &st);
	if (fd < 0)
		return "the file it ran is gone or has changed since";
	if ((uint64_t)st.st_size > EXEHASH_MAX_BYTES) {
		why = "its executable is larger than 256 MiB";
		goto cleanup;
	}
	e = find(h, &st, &hit);
	if (hit) {
		h->hits++;
		memcpy(hex, e->hex, sizeof(e->hex));
		goto cleanup;
	}
	if (sha256_fd_hex(fd, hex)) {
		why = "its executable could not be read";
		goto cleanup;
	}
	/* Changed while it was read: the hash may be of neither version. */
	if (fstat(fd, &st) || !is_want(&st, want)) {
		why = "the file it ran has changed since";
		goto cleanup;
	}
	h->hashed++;
	*e = (struct exehash_entry){
		.dev = st.st_dev, .ino = st.st_ino, .size = st.st_size, .used = 1,
		.mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec,
		.ctime_ns = (int64_t)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec,
	};
	memcpy(e->hex, hex, sizeof(e->hex));
	h->n++;
cleanup:
	close(fd);
	return why;
}

void exehash_free(struct exehash *h)
{
	free(h->tab);
	memset(h, 0, sizeof(*h));
}
