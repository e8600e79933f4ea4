/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * SHA-256 for the evidence bundle: file digests for the manifest and the
 * hash chain that links every line of events.jsonl to the one before it.
 *
 * Chain rule (bundle format 1):
 *   chain_0 = hex(SHA-256(investigation id, its 36-character text form))
 *   chain_n = hex(SHA-256(chain_{n-1} as 64 lowercase hex characters ||
 *                         event line n without its chain member))
 * An event line is stored as the event object with `,"chain":"<chain_n>"`
 * appended as its last member, so "without its chain member" is the line as
 * the tracer produced it.  Seeding from the investigation id ties the events
 * to their metadata.json: events from another run do not verify.
 */
#ifndef PS_BUNDLE_HASH_H
#define PS_BUNDLE_HASH_H

#include <stdbool.h>
#include <stddef.h>

#define SHA256_HEX_LEN 64
/* `,"chain":"` + 64 hex digits + `"}` */
#define CHAIN_SUFFIX_LEN (10 + SHA256_HEX_LEN + 2)

struct evp_md_ctx_st;

struct chain {
	struct evp_md_ctx_st *ctx;
	struct evp_md_st *md;            /* SHA-256, fetched once: a fetch per line costs locks */
	char head[SHA256_HEX_LEN + 1];   /* chain_n of the last line */
};

/* Start a chain at chain_0 for `investigation_id`.  Returns 0 or -1. */
int chain_init(struct chain *c, const char *investigation_id);
void chain_free(struct chain *c);

/*
 * Advance the chain over one event line given without its closing brace
 * (`{"schema":1,...` up to, not including, the final `}`): that is how both
 * the writer (which appends the chain member there) and the verifier (which
 * cuts it off) hold the line.  Returns 0 or -1.
 */
int chain_step(struct chain *c, const char *open_obj, size_t len);

/*
 * Split a stored line (no newline) into the part before its chain member and
 * the chain value.  Returns false when the line does not end in a
 * well-formed chain member.
 */
bool chain_split(const char *line, size_t len, size_t *open_len, char hex[SHA256_HEX_LEN + 1]);

/* SHA-256 of a whole file (read from offset 0), as lowercase hex. */
int sha256_fd_hex(int fd, char hex[SHA256_HEX_LEN + 1]);
int sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1]);
/* Base64 of the raw digest, as a Content-Security-Policy hash source wants. */
int sha256_b64(const void *data, size_t len, char *b64, size_t b64len);

#endif
