/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * SHA-256 of the file an exec ran (--all's exe_sha256).  The kernel records
 * the file's identity at the exec (mount id, inode, size, ctime, file system
 * type); the file is hashed only when what procscope opens has that
 * identity, never whatever now sits at its path:
 *  - through /proc/PID/exe while the process still runs it;
 *  - else by its path, when the ctime was recorded and is over a second
 *    before the exec (a file rewritten in the same clock tick keeps its
 *    ctime), resolved with no symbolic link on the way and opened only once
 *    it is known to be that regular file (O_PATH first: no device is ever
 *    opened).
 * A file on FUSE or a network file system is not read at all: its server
 * could stall procscope or serve it other bytes than the kernel ran.  At
 * most the recorded size is read, at most EXEHASH_MAX_BYTES.  Cached by
 * identity, so a busy host hashes each binary once.  When no hash can be
 * given, the reason is one short phrase.
 */
#ifndef PS_EXEHASH_H
#define PS_EXEHASH_H

#include <stdint.h>
#include <sys/types.h>

#define EXEHASH_MAX_BYTES (256ULL << 20)
#define EXEHASH_CACHE 4096            /* entries; the table starts over when full */

/* What the kernel recorded of the executable (struct ps_exec), and when it ran. */
struct exe_ident {
	uint32_t mnt_id, fs_magic;
	uint64_t ino, size;
	int64_t ctime_ns;        /* realtime; 0: not recorded */
	int64_t exec_real_ns;    /* the exec, realtime */
};

struct exehash_entry {
	uint32_t mnt_id;
	uint64_t ino, size;
	int64_t ctime_ns;
	char hex[65];
	uint8_t used;
};

struct exehash {
	struct exehash_entry *tab;    /* EXEHASH_CACHE entries, allocated on first use */
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
