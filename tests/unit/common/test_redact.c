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
	     L("openssl", "rsa", "-passin", "[REDACTED]", "-in", "k.pem"));
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
	};

	return cmocka_run_group_tests_name("redact", tests, NULL, NULL);
}
