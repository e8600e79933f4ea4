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
 * '.' and camelCase humps as '_' (apiKey = api-key = api_key), then split
 * into its '_'-separated components.  It is secret when a component
 *  - ends in password(s), passwd, passphrase(s), secret(s), credential(s),
 *    token, apikey, accesskey, secretkey, privatekey, authkey,
 *    authorization, pwd, pass, bearer or psk (PGPASSWORD, sshpass,
 *    storepass, APITOKEN), "pass" words excepted (askpass, bypass, compass,
 *    surpass, trespass, overpass, underpass, multipass, onepass, twopass,
 *    encompass);
 *  - is passin, passout, session, cookie, cookies or auth (REDISCLI_AUTH);
 *  - is key(s) after api, access, secret, private, auth, master,
 *    encryption, signing, license, account or session (OPENAI_API_KEY).
 * A secret word inside a longer word is not one (passwordless, tokenizer,
 * max_tokens).  A secret key is not secret after all when its first
 * component asks whether rather than what (no, ask, prompt, with, without,
 * require, allow, enable, disable, skip, use, show, ignore: --no-password,
 * --with-token), or its last says where the secret is or something about
 * it (file, files, path, dir, jar, helper, stdin, prompt, fd, env, var,
 * sock, socket, limit, less, through, count, length, len, type, policy,
 * min, max, size, ttl, timeout, expiry, expires, lifetime, format, mode,
 * name, url, uri, endpoint, command, cmd, store, manager, strength, rules,
 * charset, algorithm, algo, method, authentication, level, retries,
 * attempts, interval, duration, header, location, source, provider, host,
 * hostname, server, port, user, username, realm, domain:
 * --password-file, --token-limit, --pass-through, SSH_AUTH_SOCK,
 * --passphrase-fd, --password-store).  These exact environment names are
 * not secret: PWD, OLDPWD, SESSION_MANAGER, DESKTOP_SESSION,
 * DBUS_SESSION_BUS_ADDRESS, XDG_SESSION_{ID,TYPE,CLASS,DESKTOP}.
 *
 * Rules applied to every argv element and environment entry:
 *  - KEY=value with a secret KEY, also spaced (KEY = value): when KEY
 *    starts the string (--password=x, TOKEN=x, -Dtrust.password=x) the
 *    whole rest is hidden; inside a string (a=1&token=x, "host=h
 *    password=x", sh -c "PGPASSWORD=x psql", ini lines) the value ends at
 *    whitespace or one of & ; , " ' }, and a quoted value is hidden up to
 *    its closing quote.  An empty value stays empty; ==, !=, <=, >= are
 *    comparisons.
 *  - Name: value (also Name : value) with a secret Name, at the start of
 *    the string or of a line, right after a leading KEY= (--header=
 *    Authorization: x) or right after a quote (a header inside sh -c
 *    '...'): the value, to the end of the line or the closing quote.
 *    "Name://" is a URL, "Name::" not a header, and a Name starting with
 *    '-' an option (keytool's -storepass:env VAR).
 *  - "key": value and 'key': value (JSON, Python) with a secret key.
 *  - .netrc lines (machine HOST login USER password SECRET; default ...):
 *    the word after password, passwd or account, once machine or default
 *    was seen in the string.
 *  - A value of the form "Scheme credentials" keeps its scheme when that is
 *    Basic, Bearer, Digest, Negotiate or Token: "Authorization: Bearer x"
 *    becomes "Authorization: Bearer [REDACTED]".
 *  - "Bearer <token>" anywhere, when the token is at least 8 characters of
 *    the RFC 6750 token alphabet.
 *  - scheme://user:password@host: the password (a user alone stays).
 *  - Well-known credential formats anywhere, keeping the prefix that names
 *    the kind (redact.c's token_kinds): AWS key ids (AKIA, ASIA), GitHub
 *    (ghp_ gho_ ghu_ ghs_ ghr_ github_pat_), GitLab (glpat- gldt- glrt-
 *    glptt- glsoat-), Slack (xoxb- xoxa- xoxp- xoxr- xoxs- xoxe- xapp-),
 *    Stripe (sk_live_ sk_test_ rk_live_ rk_test_ whsec_), Google (AIza + 35),
 *    OpenAI and Anthropic (sk- + 20 or more with a digit and a letter), npm
 *    (npm_), PyPI (pypi-), SendGrid (SG.), Twilio (SK + 32 hex), Heroku
 *    (HRKU-), DigitalOcean (dop_v1_ doo_v1_ dor_v1_), Vault (hvs. hvb.
 *    hvr.), Hugging Face (hf_), Shopify (shpat_ shpss_ shpca_ shppa_),
 *    Grafana (glc_ glsa_), Databricks (dapi), Postman (PMAK-), New Relic
 *    (NRAK-), Doppler (dp.pt. dp.st.), Linear (lin_api_), Atlassian (ATATT),
 *    age (AGE-SECRET-KEY-1), Mailgun (key- + 32 hex); each with its length
 *    and alphabet, starting after a non-alphanumeric and not running into
 *    one.  A JWT (eyJ...\.eyJ...\.sig) whole; the body of a -----BEGIN ...
 *    PRIVATE KEY----- block, armour lines kept (to the end when the END
 *    line is cut).
 *  - Every match of a user pattern (POSIX ERE as grep -E, in the C locale,
 *    matched against the whole element or entry, key included; see ere.h).
 *    Back-references are refused, a pattern is at most ERE_MAX_LEN bytes
 *    and ERE_MAX_STATES states, and all patterns together may visit at most
 *    1024 states per byte of an element: an element that would need more
 *    is hidden whole.
 *  Overlapping or adjacent hidden spans become one "[REDACTED]".
 *
 * Rules that need the elements around an argv element:
 *  - An option that is a secret key alone (--password, -token, --api-key,
 *    -storepass) hides the next element whole (an auth scheme kept),
 *    unless that one starts with "--" (then the option took no value).
 *  - Options and operands secret only for some commands (redact.c's
 *    secret_flags: program, subcommand, flag, how the value is attached,
 *    which part is secret), known by the basename of an earlier element
 *    (so "sudo mysql -px" counts; -p is not secret in general: mkdir -p,
 *    ssh -p 22, docker run -p).  A row wins over the rule above, to hide
 *    only the secret part (curl -u user:SECRET, smbclient -U user%SECRET,
 *    openssl -passin pass:SECRET while env:VAR stays).  Among them: the
 *    MySQL family's -pSECRET (-p SECRET prompts, and SECRET is a
 *    database); docker, podman, nerdctl, buildah, skopeo, helm, oras and
 *    crane login -p; sshpass -p (-P, -f and -d take values that are not
 *    secret; sshpass's options end at the command it runs); redis-cli -a;
 *    Samba -U user%SECRET; ssh-keygen -N and -P; ldap* -w; mongo* -p;
 *    sqlcmd and bcp -P; zip and unzip -P; 7z -pSECRET, rar -p and -hp;
 *    keytool -new; snmp* -c, -A and -X; ipmitool -P; xfreerdp /p: and
 *    /pth:; kubectl create secret --from-literal=name=SECRET; operands such
 *    as htpasswd -b FILE USER SECRET, mysqladmin password SECRET,
 *    wpa_passphrase SSID SECRET, sqlplus user/SECRET@db, mc alias set
 *    NAME URL ID SECRET, nmcli ... password SECRET.
 *
 * Not recognised: secrets passed as bare positional words of commands not
 * in the table, command-specific flags inside a single shell string
 * (sh -c "mysql -px"), credentials with no recognisable key or format
 * (a bare 32-hex string, impacket's domain/user:password@host), and
 * anything a user pattern must cover.
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
 * Add a user pattern (POSIX extended regular expression, as grep -E; see
 * ere.h for what is refused).  Returns 0, or -1 with a sentence in err.
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
