// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Executable hashes, checked against the kernel's record of the file (see exehash.h). */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "proc/exehash.h"

/* File systems whose server, not the kernel's page cache, answers a read. */
static bool served_remotely(uint32_t magic)
{
	static const uint32_t remote[] = {
		0x65735546,   /* FUSE */
		0x6969,       /* NFS */
		0xff534d42,   /* CIFS */
		0xfe534d42,   /* SMB2 */
		0x01021997,   /* 9P */
		0x00c36400,   /* Ceph */
		0x5346414f,   /* AFS */
		0x6b414653,   /* kAFS */
	};
	size_t i;

	for (i = 0; i < sizeof(remote) / sizeof(remote[0]); i++)
		if (magic == remote[i])
			return true;
	return false;
}

static int64_t ctime_of(const struct statx *st)
{
	return (int64_t)st->stx_ctime.tv_sec * 1000000000 + st->stx_ctime.tv_nsec;
}

/* The regular file the kernel recorded (no ctime recorded: not compared). */
static bool is_want(int fd, const struct exe_ident *w, struct statx *st)
{
	if (statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS | STATX_MNT_ID, st) ||
	    !(st->stx_mask & STATX_MNT_ID) || !S_ISREG(st->stx_mode))
		return false;
	return st->stx_mnt_id == w->mnt_id && st->stx_ino == w->ino && st->stx_size == w->size &&
	       (!w->ctime_ns || ctime_of(st) == w->ctime_ns);
}

/* By path: resolved with no symbolic link, checked through O_PATH before it is opened. */
static int open_path(const char *path, const struct exe_ident *w, struct statx *st)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC | O_NOFOLLOW,
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	char proc[64];
	int pfd, fd;

	if (!path || path[0] != '/' || !w->ctime_ns || w->ctime_ns > w->exec_real_ns - 1000000000)
		return -1;
	pfd = (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
	if (pfd < 0)
		return -1;
	if (!is_want(pfd, w, st)) {
		close(pfd);
		return -1;
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
	fd = open(proc, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	close(pfd);
	if (fd >= 0 && !is_want(fd, w, st)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The recorded file, opened through the process if it still runs it, else by its path. */
static int open_want(pid_t pid, const char *path, const struct exe_ident *w, struct statx *st)
{
	char link[64];
	int fd;

	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	fd = open(link, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd >= 0 && is_want(fd, w, st))
		return fd;
	if (fd >= 0)
		close(fd);
	return open_path(path, w, st);
}

/* SHA-256 of exactly `size` bytes; -1 when the file is shorter or longer than that. */
static int hash_size(int fd, uint64_t size, char hex[65])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char buf[65536], md[32];
	unsigned int mdlen = 0, i;
	uint64_t off = 0;
	ssize_t n;
	int ret = -1;

	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		goto cleanup;
	while (off < size) {
		n = pread(fd, buf, size - off < sizeof(buf) ? size - off : sizeof(buf), (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || !EVP_DigestUpdate(ctx, buf, (size_t)n))
			goto cleanup;
		off += (uint64_t)n;
	}
	/* Grown since: not the file that was recorded. */
	if (pread(fd, buf, 1, (off_t)off) != 0 || !EVP_DigestFinal_ex(ctx, md, &mdlen))
		goto cleanup;
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	ret = 0;
cleanup:
	EVP_MD_CTX_free(ctx);
	return ret;
}

static uint64_t slot_of(const struct exe_ident *w)
{
	uint64_t h = (uint64_t)w->mnt_id * 0x9e3779b97f4a7c15ULL ^ w->ino;

	h ^= w->size * 0xff51afd7ed558ccdULL ^ (uint64_t)w->ctime_ns;
	return (h ^ (h >> 29)) % EXEHASH_CACHE;
}

static bool same(const struct exehash_entry *e, const struct exe_ident *w)
{
	return e->used && e->mnt_id == w->mnt_id && e->ino == w->ino && e->size == w->size &&
	       e->ctime_ns == w->ctime_ns;
}

/* A few slots probed; when they are all taken the table starts over. */
static struct exehash_entry *find(struct exehash *h, const struct exe_ident *w, bool *hit)
{
	uint64_t s = slot_of(w), i;
	struct exehash_entry *e;

	for (i = 0; i < 8; i++) {
		e = &h->tab[(s + i) % EXEHASH_CACHE];
		if (same(e, w) || !e->used) {
			*hit = e->used;
			return e;
		}
	}
	memset(h->tab, 0, EXEHASH_CACHE * sizeof(*h->tab));
	*hit = false;
	return &h->tab[s];
}

const char *exehash_file(struct exehash *h, pid_t pid, const char *path,
			 const struct exe_ident *want, char hex[65])
{
	struct exehash_entry *e;
	const char *why = NULL;
	struct statx st;
	bool hit;
	int fd;

	if (!want->ino)
		return "the kernel recorded no executable";
	if (served_remotely(want->fs_magic))
		return "its file system (FUSE or network) is not read: its server could answer otherwise";
	if (want->size > EXEHASH_MAX_BYTES)
		return "its executable is larger than 256 MiB";
	if (!h->tab && !(h->tab = calloc(EXEHASH_CACHE, sizeof(*h->tab))))
		return "out of memory";
	/* A cached hash is only given for a file the kernel recorded with its ctime. */
	e = find(h, want, &hit);
	if (hit && want->ctime_ns) {
		h->hits++;
		memcpy(hex, e->hex, sizeof(e->hex));
		return NULL;
	}
	fd = open_want(pid, path, want, &st);
	if (fd < 0)
		return "the file it ran is gone or has changed since";
	if (hash_size(fd, want->size, hex) || !is_want(fd, want, &st)) {
		why = "the file it ran could not be read whole, or changed while it was read";
		goto cleanup;
	}
	h->hashed++;
	*e = (struct exehash_entry){ .mnt_id = want->mnt_id, .ino = want->ino, .size = want->size,
				     .ctime_ns = want->ctime_ns, .used = 1 };
	memcpy(e->hex, hex, sizeof(e->hex));
cleanup:
	close(fd);
	return why;
}

void exehash_free(struct exehash *h)
{
	free(h->tab);
	memset(h, 0, sizeof(*h));
}
