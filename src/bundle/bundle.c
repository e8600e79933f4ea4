// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The bundle writer: stream and chain the events, then seal the directory. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bundle/bundle.h"
#include "bundle/bundle_index.h"
#include "bundle/bundle_out.h"
#include "output/safefile.h"

#define FLUSH_BYTES  (64 * 1024)
#define FLUSH_LINES  256
#define FLUSH_NS     (100 * 1000000ULL)

struct bundle {
	char *dir;
	int dirfd, evfd;
	json_t *meta;
	struct chain chain;
	struct bidx *idx;
	char *buf;
	size_t len, cap;
	unsigned int pending;           /* lines in buf */
	uint64_t pending_since;         /* CLOCK_MONOTONIC ns of the oldest */
	char disk_head[SHA256_HEX_LEN + 1];  /* chain value of the last line on disk */
	char buf_head[SHA256_HEX_LEN + 1];   /* ... of the last line in buf */
	uint64_t written, not_written;
	int write_errno;                /* first write error: nothing more is written */
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void bundle_free(struct bundle *b)
{
	if (b->evfd >= 0)
		close(b->evfd);
	if (b->dirfd >= 0)
		close(b->dirfd);
	chain_free(&b->chain);
	bidx_free(b->idx);
	json_decref(b->meta);
	free(b->buf);
	free(b->dir);
	free(b);
}

/* With --force, what an earlier bundle left must not pass for this one. */
static void remove_old(int dirfd)
{
	const char *const *n;

	unlinkat(dirfd, BUNDLE_MANIFEST, 0);
	for (n = bundle_files; *n; n++)
		unlinkat(dirfd, *n, 0);
}

struct bundle *bundle_open(const char *dir, bool force, const struct bundle_meta *meta,
			   char *err, size_t errlen)
{
	struct bundle *b = calloc(1, sizeof(*b));
	const char *id, *cwd;

	if (!b) {
		snprintf(err, errlen, "cannot create bundle '%s': out of memory", dir);
		return NULL;
	}
	b->evfd = -1;
	b->dir = strdup(dir);
	b->cap = FLUSH_BYTES;
	b->buf = malloc(b->cap);
	b->dirfd = safe_mkdir(dir, force, err, errlen);
	if (b->dirfd < 0)
		goto fail;
	if (force)
		remove_old(b->dirfd);
	b->meta = meta_new(meta, err, errlen);
	if (!b->meta)
		goto fail;
	id = json_string_value(json_object_get(b->meta, "investigation_id"));
	cwd = json_string_value(json_object_get(json_object_get(b->meta, "command"), "cwd"));
	b->idx = bidx_new(cwd);
	if (!b->dir || !b->buf || !b->idx || chain_init(&b->chain, id)) {
		snprintf(err, errlen, "cannot create bundle '%s': out of memory", dir);
		goto fail;
	}
	memcpy(b->disk_head, b->chain.head, sizeof(b->disk_head));
	if (bfile_write(b->dirfd, BUNDLE_METADATA, meta_gen, b->meta, err, errlen))
		goto fail;
	b->evfd = safe_create_at(b->dirfd, BUNDLE_EVENTS, false, err, errlen);
	if (b->evfd < 0)
		goto fail;
	fsync(b->dirfd);
	return b;
fail:
	bundle_free(b);
	return NULL;
}

int bundle_flush(struct bundle *b)
{
	size_t off = 0;
	ssize_t n;

	while (off < b->len && !b->write_errno) {
		n = write(b->evfd, b->buf + off, b->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			b->write_errno = n < 0 ? errno : EIO;
		else
			off += n;
	}
	if (b->write_errno) {
		b->not_written += b->pending;
	} else {
		b->written += b->pending;
		memcpy(b->disk_head, b->buf_head, sizeof(b->disk_head));
	}
	b->len = 0;
	b->pending = 0;
	return b->write_errno ? -1 : 0;
}

static int reserve(struct bundle *b, size_t need)
{
	char *p;

	if (b->len + need <= b->cap)
		return 0;
	if (b->len && bundle_flush(b))
		return -1;
	if (need <= b->cap)
		return 0;
	p = realloc(b->buf, need);
	if (!p)
		return -1;
	b->buf = p;
	b->cap = need;
	return 0;
}

int bundle_event(struct bundle *b, const char *line, size_t len, const struct bfacts *facts)
{
	static const char key[] = ",\"chain\":\"";
	size_t need = len - 1 + CHAIN_SUFFIX_LEN + 1;

	/* The chain member goes before the closing brace of a one-line object. */
	if (len < 3 || line[0] != '{' || line[len - 1] != '}' || memchr(line, '\n', len) ||
	    b->write_errno || reserve(b, need) || b->write_errno ||
	    chain_step(&b->chain, line, len - 1)) {
		b->not_written++;
		return -1;
	}
	memcpy(b->buf + b->len, line, len - 1);
	memcpy(b->buf + b->len + len - 1, key, sizeof(key) - 1);
	memcpy(b->buf + b->len + len - 1 + sizeof(key) - 1, b->chain.head, SHA256_HEX_LEN);
	memcpy(b->buf + b->len + need - 3, "\"}\n", 3);
	b->len += need;
	memcpy(b->buf_head, b->chain.head, sizeof(b->buf_head));
	if (!b->pending++)
		b->pending_since = mono_ns();
	if (!facts || !bidx_add_fast(b->idx, facts, line, len))
		bidx_add(b->idx, line, len);
	if (b->pending >= FLUSH_LINES || mono_ns() - b->pending_since >= FLUSH_NS)
		return bundle_flush(b);
	return 0;
}

struct gen_ctx {
	struct bidx *idx;
	json_t *meta;
};

static int gen_tree_json(FILE *f, void *c)
{
	return tree_write_json(((struct gen_ctx *)c)->idx, f);
}

static int gen_tree_text(FILE *f, void *c)
{
	return tree_write_text(((struct gen_ctx *)c)->idx, f);
}

static int gen_files(FILE *f, void *c)
{
	return tally_write_files(((struct gen_ctx *)c)->idx, f);
}

static int gen_network(FILE *f, void *c)
{
	return tally_write_network(((struct gen_ctx *)c)->idx, f);
}

static int gen_notable(FILE *f, void *c)
{
	return kept_write_json(&((struct gen_ctx *)c)->idx->notable, "omitted", f);
}

static int gen_alerts(FILE *f, void *c)
{
	return kept_write_json(&((struct gen_ctx *)c)->idx->findings, "omitted", f);
}

static int gen_calls(FILE *f, void *c)
{
	return calls_write_tsv(&((struct gen_ctx *)c)->idx->calls, f);
}

static int gen_summary(FILE *f, void *c)
{
	struct gen_ctx *g = c;

	return summary_write(f, g->meta, g->idx, SUMMARY_MD);
}

static int gen_html(FILE *f, void *c)
{
	struct gen_ctx *g = c;

	return html_write(f, g->meta, g->idx);
}

static const struct {
	const char *name;
	int (*gen)(FILE *f, void *ctx);
} outputs[] = {
	{ "process-tree.json", gen_tree_json },
	{ "process-tree.txt", gen_tree_text },
	{ "files.json", gen_files },
	{ "network.json", gen_network },
	{ "notable.json", gen_notable },
	{ "alerts.json", gen_alerts },
	{ "calls.tsv", gen_calls },
	{ BUNDLE_SUMMARY, gen_summary },
	{ BUNDLE_HTML, gen_html },
};

static int seal(struct bundle *b, const struct bundle_meta *meta, char *hex, char *err, size_t errlen)
{
	struct gen_ctx g = { .idx = b->idx, .meta = b->meta };
	char own[SHA256_HEX_LEN + 1];
	size_t i;

	bundle_flush(b);
	if (fsync(b->evfd) && !b->write_errno)
		b->write_errno = errno;
	if (b->write_errno) {
		snprintf(err, errlen, "cannot write '%s/%s': %s; the bundle is incomplete", b->dir,
			 BUNDLE_EVENTS, strerror(b->write_errno));
		return -1;
	}
	meta_finish(b->meta, meta, b->idx, b->disk_head, b->written, b->not_written,
		    !b->idx->stats);
	bidx_finish(b->idx);
	/*
	 * "sealing" first, with the final counts and chain head: a kill while
	 * the outputs are written leaves a bundle verify can still check in
	 * full, while "running" beside a finished run's files means tampering.
	 */
	json_object_set_new(b->meta, "state", json_string("sealing"));
	if (bfile_write(b->dirfd, BUNDLE_METADATA, meta_gen, b->meta, err, errlen))
		return -1;
	json_object_set_new(b->meta, "state", json_string("finished"));
	for (i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++)
		if (bfile_write(b->dirfd, outputs[i].name, outputs[i].gen, &g, err, errlen))
			return -1;
	/* metadata.json turns "finished" only once everything it describes is on disk. */
	if (bfile_write(b->dirfd, BUNDLE_METADATA, meta_gen, b->meta, err, errlen) ||
	    manifest_write(b->dirfd, bundle_files, hex ? hex : own, err, errlen))
		return -1;
	fsync(b->dirfd);
	return 0;
}

int bundle_close(struct bundle *b, const struct bundle_meta *meta, char *manifest_hex,
		 char *err, size_t errlen)
{
	int ret;

	if (!b)
		return 0;
	ret = seal(b, meta, manifest_hex, err, errlen);
	bundle_free(b);
	return ret;
}
