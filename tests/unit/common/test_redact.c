// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Secret redaction: each rule of redact.h with its exact output, and the
 * look-alikes that must come through unchanged.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/redact.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BIG (64 * 1024)

static int setup(void **state)
{
	*state = redactor_new();
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	redactor_free(*state);
	return 0;
}

/* Redact `in` as argv and check every element and the count of changes. */
static void check_argv(const struct redactor *r, const char *const *in,
		       const char *const *want, int n)
{
	char **argv = calloc(n, sizeof(*argv));
	int i, differ = 0;

	assert_non_null(argv);
	for (i = 0; i < n; i++) {
		argv[i] = strdup(in[i]);
		assert_non_null(argv[i]);
		differ += strcmp(in[i], want[i]) != 0;
	}
	assert_int_equal(redact_argv(r, argv, n), differ);
	for (i = 0; i < n; i++) {
		assert_string_equal(argv[i], want[i]);
		free(argv[i]);
	}
	free(argv);
}

#define ARGV(r, in, want) do {						\
	static const char *const in_[] = in;				\
	static const char *const want_[] = want;			\
	_Static_assert(ARRAY_SIZE(in_) == ARRAY_SIZE(want_), "lengths");\
	check_argv((r), in_, want_, ARRAY_SIZE(in_));			\
} while (0)
#define L(...) { __VA_ARGS__ }

/* One string, alone in argv and as an environment entry: the same result. */
static void check_one(const struct redactor *r, const char *in, const char *want)
{
	char *env;

	check_argv(r, &in, &want, 1);
	errno = EINVAL;
	env = redact_env(r, in);
	if (!strcmp(in, want)) {
		assert_null(env);
		assert_int_equal(errno, 0);
	} else {
		assert_non_null(env);
		assert_string_equal(env, want);
	}
	free(env);
}

static void check_same(const struct redactor *r, const char *in)
{
	check_one(r, in, in);
}

static void test_key_value(void **state)
{
	const struct redactor *r = *state;

	check_one(r, "--password=hunter2", "--password=[REDACTED]");
	check_one(r, "--password=a b c", "--password=[REDACTED]");
	check_one(r, "TOKEN=abc", "TOKEN=[REDACTED]");
	check_one(r, "api_key=abc", "api_key=[REDACTED]");
	check_one(r, "API-KEY=abc", "API-KEY=[REDACTED]");
	check_one(r, "apikey=abc", "apikey=[REDACTED]");
	check_one(r, "--apiKey=abc", "--apiKey=[REDACTED]");
	check_one(r, "MY_SECRET_KEY=abc", "MY_SECRET_KEY=[REDACTED]");
	check_one(r, "AWS_SECRET_ACCESS_KEY=wJalr/K7MDENG", "AWS_SECRET_ACCESS_KEY=[REDACTED]");
	check_one(r, "access_key=abc", "access_key=[REDACTED]");
	check_one(r, "PGPASSWORD=abc", "PGPASSWORD=[REDACTED]");
	check_one(r, "passwd=abc", "passwd=[REDACTED]");
	check_one(r, "--passphrase=abc", "--passphrase=[REDACTED]");
	check_one(r, "DB_PASS=abc", "DB_PASS=[REDACTED]");
	check_one(r, "MYSQL_PWD=abc", "MYSQL_PWD=[REDACTED]");
	check_one(r, "--pwd=abc", "--pwd=[REDACTED]");
	check_one(r, "pwd=abc", "pwd=[REDACTED]");
	check_one(r, "GITHUB_TOKEN=abc", "GITHUB_TOKEN=[REDACTED]");
	check_one(r, "--accessToken=abc", "--accessToken=[REDACTED]");
	check_one(r, "APITOKEN=abc", "APITOKEN=[REDACTED]");
	check_one(r, "--auth-token=abc", "--auth-token=[REDACTED]");
	check_one(r, "authorization=abc", "authorization=[REDACTED]");
	check_one(r, "credentials=abc", "credentials=[REDACTED]");
	check_one(r, "GOOGLE_APPLICATION_CREDENTIAL=abc",
		  "GOOGLE_APPLICATION_CREDENTIAL=[REDACTED]");
	check_one(r, "private_key=abc", "private_key=[REDACTED]");
	check_one(r, "client_secret=abc", "client_secret=[REDACTED]");
	check_one(r, "--session=abc", "--session=[REDACTED]");
	check_one(r, "cookie=abc", "cookie=[REDACTED]");
	check_one(r, "bearer=abc", "bearer=[REDACTED]");
	check_one(r, "-Djavax.net.ssl.trustStorePassword=changeit",
		  "-Djavax.net.ssl.trustStorePassword=[REDACTED]");
	check_one(r, "--token=Bearer abc", "--token=Bearer [REDACTED]");
	/* nothing to hide */
	check_same(r, "--password=");
}

static void test_key_value_inside(void **state)
{
	const struct redactor *r = *state;

	check_one(r, "host=db user=u password=s3cret dbname=app",
		  "host=db user=u password=[REDACTED] dbname=app");
	check_one(r, "https://api.example.com/cb?access_token=abc&x=1",
		  "https://api.example.com/cb?access_token=[REDACTED]&x=1");
	check_one(r, "username=u,password=p,vers=3.0", "username=u,password=[REDACTED],vers=3.0");
	check_one(r, "PGPASSWORD='a b' psql -h db", "PGPASSWORD=[REDACTED]");
	check_one(r, "env PGPASSWORD='a b' psql -h db", "env PGPASSWORD='[REDACTED]' psql -h db");
	check_one(r, "JAVA_OPTS=-Xmx1g -Dstore.password=x -Dy=1",
		  "JAVA_OPTS=-Xmx1g -Dstore.password=[REDACTED] -Dy=1");
	check_one(r, "{\"user\":\"a\",\"password\":\"p w\"}",
		  "{\"user\":\"a\",\"password\":\"[REDACTED]\"}");
	check_one(r, "{\"pw\":1,\"apiKey\" : \"a\\\"b\"}",
		  "{\"pw\":1,\"apiKey\" : \"[REDACTED]\"}");
	check_one(r, "{'api_key': 12345, 'n': 1}", "{'api_key': [REDACTED], 'n': 1}");
	check_one(r, "{\"token\": \"Bearer abc\"}", "{\"token\": \"Bearer [REDACTED]\"}");
}

static void test_headers(void **state)
{
	const struct redactor *r = *state;

	check_one(r, "Authorization: Bearer x", "Authorization: Bearer [REDACTED]");
	check_one(r, "Authorization: Basic dXNlcjpwYXNz", "Authorization: Basic [REDACTED]");
	check_one(r, "authorization:token ghs", "authorization:token [REDACTED]");
	check_one(r, "Authorization: s3cret", "Authorization: [REDACTED]");
	check_one(r, "Proxy-Authorization: Negotiate YII=",
		  "Proxy-Authorization: Negotiate [REDACTED]");
	check_one(r, "X-Api-Key: k", "X-Api-Key: [REDACTED]");
	check_one(r, "X-Auth-Token: k", "X-Auth-Token: [REDACTED]");
	check_one(r, "Cookie: sid=1; theme=dark", "Cookie: [REDACTED]");
	check_one(r, "--header=Authorization: Basic abc",
		  "--header=Authorization: Basic [REDACTED]");
	check_one(r, "curl -H 'Authorization: Basic dXNl' https://x",
		  "curl -H 'Authorization: Basic [REDACTED]' https://x");
	check_same(r, "Host: example.com");
	check_same(r, "Content-Type: application/json");
	check_same(r, "Authorization:");
	ARGV(r, L("curl", "-H", "Authorization: Bearer x", "https://example.com/"),
	     L("curl", "-H", "Authorization: Bearer [REDACTED]", "https://example.com/"));
}

static void test_bearer(void **state)
{
	const struct redactor *r = *state;

	check_one(r, "Bearer 0123456789abcdef", "Bearer [REDACTED]");
	check_one(r, "sh -c 'curl -H \"X: bearer abc.DEF-123_~+/==\" u'",
		  "sh -c 'curl -H \"X: bearer [REDACTED]\" u'");
	/* shorter than 8: a word, not a token */
	check_same(r, "fix bearer parsing");
	check_same(r, "Bearer short");
	check_same(r, "unbearer 0123456789abcdef");
}

static void test_urls(void **state)
{
	const struct redactor *r = *state;

	check_one(r, "https://user:pa55@host.example/path",
		  "https://user:[REDACTED]@host.example/path");
	check_one(r, "postgres://app:s3cr3t@db:5432/app?sslmode=require",
		  "postgres://app:[REDACTED]@db:5432/app?sslmode=require");
	check_one(r, "https://u:p@ss@host/", "https://u:[REDACTED]@host/");
	check_one(r, "git clone https://oauth2:abc@gitlab.example/x.git y",
		  "git clone https://oauth2:[REDACTED]@gitlab.example/x.git y");
	check_same(r, "https://example.com/path");
	check_same(r, "https://user@example.com/");
	check_same(r, "http://host:8080/x?a=b@c");
	check_same(r, "git@github.com:org/repo.git");
	check_same(r, "https://user:@host/");
	/* Passwords holding characters that end the authority, not percent-encoded. */
	check_one(r, "https://u:pa#ss@h", "https://u:[REDACTED]@h");
	check_one(r, "https://u:p/w@h", "https://u:[REDACTED]@h");
	check_one(r, "https://u:p?w@h/x", "https://u:[REDACTED]@h/x");
	check_one(r, "https://u:/w@h", "https://u:[REDACTED]@h");
	check_one(r, "x 'https://u:a/b#c@h/p' y", "x 'https://u:[REDACTED]@h/p' y");
	check_same(r, "https://host:443/@scope/pkg");
	check_same(r, "https://host/a:b@c");
	check_same(r, "https://host#a:b c@d");
}

static void test_known_formats(void **state)
{
	const struct redactor *r = *state;

	check_one(r, "AKIAIOSFODNN7EXAMPLE", "AKIA[REDACTED]");
	check_one(r, "id=ASIAIOSFODNN7EXAMPLE,", "id=ASIA[REDACTED],");
	check_same(r, "AKIAIOSFODNN7EXAMPL");
	check_same(r, "AKIAIOSFODNN7EXAMPLEX");
	check_same(r, "XAKIAIOSFODNN7EXAMPLE");
	check_one(r, "ghp_0123456789abcdefghijABCDEFGHIJ012345", "ghp_[REDACTED]");
	check_one(r, "https://gho_0123456789abcdefghij@github.com/o/r",
		  "https://gho_[REDACTED]@github.com/o/r");
	check_one(r, "github_pat_11ABCDEFG0123456789_abcdefghij", "github_pat_[REDACTED]");
	check_same(r, "ghp_short");
	{
		/* longer than a scan looks ahead: hidden to its end all the same */
		char big[4 + 700 + 3];

		memcpy(big, "ghp_", 4);
		memset(big + 4, 'x', 700);
		strcpy(big + 704, " y");
		check_one(r, big, "ghp_[REDACTED] y");
	}
	check_one(r, "xoxb-1234-5678-abcdef", "xoxb-[REDACTED]");
	check_one(r, "glpat-0123456789abcdefghij", "glpat-[REDACTED]");
	check_one(r, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-_x", "[REDACTED]");
	check_one(r, "x eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0. y", "x [REDACTED] y");
	check_same(r, "eyJhbGciOiJIUzI1NiJ9.notjwt.x");
	check_one(r, "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----\n",
		  "-----BEGIN RSA PRIVATE KEY-----[REDACTED]-----END RSA PRIVATE KEY-----\n");
	check_one(r, "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNz",
		  "-----BEGIN OPENSSH PRIVATE KEY-----[REDACTED]");
	check_same(r, "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----");
	check_same(r, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----");
}

static void test_next_element(void **state)
{
	const struct redactor *r = *state;

	ARGV(r, L("prog", "--password", "hunter2", "x"),
	     L("prog", "--password", "[REDACTED]", "x"));
	ARGV(r, L("prog", "-token", "abc"), L("prog", "-token", "[REDACTED]"));
	ARGV(r, L("prog", "--api-key", "-abc"), L("prog", "--api-key", "[REDACTED]"));
	ARGV(r, L("prog", "--token", "Bearer abc"), L("prog", "--token", "Bearer [REDACTED]"));
	ARGV(r, L("prog", "--password", "--token", "t"),
	     L("prog", "--password", "--token", "[REDACTED]"));
	ARGV(r, L("prog", "--password"), L("prog", "--password"));
	ARGV(r, L("psql", "--no-password", "-h", "db"), L("psql", "--no-password", "-h", "db"));
	ARGV(r, L("docker", "login", "--password-stdin", "registry.example"),
	     L("docker", "login", "--password-stdin", "registry.example"));
	ARGV(r, L("prog", "--password-file", "/etc/x"), L("prog", "--password-file", "/etc/x"));
	ARGV(r, L("openssl", "rsa", "-passin", "pass:x", "-in", "k.pem"),
	     L("openssl", "rsa", "-passin", "pass:[REDACTED]", "-in", "k.pem"));
}

static void test_short_flags(void **state)
{
	const struct redactor *r = *state;

	ARGV(r, L("mysql", "-u", "root", "-ps3cret", "db"),
	     L("mysql", "-u", "root", "-p[REDACTED]", "db"));
	ARGV(r, L("sudo", "/usr/bin/mysqldump", "-pX", "db"),
	     L("sudo", "/usr/bin/mysqldump", "-p[REDACTED]", "db"));
	ARGV(r, L("mariadb", "-pX"), L("mariadb", "-p[REDACTED]"));
	/* mysql prompts for -p alone; the next element is a database */
	ARGV(r, L("mysql", "-p", "db"), L("mysql", "-p", "db"));
	ARGV(r, L("mysql", "-P", "3306"), L("mysql", "-P", "3306"));
	ARGV(r, L("sshpass", "-p", "pw", "ssh", "-p", "2222", "host"),
	     L("sshpass", "-p", "[REDACTED]", "ssh", "-p", "2222", "host"));
	ARGV(r, L("sshpass", "-ppw", "ssh", "-p2222", "host"),
	     L("sshpass", "-p[REDACTED]", "ssh", "-p2222", "host"));
	ARGV(r, L("ldapsearch", "-x", "-D", "cn=admin,dc=ex", "-w", "pw", "-wpw"),
	     L("ldapsearch", "-x", "-D", "cn=admin,dc=ex", "-w", "[REDACTED]", "-w[REDACTED]"));
	ARGV(r, L("curl", "-u", "alice:pw", "https://x/"),
	     L("curl", "-u", "alice:[REDACTED]", "https://x/"));
	ARGV(r, L("curl", "-ualice:pw", "-U", "p:q"),
	     L("curl", "-ualice:[REDACTED]", "-U", "p:[REDACTED]"));
	ARGV(r, L("curl", "--proxy-user", "p:q", "--user", "alice", "u"),
	     L("curl", "--proxy-user", "p:[REDACTED]", "--user", "alice", "u"));
	/* -p is not secret in general */
	ARGV(r, L("mkdir", "-p", "x"), L("mkdir", "-p", "x"));
	ARGV(r, L("docker", "run", "-p", "8080:80", "img"),
	     L("docker", "run", "-p", "8080:80", "img"));
	ARGV(r, L("ssh", "-p", "22", "host"), L("ssh", "-p", "22", "host"));
	ARGV(r, L("-p", "8080"), L("-p", "8080"));
	ARGV(r, L("mkdir", "-psecret"), L("mkdir", "-psecret"));
}

static void test_not_secrets(void **state)
{
	const struct redactor *r = *state;

	check_same(r, "tokenize.py");
	ARGV(r, L("python3", "/usr/lib/python3/secrets.py"),
	     L("python3", "/usr/lib/python3/secrets.py"));
	ARGV(r, L("python3", "secrets.py"), L("python3", "secrets.py"));
	ARGV(r, L("git", "commit", "-m", "fix token parsing"),
	     L("git", "commit", "-m", "fix token parsing"));
	check_same(r, "--input=password_list.txt");
	check_same(r, "--password-file=/etc/x");
	check_same(r, "POSTGRES_PASSWORD_FILE=/run/secrets/db");
	check_same(r, "--secrets-dir=/run/secrets");
	check_same(r, "--cookie-jar=/tmp/c");
	ARGV(r, L("git", "-c", "credential.helper=store", "push"),
	     L("git", "-c", "credential.helper=store", "push"));
	check_same(r, "--tokenizer=bert");
	check_same(r, "--max-tokens=100");
	check_same(r, "SSH_ASKPASS=/usr/bin/ssh-askpass");
	check_same(r, "SSH_AUTH_SOCK=/tmp/ssh-x/agent.1");
	check_same(r, "LS_COLORS=rs=0:di=01;34:ln=01;36");
	check_same(r, "PATH=/usr/local/bin:/usr/bin:/bin");
	check_same(r, "PWD=/home/x");
	check_same(r, "OLDPWD=/tmp");
	check_same(r, "XDG_SESSION_ID=3");
	check_same(r, "DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/1000/bus");
	check_same(r, "--=x");
	check_same(r, "=x");
}

static void test_env(void **state)
{
	const struct redactor *r = *state;

	check_one(r, "DATABASE_URL=postgres://u:p@h/db",
		  "DATABASE_URL=postgres://u:[REDACTED]@h/db");
	check_one(r, "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", "AWS_ACCESS_KEY_ID=[REDACTED]");
	check_one(r, "NOTE=AKIAIOSFODNN7EXAMPLE", "NOTE=AKIA[REDACTED]");
	check_same(r, "DB_PASSWORD=");
}

static void test_user_patterns(void **state)
{
	struct redactor *r = redactor_new();
	char err[256];

	(void)state;
	assert_non_null(r);
	assert_int_equal(redactor_add(r, "s3cr[0-9]+", err, sizeof(err)), 0);
	assert_int_equal(redactor_add(r, "^/tmp/[a-z]+", err, sizeof(err)), 0);
	assert_int_equal(redactor_add(r, "RED", err, sizeof(err)), 0);
	assert_int_equal(redactor_add(r, "q*", err, sizeof(err)), 0);
	check_one(r, "echo s3cr123 and s3cr9", "echo [REDACTED] and [REDACTED]");
	check_one(r, "/tmp/abc/def", "[REDACTED]/def");
	check_same(r, "x/tmp/abc");
	check_one(r, "/tmp/abc /tmp/def", "[REDACTED] /tmp/def");
	/* the marker itself is never matched */
	check_one(r, "--password=x", "--password=[REDACTED]");
	check_one(r, "RED", "[REDACTED]");
	/* empty matches hide nothing */
	check_one(r, "bqqb", "b[REDACTED]b");
	check_same(r, "bb");
	/* built-in and user spans that touch become one marker */
	check_one(r, "token=ab s3cr1", "token=[REDACTED]");
	check_one(r, "x token=ab s3cr1", "x token=[REDACTED] [REDACTED]");
	redactor_free(r);
}

static void test_bad_patterns(void **state)
{
	struct redactor *r = *state;
	char err[256] = "";

	assert_int_equal(redactor_add(r, "a(", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--redact pattern 'a(' is not a valid extended regular expression ("));
	assert_non_null(strstr(err, "write it as for grep -E"));
	err[0] = '\0';
	assert_int_equal(redactor_add(r, "[z-a]", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "'[z-a]'"));
	assert_int_equal(redactor_add(r, "", err, sizeof(err)), -1);
	assert_string_equal(err, "--redact needs a non-empty pattern");
	/* a refused pattern leaves the redactor as it was */
	check_same(r, "a(");
	check_one(r, "TOKEN=x", "TOKEN=[REDACTED]");
}

static void test_empty(void **state)
{
	const struct redactor *r = *state;

	check_same(r, "");
	ARGV(r, L("", "--password", "", ""), L("", "--password", "", ""));
	assert_int_equal(redact_argv(r, NULL, 0), 0);
}

static char *filled(size_t n, char c)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

static void test_long(void **state)
{
	struct redactor *r = redactor_new();
	char *s = filled(BIG, 'a'), *out, err[256];
	size_t i;

	(void)state;
	assert_non_null(r);
	check_same(r, s);
	memcpy(s, "--password=", 11);
	check_one(r, s, "--password=[REDACTED]");

	/* 8192 short assignments inside a string, each hidden */
	for (i = 0; i < BIG; i += 8)
		memcpy(s + i, " token=x", 8);
	out = redact_env(r, s);
	assert_non_null(out);
	assert_int_equal(strlen(out), BIG / 8 * 17);
	assert_memory_equal(out, " token=[REDACTED] token=[REDACTED] token=", 41);
	free(out);

	/* runs a rule once rescanned at each step: sk-sk-..., a://a://..., AIza-AIza-... */
	for (i = 0; i < BIG; i++)
		s[i] = "sk-"[i % 3];
	check_same(r, s);
	for (i = 0; i < BIG; i++)
		s[i] = "a://"[i % 4];
	check_same(r, s);
	for (i = 0; i < BIG; i++)
		s[i] = "AIza-"[i % 5];
	check_same(r, s);
	s[BIG - 1] = '\0';
	for (i = 0; i < BIG - 1; i++)
		s[i] = "https://u:p"[i % 11];
	check_same(r, s);       /* no '@': no password */
	s[BIG - 1] = 'a';

	/* a pattern matching every byte: one marker, in linear time */
	memset(s, 'a', BIG);
	assert_int_equal(redactor_add(r, "a", err, sizeof(err)), 0);
	check_one(r, s, "[REDACTED]");
	for (i = 0; i < BIG; i += 2)
		s[i] = 'b';
	out = redact_env(r, s);
	assert_non_null(out);
	assert_int_equal(strlen(out), BIG / 2 * 11);
	free(out);
	free(s);
	redactor_free(r);
}

static void test_not_utf8(void **state)
{
	const struct redactor *r = *state;

	check_one(r, "--password=\xff\xfe\x80", "--password=[REDACTED]");
	check_same(r, "\xff\xfetokenize\x80");
	check_one(r, "\xffTOKEN=\xc3\x28 y", "\xffTOKEN=[REDACTED] y");
	/* bytes above 0x7f are not letters: no camelCase hump, no key character */
	check_same(r, "PASS\xc9WORD=x");
	check_same(r, "Bearer \xff 0123456789abcdef");
	check_one(r, "https://u:\xff\xfe@h/", "https://u:[REDACTED]@h/");
}

/* Each row of the per-command table (redact.c's secret_flags), by family. */
static void test_command_flags(void **state)
{
	const struct redactor *r = *state;

	/* registry logins: -p only after "login" */
	ARGV(r, L("docker", "login", "-u", "bob", "-p", "PW", "reg.example"),
	     L("docker", "login", "-u", "bob", "-p", "[REDACTED]", "reg.example"));
	ARGV(r, L("podman", "login", "--password", "PW"), L("podman", "login", "--password", "[REDACTED]"));
	ARGV(r, L("nerdctl", "login", "-pPW"), L("nerdctl", "login", "-p[REDACTED]"));
	ARGV(r, L("buildah", "login", "--password=PW", "r"), L("buildah", "login", "--password=[REDACTED]", "r"));
	ARGV(r, L("skopeo", "copy", "--src-creds", "u:PW", "--dest-creds=v:PW2", "a", "b"),
	     L("skopeo", "copy", "--src-creds", "u:[REDACTED]", "--dest-creds=v:[REDACTED]", "a", "b"));
	ARGV(r, L("helm", "registry", "login", "-p", "PW"), L("helm", "registry", "login", "-p", "[REDACTED]"));
	ARGV(r, L("docker", "run", "-p", "8080:80", "img"), L("docker", "run", "-p", "8080:80", "img"));
	/* a user name that is also a command's name is still a value */
	ARGV(r, L("docker", "login", "-u", "mysql", "-p", "PW"), L("docker", "login", "-u", "mysql", "-p", "[REDACTED]"));
	ARGV(r, L("mongosh", "-u", "mc", "-p", "PW"), L("mongosh", "-u", "mc", "-p", "[REDACTED]"));
	ARGV(r, L("podman", "run", "-pPW", "img"), L("podman", "run", "-pPW", "img"));
	/* sshpass: -P names the prompt, -f and -d where the secret is */
	ARGV(r, L("sshpass", "-P", "assphrase", "-p", "PW", "ssh", "host"),
	     L("sshpass", "-P", "assphrase", "-p", "[REDACTED]", "ssh", "host"));
	ARGV(r, L("sshpass", "-f", "/run/pw", "ssh", "-p", "22", "h"),
	     L("sshpass", "-f", "/run/pw", "ssh", "-p", "22", "h"));
	ARGV(r, L("redis-cli", "-h", "h", "-a", "PW", "ping"),
	     L("redis-cli", "-h", "h", "-a", "[REDACTED]", "ping"));
	ARGV(r, L("redis-cli", "--pass", "PW"), L("redis-cli", "--pass", "[REDACTED]"));
	ARGV(r, L("redis-cli", "-u", "redis://:PW@h:6379/0"), L("redis-cli", "-u", "redis://:[REDACTED]@h:6379/0"));
	ARGV(r, L("redis-cli", "--askpass"), L("redis-cli", "--askpass"));
	/* Samba: user%secret */
	ARGV(r, L("smbclient", "//h/s", "-U", "bob%PW"), L("smbclient", "//h/s", "-U", "bob%[REDACTED]"));
	ARGV(r, L("smbclient", "-Ubob%PW", "-L", "h"), L("smbclient", "-Ubob%[REDACTED]", "-L", "h"));
	ARGV(r, L("rpcclient", "--user=DOM\\\\bob%PW", "h"), L("rpcclient", "--user=DOM\\\\bob%[REDACTED]", "h"));
	ARGV(r, L("smbclient", "-U", "bob", "//h/s"), L("smbclient", "-U", "bob", "//h/s"));
	ARGV(r, L("smbmap", "-u", "bob", "-p", "PW", "-H", "h"), L("smbmap", "-u", "bob", "-p", "[REDACTED]", "-H", "h"));
	ARGV(r, L("ssh-keygen", "-p", "-P", "OLD", "-N", "NEW", "-f", "k"),
	     L("ssh-keygen", "-p", "-P", "[REDACTED]", "-N", "[REDACTED]", "-f", "k"));
	ARGV(r, L("ssh-keygen", "-NPW"), L("ssh-keygen", "-N[REDACTED]"));
	ARGV(r, L("ssh-keygen", "-N", "", "-f", "k"), L("ssh-keygen", "-N", "", "-f", "k"));
	/* openssl: pass:SECRET; env:, file:, fd: and stdin say where it is */
	ARGV(r, L("openssl", "pkcs12", "-passin", "pass:PW", "-passout", "env:VAR", "-password", "file:/f"),
	     L("openssl", "pkcs12", "-passin", "pass:[REDACTED]", "-passout", "env:VAR", "-password", "file:/f"));
	ARGV(r, L("openssl", "enc", "-pass", "stdin", "-k", "PW"),
	     L("openssl", "enc", "-pass", "stdin", "-k", "[REDACTED]"));
	ARGV(r, L("openssl", "passwd", "-salt", "xy", "PW"), L("openssl", "passwd", "-salt", "xy", "[REDACTED]"));
	ARGV(r, L("curl", "--cert", "c.pem:PW", "-E", "d.pem", "u"), L("curl", "--cert", "c.pem:[REDACTED]", "-E", "d.pem", "u"));
	ARGV(r, L("wget", "--http-password", "PW", "--ftp-password=PW2", "--proxy-password=PW3", "--ask-password", "u"),
	     L("wget", "--http-password", "[REDACTED]", "--ftp-password=[REDACTED]", "--proxy-password=[REDACTED]",
	       "--ask-password", "u"));
	ARGV(r, L("http", "-a", "bob:PW", "GET", "u"), L("http", "-a", "bob:[REDACTED]", "GET", "u"));
	ARGV(r, L("lftp", "-u", "bob,PW", "h"), L("lftp", "-u", "bob,[REDACTED]", "h"));
	/* operands: htpasswd -b FILE USER SECRET, -nb USER SECRET */
	ARGV(r, L("htpasswd", "-b", "f", "bob", "PW"), L("htpasswd", "-b", "f", "bob", "[REDACTED]"));
	ARGV(r, L("htpasswd", "-nbB", "bob", "PW"), L("htpasswd", "-nbB", "bob", "[REDACTED]"));
	ARGV(r, L("htpasswd", "-C", "10", "-cb", "f", "bob", "PW"), L("htpasswd", "-C", "10", "-cb", "f", "bob", "[REDACTED]"));
	ARGV(r, L("htpasswd", "-c", "f", "bob"), L("htpasswd", "-c", "f", "bob"));
	ARGV(r, L("mysqladmin", "-u", "root", "password", "NEW"), L("mysqladmin", "-u", "root", "password", "[REDACTED]"));
	ARGV(r, L("wpa_passphrase", "ssid", "PW"), L("wpa_passphrase", "ssid", "[REDACTED]"));
	ARGV(r, L("rabbitmqctl", "add_user", "bob", "PW"), L("rabbitmqctl", "add_user", "bob", "[REDACTED]"));
	ARGV(r, L("mc", "alias", "set", "s3", "https://h", "AK", "SK"), L("mc", "alias", "set", "s3", "https://h", "AK", "[REDACTED]"));
	ARGV(r, L("sqlplus", "-S", "scott/tiger@db", "@x.sql"), L("sqlplus", "-S", "scott/[REDACTED]@db", "@x.sql"));
	ARGV(r, L("sqlplus", "/", "as", "sysdba"), L("sqlplus", "/", "as", "sysdba"));
	ARGV(r, L("nmcli", "dev", "wifi", "connect", "Home", "password", "PW"),
	     L("nmcli", "dev", "wifi", "connect", "Home", "password", "[REDACTED]"));
	ARGV(r, L("aws", "configure", "set", "aws_secret_access_key", "X"),
	     L("aws", "configure", "set", "aws_secret_access_key", "[REDACTED]"));
	ARGV(r, L("kubectl", "create", "secret", "generic", "s", "--from-literal=key=V", "--from-literal", "k=V"),
	     L("kubectl", "create", "secret", "generic", "s", "--from-literal=key=[REDACTED]", "--from-literal", "k=[REDACTED]"));
	ARGV(r, L("kubectl", "create", "configmap", "c", "--from-literal=k=v"),
	     L("kubectl", "create", "configmap", "c", "--from-literal=k=v"));
	/* one family each: databases, directories, archives, Java, remote desktops, SNMP */
	ARGV(r, L("mongosh", "-u", "bob", "-p", "PW"), L("mongosh", "-u", "bob", "-p", "[REDACTED]"));
	ARGV(r, L("ldappasswd", "-a", "OLD", "-s", "NEW"), L("ldappasswd", "-a", "[REDACTED]", "-s", "[REDACTED]"));
	ARGV(r, L("sqlcmd", "-S", "h", "-U", "sa", "-P", "PW"), L("sqlcmd", "-S", "h", "-U", "sa", "-P", "[REDACTED]"));
	ARGV(r, L("zip", "-P", "PW", "a.zip", "f"), L("zip", "-P", "[REDACTED]", "a.zip", "f"));
	ARGV(r, L("unzip", "-P", "PW", "a.zip"), L("unzip", "-P", "[REDACTED]", "a.zip"));
	ARGV(r, L("7z", "a", "-pPW", "a.7z"), L("7z", "a", "-p[REDACTED]", "a.7z"));
	ARGV(r, L("rar", "a", "-hpPW", "a.rar"), L("rar", "a", "-hp[REDACTED]", "a.rar"));
	ARGV(r, L("keytool", "-list", "-storepass", "PW", "-keypass", "PW2", "-new", "PW3"),
	     L("keytool", "-list", "-storepass", "[REDACTED]", "-keypass", "[REDACTED]", "-new", "[REDACTED]"));
	ARGV(r, L("keytool", "-storepass:env", "VAR"), L("keytool", "-storepass:env", "VAR"));
	ARGV(r, L("xfreerdp", "/u:bob", "/p:PW", "/v:h"), L("xfreerdp", "/u:bob", "/p:[REDACTED]", "/v:h"));
	ARGV(r, L("snmpwalk", "-v2c", "-c", "public", "h"), L("snmpwalk", "-v2c", "-c", "[REDACTED]", "h"));
	ARGV(r, L("ipmitool", "-U", "admin", "-P", "PW"), L("ipmitool", "-U", "admin", "-P", "[REDACTED]"));
	ARGV(r, L("useradd", "-p", "$6$salt$hash", "bob"), L("useradd", "-p", "[REDACTED]", "bob"));
	ARGV(r, L("gpg", "--batch", "--passphrase", "PW", "--passphrase-fd", "0"),
	     L("gpg", "--batch", "--passphrase", "[REDACTED]", "--passphrase-fd", "0"));
	ARGV(r, L("kubectl", "--token", "T", "get", "pods"), L("kubectl", "--token", "[REDACTED]", "get", "pods"));
	ARGV(r, L("consul", "acl", "policy", "list", "-token=T"), L("consul", "acl", "policy", "list", "-token=[REDACTED]"));
	ARGV(r, L("ffmpeg", "-i", "in", "-pass", "1", "out"), L("ffmpeg", "-i", "in", "-pass", "1", "out"));
}

/* Look-alike options: a secret word inside a longer word, or a modifier after it. */
static void test_not_secret_options(void **state)
{
	const struct redactor *r = *state;

	ARGV(r, L("prog", "--passwordless", "host1"), L("prog", "--passwordless", "host1"));
	ARGV(r, L("prog", "--token-limit", "100"), L("prog", "--token-limit", "100"));
	ARGV(r, L("prog", "--pass-through", "file.txt"), L("prog", "--pass-through", "file.txt"));
	ARGV(r, L("ld", "-plugin-opt=-pass-through=-lgcc", "-plugin-opt=-pass-through=-lc"),
	     L("ld", "-plugin-opt=-pass-through=-lgcc", "-plugin-opt=-pass-through=-lc"));
	ARGV(r, L("prog", "--password-file", "F"), L("prog", "--password-file", "F"));
	ARGV(r, L("prog", "--password-stdin", "x"), L("prog", "--password-stdin", "x"));
	ARGV(r, L("prog", "--tokenizer", "bert"), L("prog", "--tokenizer", "bert"));
	ARGV(r, L("prog", "--passwordless-login", "x"), L("prog", "--passwordless-login", "x"));
	ARGV(r, L("prog", "--token-count", "3", "--secret-length", "32", "--password-type", "otp"),
	     L("prog", "--token-count", "3", "--secret-length", "32", "--password-type", "otp"));
	ARGV(r, L("prog", "--password-policy", "strict", "--password-prompt", "Pw:"),
	     L("prog", "--password-policy", "strict", "--password-prompt", "Pw:"));
	ARGV(r, L("gpg", "--passphrase-fd", "0"), L("gpg", "--passphrase-fd", "0"));
	ARGV(r, L("gh", "auth", "login", "--with-token"), L("gh", "auth", "login", "--with-token"));
	ARGV(r, L("prog", "--secret-name", "db", "--token-ttl", "1h"), L("prog", "--secret-name", "db", "--token-ttl", "1h"));
	ARGV(r, L("prog", "--bypass", "x", "--compass", "y"), L("prog", "--bypass", "x", "--compass", "y"));
	check_same(r, "--password-store=basic");
	check_same(r, "--tokens=5");
	check_same(r, "SSH_AUTH_SOCK=/run/user/1/ssh");
	check_same(r, "GIT_ASKPASS=/usr/bin/x");
	/* the secret ones next to them still are */
	ARGV(r, L("prog", "--password", "PW", "--pass", "PW", "--auth", "PW"),
	     L("prog", "--password", "[REDACTED]", "--pass", "[REDACTED]", "--auth", "[REDACTED]"));
	check_one(r, "--secret-key=x", "--secret-key=[REDACTED]");
	check_one(r, "--storepass=x", "--storepass=[REDACTED]");
}

static void test_token_prefixes(void **state)
{
	const struct redactor *r = *state;

	check_one(r, "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "sk_live_[REDACTED]");
	check_one(r, "STRIPE=rk_test_0123456789abcdefABCD", "STRIPE=rk_test_[REDACTED]");
	check_one(r, "key=AIzaSyD-0123456789abcdefghijklmnopqrstu", "key=AIza[REDACTED]");
	check_same(r, "AIzaSyD-0123456789abcdefghijklmnopqrs");
	check_one(r, "sk-proj-abcDEF0123456789ghijklmnop", "sk-[REDACTED]");
	check_one(r, "x sk-ant-api03-abc0123456789defghij y", "x sk-[REDACTED] y");
	check_same(r, "sk-learn-is-a-package-name-here");
	check_same(r, "desk-0123456789abcdefghij");
	check_one(r, "npm_0123456789abcdefghijABCDEFGHIJ012345", "npm_[REDACTED]");
	check_one(r, "pypi-AgEIcHlwaS5vcmcCJDAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAw",
		  "pypi-[REDACTED]");
	check_one(r, "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", "SG.[REDACTED]");
	check_one(r, "SK0123456789abcdef0123456789abcdef", "SK[REDACTED]");
	check_same(r, "SKETCH");
	check_one(r, "dop_v1_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		  "dop_v1_[REDACTED]");
	check_one(r, "vault login hvs.CAESIJ0123456789abcdefghijklmn", "vault login hvs.[REDACTED]");
	check_one(r, "hf_abcdefghijklmnopqrstuvwxyz0123456789", "hf_[REDACTED]");
	check_one(r, "xapp-1-A0123-0123456789-abcdef", "xapp-[REDACTED]");
	check_one(r, "glrt-0123456789abcdefghij", "glrt-[REDACTED]");
	check_one(r, "HRKU-0123456789abcdefghijABCDE", "HRKU-[REDACTED]");
	check_one(r, "shpat_0123456789abcdef0123456789abcdef", "shpat_[REDACTED]");
	check_one(r, "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ",
		  "AGE-SECRET-KEY-1[REDACTED]");
}

static void test_env_names(void **state)
{
	static const char *const secret[] = {
		"SSHPASS", "PGPASSWORD", "MYSQL_PWD", "REDISCLI_AUTH", "CI_JOB_TOKEN", "APP_SECRET",
		"DB_PASSWORD", "LDAP_PASSWD", "OPENAI_API_KEY", "MINIO_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY",
		"AWS_SESSION_TOKEN", "GITHUB_TOKEN", "VAULT_TOKEN", "DOCKER_PASSWORD", "WIFI_PSK",
		"NPM_CONFIG__AUTH", "BORG_PASSPHRASE", "ENCRYPTION_KEY", "SECRET_KEY_BASE",
	};
	const struct redactor *r = *state;
	char in[64], want[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(secret); i++) {
		snprintf(in, sizeof(in), "%s=x1", secret[i]);
		snprintf(want, sizeof(want), "%s=[REDACTED]", secret[i]);
		check_one(r, in, want);
	}
	check_same(r, "XAUTHORITY=/run/user/1/x");
	check_same(r, "HISTCONTROL=ignoredups");
}

static void test_spaced_key_values(void **state)
{
	const struct redactor *r = *state;

	check_one(r, "password : PW", "password : [REDACTED]");
	check_one(r, "password = PW", "password = [REDACTED]");
	check_one(r, "x password = PW y", "x password = [REDACTED] y");
	check_one(r, "{\"password\" : \"PW\"}", "{\"password\" : \"[REDACTED]\"}");
	check_one(r, "[default]\naws_secret_access_key = wJalr\nregion = us-east-1",
		  "[default]\naws_secret_access_key = [REDACTED]\nregion = us-east-1");
	check_one(r, "db:\n  user: bob\n  password: two words\n  host: h",
		  "db:\n  user: bob\n  password: [REDACTED]\n  host: h");
	check_one(r, "Authorization : Bearer abc", "Authorization : Bearer [REDACTED]");
	/* .netrc lines */
	check_one(r, "machine host login bob password PW", "machine host login bob password [REDACTED]");
	check_one(r, "machine h login u passwd PW account ACC", "machine h login u passwd [REDACTED] account [REDACTED]");
	check_one(r, "default login u password PW", "default login u password [REDACTED]");
	check_one(r, "sh -c 'echo machine h login u password p >> ~/.netrc'",
		  "sh -c 'echo machine h login u password [REDACTED] >> ~/.netrc'");
	/* comparisons, empty values and prose stay */
	check_same(r, "a == password");
	check_same(r, "[ $x != token ]");
	check_same(r, "host=db password= dbname=app");
	check_same(r, "the password is PW");
	check_same(r, "git commit -m 'fix: token: handle expiry'");
}

/* A pattern the C library's matcher takes minutes over; here it is bounded. */
static void test_user_pattern_limits(void **state)
{
	struct redactor *r = redactor_new();
	char *s = filled(BIG, 'a'), *out, err[512];

	(void)state;
	assert_non_null(r);
	assert_int_equal(redactor_add(r, "(a*)*\\1\\1\\1b", err, sizeof(err)), -1);
	assert_string_equal(err, "--redact pattern '(a*)*\\1\\1\\1b' is refused: it uses a back-reference, "
			    "and matching back-references can take exponential time");
	assert_int_equal(redactor_add(r, "a{1,30000}", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "is too large: its repetitions expand to more than 2000 states"));
	assert_int_equal(redactor_add(r, "(a|b)*a(a|b){200}c", err, sizeof(err)), 0);
	assert_int_equal(redactor_add(r, "(a+)+b", err, sizeof(err)), 0);
	check_same(r, s);
	/* a match far into a long element is found, anchors mean the element's ends */
	memcpy(s + BIG - 10, "xxaaabcaab", 10);
	assert_int_equal(redactor_add(r, "^zz|aab$|xxa{3}b", err, sizeof(err)), 0);
	out = redact_env(r, s);
	assert_non_null(out);
	assert_int_equal(strlen(out), BIG - 10 + 21);
	assert_string_equal(out + BIG - 10, "[REDACTED]c[REDACTED]");
	free(out);
	redactor_free(r);

	/* work beyond the bound hides the element whole: a|a*c rescans the rest at each a */
	r = redactor_new();
	assert_non_null(r);
	assert_int_equal(redactor_add(r, "a|a*c", err, sizeof(err)), 0);
	s[BIG / 4] = '\0';
	memset(s, 'a', BIG / 4);
	check_one(r, s, "[REDACTED]");
	check_one(r, "xaacx", "x[REDACTED]x");
	free(s);
	redactor_free(r);
}

/* Redacting what was redacted changes nothing. */
static void test_idempotent(void **state)
{
	static const char *const in[] = {
		"sshpass", "-p", "pw", "curl", "-u", "a:b", "--password", "Bearer 0123456789",
		"x token=a'b", "https://u:p@ss@h/", "AKIAIOSFODNN7EXAMPLE", "mysql", "-pX",
		"-----BEGIN EC PRIVATE KEY-----\nabc", "{\"secret\": \"a\\\"b\"}",
	};
	const struct redactor *r = *state;
	char *argv[ARRAY_SIZE(in)];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(in); i++)
		assert_non_null(argv[i] = strdup(in[i]));
	assert_int_equal(redact_argv(r, argv, ARRAY_SIZE(in)), 9);
	assert_int_equal(redact_argv(r, argv, ARRAY_SIZE(in)), 0);
	for (i = 0; i < ARRAY_SIZE(in); i++)
		free(argv[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_key_value, setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_value_inside, setup, teardown),
		cmocka_unit_test_setup_teardown(test_headers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bearer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_urls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_known_formats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_next_element, setup, teardown),
		cmocka_unit_test_setup_teardown(test_short_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_secrets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_env, setup, teardown),
		cmocka_unit_test(test_user_patterns),
		cmocka_unit_test_setup_teardown(test_bad_patterns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
		cmocka_unit_test(test_long),
		cmocka_unit_test_setup_teardown(test_not_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idempotent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_command_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_secret_options, setup, teardown),
		cmocka_unit_test_setup_teardown(test_token_prefixes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_env_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spaced_key_values, setup, teardown),
		cmocka_unit_test(test_user_pattern_limits),
	};

	return cmocka_run_group_tests_name("redact", tests, NULL, NULL);
}
