/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * SHA-256 of the file an exec ran (--all's exe_sha256).  The kernel recorded
 * the file's identity (device, inode, size, ctime) at the exec; the file is
 * opened through /proc/PID/exe while the process runs it, else by its path
 * (a short-lived process is gone before its record is read), and hashed only
 * when its identity is the recorded one: never whatever now sits at the
 * path.  Cached by that identity and the mtime, so a busy host hashes each
 * binary once; files over EXEHASH_MAX_BYTES are not read.  When no hash can
 * be given, the reason is one short phrase.
 */
#ifndef PS_EXEHASH_H
#define PS_EXEHASH_H

#include <stdint.h>
#include <sys/types.h>

/* What the kernel recorded of the executable (struct ps_exec). */
struct exe_ident {
	uint32_t dev;            /* kernel encoding: major << 20 | minor */
	uint64_t ino, size;
	int64_t ctime_ns;        /* 0: not recorded */
};

#define EXEHASH_MAX_BYTES (256ULL << 20)
#define EXEHASH_CACHE 4096            /* entries; the table starts over when full */

struct exehash_entry {
	uint64_t dev, ino, size;
	int64_t mtime_ns, ctime_ns;
	char hex[65];
	uint8_t used;
};

struct exehash {
	struct exehash_entry *tab;    /* EXEHASH_CACHE entries, allocated on first use */
	unsigned int n;
	uint64_t hashed, hits;        /* files read; lookups the cache answered */
};

/*
 * The hash of the file `want` names, run by pid from `path` (may be NULL),
 * into hex (65 bytes): NULL on success, else why there is none.
 */
const char *exehash_file(struct exehash *h, pid_t pid, const char *path,
			 const struct exe_ident *want, char hex[65]);
void exehash_free(struct exehash *h);

#endif
