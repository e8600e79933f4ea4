/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Secret redaction, applied to argv and environment entries before anything
 * is written.  A secret is replaced by "[REDACTED]"; whatever says what it
 * was (the key, the option, the user name, the kind of token) stays visible.
 * Redaction errs towards hiding: a value is hidden when its key looks
 * secret, while a word alone (tokenize.py, secrets.py, "fix token parsing")
 * hides nothing.
 *
 * Secret keys.  A key (what precedes '=' or ':', or an option name) is
 * compared case-insensitively after dropping leading dashes and reading '-',
 * '.' and camelCase humps as '_' (apiKey = api-key = api_key).  It is secret
 * when it contains password, passwd, passphrase, secret, credential, apikey,
 * api_key, accesskey, access_key, privatekey, private_key or authorization;
 * or when one of its '_'-separated components is token, pwd, pass, passin,
 * passout, session, cookie, cookies or bearer; or when it ends in "token"
 * (GITHUB_TOKEN, accessToken, APITOKEN; not tokenizer, max_tokens).  It is
 * not secret when its first component is "no" or "ask" (--no-password,
 * --ask-pass), or its last is file, path, dir, jar, helper, stdin or prompt
 * (--password-file, POSTGRES_PASSWORD_FILE, --cookie-jar, credential.helper,
 * --password-stdin): those name where a secret is, or whether to ask for
 * one.  These exact environment names are not secret: PWD, OLDPWD,
 * SESSION_MANAGER, DESKTOP_SESSION, DBUS_SESSION_BUS_ADDRESS,
 * XDG_SESSION_{ID,TYPE,CLASS,DESKTOP}.
 *
 * Rules applied to every argv element and environment entry:
 *  - KEY=value with a secret KEY: when KEY starts the string (--password=x,
 *    TOKEN=x, -Dtrust.password=x) the whole rest is hidden; inside a string
 *    (a=1&token=x, "host=h password=x", sh -c "PGPASSWORD=x psql") the value
 *    ends at whitespace or one of & ; , " ' }, and a quoted value is hidden
 *    up to its closing quote.  An empty value stays empty.
 *  - Name: value with a secret Name, at the start of the string, right after
 *    a leading KEY= (--header=Authorization: x) or right after a quote (a
 *    header inside sh -c '...'): the value, to the end or to the closing
 *    quote.  "Name://" is a URL, not a header.
 *  - "key": value and 'key': value (JSON, Python) with a secret key.
 *  - A value of the form "Scheme credentials" keeps its scheme when that is
 *    Basic, Bearer, Digest, Negotiate or Token: "Authorization: Bearer x"
 *    becomes "Authorization: Bearer [REDACTED]".
 *  - "Bearer <token>" anywhere, when the token is at least 8 characters of
 *    the RFC 6750 token alphabet.
 *  - scheme://user:password@host: the password (a user alone stays).
 *  - Well-known credential formats anywhere, keeping the prefix that names
 *    the kind: AKIA/ASIA + 16 [A-Z0-9] (AWS key ids), ghp_ gho_ ghu_ ghs_
 *    ghr_ + 20 or more alphanumerics, github_pat_ + 20 or more, xoxb- xoxa-
 *    xoxp- xoxr- xoxs- + 10 or more (Slack), glpat- + 20 or more (GitLab);
 *    a JWT (eyJ...\.eyJ...\.sig) whole; the body of a -----BEGIN ... PRIVATE
 *    KEY----- block, armour lines kept (to the end when the END line is cut).
 *  - Every match of a user pattern (POSIX ERE, matched against the whole
 *    element or entry, key included) is hidden.
 *  Overlapping or adjacent hidden spans become one "[REDACTED]".
 *
 * Rules that need the elements around an argv element:
 *  - An option that is a secret key alone (--password, -token, --api-key,
 *    openssl's -passin) hides the next element whole (an auth scheme kept),
 *    unless that one starts with "--" (then the option took no value).
 *  - Short flags that are secret only for some commands, known by the
 *    basename of an earlier element (so "sudo mysql -px" counts; -p is not
 *    secret in general: mkdir -p, ssh -p 22):
 *      mysql, mysqldump, mysqladmin, mysqlcheck, mysqlimport, mysqlshow,
 *      mysqlpump, mariadb, mariadb-dump, mariadb-admin: -pSECRET only
 *      (-p SECRET means "prompt", and SECRET is a database name);
 *      sshpass: -p SECRET and -pSECRET, until the command sshpass runs;
 *      ldapsearch, ldapadd, ldapmodify, ldapdelete, ldapwhoami, ldappasswd:
 *      -w SECRET and -wSECRET;
 *      curl: -u/-U user:password, -uuser:password, --user/--proxy-user
 *      user:password hide what follows the first ':'.
 *
 * Not recognised: secrets passed as bare positional words (nmcli ...
 * password x, htpasswd -b f user x), command-specific flags inside a single
 * shell string (sh -c "mysql -px"), and anything a user pattern must cover.
 */
#ifndef PS_REDACT_H
#define PS_REDACT_H

#include <stddef.h>

#define REDACT_MARK "[REDACTED]"

struct redactor;

/* A redactor with the built-in rules; NULL when out of memory. */
struct redactor *redactor_new(void);
void redactor_free(struct redactor *r);

/*
 * Add a user pattern (POSIX extended regular expression, as grep -E).
 * Returns 0, or -1 with a sentence in err.
 */
int redactor_add(struct redactor *r, const char *regex, char *err, size_t errlen);

/*
 * Redact argv in place: each element that changes is freed and replaced by a
 * malloc'd string (the elements must be malloc'd and non-NULL).  Returns how
 * many changed.  An element that cannot be redacted for lack of memory is
 * emptied rather than left as it was.
 */
int redact_argv(const struct redactor *r, char **argv, int argc);

/*
 * Redact one environment entry "KEY=value".  Returns a malloc'd string, or
 * NULL when nothing changed (errno 0) or memory ran out (errno ENOMEM).
 */
char *redact_env(const struct redactor *r, const char *entry);

#endif
