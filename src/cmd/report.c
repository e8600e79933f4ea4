// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* procscope report: summary.md and report.html again, from a bundle or bare JSON Lines. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle/bundle_index.h"
#include "bundle/bundle_out.h"
#include "common/exitcodes.h"
#include "cmd/report.h"
#include "output/safefile.h"

enum { WANT_MD = 1, WANT_HTML = 2, WANT_TEXT = 4 };

struct report {
	const char *input;
	const char *outdir;
	unsigned int want;
	bool force;
	int indirfd;               /* the bundle, or the directory of the events file */
	const char *events;        /* name inside indirfd */
	bool bundle;
	json_t *meta;
	struct bidx *x;
	char err[512];
};

static void usage(FILE *f)
{
	fprintf(f, "usage: procscope report [--format md|html|text] [-o OUTDIR] [--force] "
		"DIR|EVENTS.jsonl\n"
		"Regenerate summary.md and report.html from a bundle DIR (into DIR) or from JSON "
		"Lines (next to the file);\n--format text prints the summary instead.\n");
}

static int parse_args(struct report *r, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	r->want = WANT_MD | WANT_HTML;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "md"))
				r->want = WANT_MD;
			else if (!strcmp(optarg, "html"))
				r->want = WANT_HTML;
			else if (!strcmp(optarg, "text"))
				r->want = WANT_TEXT;
			else
				goto bad;
			break;
		case 'o':
			r->outdir = optarg;
			break;
		case 'F':
			r->force = true;
			break;
		case 'h':
			usage(stdout);
			return PS_EXIT_OK;
		default:
			goto bad;
		}
	}
	if (optind != argc - 1)
		goto bad;
	r->input = argv[optind];
	return -1;
bad:
	fprintf(stderr, "procscope report: --format takes md, html or text, and one bundle "
		"directory or events file is needed\n");
	usage(stderr);
	return PS_EXIT_USAGE;
}

/* A bundle directory, or an events file and the directory it sits in. */
static int open_input(struct report *r)
{
	char *copy;
	int fd = open(r->input, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	/* Written into, the bundle directory is an output: never through a symlink. */
	if (fd >= 0 && !r->outdir && r->want != WANT_TEXT) {
		close(fd);
		fd = safe_open_dir(r->input, r->err, sizeof(r->err));
		if (fd < 0) {
			fprintf(stderr, "procscope report: %s; write elsewhere with -o OUTDIR\n", r->err);
			return PS_EXIT_CANTCREAT;
		}
	}
	if (fd >= 0) {
		r->indirfd = fd;
		r->events = BUNDLE_EVENTS;
		r->bundle = true;
		return 0;
	}
	if (errno != ENOTDIR) {
		fprintf(stderr, "procscope report: cannot open '%s': %s\n", r->input, strerror(errno));
		return PS_EXIT_NOINPUT;
	}
	copy = strdup(r->input);
	if (!copy)
		return PS_EXIT_OSERR;
	r->indirfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(copy);
	r->events = strrchr(r->input, '/') ? strrchr(r->input, '/') + 1 : r->input;
	/* events.jsonl inside a bundle is the bundle. */
	if (r->indirfd < 0) {
		fprintf(stderr, "procscope report: cannot open the directory of '%s': %s\n",
			r->input, strerror(errno));
		return PS_EXIT_NOINPUT;
	}
	r->bundle = !strcmp(r->events, BUNDLE_EVENTS) &&
		    !faccessat(r->indirfd, BUNDLE_METADATA, F_OK, AT_SYMLINK_NOFOLLOW);
	return 0;
}

static int load_meta(struct report *r)
{
	if (r->bundle) {
		r->meta = json_read_at(r->indirfd, BUNDLE_METADATA, r->err, sizeof(r->err));
		if (!r->meta) {
			fprintf(stderr, "procscope report: '%s' is not a readable bundle: %s\n",
				r->input, r->err);
			return PS_EXIT_DATAERR;
		}
	} else {
		/* Filled from the run header and stats record once they are read. */
		r->meta = json_object();
	}
	r->x = bidx_new(json_string_value(meta_get(r->meta, "command.cwd")));
	return r->x ? 0 : PS_EXIT_OSERR;
}

static int load_events(struct report *r)
{
	int fd = bfile_read_open(r->indirfd, r->events);
	char hex[SHA256_HEX_LEN + 1], *line = NULL;
	size_t cap = 0, open_len;
	ssize_t len;
	FILE *f;

	if (fd < 0) {
		int err = errno;

		fprintf(stderr, "procscope report: cannot read '%s': %s\n", r->input,
			bundle_strerror(err));
		return err == ENXIO ? PS_EXIT_DATAERR : PS_EXIT_NOINPUT;
	}
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return PS_EXIT_OSERR;
	}
	while ((len = bundle_getline(&line, &cap, f)) != -1) {
		if (len < 0) {
			/* Longer than any event: counted as a line that is not one. */
			r->x->lines++;
			r->x->unparsed++;
			continue;
		}
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		/* The chain member is the bundle's, not the event's. */
		if (chain_split(line, len, &open_len, hex)) {
			line[open_len] = '}';
			len = open_len + 1;
		}
		bidx_add(r->x, line, len);
	}
	free(line);
	if (ferror(f)) {
		fprintf(stderr, "procscope report: cannot read '%s': %s\n", r->input, strerror(errno));
		fclose(f);
		return PS_EXIT_DATAERR;
	}
	fclose(f);
	if (r->x->lines && r->x->unparsed == r->x->lines) {
		fprintf(stderr, "procscope report: '%s' holds no JSON Lines events\n", r->input);
		return PS_EXIT_DATAERR;
	}
	if (r->x->unparsed)
		fprintf(stderr, "procscope report: %llu lines of '%s' are not JSON objects and were "
			"skipped\n", (unsigned long long)r->x->unparsed, r->input);
	bidx_finish(r->x);
	return 0;
}

static void set_member(json_t *obj, const char *key, json_t *v)
{
	if (v)
		json_object_set(obj, key, v);
}

/*
 * Bare JSON Lines: what the run header and the stats record say about the
 * run, in the shape of a bundle's metadata, so the summary names the
 * command, host and verdict.  Without a run header it stays "unknown".
 */
static void meta_from_records(struct report *r)
{
	json_t *run = r->x->run, *st = r->x->stats, *cmd, *host, *stats;

	if (!run)
		return;
	cmd = json_object();
	host = json_object();
	stats = json_object();
	set_member(cmd, "argv", json_object_get(run, "command"));
	set_member(cmd, "cwd", json_object_get(run, "cwd"));
	set_member(cmd, "target_pids", json_object_get(run, "pids"));
	set_member(host, "hostname", json_object_get(json_object_get(run, "host"), "name"));
	set_member(host, "boot_id", json_object_get(json_object_get(run, "host"), "boot_id"));
	set_member(host, "kernel_release", json_object_get(run, "kernel"));
	json_object_set_new(r->meta, "command", cmd);
	json_object_set_new(r->meta, "host", host);
	set_member(r->meta, "procscope_version", json_object_get(run, "procscope"));
	set_member(r->meta, "start", json_object_get(run, "time"));
	if (st) {
		set_member(stats, "lost", json_object_get(st, "lost"));
		set_member(stats, "complete", json_object_get(st, "complete"));
		set_member(r->meta, "end", json_object_get(st, "time"));
		set_member(r->meta, "complete", json_object_get(st, "complete"));
		/* A stats record is written only by a run that finished. */
		json_object_set_new(r->meta, "state", json_string("finished"));
	}
	json_object_set_new(r->meta, "stats", stats);
}

static int gen(FILE *f, struct report *r, const char *name)
{
	if (!strcmp(name, BUNDLE_SUMMARY))
		return summary_write(f, r->meta, r->x, SUMMARY_MD);
	return html_write(f, r->meta, r->x);
}

/*
 * Is the sealed `name` on disk what the manifest says, so that leaving it
 * alone leaves the bundle intact?  Read as verify reads it: never through a
 * symlink, and only a regular file.  If not, says why in r->err.
 */
static bool sealed_copy_ok(struct report *r, int dirfd, const char *name,
			   const struct manifest_entry *e)
{
	char hex[SHA256_HEX_LEN + 1];
	int fd = bfile_read_open(dirfd, name), ret;

	if (fd < 0) {
		snprintf(r->err, sizeof(r->err), "'%s' in the bundle: %s, not the file %s seals "
			 "(run procscope verify); pass --force to replace it", name,
			 bundle_strerror(errno), BUNDLE_MANIFEST);
		return false;
	}
	ret = sha256_fd_hex(fd, hex);
	close(fd);
	if (ret || strcmp(hex, e->hex)) {
		snprintf(r->err, sizeof(r->err), "'%s' in the bundle does not match %s (changed "
			 "after sealing: run procscope verify); pass --force to replace it", name,
			 BUNDLE_MANIFEST);
		return false;
	}
	return true;
}

/*
 * Replace `name` in `dirfd` unless that would quietly break a sealed
 * bundle: an identical file is left alone, a different one needs --force.
 */
static int write_one(struct report *r, int dirfd, const char *name, const struct manifest *man)
{
	const struct manifest_entry *e = man ? manifest_find(man, name) : NULL;
	char hex[SHA256_HEX_LEN + 1];
	struct bfile bf;
	struct stat st;
	bool exists = !fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW);

	if (!bfile_open(&bf, dirfd, name, r->err, sizeof(r->err)))
		goto fail;
	if (gen(bf.f, r, name)) {
		snprintf(r->err, sizeof(r->err), "cannot write '%s': %s", name, strerror(errno));
		goto fail;
	}
	if (bfile_finish(&bf, hex, r->err, sizeof(r->err)))
		goto fail;
	if (e && !strcmp(e->hex, hex)) {
		if (sealed_copy_ok(r, dirfd, name, e)) {
			bfile_abort(&bf);
			printf("%s: unchanged (matches %s)\n", name, BUNDLE_MANIFEST);
			return 0;
		}
		/* With --force the entry is replaced by rename(), never written through. */
		if (!r->force)
			goto fail;
	}
	if (exists && !r->force && (e || dirfd != r->indirfd || !r->bundle)) {
		if (e)
			snprintf(r->err, sizeof(r->err), "'%s' is sealed in %s and the new one differs, "
				 "so verify would fail; write it elsewhere with -o OUTDIR, or pass --force",
				 name, BUNDLE_MANIFEST);
		else
			snprintf(r->err, sizeof(r->err), "'%s' already exists; pass --force to replace "
				 "it, or write elsewhere with -o OUTDIR", name);
		goto fail;
	}
	if (bfile_commit(&bf, r->err, sizeof(r->err)))
		goto fail;
	printf("%s: written\n", name);
	return 0;
fail:
	bfile_abort(&bf);
	fprintf(stderr, "procscope report: %s\n", r->err);
	return PS_EXIT_CANTCREAT;
}

static int write_outputs(struct report *r)
{
	int dirfd = r->indirfd, ret = 0;
	struct manifest man = { 0 };
	bool sealed = false;

	if (r->outdir) {
		dirfd = safe_mkdir(r->outdir, r->force, r->err, sizeof(r->err));
		if (dirfd < 0) {
			fprintf(stderr, "procscope report: %s\n", r->err);
			return PS_EXIT_CANTCREAT;
		}
	} else if (r->bundle) {
		sealed = !manifest_read(dirfd, &man, NULL, NULL);
	}
	if (r->want & WANT_MD)
		ret = write_one(r, dirfd, BUNDLE_SUMMARY, sealed ? &man : NULL);
	if (!ret && (r->want & WANT_HTML))
		ret = write_one(r, dirfd, BUNDLE_HTML, sealed ? &man : NULL);
	manifest_free(&man);
	if (dirfd != r->indirfd)
		close(dirfd);
	return ret;
}

int report_main(int argc, char **argv)
{
	struct report r = { .indirfd = -1 };
	int ret = parse_args(&r, argc, argv);

	if (ret >= 0)
		return ret;
	ret = open_input(&r);
	if (!ret)
		ret = load_meta(&r);
	if (!ret)
		ret = load_events(&r);
	if (!ret && !r.bundle)
		meta_from_records(&r);
	if (!ret && r.want == WANT_TEXT)
		ret = summary_write(stdout, r.meta, r.x, SUMMARY_TEXT) ? PS_EXIT_OSERR : 0;
	else if (!ret)
		ret = write_outputs(&r);
	bidx_free(r.x);
	json_decref(r.meta);
	if (r.indirfd >= 0)
		close(r.indirfd);
	return ret;
}
