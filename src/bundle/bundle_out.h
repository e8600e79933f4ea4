/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The bundle's files: which there are, how each is written (atomically,
 * never through a symlink), and the generators shared by the bundle writer
 * and `procscope report`.
 */
#ifndef PS_BUNDLE_OUT_H
#define PS_BUNDLE_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <jansson.h>

#include "bundle/bundle_hash.h"

#define BUNDLE_FORMAT_NAME    "procscope-bundle"
#define BUNDLE_FORMAT_VERSION 1
#define BUNDLE_METADATA       "metadata.json"
#define BUNDLE_EVENTS         "events.jsonl"
#define BUNDLE_MANIFEST       "MANIFEST.sha256"
#define BUNDLE_SUMMARY        "summary.md"
#define BUNDLE_HTML           "report.html"

/* Every file of a finished bundle but the manifest, in manifest order. */
extern const char *const bundle_files[];

struct bidx;

/* A file written under a temporary name, then renamed into place. */
struct bfile {
	int dirfd;
	FILE *f;
	char name[64];
	char tmp[96];
};

FILE *bfile_open(struct bfile *bf, int dirfd, const char *name, char *err, size_t errlen);
/* Flush and fsync; `hex` (may be NULL) gets the content's SHA-256. */
int bfile_finish(struct bfile *bf, char *hex, char *err, size_t errlen);
/* Rename into place (after bfile_finish). */
int bfile_commit(struct bfile *bf, char *err, size_t errlen);
/* Close (if open) and remove the temporary file. */
void bfile_abort(struct bfile *bf);
/* open + generate + finish + commit. */
int bfile_write(int dirfd, const char *name, int (*gen)(FILE *f, void *ctx), void *ctx,
		char *err, size_t errlen);

/*
 * Open a bundle file for reading: never through a symlink (errno ELOOP),
 * never anything but a regular file (ENXIO), never blocking on a FIFO.
 */
int bfile_read_open(int dirfd, const char *name);
/* strerror(), with the reasons bfile_read_open() and bundle_getline() add in words. */
const char *bundle_strerror(int err);

/*
 * The longest line read from a bundle file.  The largest event procscope
 * writes (argv and environment areas of 64 KiB each and two paths, every
 * byte escaped as \u00NN) stays under 1 MiB.
 */
#define BUNDLE_LINE_MAX (2u << 20)
/* Lines in a manifest: far more than a bundle has files. */
#define BUNDLE_MANIFEST_MAX 64
/*
 * getline() with a bound: -1 at the end, on a read error (ferror) or out of memory;
 * -2 with errno EMSGSIZE for a line over BUNDLE_LINE_MAX, which is skipped.
 */
ssize_t bundle_getline(char **line, size_t *cap, FILE *f);

/* MANIFEST.sha256 over `names` (files in `dirfd`), its own SHA-256 in `hex`. */
int manifest_write(int dirfd, const char *const *names, char *hex, char *err, size_t errlen);

struct manifest_entry {
	char name[64];
	char hex[SHA256_HEX_LEN + 1];
};

struct manifest {
	struct manifest_entry *e;
	size_t n;
};

/*
 * Parse a manifest in `sha256sum` format.  Malformed lines are passed to
 * `bad` (may be NULL) and skipped.  Returns 0, or -1 with errno set (ENOENT: no manifest).
 */
int manifest_read(int dirfd, struct manifest *m,
		  void (*bad)(void *ctx, size_t lineno, const char *why), void *ctx);
const struct manifest_entry *manifest_find(const struct manifest *m, const char *name);
void manifest_free(struct manifest *m);

/* Read and parse a JSON file in `dirfd` (never through a symlink). */
json_t *json_read_at(int dirfd, const char *name, char *err, size_t errlen);

/* metadata.json (bundle_meta.c). */
struct bundle_meta;
/* The object written at open, "state":"running"; a fresh investigation id. */
json_t *meta_new(const struct bundle_meta *m, char *err, size_t errlen);
/* Turn it into the finished record. */
void meta_finish(json_t *j, const struct bundle_meta *m, struct bidx *x, const char *chain_head,
		 uint64_t lines, uint64_t not_written, bool stopped_early);
int meta_gen(FILE *f, void *json);

/* Views of one kept event line, for tables (bundle_view.c). */
struct event_view {
	json_t *ev;
	char time[48];
	long long pid;
	const char *comm, *type;
	char result[64];        /* "ok", "ENOENT", "ret 3" */
	char subject[1024];     /* the path, file name or endpoint acted on */
	char details[512];      /* the category object as compact JSON, cut */
};

/* Parse a kept line; false when it is not an object. */
bool event_view(const char *line, struct event_view *v);
void event_view_free(struct event_view *v);
/* Cut `s` (filled by snprintf into `len` bytes) on a UTF-8 boundary, marked "...". */
void cut_utf8(char *s, size_t len);
/* A JSON string of `s`; bytes that are not UTF-8 escaped as \\xNN, as in events. */
json_t *json_text(const char *s);
/* One value of metadata.json by path ("command.cwd"), NULL when absent. */
json_t *meta_get(json_t *meta, const char *path);
/* The same when it is a string, else NULL. */
const char *meta_str(json_t *meta, const char *path);
/* Elapsed seconds from the first event (for timelines and tables). */
void view_times(const struct bidx *x, uint64_t ts, char *buf, size_t len);

#define SUMMARY_MAX_ROWS 200
#define HTML_MAX_ROWS    5000

/* Generators: `meta` is metadata.json's object; the index is finished first. */
void bidx_finish(struct bidx *x);
enum summary_flavor { SUMMARY_MD, SUMMARY_TEXT };
/* "complete: no event was lost", "INCOMPLETE: ...". */
void capture_verdict(json_t *meta, struct bidx *x, char *buf, size_t len);
int summary_write(FILE *f, json_t *meta, struct bidx *x, enum summary_flavor flavor);
int html_write(FILE *f, json_t *meta, struct bidx *x);

#endif
