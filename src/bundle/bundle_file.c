// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Atomic file writes, the manifest, and JSON files read back. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle/bundle_out.h"
#include "output/safefile.h"

const char *const bundle_files[] = {
	"alerts.json", "calls.tsv", "events.jsonl", "files.json", "metadata.json", "network.json",
	"notable.json", "process-tree.json", "process-tree.txt", "report.html", "summary.md", NULL,
};

FILE *bfile_open(struct bfile *bf, int dirfd, const char *name, char *err, size_t errlen)
{
	unsigned int rnd = 0;
	int fd;

	memset(bf, 0, sizeof(*bf));
	bf->dirfd = dirfd;
	snprintf(bf->name, sizeof(bf->name), "%s", name);
	if (getrandom(&rnd, sizeof(rnd), 0) != sizeof(rnd))
		rnd = (unsigned int)getpid();
	snprintf(bf->tmp, sizeof(bf->tmp), ".%s.%08x.tmp", name, rnd);
	fd = safe_create_at(dirfd, bf->tmp, false, err, errlen);
	if (fd < 0) {
		bf->tmp[0] = '\0';
		return NULL;
	}
	bf->f = fdopen(fd, "w");
	if (!bf->f) {
		snprintf(err, errlen, "cannot write '%s': %s", name, strerror(errno));
		close(fd);
		bfile_abort(bf);
	}
	return bf->f;
}

int bfile_read_open(int dirfd, const char *name)
{
	/* O_NONBLOCK: opening a FIFO planted in the bundle must not wait for a writer. */
	int fd = openat(dirfd, name, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	int err;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st))
		err = errno;
	else if (!S_ISREG(st.st_mode))
		err = ENXIO;
	else
		return fd;
	close(fd);
	errno = err;
	return -1;
}

const char *bundle_strerror(int err)
{
	if (err == ELOOP)
		return "it is a symbolic link";
	if (err == ENXIO)
		return "it is not a regular file";
	if (err == EMSGSIZE)
		return "a line is longer than procscope ever writes";
	return strerror(err);
}

ssize_t bundle_getline(char **line, size_t *cap, FILE *f)
{
	size_t len = 0, want;
	char *grown;
	int c;

	while ((c = getc_unlocked(f)) != EOF) {
		if (len + 2 > *cap) {
			if (*cap >= BUNDLE_LINE_MAX) {
				/* Skip the rest: the caller goes on with the next line. */
				while (c != '\n' && c != EOF)
					c = getc_unlocked(f);
				errno = EMSGSIZE;
				return -2;
			}
			want = *cap ? *cap * 2 : 4096;
			if (want > BUNDLE_LINE_MAX)
				want = BUNDLE_LINE_MAX;
			grown = realloc(*line, want);
			if (!grown)
				return -1;
			*line = grown;
			*cap = want;
		}
		(*line)[len++] = c;
		if (c == '\n')
			break;
	}
	if (!len)
		return -1;
	(*line)[len] = '\0';
	return len;
}

static int hash_at(int dirfd, const char *name, char *hex)
{
	int fd = bfile_read_open(dirfd, name), ret;

	if (fd < 0)
		return -1;
	ret = sha256_fd_hex(fd, hex);
	close(fd);
	return ret;
}

int bfile_finish(struct bfile *bf, char *hex, char *err, size_t errlen)
{
	errno = 0;
	if (fflush(bf->f) || ferror(bf->f) || fsync(fileno(bf->f)) ||
	    (hex && hash_at(bf->dirfd, bf->tmp, hex))) {
		snprintf(err, errlen, "cannot write '%s': %s", bf->name,
			 errno ? strerror(errno) : "write error");
		return -1;
	}
	return 0;
}

int bfile_commit(struct bfile *bf, char *err, size_t errlen)
{
	int ret = fclose(bf->f);

	bf->f = NULL;
	if (ret || renameat(bf->dirfd, bf->tmp, bf->dirfd, bf->name)) {
		snprintf(err, errlen, "cannot write '%s': %s", bf->name, strerror(errno));
		bfile_abort(bf);
		return -1;
	}
	bf->tmp[0] = '\0';
	return 0;
}

void bfile_abort(struct bfile *bf)
{
	if (bf->f)
		fclose(bf->f);
	bf->f = NULL;
	if (bf->tmp[0])
		unlinkat(bf->dirfd, bf->tmp, 0);
	bf->tmp[0] = '\0';
}

int bfile_write(int dirfd, const char *name, int (*gen)(FILE *f, void *ctx), void *ctx,
		char *err, size_t errlen)
{
	struct bfile bf;

	if (!bfile_open(&bf, dirfd, name, err, errlen))
		return -1;
	errno = 0;
	if (gen(bf.f, ctx)) {
		snprintf(err, errlen, "cannot write '%s': %s", name,
			 errno ? strerror(errno) : "out of memory");
		goto fail;
	}
	if (bfile_finish(&bf, NULL, err, errlen) || bfile_commit(&bf, err, errlen))
		goto fail;
	return 0;
fail:
	bfile_abort(&bf);
	return -1;
}

int manifest_write(int dirfd, const char *const *names, char *hex, char *err, size_t errlen)
{
	char h[SHA256_HEX_LEN + 1];
	struct bfile bf;

	if (!bfile_open(&bf, dirfd, BUNDLE_MANIFEST, err, errlen))
		return -1;
	for (; *names; names++) {
		if (hash_at(dirfd, *names, h)) {
			snprintf(err, errlen, "cannot hash '%s': %s", *names, strerror(errno));
			goto fail;
		}
		fprintf(bf.f, "%s  %s\n", h, *names);
	}
	if (bfile_finish(&bf, hex, err, errlen) || bfile_commit(&bf, err, errlen))
		goto fail;
	return 0;
fail:
	bfile_abort(&bf);
	return -1;
}

static bool plain_name(const char *s)
{
	return *s && strcmp(s, ".") && strcmp(s, "..") && !strchr(s, '/') &&
	       strlen(s) < sizeof(((struct manifest_entry *)0)->name);
}

static const char *parse_line(char *line, struct manifest_entry *e)
{
	size_t len = strlen(line), i;
	char *name;

	if (len && line[len - 1] == '\n')
		line[--len] = '\0';
	if (len < SHA256_HEX_LEN + 3)
		return "not a \"<sha256>  <file>\" line";
	for (i = 0; i < SHA256_HEX_LEN; i++)
		if (!strchr("0123456789abcdef", line[i]) || !line[i])
			return "the digest is not 64 lowercase hex digits";
	/* sha256sum writes two spaces (text mode) or " *" (binary mode). */
	if (line[SHA256_HEX_LEN] != ' ' || (line[SHA256_HEX_LEN + 1] != ' ' &&
					    line[SHA256_HEX_LEN + 1] != '*'))
		return "not a \"<sha256>  <file>\" line";
	name = line + SHA256_HEX_LEN + 2;
	if (!plain_name(name))
		return "names a file outside the bundle directory";
	memcpy(e->hex, line, SHA256_HEX_LEN);
	e->hex[SHA256_HEX_LEN] = '\0';
	snprintf(e->name, sizeof(e->name), "%s", name);
	return NULL;
}

int manifest_read(int dirfd, struct manifest *m,
		  void (*bad)(void *ctx, size_t lineno, const char *why), void *ctx)
{
	int fd = bfile_read_open(dirfd, BUNDLE_MANIFEST), ret = 0;
	struct manifest_entry e, *grown;
	size_t cap = 0, lineno = 0, n = 0;
	const char *why;
	char *line = NULL;
	ssize_t len;
	FILE *f;

	memset(m, 0, sizeof(*m));
	if (fd < 0)
		return -1;
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return -1;
	}
	while ((len = bundle_getline(&line, &n, f)) != -1) {
		if (++lineno > BUNDLE_MANIFEST_MAX) {
			/* Each line is checked against all before it: keep that small. */
			if (bad)
				bad(ctx, lineno, "more lines than a bundle has files (the rest was not read)");
			break;
		}
		why = len < 0 ? bundle_strerror(errno) : parse_line(line, &e);
		if (!why && manifest_find(m, e.name))
			why = "lists a file a second time";
		if (why) {
			if (bad)
				bad(ctx, lineno, why);
			continue;
		}
		if (m->n == cap) {
			cap = cap ? cap * 2 : 16;
			grown = realloc(m->e, cap * sizeof(*grown));
			if (!grown)
				break;
			m->e = grown;
		}
		m->e[m->n++] = e;
	}
	if (ferror(f)) {
		ret = -1;
		manifest_free(m);
	}
	free(line);
	fclose(f);
	return ret;
}

const struct manifest_entry *manifest_find(const struct manifest *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (!strcmp(m->e[i].name, name))
			return &m->e[i];
	return NULL;
}

void manifest_free(struct manifest *m)
{
	free(m->e);
	memset(m, 0, sizeof(*m));
}

json_t *json_read_at(int dirfd, const char *name, char *err, size_t errlen)
{
	int fd = bfile_read_open(dirfd, name);
	json_error_t jerr;
	json_t *j;
	FILE *f;

	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", name, bundle_strerror(errno));
		return NULL;
	}
	f = fdopen(fd, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", name, strerror(errno));
		close(fd);
		return NULL;
	}
	j = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
	fclose(f);
	if (!json_is_object(j)) {
		snprintf(err, errlen, "%s: not a JSON object (line %d: %s)", name, jerr.line,
			 j ? "not an object" : jerr.text);
		json_decref(j);
		return NULL;
	}
	return j;
}
