// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bundle/bundle_index.h"
#include "bundle/bundle_out.h"
#include "event/render.h"

/* Errors that say the program was refused something: always worth a look. */
static const char *const refusals[] = { "EACCES", "EPERM", "EROFS", "ETXTBSY", NULL };

/* File operations that only look; any other file.* type changes something. */
static const char *const file_reads[] = {
	"file.stat", "file.access", "file.readlink", "file.getxattr", "file.listxattr",
	"file.statfs", "file.chdir", "file.read", NULL,
};

static bool in_list(const char *const *list, const char *s)
{
	for (; s && *list; list++)
		if (!strcmp(*list, s))
			return true;
	return false;
}

struct bidx *bidx_new(const char *cwd)
{
	struct bidx *x = calloc(1, sizeof(*x));

	if (!x)
		return NULL;
	x->types.names_only = true;
	x->errors.names_only = true;
	calls_init(&x->calls);
	if (cwd && *cwd) {
		x->cwd = strdup(cwd);
		if (!x->cwd) {
			free(x);
			return NULL;
		}
	}
	return x;
}

static void kept_free(struct bkept *k)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		free(k->lines[i]);
	free(k->lines);
}

void bidx_free(struct bidx *x)
{
	size_t i;

	if (!x)
		return;
	tally_free(&x->types);
	tally_free(&x->files);
	tally_free(&x->net);
	tally_free(&x->errors);
	calls_free(&x->calls);
	for (i = 0; i < x->nproc; i++)
		proc_free(x->proc[i]);
	free(x->proc);
	smap_free(&x->procs, NULL);
	smap_free(&x->names, NULL);
	kept_free(&x->notable);
	kept_free(&x->failures);
	kept_free(&x->findings);
	json_decref(x->stats);
	json_decref(x->run);
	free(x->cwd);
	free(x);
}

bool bidx_charge(struct bidx *x, size_t n)
{
	if (x->bytes + n > BIDX_BUDGET)
		return false;
	x->bytes += n;
	return true;
}

const char *bidx_intern(struct bidx *x, const char *name)
{
	struct smap_ent *e;
	const char *s;

	if (!name)
		return NULL;
	e = smap_find(&x->names, name);
	if (e)
		return e->key;
	if (x->names.n >= BIDX_MAX_NAMES)
		return "(other)";
	s = smap_put(&x->names, name, NULL);
	return s ? s : "(other)";
}

void bidx_time(const struct bidx *x, uint64_t ts_ns, char *buf, size_t len)
{
	struct render_ctx rc = { .boot_to_real_ns = x->boot_to_real_ns };

	if (!x->have_clock || !ts_ns) {
		snprintf(buf, len, "?");
		return;
	}
	render_time(&rc, ts_ns, buf, len);
}

bool bidx_outside_cwd(const struct bidx *x, const char *path)
{
	size_t n;

	if (!x->cwd || !path || path[0] != '/')
		return true;
	n = strlen(x->cwd);
	while (n > 1 && x->cwd[n - 1] == '/')
		n--;
	if (n == 1)
		return false;
	return strncmp(path, x->cwd, n) || (path[n] && path[n] != '/');
}

bool bidx_pseudo_device(const char *path)
{
	static const char *const exact[] = {
		"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty",
		"/dev/ptmx", "/dev/console", "/dev/stdin", "/dev/stdout", "/dev/stderr", NULL,
	};
	static const char *const under[] = { "/dev/pts/", "/dev/fd/", "/proc/self/fd/", NULL };
	int i;

	if (!path)
		return false;
	for (i = 0; exact[i]; i++)
		if (!strcmp(path, exact[i]))
			return true;
	for (i = 0; under[i]; i++)
		if (!strncmp(path, under[i], strlen(under[i])))
			return true;
	return false;
}

uint64_t bidx_type_count(const struct bidx *x, const char *type)
{
	const struct bitem *it = smap_get(&x->types.map, type);

	return it ? it->total : 0;
}

/* "2026-11-23T12:00:00.123456789Z" to ns since the epoch. */
static bool parse_time(const char *s, int64_t *ns)
{
	struct tm tm = { 0 };
	const char *p = s ? strptime(s, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
	long long frac = 0;
	int digits = 0;

	if (!p)
		return false;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9' && digits < 9; p++, digits++)
			frac = frac * 10 + (*p - '0');
	for (; digits < 9; digits++)
		frac *= 10;
	if (*p != 'Z')
		return false;
	*ns = (int64_t)timegm(&tm) * 1000000000LL + frac;
	return true;
}

static void note_clock(struct bidx *x, json_t *ev, uint64_t ts)
{
	int64_t real;

	if (!ts)
		return;
	if (!x->first_ns || ts < x->first_ns)
		x->first_ns = ts;
	if (ts > x->last_ns)
		x->last_ns = ts;
	if (!x->have_clock && parse_time(json_string_value(json_object_get(ev, "time")), &real)) {
		x->boot_to_real_ns = real - (int64_t)ts;
		x->have_clock = true;
	}
}

static void keep(struct bidx *x, struct bkept *k, const char *line, size_t len)
{
	char **lines;
	char *copy;

	if (k->n >= BIDX_MAX_KEPT || !bidx_charge(x, len + 1 + sizeof(char *)))
		goto omit;
	/* Room for 16, then doubled whenever n reaches a power of two. */
	if (!k->n || (k->n >= 16 && !(k->n & (k->n - 1)))) {
		lines = realloc(k->lines, (k->n ? k->n * 2 : 16) * sizeof(*lines));
		if (!lines)
			goto omit;
		k->lines = lines;
	}
	copy = strndup(line, len);
	if (!copy)
		goto omit;
	k->lines[k->n++] = copy;
	return;
omit:
	k->omitted++;
}

static const char *path_of(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (json_is_null(v))
		return "(unreadable path)";
	return json_string_value(v);
}

/* One open flag's contribution to the access seen (NULL: not a name). */
static unsigned int flag_access(const char *f)
{
	if (!f)
		return 0;
	if (!strcmp(f, "O_WRONLY") || !strcmp(f, "O_RDWR"))
		return ACC_WRITE;
	if (!strcmp(f, "O_CREAT") || !strcmp(f, "O_TMPFILE"))
		return ACC_CREATE;
	if (!strcmp(f, "O_TRUNC"))
		return ACC_TRUNC;
	return 0;
}

static unsigned int open_access(unsigned int acc, size_t nflags)
{
	if (!(acc & ACC_WRITE) || nflags == 0)
		acc |= ACC_READ;
	if (acc & (ACC_CREATE | ACC_TRUNC))
		acc &= ~ACC_READ;
	return acc;
}

static unsigned int open_access_json(json_t *file)
{
	json_t *flags = json_object_get(file, "flags"), *flag;
	unsigned int acc = 0;
	size_t i;

	json_array_foreach(flags, i, flag)
		acc |= flag_access(json_string_value(flag));
	return open_access(acc, json_array_size(flags));
}

/* What a file event is about; `target` NULL when the event has none. */
static void add_file_paths(struct bidx *x, const char *type, const char *path,
			   const char *target, unsigned int open_acc, const char *error, uint64_t ts)
{
	unsigned int acc;
	char op[96];

	if (!strcmp(type, "file.open"))
		acc = open_acc;
	else
		acc = in_list(file_reads, type) ? ACC_READ : ACC_CHANGE;
	if (path)
		tally_add(x, &x->files, path, NULL, NULL, type, error, error ? 0 : acc, ts);
	if (target) {
		snprintf(op, sizeof(op), "%s (target)", type);
		tally_add(x, &x->files, target, NULL, NULL, bidx_intern(x, op), error,
			  error ? 0 : ACC_CHANGE, ts);
	}
}

static void add_file(struct bidx *x, const char *type, json_t *ev, const char *error, uint64_t ts)
{
	json_t *file = json_object_get(ev, "file");
	const char *target = json_object_get(file, "target") ? path_of(file, "target") : NULL;

	add_file_paths(x, type, path_of(file, "path"), target, open_access_json(file), error, ts);
}

static json_t *endpoint_ident(json_t *ev)
{
	json_t *net = json_object_get(ev, "net"), *id = json_object();
	static const char *const keys[] = { "family", "address", "port", "path", NULL };
	const char *const *k;

	for (k = keys; id && *k; k++)
		if (json_object_get(net, *k))
			json_object_set(id, *k, json_object_get(net, *k));
	return id;
}

static void add_net(struct bidx *x, const char *type, json_t *ev, const char *error, uint64_t ts)
{
	json_t *net = json_object_get(ev, "net");
	const char *addr = json_string_value(json_object_get(net, "address"));
	const char *path = json_string_value(json_object_get(net, "path"));
	json_t *port = json_object_get(net, "port");
	char key[512];
	int n;

	if (path)
		n = snprintf(key, sizeof(key), "unix:%s", path);
	else if (addr && strchr(addr, ':'))
		n = snprintf(key, sizeof(key), "[%s]:%lld", addr, json_integer_value(port));
	else if (addr)
		n = snprintf(key, sizeof(key), "%s:%lld", addr, json_integer_value(port));
	else
		return;
	if (n >= (int)sizeof(key))
		cut_utf8(key, sizeof(key));
	tally_add(x, &x->net, key, endpoint_ident, ev, type, error, 0, ts);
}

static bool worth_a_look(const char *type, const char *error, bool notable)
{
	if (!error)
		return false;
	if (notable || in_list(refusals, error))
		return true;
	/* A PATH search fails with ENOENT all the time; other exec failures do not. */
	return !strcmp(type, "process.exec") && strcmp(error, "ENOENT");
}

/* An errno without a name is written as its number: still a failure. */
static const char *error_text(json_t *error, char buf[24])
{
	if (json_is_integer(error)) {
		snprintf(buf, 24, "%lld", (long long)json_integer_value(error));
		return buf;
	}
	return json_string_value(error);
}

static void add_event(struct bidx *x, json_t *ev, const char *line, size_t len)
{
	char errnum[24];
	const char *type = bidx_intern(x, json_string_value(json_object_get(ev, "type")));
	const char *error = bidx_intern(x, error_text(json_object_get(ev, "error"), errnum));
	const char *key = json_string_value(json_object_get(ev, "key"));
	uint64_t ts = json_integer_value(json_object_get(ev, "ts_ns"));
	bool notable = json_is_true(json_object_get(ev, "notable"));
	struct bproc *p = NULL;

	if (!type)
		type = "(untyped)";
	note_clock(x, ev, ts);
	if (!strcmp(type, "stats")) {
		json_decref(x->stats);
		x->stats = json_incref(ev);
	} else if (!strcmp(type, "run")) {
		if (!x->run)
			x->run = json_incref(ev);
	} else {
		calls_add(&x->calls, type, json_string_value(json_object_get(ev, "syscall")), error, ts);
	}
	tally_add(x, &x->types, type, NULL, ev, type, error, 0, ts);
	if (error)
		tally_add(x, &x->errors, error, NULL, ev, type, error, 0, ts);
	if (key) {
		p = proc_get(x, key, ev);
		density_add(&x->density, ts, type, error != NULL);
	}
	if (p) {
		p->events++;
		p->notable += notable;
		proc_event(x, p, type, ev);
	}
	if (!strncmp(type, "file.", 5))
		add_file(x, type, ev, error, ts);
	else if (!strncmp(type, "net.", 4))
		add_net(x, type, ev, error, ts);
	if (notable)
		keep(x, &x->notable, line, len);
	if (worth_a_look(type, error, notable))
		keep(x, &x->failures, line, len);
	if (json_object_get(ev, "rule"))
		keep(x, &x->findings, line, len);
}

/*
 * The fast path for the flood of file events: the consumer hands over what
 * it knows of the event it has just rendered, and only the line's "file"
 * object is read back, by a scanner of this program's own canonical output
 * that gives up (and lets jansson parse the whole line) on anything it does
 * not expect: an escape in a string, a nested object.  Parsing every line
 * with jansson cost more than everything else the bundle does.
 */
struct file_scan {
	const char *path, *target;     /* NULL: absent */
	bool path_null, target_null;
	size_t path_len, target_len;
	unsigned int open_acc;
	size_t nflags;
};

/* A string without escapes at *p (after its opening quote); false: give up. */
static bool scan_plain_str(const char **p, const char *end, const char **s, size_t *len)
{
	const char *q = *p;

	while (q < end && *q != '"') {
		if (*q == '\\')
			return false;
		q++;
	}
	if (q == end)
		return false;
	*s = *p;
	*len = q - *p;
	*p = q + 1;
	return true;
}

static bool scan_flags(const char **p, const char *end, struct file_scan *f)
{
	char name[32];
	const char *s;
	size_t l;

	while (*p < end && **p != ']') {
		if (**p == ',')
			(*p)++;
		if (*p >= end || **p != '"')
			return false;
		(*p)++;
		if (!scan_plain_str(p, end, &s, &l))
			return false;
		f->nflags++;
		if (l < sizeof(name)) {
			memcpy(name, s, l);
			name[l] = '\0';
			f->open_acc |= flag_access(name);
		}
	}
	if (*p >= end)
		return false;
	(*p)++;
	return true;
}

/* Skip a number, true, false: anything up to the next ',' or '}'. */
static bool scan_scalar(const char **p, const char *end)
{
	while (*p < end && **p != ',' && **p != '}') {
		if (**p == '"' || **p == '{' || **p == '[')
			return false;
		(*p)++;
	}
	return *p < end;
}

static bool scan_member(const char **p, const char *end, struct file_scan *f)
{
	const char *k, *v;
	size_t kl, vl;

	if (*p >= end || **p != '"')
		return false;
	(*p)++;
	if (!scan_plain_str(p, end, &k, &kl) || *p >= end || **p != ':')
		return false;
	(*p)++;
	if (*p >= end)
		return false;
	if (**p == '[') {
		(*p)++;
		return kl == 5 && !memcmp(k, "flags", 5) && scan_flags(p, end, f);
	}
	if (**p == '"') {
		(*p)++;
		if (!scan_plain_str(p, end, &v, &vl))
			return false;
		if (kl == 4 && !memcmp(k, "path", 4)) {
			f->path = v;
			f->path_len = vl;
		} else if (kl == 6 && !memcmp(k, "target", 6)) {
			f->target = v;
			f->target_len = vl;
		}
		return true;
	}
	if (end - *p >= 4 && !memcmp(*p, "null", 4)) {
		if (kl == 4 && !memcmp(k, "path", 4))
			f->path_null = true;
		else if (kl == 6 && !memcmp(k, "target", 6))
			f->target_null = true;
	}
	return scan_scalar(p, end);
}

/* The line's "file" object, which the renderer writes last. */
static bool scan_file(const char *line, size_t len, struct file_scan *f)
{
	static const char head[] = ",\"file\":{";
	const char *end = line + len, *p = memmem(line, len, head, sizeof(head) - 1);

	memset(f, 0, sizeof(*f));
	if (!p)
		return false;
	p += sizeof(head) - 1;
	while (p < end && *p != '}') {
		if (*p == ',')
			p++;
		if (!scan_member(&p, end, f))
			return false;
	}
	/* The object, then the event's own closing brace, end the line. */
	return p + 2 == end && p[1] == '}';
}

static const char *scanned_path(char *buf, size_t buflen, const char *s, size_t len, bool null)
{
	if (null)
		return "(unreadable path)";
	if (!s || len >= buflen)
		return NULL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return buf;
}

bool bidx_add_fast(struct bidx *x, const struct bfacts *e, const char *line, size_t len)
{
	/* A rendered path is at most 4 bytes per byte of a 4096-byte one. */
	static char path[16384], target[16384];
	const char *type, *error;
	struct file_scan f;
	struct bproc *p;

	if (!x->have_clock || e->notable || strncmp(e->type, "file.", 5) || !e->key ||
	    memmem(line, len, "\"rule\":", 7))
		return false;
	p = smap_get(&x->procs, e->key);
	if (!p || !scan_file(line, len, &f))
		return false;
	if ((f.path && f.path_len >= sizeof(path)) || (f.target && f.target_len >= sizeof(target)))
		return false;
	type = bidx_intern(x, e->type);
	error = bidx_intern(x, e->error);
	x->lines++;
	if (e->ts && (!x->first_ns || e->ts < x->first_ns))
		x->first_ns = e->ts;
	if (e->ts > x->last_ns)
		x->last_ns = e->ts;
	tally_add(x, &x->types, type, NULL, NULL, type, error, 0, e->ts);
	calls_add(&x->calls, type, e->syscall, error, e->ts);
	if (error)
		tally_add(x, &x->errors, error, NULL, NULL, type, error, 0, e->ts);
	p->events++;
	density_add(&x->density, e->ts, type, error != NULL);
	add_file_paths(x, type, scanned_path(path, sizeof(path), f.path, f.path_len, f.path_null),
		       f.target || f.target_null ?
		       scanned_path(target, sizeof(target), f.target, f.target_len, f.target_null) : NULL,
		       open_access(f.open_acc, f.nflags), error, e->ts);
	if (worth_a_look(type, error, false))
		keep(x, &x->failures, line, len);
	return true;
}

void bidx_add(struct bidx *x, const char *line, size_t len)
{
	json_t *ev = json_loadb(line, len, JSON_REJECT_DUPLICATES, NULL);

	x->lines++;
	if (!json_is_object(ev)) {
		x->unparsed++;
		json_decref(ev);
		return;
	}
	add_event(x, ev, line, len);
	json_decref(ev);
}

int kept_write_json(const struct bkept *k, const char *omitted_key, FILE *f)
{
	size_t i;

	fprintf(f, "{\"events\":[");
	for (i = 0; i < k->n; i++)
		fprintf(f, "%s\n%s", i ? "," : "", k->lines[i]);
	fprintf(f, "\n],\"%s\":%llu}\n", omitted_key, (unsigned long long)k->omitted);
	return ferror(f) ? -1 : 0;
}

void bidx_finish(struct bidx *x)
{
	bidx_tree(x);
	tally_sort(&x->types);
	tally_sort(&x->files);
	tally_sort(&x->net);
	tally_sort(&x->errors);
	calls_sort(&x->calls);
}
