// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* procscope verify DIR: manifest, hash chain, seq continuity and counts. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/esc.h"
#include "bundle/bundle_map.h"
#include "bundle/bundle_out.h"
#include "common/exitcodes.h"
#include "cmd/verify.h"

struct verify {
	const char *dir;
	int dirfd;
	unsigned long problems;
	/* --expect: the manifest's SHA-256 recorded at capture ("": none given). */
	char expect[SHA256_HEX_LEN + 1];
	json_t *meta;
	bool finished;
	bool sealing;               /* killed while the final files were written */
	struct manifest man;
	bool sealed;
	char manifest_hex[SHA256_HEX_LEN + 1];
	/* From events.jsonl. */
	uint64_t lines, stats_line;
	json_t *stats;
	struct smap types;          /* type -> count */
	char head[SHA256_HEX_LEN + 1];
	bool torn;                  /* last line cut short by an interrupted write */
};

static void problem(struct verify *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void problem(struct verify *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	v->problems++;
}

/* A problem with a file whose name came from the bundle: never print it raw. */
static void problem_at(struct verify *v, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem_at(struct verify *v, const char *name, const char *fmt, ...)
{
	va_list ap;

	esc_text(stdout, name);
	fputs(": ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	v->problems++;
}

static void bad_manifest_line(void *ctx, size_t lineno, const char *why)
{
	problem(ctx, "%s line %zu: %s", BUNDLE_MANIFEST, lineno, why);
}

static bool is_bundle_file(const char *name)
{
	const char *const *n;

	for (n = bundle_files; *n; n++)
		if (!strcmp(*n, name))
			return true;
	return false;
}

static void check_metadata(struct verify *v)
{
	char err[512];
	const char *fmt, *state;

	v->meta = json_read_at(v->dirfd, BUNDLE_METADATA, err, sizeof(err));
	if (!v->meta) {
		problem(v, "%s", err);
		return;
	}
	fmt = json_string_value(json_object_get(v->meta, "format"));
	state = json_string_value(json_object_get(v->meta, "state"));
	if (!fmt || strcmp(fmt, BUNDLE_FORMAT_NAME))
		problem(v, "%s: not a procscope bundle's metadata (format is not \"%s\")",
			BUNDLE_METADATA, BUNDLE_FORMAT_NAME);
	else if (json_integer_value(json_object_get(v->meta, "format_version")) != BUNDLE_FORMAT_VERSION)
		problem(v, "%s: bundle format version %lld; this procscope reads version %d",
			BUNDLE_METADATA, json_integer_value(json_object_get(v->meta, "format_version")),
			BUNDLE_FORMAT_VERSION);
	if (!json_is_string(json_object_get(v->meta, "investigation_id")))
		problem(v, "%s: no investigation_id, so the hash chain cannot be checked from its start",
			BUNDLE_METADATA);
	v->finished = state && !strcmp(state, "finished");
	v->sealing = state && !strcmp(state, "sealing");
	if (!v->finished && !v->sealing && (!state || strcmp(state, "running"))) {
		printf("%s: unknown state \"", BUNDLE_METADATA);
		esc_text(stdout, state ? state : "(none)");
		problem(v, "\"");
	}
}

/* Only a run that got to sealing writes these: "running" beside them is a cut-back bundle. */
static bool written_at_seal(const char *name)
{
	return is_bundle_file(name) && strcmp(name, BUNDLE_EVENTS) && strcmp(name, BUNDLE_METADATA);
}

static void check_file(struct verify *v, const struct manifest_entry *e)
{
	char hex[SHA256_HEX_LEN + 1];
	int fd = bfile_read_open(v->dirfd, e->name);

	if (fd < 0 && errno == ENOENT) {
		problem_at(v, e->name, "listed in %s but missing", BUNDLE_MANIFEST);
		return;
	}
	if (fd < 0) {
		problem_at(v, e->name, "cannot be read (%s)", bundle_strerror(errno));
		return;
	}
	if (sha256_fd_hex(fd, hex))
		problem_at(v, e->name, "cannot be read (%s)", strerror(errno));
	else if (strcmp(hex, e->hex))
		problem_at(v, e->name, "sha256 mismatch (changed after the bundle was sealed)");
	close(fd);
}

/* The manifest's own SHA-256: the one value that pins the whole bundle. */
static void check_manifest_hash(struct verify *v)
{
	int fd = bfile_read_open(v->dirfd, BUNDLE_MANIFEST);

	if (fd < 0 || sha256_fd_hex(fd, v->manifest_hex)) {
		problem(v, "%s: cannot be read (%s)", BUNDLE_MANIFEST, bundle_strerror(errno));
		v->manifest_hex[0] = '\0';
	}
	if (fd >= 0)
		close(fd);
	if (v->expect[0] && v->manifest_hex[0] && strcmp(v->manifest_hex, v->expect))
		problem(v, "%s: sha256 %s, not the expected %s (not the bundle that was captured, "
			"or resealed after a change)", BUNDLE_MANIFEST, v->manifest_hex, v->expect);
}

static void check_manifest(struct verify *v)
{
	const char *const *n;
	size_t i;

	if (manifest_read(v->dirfd, &v->man, bad_manifest_line, v)) {
		int err = errno;

		if (err != ENOENT)
			problem(v, "%s: cannot be read (%s)", BUNDLE_MANIFEST, bundle_strerror(err));
		else if (v->finished)
			problem(v, "%s: missing, though metadata.json says the bundle was finished",
				BUNDLE_MANIFEST);
		if (v->expect[0])
			problem(v, "%s: %s, so --expect has nothing to compare with", BUNDLE_MANIFEST,
				err == ENOENT ? "missing" : "unreadable");
		return;
	}
	v->sealed = true;
	check_manifest_hash(v);
	if (!v->finished && v->meta)
		problem(v, "%s: says \"%s\" but the bundle has a manifest", BUNDLE_METADATA,
			v->sealing ? "sealing" : "running");
	for (i = 0; i < v->man.n; i++) {
		if (!is_bundle_file(v->man.e[i].name))
			problem_at(v, v->man.e[i].name, "listed in %s but not a bundle file",
				   BUNDLE_MANIFEST);
		check_file(v, &v->man.e[i]);
	}
	for (n = bundle_files; *n; n++)
		if (!manifest_find(&v->man, *n))
			problem(v, "%s: not listed in %s", *n, BUNDLE_MANIFEST);
}

/* Anything in the directory that the bundle does not account for. */
static void check_extra(struct verify *v)
{
	int fd = dup(v->dirfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *de;
	bool known;

	if (!d) {
		if (fd >= 0)
			close(fd);
		problem(v, "%s: cannot be listed (%s)", v->dir, strerror(errno));
		return;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		known = !strcmp(de->d_name, BUNDLE_MANIFEST) ||
			(v->sealed ? manifest_find(&v->man, de->d_name) != NULL :
				     is_bundle_file(de->d_name));
		if (!known)
			problem_at(v, de->d_name, "not part of the bundle (not listed in %s)",
				   BUNDLE_MANIFEST);
		else if (!v->finished && !v->sealing && v->meta && written_at_seal(de->d_name))
			problem_at(v, de->d_name, "written only when a run ends, yet %s says "
				   "\"running\" (a finished bundle cut back?)", BUNDLE_METADATA);
	}
	closedir(d);
}

static void count_type(struct verify *v, const char *type)
{
	uint64_t *n = smap_get(&v->types, type);

	if (!n) {
		n = calloc(1, sizeof(*n));
		if (!n || !smap_put(&v->types, type, n)) {
			free(n);
			return;
		}
	}
	(*n)++;
}

/* Seq must run 1, 2, 3...: report jumps and stragglers, then carry on. */
static void check_seq(struct verify *v, json_t *ev, uint64_t *expect)
{
	json_t *seq = json_object_get(ev, "seq");
	uint64_t s;

	if (!json_is_integer(seq)) {
		problem(v, "%s line %llu: no seq", BUNDLE_EVENTS, (unsigned long long)v->lines);
		return;
	}
	s = json_integer_value(seq);
	if (s == *expect) {
		(*expect)++;
	} else if (s > *expect) {
		problem(v, "%s line %llu: seq %llu where %llu was expected (events missing)",
			BUNDLE_EVENTS, (unsigned long long)v->lines, (unsigned long long)s,
			(unsigned long long)*expect);
		*expect = s + 1;
	} else {
		problem(v, "%s line %llu: seq %llu out of order (after %llu)", BUNDLE_EVENTS,
			(unsigned long long)v->lines, (unsigned long long)s,
			(unsigned long long)*expect - 1);
	}
}

static void check_line(struct verify *v, struct chain *c, bool *synced, char *line, size_t len,
		       uint64_t *expect)
{
	char hex[SHA256_HEX_LEN + 1];
	const char *type;
	size_t open_len;
	json_t *ev;

	if (!chain_split(line, len, &open_len, hex)) {
		problem(v, "%s line %llu: no chain member (not written by procscope, or edited)",
			BUNDLE_EVENTS, (unsigned long long)v->lines);
		*synced = false;
	} else {
		if (*synced && (chain_step(c, line, open_len) || strcmp(c->head, hex)))
			problem(v, "%s line %llu: hash chain broken (edited, deleted or reordered event)",
				BUNDLE_EVENTS, (unsigned long long)v->lines);
		/* Resynchronise on the stored value: one bad line is one problem. */
		memcpy(c->head, hex, sizeof(hex));
		*synced = true;
	}
	memcpy(v->head, c->head, sizeof(v->head));
	ev = json_loadb(line, len, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(ev)) {
		problem(v, "%s line %llu: not a JSON object", BUNDLE_EVENTS, (unsigned long long)v->lines);
		json_decref(ev);
		return;
	}
	check_seq(v, ev, expect);
	type = json_string_value(json_object_get(ev, "type"));
	count_type(v, type ? type : "(untyped)");
	if (v->stats_line)
		problem(v, "%s line %llu: event after the stats record", BUNDLE_EVENTS,
			(unsigned long long)v->lines);
	if (type && !strcmp(type, "stats") && !v->stats_line) {
		v->stats_line = v->lines;
		v->stats = json_incref(ev);
	}
	json_decref(ev);
}

static void check_events(struct verify *v)
{
	const char *id = json_string_value(json_object_get(v->meta, "investigation_id"));
	int fd = bfile_read_open(v->dirfd, BUNDLE_EVENTS);
	struct chain c = { 0 };
	bool synced = id != NULL;
	uint64_t expect = 1;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *f;

	if (fd < 0) {
		problem(v, "%s: %s", BUNDLE_EVENTS, errno == ENOENT ? "missing" : bundle_strerror(errno));
		return;
	}
	f = fdopen(fd, "r");
	if (!f || chain_init(&c, id ? id : "")) {
		problem(v, "%s: cannot be read (%s)", BUNDLE_EVENTS, strerror(errno));
		if (f)
			fclose(f);
		else
			close(fd);
		chain_free(&c);
		return;
	}
	while ((len = bundle_getline(&line, &cap, f)) != -1) {
		v->lines++;
		if (len < 0) {
			problem(v, "%s line %llu: longer than %u bytes (not written by procscope)",
				BUNDLE_EVENTS, (unsigned long long)v->lines, BUNDLE_LINE_MAX);
			synced = false;
			continue;
		}
		if (line[len - 1] != '\n' && !v->finished && !v->sealing) {
			/* A write interrupted by the kill; nothing after it. */
			v->torn = true;
			v->lines--;
			break;
		}
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		else
			problem(v, "%s line %llu: cut short (no newline)", BUNDLE_EVENTS,
				(unsigned long long)v->lines);
		check_line(v, &c, &synced, line, len, &expect);
	}
	if (ferror(f))
		problem(v, "%s: read error after line %llu (%s)", BUNDLE_EVENTS,
			(unsigned long long)v->lines, strerror(errno));
	free(line);
	fclose(f);
	chain_free(&c);
}

/* A value of metadata.json as compact JSON, escaped and cut, for a message. */
static void json_brief(json_t *j, char *buf, size_t len)
{
	char *dump = j ? json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;

	esc_text_buf(buf, len, dump ? dump : "absent");
	free(dump);
}

/*
 * metadata.json's copy of the stats record must be the record's own: the
 * record is covered by the hash chain, metadata.json only by the manifest,
 * which anyone can recompute.
 */
static void check_stats_copy(struct verify *v, json_t *copy)
{
	static const char *const keys[] = { "events", "lost", "complete", NULL };
	char have[96], want[96];
	const char *const *k;

	for (k = keys; *k; k++) {
		if (json_equal(json_object_get(copy, *k), json_object_get(v->stats, *k)))
			continue;
		json_brief(json_object_get(copy, *k), have, sizeof(have));
		json_brief(json_object_get(v->stats, *k), want, sizeof(want));
		problem(v, "%s: stats.%s is %s, but the stats record in %s says %s", BUNDLE_METADATA,
			*k, have, BUNDLE_EVENTS, want);
	}
	if (!json_equal(json_object_get(copy, "counters"), json_object_get(v->stats, "counters")))
		problem(v, "%s: drop counters differ from the stats record in %s", BUNDLE_METADATA,
			BUNDLE_EVENTS);
}

/*
 * "complete" is derived (docs/bundle.md): true exactly when the chained
 * stats record says nothing was lost, every line was written and the run
 * was not stopped early.  Relabelling a lossy capture complete, or a
 * complete one incomplete, disagrees with the record.
 */
static void check_complete(struct verify *v)
{
	json_t *complete = json_object_get(v->meta, "complete");
	json_t *not_written = json_object_get(json_object_get(v->meta, "omitted"), "lines_not_written");
	json_t *reason = json_object_get(v->meta, "stop_reason");
	bool rec_complete = v->stats && json_is_true(json_object_get(v->stats, "complete"));
	bool derived;

	if (!json_is_boolean(complete)) {
		problem(v, "%s: complete is not true or false", BUNDLE_METADATA);
		return;
	}
	if (!json_is_integer(not_written) || json_integer_value(not_written) < 0)
		problem(v, "%s: omitted.lines_not_written is not a count", BUNDLE_METADATA);
	derived = rec_complete && json_integer_value(not_written) == 0 && json_is_null(reason);
	if (json_is_true(complete) && !v->stats)
		problem(v, "%s: says complete, but %s has no stats record", BUNDLE_METADATA,
			BUNDLE_EVENTS);
	else if (json_is_true(complete) && !rec_complete)
		problem(v, "%s: says complete, but the stats record in %s says %lld events were lost",
			BUNDLE_METADATA, BUNDLE_EVENTS,
			json_integer_value(json_object_get(v->stats, "lost")));
	else if (json_is_true(complete) && !derived)
		problem(v, "%s: says complete, but also that the run stopped early or lines were not "
			"written", BUNDLE_METADATA);
	else if (!json_is_true(complete) && derived)
		problem(v, "%s: says incomplete, but the stats record in %s lost nothing and the run "
			"neither stopped early nor failed to write a line", BUNDLE_METADATA,
			BUNDLE_EVENTS);
}

static void check_stats(struct verify *v)
{
	json_t *copy = json_object_get(v->meta, "stats");

	if (v->stats && !json_is_object(copy))
		problem(v, "%s: has no copy of the stats record in %s", BUNDLE_METADATA,
			BUNDLE_EVENTS);
	else if (v->stats)
		check_stats_copy(v, copy);
	else if (!json_is_null(copy))
		problem(v, "%s: has stats, but %s has no stats record", BUNDLE_METADATA,
			BUNDLE_EVENTS);
	check_complete(v);
}

static void check_counts(struct verify *v)
{
	json_t *by_type = json_object_get(json_object_get(v->meta, "events"), "by_type"), *n;
	json_t *total = json_object_get(json_object_get(v->meta, "events"), "total");
	const char *type, *head = json_string_value(json_object_get(v->meta, "chain_head"));
	struct smap_ent *e;
	char name[128];
	size_t i;

	if (!v->finished && !v->sealing)
		return;
	if (!v->stats_line)
		problem(v, "%s: no stats record at the end (the capture was cut short)", BUNDLE_EVENTS);
	if ((uint64_t)json_integer_value(total) != v->lines || !json_is_integer(total))
		problem(v, "%s: counts %lld events, %s has %llu", BUNDLE_METADATA,
			json_integer_value(total), BUNDLE_EVENTS, (unsigned long long)v->lines);
	if (!head || strcmp(head, v->head))
		problem(v, "%s: chain head does not match the last line of %s (events cut off or added)",
			BUNDLE_METADATA, BUNDLE_EVENTS);
	/* Type names come from the bundle: printed escaped, and cut. */
	json_object_foreach(by_type, type, n) {
		uint64_t *have = smap_get(&v->types, type);

		esc_text_buf(name, sizeof(name), type);
		if (!have || *have != (uint64_t)json_integer_value(n))
			problem(v, "%s: counts %lld %s events, %s has %llu", BUNDLE_METADATA,
				json_integer_value(n), name, BUNDLE_EVENTS,
				(unsigned long long)(have ? *have : 0));
	}
	for (i = 0; i < v->types.nslots; i++)
		for (e = v->types.slots[i]; e; e = e->next)
			if (!json_object_get(by_type, e->key)) {
				esc_text_buf(name, sizeof(name), e->key);
				problem(v, "%s: has %llu %s events that %s does not count", BUNDLE_EVENTS,
					(unsigned long long)*(uint64_t *)e->val, name, BUNDLE_METADATA);
			}
	check_stats(v);
}

static int verdict(struct verify *v)
{
	json_t *lost = json_object_get(json_object_get(v->meta, "stats"), "lost");
	const char *reason = json_string_value(json_object_get(v->meta, "stop_reason"));
	char why[128];

	if (v->manifest_hex[0])
		printf("%s sha256 %s%s\n", BUNDLE_MANIFEST, v->manifest_hex,
		       v->expect[0] ? "" : " (compare it with the value printed when the bundle was made)");
	if (v->problems) {
		printf("%s: NOT INTACT: %lu problem%s found\n", v->dir, v->problems,
		       v->problems == 1 ? "" : "s");
		return PS_EXIT_FAILED;
	}
	if (v->sealing) {
		printf("%s: intact but INCOMPLETE: procscope was killed while writing the summaries; "
		       "all %llu events were saved and agree with %s\n", v->dir,
		       (unsigned long long)v->lines, BUNDLE_METADATA);
		return PS_EXIT_INCOMPLETE;
	}
	if (!v->finished) {
		printf("%s: intact but INCOMPLETE: procscope did not finish (it was killed); the %llu "
		       "events saved are chained correctly%s\n", v->dir, (unsigned long long)v->lines,
		       v->torn ? ", and a last line cut short by the interruption was left out" : "");
		return PS_EXIT_INCOMPLETE;
	}
	if (!json_is_true(json_object_get(v->meta, "complete"))) {
		esc_text_buf(why, sizeof(why), reason);
		printf("%s: intact but INCOMPLETE: %lld events lost%s%s\n", v->dir,
		       json_integer_value(lost), reason ? "; stopped early: " : "", why);
		return PS_EXIT_INCOMPLETE;
	}
	printf("%s: intact and complete: %llu events, chain head %s\n", v->dir,
	       (unsigned long long)v->lines, v->head);
	return PS_EXIT_OK;
}

static bool looks_like_bundle(int dirfd)
{
	return !faccessat(dirfd, BUNDLE_METADATA, F_OK, AT_SYMLINK_NOFOLLOW) ||
	       !faccessat(dirfd, BUNDLE_MANIFEST, F_OK, AT_SYMLINK_NOFOLLOW) ||
	       !faccessat(dirfd, BUNDLE_EVENTS, F_OK, AT_SYMLINK_NOFOLLOW);
}

static void free_count(void *p)
{
	free(p);
}

static const char usage[] =
	"usage: procscope verify [--expect SHA256] DIR\n"
	"Check an evidence bundle: exit 0 intact and complete, 2 intact but incomplete, 1 a "
	"problem (each printed), 66 no such DIR, 65 not a bundle.\n"
	"--expect: the MANIFEST.sha256 sha256 printed when the bundle was made; a bundle "
	"with another manifest is a problem.\n";

/* 64 hex digits, in either case, into `hex` in lower case. */
static bool sha256_hex_arg(const char *s, char *hex)
{
	size_t i;

	for (i = 0; s[i]; i++) {
		if (i >= SHA256_HEX_LEN || !isxdigit((unsigned char)s[i]))
			return false;
		hex[i] = tolower((unsigned char)s[i]);
	}
	hex[i] = '\0';
	return i == SHA256_HEX_LEN;
}

/* -1 to go on, else the exit code. */
static int parse_args(struct verify *v, int argc, char **argv)
{
	const char *expect;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return PS_EXIT_OK;
		}
		if (!strcmp(argv[i], "--expect") && i + 1 < argc) {
			expect = argv[++i];
		} else if (!strncmp(argv[i], "--expect=", 9)) {
			expect = argv[i] + 9;
		} else if (argv[i][0] != '-' && !v->dir) {
			v->dir = argv[i];
			continue;
		} else {
			fprintf(stderr, "procscope verify: give one bundle directory: procscope verify "
				"[--expect SHA256] DIR\n");
			return PS_EXIT_USAGE;
		}
		if (!sha256_hex_arg(expect, v->expect)) {
			fprintf(stderr, "procscope verify: --expect takes the 64 hex digits of a SHA-256, "
				"as printed when the bundle was made\n");
			return PS_EXIT_USAGE;
		}
	}
	if (!v->dir) {
		fprintf(stderr, "procscope verify: give one bundle directory: procscope verify "
			"[--expect SHA256] DIR\n");
		return PS_EXIT_USAGE;
	}
	return -1;
}

int verify_main(int argc, char **argv)
{
	struct verify v = { .dirfd = -1 };
	int ret = parse_args(&v, argc, argv);

	if (ret >= 0)
		return ret;
	v.dirfd = open(v.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (v.dirfd < 0 && errno == ENOTDIR) {
		fprintf(stderr, "procscope verify: '%s' is not a directory; a bundle is the directory "
			"given to --bundle\n", v.dir);
		return PS_EXIT_DATAERR;
	}
	if (v.dirfd < 0) {
		fprintf(stderr, "procscope verify: cannot open '%s': %s\n", v.dir, strerror(errno));
		return PS_EXIT_NOINPUT;
	}
	if (!looks_like_bundle(v.dirfd)) {
		fprintf(stderr, "procscope verify: '%s' is not a procscope bundle (it has no %s, %s "
			"or %s)\n", v.dir, BUNDLE_METADATA, BUNDLE_EVENTS, BUNDLE_MANIFEST);
		close(v.dirfd);
		return PS_EXIT_DATAERR;
	}
	check_metadata(&v);
	check_manifest(&v);
	check_extra(&v);
	check_events(&v);
	check_counts(&v);
	ret = verdict(&v);
	manifest_free(&v.man);
	smap_free(&v.types, free_count);
	json_decref(v.stats);
	json_decref(v.meta);
	close(v.dirfd);
	return ret;
}
