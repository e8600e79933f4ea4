// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Secret redaction (the rules are listed in redact.h).  Every rule marks the
 * bytes of the original string it hides; the marks are then rendered, each
 * run as one marker.  Rules never see each other's output, so a user pattern
 * cannot match inside a marker and the order of the rules does not matter.
 * Character classes are ASCII only: bytes above 0x7f are never letters,
 * whatever the locale.
 */
#include <errno.h>
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/redact.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MARK_LEN (sizeof(REDACT_MARK) - 1)

struct redactor {
	regex_t *re;
	size_t nre;
};

/* One string being redacted. */
struct scan {
	const char *s;          /* NUL-terminated at len */
	size_t len;
	unsigned char *mask;    /* 1: the byte is hidden */
	char *key;              /* room for a normalised key: 2 * len + 1 */
};

#define SF_ATTACHED 1u  /* -pSECRET */
#define SF_NEXT     2u  /* -p SECRET */
#define SF_USERPASS 4u  /* only what follows the first ':' of user:password */
#define SF_OPTIONAL 8u  /* an option ("--x") in the value's place means no value */

/* Where argv's context has got to: the command seen last, what the next element is. */
struct argv_ctx {
	const char *cmd;
	unsigned int take;      /* SF_* for the next element, 0 if it is not a value */
};

struct secret_flag {
	const char *cmd;        /* basename of the command */
	const char *flag;
	unsigned int how;       /* SF_* */
};

static const struct secret_flag secret_flags[] = {
	{ "mysql", "-p", SF_ATTACHED },
	{ "mysqldump", "-p", SF_ATTACHED },
	{ "mysqladmin", "-p", SF_ATTACHED },
	{ "mysqlcheck", "-p", SF_ATTACHED },
	{ "mysqlimport", "-p", SF_ATTACHED },
	{ "mysqlshow", "-p", SF_ATTACHED },
	{ "mysqlpump", "-p", SF_ATTACHED },
	{ "mariadb", "-p", SF_ATTACHED },
	{ "mariadb-dump", "-p", SF_ATTACHED },
	{ "mariadb-admin", "-p", SF_ATTACHED },
	{ "sshpass", "-p", SF_ATTACHED | SF_NEXT },
	{ "ldapsearch", "-w", SF_ATTACHED | SF_NEXT },
	{ "ldapadd", "-w", SF_ATTACHED | SF_NEXT },
	{ "ldapmodify", "-w", SF_ATTACHED | SF_NEXT },
	{ "ldapdelete", "-w", SF_ATTACHED | SF_NEXT },
	{ "ldapwhoami", "-w", SF_ATTACHED | SF_NEXT },
	{ "ldappasswd", "-w", SF_ATTACHED | SF_NEXT },
	{ "curl", "-u", SF_ATTACHED | SF_NEXT | SF_USERPASS },
	{ "curl", "-U", SF_ATTACHED | SF_NEXT | SF_USERPASS },
	{ "curl", "--user", SF_NEXT | SF_USERPASS },
	{ "curl", "--proxy-user", SF_NEXT | SF_USERPASS },
};

static const char *const key_substrings[] = {
	"password", "passwd", "passphrase", "secret", "credential", "apikey", "api_key",
	"accesskey", "access_key", "privatekey", "private_key", "authorization",
};
static const char *const key_components[] = {
	"token", "pwd", "pass", "passin", "passout", "session", "cookie", "cookies", "bearer",
};
static const char *const key_not_first[] = { "no", "ask" };
static const char *const key_not_last[] = {
	"file", "path", "dir", "jar", "helper", "stdin", "prompt",
};
static const char *const plain_names[] = {
	"PWD", "OLDPWD", "SESSION_MANAGER", "DESKTOP_SESSION", "DBUS_SESSION_BUS_ADDRESS",
	"XDG_SESSION_ID", "XDG_SESSION_TYPE", "XDG_SESSION_CLASS", "XDG_SESSION_DESKTOP",
};
static const char *const auth_schemes[] = { "basic", "bearer", "digest", "negotiate", "token" };

struct token_kind {
	const char *prefix;
	const char *extra;      /* characters allowed besides [A-Za-z0-9] */
	unsigned char min, max; /* length after the prefix; max 0: unbounded */
	bool upper;             /* [A-Z0-9] only */
};

static const struct token_kind token_kinds[] = {
	{ "AKIA", "", 16, 16, true },
	{ "ASIA", "", 16, 16, true },
	{ "ghp_", "", 20, 0, false },
	{ "gho_", "", 20, 0, false },
	{ "ghu_", "", 20, 0, false },
	{ "ghs_", "", 20, 0, false },
	{ "ghr_", "", 20, 0, false },
	{ "github_pat_", "_", 20, 0, false },
	{ "xoxb-", "-", 10, 0, false },
	{ "xoxa-", "-", 10, 0, false },
	{ "xoxp-", "-", 10, 0, false },
	{ "xoxr-", "-", 10, 0, false },
	{ "xoxs-", "-", 10, 0, false },
	{ "glpat-", "-_", 20, 0, false },
};

static bool is_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
static bool is_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }
static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static bool is_alnum(unsigned char c) { return is_upper(c) || is_lower(c) || is_digit(c); }
static bool is_blank(unsigned char c) { return c == ' ' || c == '\t'; }
static bool is_quote(unsigned char c) { return c == '"' || c == '\''; }
static unsigned char to_lower(unsigned char c) { return is_upper(c) ? c + ('a' - 'A') : c; }

static bool is_in(unsigned char c, const char *set)
{
	return c && strchr(set, c);
}

static bool is_key_char(unsigned char c)
{
	return is_alnum(c) || is_in(c, "_-.");
}

static bool is_delim(unsigned char c)
{
	return is_in(c, " \t\n\r\v\f&;,\"'}");
}

/* RFC 6750's b64token alphabet */
static bool is_token68(unsigned char c)
{
	return is_alnum(c) || is_in(c, "-._~+/=");
}

static bool is_b64url(unsigned char c)
{
	return is_alnum(c) || c == '-' || c == '_';
}

static bool case_prefix(const char *s, size_t n, const char *lower)
{
	size_t i, l = strlen(lower);

	if (n < l)
		return false;
	for (i = 0; i < l; i++)
		if (to_lower(s[i]) != (unsigned char)lower[i])
			return false;
	return true;
}

static bool in_list(const char *w, size_t n, const char *const *list, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (strlen(list[i]) == n && !memcmp(w, list[i], n))
			return true;
	return false;
}

static void mark(struct scan *sc, size_t a, size_t b)
{
	if (a < b)
		memset(sc->mask + a, 1, b - a);
}

/* Hide a value, keeping an authentication scheme that precedes the credentials. */
static void mark_value(struct scan *sc, size_t a, size_t b)
{
	size_t i, l;

	for (i = 0; i < ARRAY_SIZE(auth_schemes); i++) {
		l = strlen(auth_schemes[i]);
		if (b - a > l + 1 && case_prefix(sc->s + a, b - a, auth_schemes[i]) &&
		    is_blank(sc->s[a + l])) {
			for (a += l; a < b && is_blank(sc->s[a]); a++)
				;
			break;
		}
	}
	mark(sc, a, b);
}

/* Lower-case `k` into `out`, reading '-', '.' and camelCase humps as '_'. */
static size_t normalise_key(char *out, const char *k, size_t n)
{
	size_t i, o = 0;

	for (; n && *k == '-'; k++, n--)
		;
	for (i = 0; i < n; i++) {
		unsigned char c = k[i];

		if (i && is_upper(c) && is_lower(k[i - 1]))
			out[o++] = '_';
		out[o++] = c == '-' || c == '.' ? '_' : to_lower(c);
	}
	out[o] = '\0';
	return o;
}

static bool is_secret_key(struct scan *sc, const char *k, size_t n)
{
	const char *key = sc->key, *p, *e, *first = NULL, *last = NULL;
	size_t len, firstn = 0, lastn = 0, i;
	bool component = false;

	if (in_list(k, n, plain_names, ARRAY_SIZE(plain_names)))
		return false;
	len = normalise_key(sc->key, k, n);
	for (p = key; p < key + len; p = e + 1) {
		e = memchr(p, '_', key + len - p);
		if (!e)
			e = key + len;
		if (e == p)
			continue;
		if (!first) {
			first = p;
			firstn = e - p;
		}
		last = p;
		lastn = e - p;
		component |= in_list(p, e - p, key_components, ARRAY_SIZE(key_components));
	}
	if (!first || in_list(first, firstn, key_not_first, ARRAY_SIZE(key_not_first)) ||
	    in_list(last, lastn, key_not_last, ARRAY_SIZE(key_not_last)))
		return false;
	if (component)
		return true;
	for (i = 0; i < ARRAY_SIZE(key_substrings); i++)
		if (memmem(key, len, key_substrings[i], strlen(key_substrings[i])))
			return true;
	return len >= 5 && !memcmp(key + len - 5, "token", 5);
}

/*
 * A value inside a string: quoted up to its closing quote, else up to a
 * delimiter.  Returns where it ends.
 */
static size_t mark_inner_value(struct scan *sc, size_t v)
{
	const char *s = sc->s;
	size_t b;

	if (v < sc->len && is_quote(s[v])) {
		for (b = v + 1; b < sc->len && s[b] != s[v]; b++)
			if (s[b] == '\\' && b + 1 < sc->len)
				b++;
		mark_value(sc, v + 1, b);
		return b;
	}
	for (b = v; b < sc->len && !is_delim(s[b]); b++)
		;
	mark_value(sc, v, b);
	return b;
}

static void scan_assignments(struct scan *sc)
{
	const char *s = sc->s;
	size_t i, k;

	for (i = 0; i < sc->len; i++) {
		if (s[i] != '=')
			continue;
		for (k = i; k && is_key_char(s[k - 1]); k--)
			;
		if (k == i || !is_secret_key(sc, s + k, i - k))
			continue;
		if (k == 0) {
			mark_value(sc, i + 1, sc->len);
			return;
		}
		/* what the value holds is hidden with it: resume after it (linear time) */
		i = mark_inner_value(sc, i + 1);
	}
}

/* "Name: value" starting at `at`; the value ends at the quote `q` (0: at the end). */
static void scan_header_at(struct scan *sc, size_t at, char q)
{
	const char *s = sc->s, *end;
	size_t j, v;

	for (j = at; j < sc->len && is_key_char(s[j]); j++)
		;
	if (j == at || s[j] != ':' || !strncmp(s + j, "://", 3) ||
	    !is_secret_key(sc, s + at, j - at))
		return;
	for (v = j + 1; v < sc->len && is_blank(s[v]); v++)
		;
	end = q ? memchr(s + v, q, sc->len - v) : NULL;
	mark_value(sc, v, end ? (size_t)(end - s) : sc->len);
}

/* "key": value, with s[i] the opening quote of the key. */
static void scan_quoted_key_at(struct scan *sc, size_t i)
{
	const char *s = sc->s;
	size_t j, v;

	for (j = i + 1; j < sc->len && is_key_char(s[j]); j++)
		;
	if (j == i + 1 || s[j] != s[i])
		return;
	for (v = j + 1; v < sc->len && is_blank(s[v]); v++)
		;
	if (s[v] != ':' || !is_secret_key(sc, s + i + 1, j - i - 1))
		return;
	for (v++; v < sc->len && is_blank(s[v]); v++)
		;
	mark_inner_value(sc, v);
}

static void scan_headers(struct scan *sc)
{
	const char *s = sc->s;
	size_t i;

	scan_header_at(sc, 0, 0);
	for (i = 0; i < sc->len && is_key_char(s[i]); i++)
		;
	if (i && s[i] == '=')
		scan_header_at(sc, i + 1, 0);
	for (i = 0; i < sc->len; i++) {
		if (!is_quote(s[i]))
			continue;
		scan_header_at(sc, i + 1, s[i]);
		scan_quoted_key_at(sc, i);
	}
}

static bool is_port(const char *p, const char *end)
{
	if (p == end)
		return false;
	for (; p < end; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/*
 * scheme://user:password@host.  A password may hold '/', '?' or '#' (which
 * end the authority) when it was not percent-encoded: with no '@' in the
 * authority, the '@' is looked for up to a blank or a quote, as long as a
 * ':' came before the authority ended and what follows it is not a port
 * (digits only: "host:8080/x?a=b@c" is left alone).
 */
static void scan_urls(struct scan *sc)
{
	const char *s = sc->s, *p = s, *at, *colon;
	size_t a, b, end;

	while ((p = strstr(p, "://"))) {
		a = p - s + 3;
		for (b = a; b < sc->len && !is_in(s[b], "/?#\"' \t\n\r\v\f"); b++)
			;
		for (end = b; end < sc->len && !is_in(s[end], "\"' \t\n\r\v\f"); end++)
			;
		at = NULL;
		if (p > s && (is_alnum(p[-1]) || is_in(p[-1], "+.-"))) {
			at = memrchr(s + a, '@', b - a);
			colon = memchr(s + a, ':', b - a);
			if (!at && colon && !is_port(colon + 1, s + b))
				at = memchr(colon, '@', end - (colon - s));
		}
		colon = at ? memchr(s + a, ':', at - (s + a)) : NULL;
		if (colon)
			mark(sc, colon + 1 - s, at - s);
		p = s + (at ? (size_t)(at - s) : b);
	}
}

static void scan_bearer(struct scan *sc)
{
	const char *s = sc->s;
	size_t i, a, b;

	for (i = 0; i + 6 < sc->len; i++) {
		if ((i && is_alnum(s[i - 1])) || !case_prefix(s + i, 6, "bearer") ||
		    !is_blank(s[i + 6]))
			continue;
		for (a = i + 7; a < sc->len && is_blank(s[a]); a++)
			;
		for (b = a; b < sc->len && is_token68(s[b]); b++)
			;
		if (b - a >= 8)
			mark(sc, a, b);
	}
}

/* The length of the token of kind `t` at s[i] (0: none). */
static size_t token_at(const struct scan *sc, size_t i, const struct token_kind *t)
{
	size_t pl = strlen(t->prefix), n = 0;
	const char *s = sc->s + i + pl;

	if (sc->len - i < pl || memcmp(sc->s + i, t->prefix, pl))
		return 0;
	while (i + pl + n < sc->len &&
	       (t->upper ? is_upper(s[n]) || is_digit(s[n]) : is_alnum(s[n]) || is_in(s[n], t->extra)))
		n++;
	if (n < t->min || (t->max && n > t->max) || is_alnum(s[n]))
		return 0;
	return n;
}

static void scan_tokens(struct scan *sc)
{
	size_t i, k, n, pl;

	for (i = 0; i < sc->len; i++) {
		if (i && is_alnum(sc->s[i - 1]))
			continue;
		for (k = 0; k < ARRAY_SIZE(token_kinds); k++) {
			n = token_at(sc, i, &token_kinds[k]);
			if (!n)
				continue;
			pl = strlen(token_kinds[k].prefix);
			mark(sc, i + pl, i + pl + n);
			i += pl + n - 1;
			break;
		}
	}
}

static size_t b64url_end(const struct scan *sc, size_t i)
{
	while (i < sc->len && is_b64url(sc->s[i]))
		i++;
	return i;
}

/* header.payload.signature, both JSON parts starting "eyJ" ({"). */
static void scan_jwts(struct scan *sc)
{
	const char *s = sc->s;
	size_t i, e1, e2;

	for (i = 0; i < sc->len; i++) {
		if ((i && is_b64url(s[i - 1])) || strncmp(s + i, "eyJ", 3))
			continue;
		e1 = b64url_end(sc, i + 3);
		if (s[e1] != '.' || strncmp(s + e1 + 1, "eyJ", 3))
			continue;
		e2 = b64url_end(sc, e1 + 4);
		if (s[e2] != '.')
			continue;
		e2 = b64url_end(sc, e2 + 1);
		mark(sc, i, e2);
		i = e2;
	}
}

static void scan_private_keys(struct scan *sc)
{
	const char *s = sc->s, *p = s, *label, *q, *end;

	while ((p = strstr(p, "-----BEGIN "))) {
		label = p + 11;
		for (q = label; is_upper(*q) || is_digit(*q) || *q == ' '; q++)
			;
		p = q;
		if (strncmp(q, "-----", 5) || !memmem(label, q - label, "PRIVATE KEY", 11))
			continue;
		end = strstr(q + 5, "-----END ");
		if (!end)
			end = s + sc->len;
		mark(sc, q + 5 - s, end - s);
		p = end;
	}
}

static void scan_user_patterns(const struct redactor *r, struct scan *sc)
{
	regmatch_t m;
	size_t i, off;

	for (i = 0; i < r->nre; i++) {
		for (off = 0; off < sc->len; ) {
			/* REG_STARTEND: no strlen per match, and '^' still means the start */
			m.rm_so = off;
			m.rm_eo = sc->len;
			if (regexec(&r->re[i], sc->s, 1, &m, REG_STARTEND))
				break;
			mark(sc, m.rm_so, m.rm_eo);
			off = m.rm_eo > m.rm_so ? (size_t)m.rm_eo : (size_t)m.rm_so + 1;
		}
	}
}

static const struct secret_flag *find_flag(const char *cmd, const char *arg)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(secret_flags); i++) {
		const struct secret_flag *f = &secret_flags[i];

		if (strcmp(f->cmd, cmd))
			continue;
		if (!strcmp(arg, f->flag) ||
		    ((f->how & SF_ATTACHED) && !strncmp(arg, f->flag, 2) && arg[2]))
			return f;
	}
	return NULL;
}

static const char *known_command(const char *arg)
{
	const char *base = strrchr(arg, '/');
	size_t i;

	base = base ? base + 1 : arg;
	for (i = 0; i < ARRAY_SIZE(secret_flags); i++)
		if (!strcmp(base, secret_flags[i].cmd))
			return secret_flags[i].cmd;
	return NULL;
}

/* The value of a secret option, from s[from]. */
static void mark_taken(struct scan *sc, size_t from, unsigned int how)
{
	const char *colon;

	if (!(how & SF_USERPASS)) {
		mark_value(sc, from, sc->len);
		return;
	}
	colon = memchr(sc->s + from, ':', sc->len - from);
	if (colon)
		mark(sc, colon + 1 - sc->s, sc->len);
}

static bool is_key_option(struct scan *sc)
{
	size_t i;

	if (sc->s[0] != '-')
		return false;
	for (i = 0; i < sc->len; i++)
		if (!is_key_char(sc->s[i]))
			return false;
	return is_secret_key(sc, sc->s, sc->len);
}

static void scan_argv_context(struct argv_ctx *c, struct scan *sc)
{
	const char *s = sc->s, *cmd;
	const struct secret_flag *f;
	unsigned int take = c->take;

	c->take = 0;
	if (take && !((take & SF_OPTIONAL) && !strncmp(s, "--", 2))) {
		mark_taken(sc, 0, take);
		return;
	}
	f = c->cmd && s[0] == '-' ? find_flag(c->cmd, s) : NULL;
	if (f && !strcmp(s, f->flag))
		c->take = f->how & SF_NEXT ? f->how : 0;
	else if (f)
		mark_taken(sc, 2, f->how);
	if (!c->take && is_key_option(sc))
		c->take = SF_NEXT | SF_OPTIONAL;
	cmd = known_command(s);
	if (cmd)
		c->cmd = cmd;
	else if (c->cmd && s[0] != '-' && !strcmp(c->cmd, "sshpass"))
		c->cmd = NULL;  /* sshpass's first operand is the command it runs */
}

static char *render(const struct scan *sc)
{
	size_t i, n = 0;
	char *out, *o;

	for (i = 0; i < sc->len; i++)
		if (!sc->mask[i])
			n++;
		else if (!i || !sc->mask[i - 1])
			n += MARK_LEN;
	out = malloc(n + 1);
	if (!out)
		return NULL;
	for (o = out, i = 0; i < sc->len; i++) {
		if (!sc->mask[i]) {
			*o++ = sc->s[i];
		} else if (!i || !sc->mask[i - 1]) {
			memcpy(o, REDACT_MARK, MARK_LEN);
			o += MARK_LEN;
		}
	}
	*o = '\0';
	return out;
}

/* Redact `s`; returns 1 with a malloc'd *out, 0 if unchanged, -1 out of memory. */
static int redact_one(const struct redactor *r, struct argv_ctx *c, const char *s, char **out)
{
	struct scan sc = { .s = s, .len = strlen(s) };
	int ret = -1;

	*out = NULL;
	sc.mask = calloc(3 * sc.len + 1, 1);
	if (!sc.mask)
		return -1;
	sc.key = (char *)sc.mask + sc.len;
	if (c)
		scan_argv_context(c, &sc);
	scan_assignments(&sc);
	scan_headers(&sc);
	scan_urls(&sc);
	scan_bearer(&sc);
	scan_tokens(&sc);
	scan_jwts(&sc);
	scan_private_keys(&sc);
	scan_user_patterns(r, &sc);
	if (!memchr(sc.mask, 1, sc.len)) {
		ret = 0;
		goto cleanup;
	}
	*out = render(&sc);
	if (!*out)
		goto cleanup;
	ret = 1;
	/* a secret already hidden, "--password [REDACTED]", is no change */
	if (!strcmp(*out, s)) {
		free(*out);
		*out = NULL;
		ret = 0;
	}
cleanup:
	free(sc.mask);
	return ret;
}

int redact_argv(const struct redactor *r, char **argv, int argc)
{
	struct argv_ctx c = { 0 };
	int i, changed = 0;
	char *out;

	for (i = 0; i < argc; i++) {
		switch (redact_one(r, &c, argv[i], &out)) {
		case 1:
			free(argv[i]);
			argv[i] = out;
			changed++;
			break;
		case -1:
			argv[i][0] = '\0';
			changed++;
			break;
		}
	}
	return changed;
}

char *redact_env(const struct redactor *r, const char *entry)
{
	char *out;

	if (redact_one(r, NULL, entry, &out) < 0) {
		errno = ENOMEM;
		return NULL;
	}
	errno = 0;
	return out;
}

struct redactor *redactor_new(void)
{
	return calloc(1, sizeof(struct redactor));
}

void redactor_free(struct redactor *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nre; i++)
		regfree(&r->re[i]);
	free(r->re);
	free(r);
}

int redactor_add(struct redactor *r, const char *regex, char *err, size_t errlen)
{
	regex_t *re;
	char why[128];
	int ret;

	if (!*regex) {
		snprintf(err, errlen, "--redact needs a non-empty pattern");
		return -1;
	}
	re = realloc(r->re, (r->nre + 1) * sizeof(*re));
	if (!re) {
		snprintf(err, errlen, "out of memory adding the --redact pattern '%s'", regex);
		return -1;
	}
	r->re = re;
	ret = regcomp(&r->re[r->nre], regex, REG_EXTENDED);
	if (ret) {
		regerror(ret, &r->re[r->nre], why, sizeof(why));
		snprintf(err, errlen,
			 "--redact pattern '%s' is not a valid extended regular expression (%s); write it as for grep -E",
			 regex, why);
		return -1;
	}
	r->nre++;
	return 0;
}
