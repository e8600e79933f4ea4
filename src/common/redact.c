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
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ere.h"
#include "common/redact.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MARK_LEN (sizeof(REDACT_MARK) - 1)

/*
 * User patterns may visit this many NFA states per byte of an element, all
 * patterns together (plus USER_WORK_SLACK bytes' worth, for short elements):
 * ordinary patterns need a few per byte; past it an element is hidden.
 */
#define USER_WORK_PER_BYTE 1024ul
#define USER_WORK_SLACK    16

struct cmd_rule;

struct redactor {
	struct ere **re;
	size_t nre;
	size_t states;          /* of the largest pattern: what a scratch must hold */
	struct cmd_rule *rules; /* secret_flags expanded, one per command, sorted by command */
	size_t nrules;
	bool token_first[256];  /* bytes a token_kinds prefix starts with */
};

/* One string being redacted. */
struct scan {
	const struct redactor *r;
	const char *s;          /* NUL-terminated at len */
	size_t len;
	unsigned char *mask;    /* 1: the byte is hidden */
	char *key;              /* room for a normalised key: 2 * len + 1 */
};

/*
 * How a command's option takes its value, and which part of the value is
 * the secret (the rest says who or where, and stays).
 */
#define SF_ATTACHED  0x001u     /* -pSECRET, /p:SECRET, --flag=SECRET */
#define SF_NEXT      0x002u     /* -p SECRET */
#define SF_OPTIONAL  0x004u     /* an option ("--x") in the value's place means no value */
#define SF_SKIP      0x008u     /* the value is not secret, but is the option's, not an operand */
#define SF_USERPASS  0x010u     /* user:SECRET */
#define SF_USERPCT   0x020u     /* user%SECRET (Samba) */
#define SF_USERCOMMA 0x040u     /* user,SECRET (lftp) */
#define SF_OPENSSL   0x080u     /* pass:SECRET; env:X, file:X, fd:N and stdin say where it is */
#define SF_AFTER_EQ  0x100u     /* name=SECRET */
#define SF_SLASH     0x200u     /* user/SECRET@db (Oracle) */
#define SF_POS       0x400u     /* an operand, counted after the command or its subcommand */

/* Where argv's context has got to: the command seen last, what the next element is. */
struct argv_ctx {
	const struct cmd_rule *cmd;     /* the command's rules, [cmd, end); NULL: no known command */
	const struct cmd_rule *end;
	const char *sub;                /* the command's subcommand, once seen */
	unsigned int take;              /* SF_* for the next element, 0 if it is not a value */
	unsigned int operands;          /* since the command, or its subcommand */
	unsigned long long letters;     /* short options seen in clusters (-nb): a-z, A-Z */
};

struct secret_flag {
	const char *const *cmds;        /* basenames of the commands */
	const char *sub;                /* NULL, or only after this operand */
	const char *flag;               /* NULL for an operand (SF_POS) */
	unsigned int how;               /* SF_* */
	unsigned char pos;              /* SF_POS: which operand */
	char needs;                     /* SF_POS: only once this short option was given */
	char fewer;                     /* SF_POS: one operand fewer once this one was given */
};

/* A command with the secret_flags rows that name it (several rows share one command). */
struct cmd_rule {
	const char *cmd;
	const struct secret_flag *f;
};

#define CMDS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const char *const registry_login[] = {
	"docker", "podman", "nerdctl", "buildah", "skopeo", "helm", "oras", "crane", NULL,
};
static const char *const mysql_family[] = {
	"mysql", "mysqldump", "mysqladmin", "mysqlcheck", "mysqlimport", "mysqlshow", "mysqlpump",
	"mysqlslap", "mysqlbinlog", "mariadb", "mariadb-dump", "mariadb-admin", "mariadb-check",
	"mariadb-import", "mariadb-show", "mariadb-slap", "mariadb-binlog", NULL,
};
static const char *const samba[] = {
	"smbclient", "rpcclient", "smbcacls", "smbget", "smbtree", "smbcquotas", "net", NULL,
};
static const char *const ldap_tools[] = {
	"ldapsearch", "ldapadd", "ldapmodify", "ldapdelete", "ldapwhoami", "ldappasswd",
	"ldapcompare", "ldapmodrdn", "ldapexop", NULL,
};
static const char *const redis_cli[] = { "redis-cli", "keydb-cli", "valkey-cli", NULL };
static const char *const mongo_tools[] = {
	"mongo", "mongosh", "mongodump", "mongorestore", "mongoexport", "mongoimport", "mongostat",
	"mongotop", "mongofiles", NULL,
};
static const char *const mssql_tools[] = { "sqlcmd", "bcp", "osql", NULL };
static const char *const snmp_tools[] = {
	"snmpget", "snmpgetnext", "snmpwalk", "snmpbulkwalk", "snmpbulkget", "snmpset", "snmptrap",
	"snmptable", "snmpdelta", "snmpstatus", NULL,
};
static const char *const oracle_tools[] = {
	"sqlplus", "rman", "expdp", "impdp", "exp", "imp", "sqlldr", "dgmgrl", NULL,
};
static const char *const freerdp[] = { "xfreerdp", "xfreerdp3", "wlfreerdp", "sdl-freerdp", NULL };
static const char *const archivers_p[] = { "7z", "7za", "7zr", "7zz", NULL };
static const char *const rar[] = { "rar", "unrar", NULL };
static const char *const zip[] = { "zip", "unzip", "zipcloak", "zipsplit", "funzip", NULL };
static const char *const mosquitto[] = { "mosquitto_pub", "mosquitto_sub", "mosquitto_rr", NULL };
static const char *const kube[] = { "kubectl", "oc", NULL };
static const char *const users[] = { "useradd", "usermod", "groupadd", "groupmod", NULL };
static const char *const httpie[] = { "http", "https", "xh", "xhs", NULL };
static const char *const ncftp[] = { "ncftp", "ncftpget", "ncftpput", "ncftpls", NULL };
static const char *const nxc[] = { "nxc", "netexec", "crackmapexec", "cme", NULL };

/*
 * Options that are secret only for some commands, known by the basename of
 * an earlier element (so "sudo mysql -px" counts): -p is not secret in
 * general (mkdir -p, ssh -p 22).  Options any command spells as a secret
 * key (--password, --token, -passphrase) need no row: the generic rules
 * find them.  A row here wins over them, to hide only the secret part.
 */
#define FLAG(cmds, sub, flag, how) { cmds, sub, flag, how, 0, 0, 0 }
#define OPERAND(cmds, sub, how, pos, needs, fewer) { cmds, sub, NULL, how, pos, needs, fewer }

static const struct secret_flag secret_flags[] = {
	/*
	 * User names are values, not operands: "docker login -u mysql -p PW"
	 * must not read mysql as the next command.
	 */
	FLAG(registry_login, NULL, "-u", SF_SKIP | SF_NEXT),
	FLAG(registry_login, NULL, "--username", SF_SKIP | SF_NEXT),
	FLAG(mysql_family, NULL, "-u", SF_SKIP | SF_NEXT),
	FLAG(CMDS("mycli"), NULL, "-u", SF_SKIP | SF_NEXT),
	FLAG(mongo_tools, NULL, "-u", SF_SKIP | SF_NEXT),
	FLAG(mssql_tools, NULL, "-U", SF_SKIP | SF_NEXT),
	FLAG(ldap_tools, NULL, "-D", SF_SKIP | SF_NEXT),
	FLAG(redis_cli, NULL, "--user", SF_SKIP | SF_NEXT),
	FLAG(nxc, NULL, "-u", SF_SKIP | SF_NEXT),
	FLAG(CMDS("smbmap"), NULL, "-u", SF_SKIP | SF_NEXT),
	FLAG(CMDS("az"), NULL, "-u", SF_SKIP | SF_NEXT),
	FLAG(CMDS("ipmitool"), NULL, "-U", SF_SKIP | SF_NEXT),
	/* -p SECRET means "prompt" for mysql: the element after it is a database */
	FLAG(mysql_family, NULL, "-p", SF_ATTACHED),
	OPERAND(mysql_family, "password", SF_POS, 1, 0, 0),          /* mysqladmin password NEW */
	FLAG(CMDS("mycli"), NULL, "-p", SF_ATTACHED | SF_NEXT),
	FLAG(registry_login, "login", "-p", SF_ATTACHED | SF_NEXT),
	FLAG(CMDS("skopeo", "buildah", "podman"), NULL, "--creds", SF_ATTACHED | SF_NEXT | SF_USERPASS),
	FLAG(CMDS("skopeo"), NULL, "--src-creds", SF_ATTACHED | SF_NEXT | SF_USERPASS),
	FLAG(CMDS("skopeo"), NULL, "--dest-creds", SF_ATTACHED | SF_NEXT | SF_USERPASS),
	FLAG(CMDS("az"), "login", "-p", SF_NEXT),
	FLAG(CMDS("doctl"), NULL, "-t", SF_ATTACHED | SF_NEXT),
	/* sshpass's -P names the prompt to wait for, -f and -d where the secret is */
	FLAG(CMDS("sshpass"), NULL, "-p", SF_ATTACHED | SF_NEXT),
	FLAG(CMDS("sshpass"), NULL, "-P", SF_SKIP | SF_NEXT),
	FLAG(CMDS("sshpass"), NULL, "-f", SF_SKIP | SF_NEXT),
	FLAG(CMDS("sshpass"), NULL, "-d", SF_SKIP | SF_NEXT),
	FLAG(CMDS("ssh-keygen"), NULL, "-N", SF_ATTACHED | SF_NEXT),
	FLAG(CMDS("ssh-keygen"), NULL, "-P", SF_ATTACHED | SF_NEXT),
	FLAG(redis_cli, NULL, "-a", SF_NEXT),
	FLAG(samba, NULL, "-U", SF_ATTACHED | SF_NEXT | SF_USERPCT),
	FLAG(samba, NULL, "--user", SF_ATTACHED | SF_NEXT | SF_USERPCT),
	FLAG(nxc, NULL, "-p", SF_NEXT),
	FLAG(CMDS("smbmap"), NULL, "-p", SF_NEXT),
	FLAG(nxc, NULL, "-H", SF_NEXT),
	FLAG(ldap_tools, NULL, "-w", SF_ATTACHED | SF_NEXT),
	FLAG(CMDS("ldappasswd"), NULL, "-a", SF_ATTACHED | SF_NEXT),
	FLAG(CMDS("ldappasswd"), NULL, "-s", SF_ATTACHED | SF_NEXT),
	FLAG(mongo_tools, NULL, "-p", SF_ATTACHED | SF_NEXT),
	FLAG(mssql_tools, NULL, "-P", SF_ATTACHED | SF_NEXT),
	FLAG(CMDS("openssl"), NULL, "-passin", SF_NEXT | SF_OPENSSL),
	FLAG(CMDS("openssl"), NULL, "-passout", SF_NEXT | SF_OPENSSL),
	FLAG(CMDS("openssl"), NULL, "-pass", SF_NEXT | SF_OPENSSL),
	FLAG(CMDS("openssl"), NULL, "-password", SF_NEXT | SF_OPENSSL),
	FLAG(CMDS("openssl"), NULL, "-k", SF_NEXT),
	FLAG(CMDS("openssl"), NULL, "-salt", SF_SKIP | SF_NEXT),
	OPERAND(CMDS("openssl"), "passwd", SF_POS, 1, 0, 0),
	FLAG(CMDS("curl"), NULL, "-u", SF_ATTACHED | SF_NEXT | SF_USERPASS),
	FLAG(CMDS("curl"), NULL, "-U", SF_ATTACHED | SF_NEXT | SF_USERPASS),
	FLAG(CMDS("curl"), NULL, "--user", SF_NEXT | SF_USERPASS),
	FLAG(CMDS("curl"), NULL, "--proxy-user", SF_NEXT | SF_USERPASS),
	FLAG(CMDS("curl"), NULL, "-E", SF_ATTACHED | SF_NEXT | SF_USERPASS),
	FLAG(CMDS("curl"), NULL, "--cert", SF_NEXT | SF_USERPASS),
	FLAG(CMDS("curl"), NULL, "--proxy-cert", SF_NEXT | SF_USERPASS),
	FLAG(httpie, NULL, "-a", SF_ATTACHED | SF_NEXT | SF_USERPASS),
	FLAG(httpie, NULL, "--auth", SF_ATTACHED | SF_NEXT | SF_USERPASS),
	FLAG(CMDS("lftp"), NULL, "-u", SF_NEXT | SF_USERCOMMA),
	FLAG(CMDS("lftp"), NULL, "--user", SF_NEXT | SF_USERCOMMA),
	FLAG(ncftp, NULL, "-p", SF_ATTACHED | SF_NEXT),
	/* htpasswd -b FILE USER SECRET, htpasswd -nb USER SECRET */
	OPERAND(CMDS("htpasswd"), NULL, SF_POS, 3, 'b', 'n'),
	FLAG(CMDS("htpasswd"), NULL, "-C", SF_SKIP | SF_NEXT),
	FLAG(CMDS("htpasswd"), NULL, "-r", SF_SKIP | SF_NEXT),
	OPERAND(CMDS("wpa_passphrase"), NULL, SF_POS, 2, 0, 0),
	OPERAND(CMDS("mkpasswd"), NULL, SF_POS, 1, 0, 0),
	FLAG(CMDS("mkpasswd"), NULL, "-S", SF_SKIP | SF_NEXT),
	FLAG(CMDS("mkpasswd"), NULL, "-m", SF_SKIP | SF_NEXT),
	FLAG(CMDS("mkpasswd"), NULL, "-R", SF_SKIP | SF_NEXT),
	OPERAND(CMDS("rabbitmqctl"), "add_user", SF_POS, 2, 0, 0),
	OPERAND(CMDS("rabbitmqctl"), "change_password", SF_POS, 2, 0, 0),
	OPERAND(CMDS("mc"), "set", SF_POS, 4, 0, 0),                 /* mc alias set N URL ID SECRET */
	OPERAND(CMDS("mc"), "add", SF_POS, 4, 0, 0),                 /* mc config host add ... */
	OPERAND(oracle_tools, NULL, SF_POS | SF_SLASH, 1, 0, 0),     /* sqlplus user/SECRET@db */
	FLAG(oracle_tools, NULL, "-M", SF_SKIP | SF_NEXT),
	FLAG(oracle_tools, NULL, "-R", SF_SKIP | SF_NEXT),
	FLAG(CMDS("nmcli"), NULL, "password", SF_NEXT),
	FLAG(CMDS("nmcli"), NULL, "wifi-sec.psk", SF_NEXT),
	FLAG(CMDS("nmcli"), NULL, "802-11-wireless-security.psk", SF_NEXT),
	FLAG(CMDS("nmcli"), NULL, "wifi-sec.wep-key0", SF_NEXT),
	FLAG(CMDS("aws"), "set", "aws_secret_access_key", SF_NEXT),     /* aws configure set ... */
	FLAG(CMDS("aws"), "set", "aws_session_token", SF_NEXT),
	FLAG(kube, "secret", "--from-literal", SF_ATTACHED | SF_NEXT | SF_AFTER_EQ),
	FLAG(CMDS("keytool"), NULL, "-new", SF_NEXT),
	FLAG(archivers_p, NULL, "-p", SF_ATTACHED),
	FLAG(rar, NULL, "-p", SF_ATTACHED),
	FLAG(rar, NULL, "-hp", SF_ATTACHED),
	FLAG(zip, NULL, "-P", SF_NEXT),
	FLAG(mosquitto, NULL, "-P", SF_NEXT),
	FLAG(snmp_tools, NULL, "-c", SF_ATTACHED | SF_NEXT),            /* the community */
	FLAG(snmp_tools, NULL, "-A", SF_ATTACHED | SF_NEXT),
	FLAG(snmp_tools, NULL, "-X", SF_ATTACHED | SF_NEXT),
	FLAG(CMDS("ipmitool"), NULL, "-P", SF_ATTACHED | SF_NEXT),
	FLAG(CMDS("hydra"), NULL, "-p", SF_NEXT),
	FLAG(CMDS("rdesktop"), NULL, "-p", SF_ATTACHED | SF_NEXT),
	FLAG(freerdp, NULL, "/p:", SF_ATTACHED),
	FLAG(freerdp, NULL, "/pth:", SF_ATTACHED),
	FLAG(CMDS("ffmpeg"), NULL, "-pass", SF_SKIP | SF_NEXT),       /* the pass number, 1 or 2 */
	FLAG(users, NULL, "-p", SF_NEXT),                               /* a password hash */
	FLAG(users, NULL, "--password", SF_NEXT),
};

/* Words, with their lengths. */
struct word {
	const char *w;
	size_t n;
};
#define W(s) { s, sizeof(s) - 1 }

/* A key component that ends in one of these is secret: pgpassword, sshpass, storepass, apitoken. */
static const struct word secret_endings[] = {
	W("password"), W("passwords"), W("passwd"), W("passphrase"), W("passphrases"), W("secret"),
	W("secrets"), W("credential"), W("credentials"), W("token"), W("apikey"), W("accesskey"),
	W("secretkey"), W("privatekey"), W("authkey"), W("authorization"), W("pwd"), W("pass"),
	W("bearer"), W("psk"),
};
/* ...except these, whose "pass" is another word */
static const struct word pass_words[] = {
	W("askpass"), W("bypass"), W("compass"), W("surpass"), W("trespass"), W("overpass"),
	W("underpass"), W("multipass"), W("onepass"), W("twopass"), W("encompass"),
};
/* Components secret as they are, and not as endings (a "gameauth" is not). */
static const struct word secret_components[] = {
	W("passin"), W("passout"), W("session"), W("cookie"), W("cookies"), W("auth"),
};
/* X_key is secret for these X (api_key, AWS_SECRET_ACCESS_KEY, signingKey). */
static const struct word key_qualifiers[] = {
	W("api"), W("access"), W("secret"), W("private"), W("auth"), W("master"), W("encryption"),
	W("signing"), W("license"), W("account"), W("session"),
};
/* A first component that asks whether, not what: --no-password, --ask-pass, --with-token. */
static const struct word key_not_first[] = {
	W("no"), W("ask"), W("prompt"), W("with"), W("without"), W("require"), W("allow"),
	W("enable"), W("disable"), W("skip"), W("use"), W("show"), W("ignore"),
};
/*
 * A last component that says where the secret is, or something about it,
 * rather than what it is: --password-file, --token-limit, --pass-through,
 * SSH_AUTH_SOCK, --passphrase-fd.
 */
static const struct word key_not_last[] = {
	W("file"), W("files"), W("path"), W("dir"), W("jar"), W("helper"), W("stdin"), W("prompt"),
	W("fd"), W("env"), W("var"), W("sock"), W("socket"), W("limit"), W("less"), W("through"),
	W("count"), W("length"), W("len"), W("type"), W("policy"), W("min"), W("max"), W("size"),
	W("ttl"), W("timeout"), W("expiry"), W("expires"), W("lifetime"), W("format"), W("mode"),
	W("name"), W("url"), W("uri"), W("endpoint"), W("command"), W("cmd"), W("store"),
	W("manager"), W("strength"), W("rules"), W("charset"), W("algorithm"), W("algo"),
	W("method"), W("authentication"), W("level"), W("retries"), W("attempts"), W("interval"),
	W("duration"), W("header"), W("location"), W("source"), W("provider"), W("host"),
	W("hostname"), W("server"), W("port"), W("user"), W("username"), W("realm"), W("domain"),
};
static const struct word plain_names[] = {
	W("PWD"), W("OLDPWD"), W("SESSION_MANAGER"), W("DESKTOP_SESSION"),
	W("DBUS_SESSION_BUS_ADDRESS"), W("XDG_SESSION_ID"), W("XDG_SESSION_TYPE"),
	W("XDG_SESSION_CLASS"), W("XDG_SESSION_DESKTOP"),
};
static const char *const auth_schemes[] = { "basic", "bearer", "digest", "negotiate", "token" };

enum token_class { T_ALNUM, T_UPPER, T_HEX };

struct token_kind {
	const char *prefix;
	unsigned char plen;     /* strlen(prefix) */
	unsigned char cls;      /* enum token_class */
	const char *extra;      /* characters allowed besides the class */
	unsigned char min, max; /* length after the prefix; max 0: unbounded */
	bool mixed;             /* needs a digit and a letter: random, not a word (sk-learn-...) */
};

#define TK(prefix) prefix, sizeof(prefix) - 1

static const struct token_kind token_kinds[] = {
	{ TK("AKIA"), T_UPPER, "", 16, 16, false },                 /* AWS access key ids */
	{ TK("ASIA"), T_UPPER, "", 16, 16, false },
	{ TK("ghp_"), T_ALNUM, "", 20, 0, false },                  /* GitHub */
	{ TK("gho_"), T_ALNUM, "", 20, 0, false },
	{ TK("ghu_"), T_ALNUM, "", 20, 0, false },
	{ TK("ghs_"), T_ALNUM, "", 20, 0, false },
	{ TK("ghr_"), T_ALNUM, "", 20, 0, false },
	{ TK("github_pat_"), T_ALNUM, "_", 20, 0, false },
	{ TK("glpat-"), T_ALNUM, "-_", 20, 0, false },              /* GitLab */
	{ TK("gldt-"), T_ALNUM, "-_", 20, 0, false },
	{ TK("glrt-"), T_ALNUM, "-_", 20, 0, false },
	{ TK("glptt-"), T_ALNUM, "-_", 20, 0, false },
	{ TK("glsoat-"), T_ALNUM, "-_", 20, 0, false },
	{ TK("xoxb-"), T_ALNUM, "-", 10, 0, false },                /* Slack */
	{ TK("xoxa-"), T_ALNUM, "-", 10, 0, false },
	{ TK("xoxp-"), T_ALNUM, "-", 10, 0, false },
	{ TK("xoxr-"), T_ALNUM, "-", 10, 0, false },
	{ TK("xoxs-"), T_ALNUM, "-", 10, 0, false },
	{ TK("xoxe-"), T_ALNUM, "-", 10, 0, false },
	{ TK("xapp-"), T_ALNUM, "-", 10, 0, false },
	{ TK("sk_live_"), T_ALNUM, "", 16, 0, false },              /* Stripe */
	{ TK("sk_test_"), T_ALNUM, "", 16, 0, false },
	{ TK("rk_live_"), T_ALNUM, "", 16, 0, false },
	{ TK("rk_test_"), T_ALNUM, "", 16, 0, false },
	{ TK("whsec_"), T_ALNUM, "", 24, 0, false },
	{ TK("AIza"), T_ALNUM, "-_", 35, 35, false },               /* Google API keys */
	{ TK("sk-"), T_ALNUM, "-_", 20, 0, true },                  /* OpenAI, Anthropic */
	{ TK("npm_"), T_ALNUM, "", 36, 36, false },
	{ TK("pypi-"), T_ALNUM, "-_", 50, 0, false },
	{ TK("SG."), T_ALNUM, "-_.", 60, 0, false },                /* SendGrid */
	{ TK("SK"), T_HEX, "", 32, 32, false },                     /* Twilio API keys */
	{ TK("HRKU-"), T_ALNUM, "-_", 20, 0, false },               /* Heroku */
	{ TK("dop_v1_"), T_HEX, "", 64, 64, false },                /* DigitalOcean */
	{ TK("doo_v1_"), T_HEX, "", 64, 64, false },
	{ TK("dor_v1_"), T_HEX, "", 64, 64, false },
	{ TK("hvs."), T_ALNUM, "-_", 24, 0, false },                /* HashiCorp Vault */
	{ TK("hvb."), T_ALNUM, "-_", 24, 0, false },
	{ TK("hvr."), T_ALNUM, "-_", 24, 0, false },
	{ TK("hf_"), T_ALNUM, "", 30, 0, false },                   /* Hugging Face */
	{ TK("shpat_"), T_HEX, "", 32, 32, false },                 /* Shopify */
	{ TK("shpss_"), T_HEX, "", 32, 32, false },
	{ TK("shpca_"), T_HEX, "", 32, 32, false },
	{ TK("shppa_"), T_HEX, "", 32, 32, false },
	{ TK("glc_"), T_ALNUM, "+/=_-", 32, 0, false },             /* Grafana */
	{ TK("glsa_"), T_ALNUM, "_", 32, 0, false },
	{ TK("dapi"), T_HEX, "", 32, 32, false },                   /* Databricks */
	{ TK("PMAK-"), T_ALNUM, "-", 20, 0, false },                /* Postman */
	{ TK("NRAK-"), T_UPPER, "", 27, 27, false },                /* New Relic */
	{ TK("dp.pt."), T_ALNUM, "", 40, 0, false },                /* Doppler */
	{ TK("dp.st."), T_ALNUM, "_.", 40, 0, false },
	{ TK("lin_api_"), T_ALNUM, "", 40, 0, false },              /* Linear */
	{ TK("ATATT"), T_ALNUM, "-_=", 20, 0, true },               /* Atlassian */
	{ TK("AGE-SECRET-KEY-1"), T_UPPER, "", 50, 0, false },      /* age */
	{ TK("key-"), T_HEX, "", 32, 32, false },                   /* Mailgun */
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

static bool in_words(const char *w, size_t n, const struct word *list, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (list[i].n == n && !memcmp(w, list[i].w, n))
			return true;
	return false;
}

static bool ends_with(const char *w, size_t n, const struct word *e)
{
	return n >= e->n && !memcmp(w + n - e->n, e->w, e->n);
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

/* One '_'-separated component of a normalised key. */
static bool is_secret_component(const char *w, size_t n)
{
	size_t i;

	if (in_words(w, n, secret_components, ARRAY_SIZE(secret_components)))
		return true;
	for (i = 0; i < ARRAY_SIZE(secret_endings); i++)
		if (ends_with(w, n, &secret_endings[i]))
			return !in_words(w, n, pass_words, ARRAY_SIZE(pass_words));
	return false;
}

static bool is_secret_key(struct scan *sc, const char *k, size_t n)
{
	const char *key = sc->key, *p, *e, *prev = NULL, *first = NULL;
	size_t len, prevn = 0, firstn = 0;
	bool secret = false;

	if (in_words(k, n, plain_names, ARRAY_SIZE(plain_names)))
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
		secret |= is_secret_component(p, e - p) ||
			  (prev && ((e - p == 3 && !memcmp(p, "key", 3)) || (e - p == 4 && !memcmp(p, "keys", 4))) &&
			   in_words(prev, prevn, key_qualifiers, ARRAY_SIZE(key_qualifiers)));
		prev = p;
		prevn = e - p;
	}
	/* the last component says what the value is: --password-file names a file */
	return secret && !in_words(first, firstn, key_not_first, ARRAY_SIZE(key_not_first)) &&
	       !in_words(prev, prevn, key_not_last, ARRAY_SIZE(key_not_last));
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

/* KEY=value and KEY = value (ini files, .aws/credentials); not ==, !=, <=, >=. */
static void scan_assignments(struct scan *sc)
{
	const char *s = sc->s;
	size_t i, k, e, v;

	for (i = 0; i < sc->len; i++) {
		if (s[i] != '=' || s[i + 1] == '=' || (i && is_in(s[i - 1], "=!<>")))
			continue;
		for (e = i; e && is_blank(s[e - 1]); e--)
			;
		for (k = e; k && is_key_char(s[k - 1]); k--)
			;
		if (k == e || !is_secret_key(sc, s + k, e - k))
			continue;
		/* "key= next" is an empty value; "key = value" is spaced on both sides */
		for (v = i + 1; e < i && v < sc->len && is_blank(s[v]); v++)
			;
		if (k == 0) {
			mark_value(sc, v, sc->len);
			return;
		}
		/* what the value holds is hidden with it: resume after it (linear time) */
		i = mark_inner_value(sc, v);
	}
}

/*
 * "Name: value" or "name : value" starting at `at` (blanks first skipped);
 * the value ends at the quote `q` (0: none) or at the end of the line.
 */
static void scan_header_at(struct scan *sc, size_t at, char q)
{
	const char *s = sc->s;
	size_t j, k, v, end;

	for (; at < sc->len && is_blank(s[at]); at++)
		;
	for (k = at; k < sc->len && is_key_char(s[k]); k++)
		;
	for (j = k; j < sc->len && is_blank(s[j]); j++)
		;
	/* a name starting with '-' is an option: keytool's -storepass:env VAR */
	if (k == at || s[at] == '-' || s[j] != ':' || s[j + 1] == ':' || !strncmp(s + j, "://", 3) ||
	    !is_secret_key(sc, s + at, k - at))
		return;
	for (v = j + 1; v < sc->len && is_blank(s[v]); v++)
		;
	for (end = v; end < sc->len && s[end] != '\n' && s[end] != '\r' && (!q || s[end] != q); end++)
		;
	mark_value(sc, v, end);
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

/* Headers and "key: value" lines: at the start, after KEY=, after a quote, at each line. */
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
		if (s[i] == '\n')
			scan_header_at(sc, i + 1, 0);
		if (!is_quote(s[i]))
			continue;
		scan_header_at(sc, i + 1, s[i]);
		scan_quoted_key_at(sc, i);
	}
}

static bool is_word_end(unsigned char c)
{
	return !c || is_in(c, " \t\n\r\v\f\"'");
}

/* The next word from *i: [*a, *b).  Quotes separate words as blanks do. */
static bool next_word(const struct scan *sc, size_t *i, size_t *a, size_t *b)
{
	size_t p = *i;

	while (p < sc->len && is_word_end(sc->s[p]))
		p++;
	if (p == sc->len)
		return false;
	for (*a = p; p < sc->len && !is_word_end(sc->s[p]); p++)
		;
	*b = *i = p;
	return true;
}

static bool word_is(const struct scan *sc, size_t a, size_t b, const char *w)
{
	return b - a == strlen(w) && !memcmp(sc->s + a, w, b - a);
}

/* .netrc: machine HOST login USER password SECRET account SECRET. */
static void scan_netrc(struct scan *sc)
{
	size_t i = 0, a, b;
	bool machine = false;

	if (!memmem(sc->s, sc->len, "machine", 7) && !memmem(sc->s, sc->len, "default", 7))
		return;
	while (next_word(sc, &i, &a, &b)) {
		if (word_is(sc, a, b, "machine") || word_is(sc, a, b, "default"))
			machine = true;
		else if (machine && (word_is(sc, a, b, "password") || word_is(sc, a, b, "passwd") ||
				     word_is(sc, a, b, "account")) && next_word(sc, &i, &a, &b))
			mark(sc, a, b);
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
	const char *s = sc->s, *p = s, *at, *colon, *next_at = NULL;
	size_t a, b, end = 0;

	while ((p = strstr(p, "://"))) {
		a = p - s + 3;
		for (b = a; b < sc->len && !is_in(s[b], "/?#\"' \t\n\r\v\f"); b++)
			;
		/*
		 * The first blank or quote from b, and the first '@' from the
		 * colon: the ones found for an earlier URL still are until b or
		 * the colon passes them (a://a://... stays linear).
		 */
		if (end < b)
			for (end = b; end < sc->len && !is_in(s[end], "\"' \t\n\r\v\f"); end++)
				;
		at = NULL;
		if (p > s && (is_alnum(p[-1]) || is_in(p[-1], "+.-"))) {
			at = memrchr(s + a, '@', b - a);
			colon = memchr(s + a, ':', b - a);
			if (!at && colon && !is_port(colon + 1, s + b)) {
				if (!next_at || next_at < colon)
					next_at = memchr(colon, '@', sc->len - (colon - s));
				if (!next_at)
					next_at = s + sc->len;
				at = next_at < s + end ? next_at : NULL;
			}
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

static bool in_token(const struct token_kind *t, unsigned char c)
{
	switch (t->cls) {
	case T_UPPER: return is_upper(c) || is_digit(c) || is_in(c, t->extra);
	case T_HEX: return is_digit(c) || (c >= 'a' && c <= 'f');
	default: return is_alnum(c) || is_in(c, t->extra);
	}
}

/* A body this long is a token whatever follows: a failing scan costs no more. */
#define TOKEN_SCAN_MAX 512

/*
 * The length of the token of kind `t` at s[i] (0: none), and in *end
 * where its body's scan stopped.
 */
static size_t token_at(const struct scan *sc, size_t i, const struct token_kind *t, size_t *end)
{
	size_t pl = t->plen, n = 0, cap = t->max ? t->max + 1u : TOKEN_SCAN_MAX;
	const char *s = sc->s + i + pl;
	bool digit = false, letter = false;

	*end = 0;
	if (sc->len - i < pl || memcmp(sc->s + i, t->prefix, pl))
		return 0;
	for (; n < cap && i + pl + n < sc->len && in_token(t, s[n]); n++) {
		digit |= is_digit(s[n]);
		letter |= is_upper(s[n]) || is_lower(s[n]);
	}
	*end = i + pl + n;
	if (n == TOKEN_SCAN_MAX && !t->max) {
		if (t->mixed && !(digit && letter))
			return 0;
		/* a token, hidden to its end: the scan goes on past it */
		while (i + pl + n < sc->len && in_token(t, s[n]))
			n++;
		*end = i + pl + n;
		return n;
	}
	if (n < t->min || (t->max && n > t->max) || is_alnum(s[n]) || (t->mixed && !(digit && letter)))
		return 0;
	return n;
}

static void scan_tokens(struct scan *sc)
{
	/*
	 * Where a kind without a maximum failed, no later start of it before
	 * that point can succeed (its body would be a suffix of the same run):
	 * sk-sk-sk-... is scanned once, not once per "sk-".
	 */
	size_t dead[ARRAY_SIZE(token_kinds)] = { 0 };
	size_t i, k, n, pl, end;

	for (i = 0; i < sc->len; i++) {
		if ((i && is_alnum(sc->s[i - 1])) || !sc->r->token_first[(unsigned char)sc->s[i]])
			continue;
		for (k = 0; k < ARRAY_SIZE(token_kinds); k++) {
			if (token_kinds[k].prefix[0] != sc->s[i] || i < dead[k])
				continue;
			n = token_at(sc, i, &token_kinds[k], &end);
			if (!n) {
				if (!token_kinds[k].max)
					dead[k] = end;
				continue;
			}
			pl = token_kinds[k].plen;
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

/*
 * Every match of every user pattern.  The work is bounded per element: an
 * element the patterns cannot be run over within USER_WORK_PER_BYTE state
 * visits per byte is hidden whole, rather than shown unchecked.
 */
static void scan_user_patterns(const struct redactor *r, struct ere_scratch *w, struct scan *sc)
{
	unsigned long budget = USER_WORK_PER_BYTE * (sc->len + USER_WORK_SLACK);
	size_t i, off, so, eo;
	int ret;

	for (i = 0; i < r->nre; i++) {
		for (off = 0; off < sc->len; off = eo > so ? eo : so + 1) {
			ret = ere_search(r->re[i], w, sc->s, sc->len, off, &so, &eo, &budget);
			if (ret < 0) {
				mark(sc, 0, sc->len);
				return;
			}
			if (!ret)
				break;
			mark(sc, so, eo);
		}
	}
}

static const char *basename_of(const char *arg)
{
	const char *base = strrchr(arg, '/');

	return base ? base + 1 : arg;
}

static int cmp_rule(const void *a, const void *b)
{
	return strcmp(((const struct cmd_rule *)a)->cmd, ((const struct cmd_rule *)b)->cmd);
}

/* The rules of command `name`, [*end - n, *end); NULL when it has none. */
static const struct cmd_rule *find_command(const struct redactor *r, const char *name,
					   const struct cmd_rule **end)
{
	const struct cmd_rule key = { .cmd = name };
	const struct cmd_rule *hit, *stop = r->rules + r->nrules;

	hit = bsearch(&key, r->rules, r->nrules, sizeof(key), cmp_rule);
	if (!hit)
		return NULL;
	while (hit > r->rules && !strcmp(hit[-1].cmd, name))
		hit--;
	for (*end = hit; *end < stop && !strcmp((*end)->cmd, name); (*end)++)
		;
	return hit;
}

/* A row for a subcommand applies once that subcommand was seen. */
static bool applies(const struct argv_ctx *c, const struct secret_flag *f)
{
	return !f->sub || (c->sub && !strcmp(f->sub, c->sub));
}

/* The rule for option `arg`, with where its value starts in *at (0: the next element). */
static const struct secret_flag *find_flag(const struct argv_ctx *c, const char *arg, size_t *at)
{
	const struct cmd_rule *rule;

	for (rule = c->cmd; rule < c->end; rule++) {
		const struct secret_flag *f = rule->f;
		size_t n = f->flag ? strlen(f->flag) : 0;
		bool is_long = f->flag && !strncmp(f->flag, "--", 2);

		if (!n || !applies(c, f) || strncmp(arg, f->flag, n))
			continue;
		*at = 0;
		if (!arg[n] && (f->how & SF_NEXT))
			return f;
		/* --flag=value; a short flag's value follows it directly (-pSECRET, /p:SECRET) */
		*at = n + (is_long && arg[n] == '=');
		if (arg[n] && (f->how & SF_ATTACHED) && (!is_long || arg[n] == '='))
			return f;
	}
	return NULL;
}

static unsigned long long letter_bit(char l)
{
	return 1ull << (is_lower(l) ? l - 'a' : l - 'A' + 26);
}

/* The operand rule for the operand just counted, if any. */
static const struct secret_flag *find_operand(const struct argv_ctx *c)
{
	const struct cmd_rule *rule;

	for (rule = c->cmd; rule < c->end; rule++) {
		const struct secret_flag *f = rule->f;
		unsigned int pos = f->pos;

		if (!(f->how & SF_POS) || !applies(c, f) || (f->needs && !(c->letters & letter_bit(f->needs))))
			continue;
		if (f->fewer && (c->letters & letter_bit(f->fewer)))
			pos--;
		if (c->operands == pos)
			return f;
	}
	return NULL;
}

/* The secret part of a value from s[from], by how its option takes it. */
static void mark_taken(struct scan *sc, size_t from, unsigned int how)
{
	const char *s = sc->s + from, *p, *at;
	size_t n = sc->len - from;

	if (how & SF_SKIP)
		return;
	if (how & (SF_USERPASS | SF_USERPCT | SF_USERCOMMA | SF_AFTER_EQ)) {
		p = memchr(s, how & SF_USERPASS ? ':' : how & SF_USERPCT ? '%' :
			   how & SF_USERCOMMA ? ',' : '=', n);
		if (p)
			mark(sc, p + 1 - sc->s, sc->len);
		return;
	}
	if (how & SF_SLASH) {
		p = memchr(s, '/', n);
		at = p ? memchr(p, '@', sc->s + sc->len - p) : NULL;
		if (p)
			mark(sc, p + 1 - sc->s, at ? (size_t)(at - sc->s) : sc->len);
		return;
	}
	if (how & SF_OPENSSL) {
		if (!strncmp(s, "pass:", 5))
			from += 5;
		else if (!strncmp(s, "env:", 4) || !strncmp(s, "file:", 5) || !strncmp(s, "fd:", 3) ||
			 !strcmp(s, "stdin"))
			return;
	}
	mark_value(sc, from, sc->len);
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

/* Short options in a cluster (-nbB), remembered for operand rules. */
static void note_letters(struct argv_ctx *c, const char *s)
{
	if (s[0] != '-' || s[1] == '-')
		return;
	for (s++; is_upper(*s) || is_lower(*s); s++)
		c->letters |= letter_bit(*s);
}

/* A new command, a subcommand of the current one, or an operand of it. */
static void note_operand(struct argv_ctx *c, struct scan *sc)
{
	const struct cmd_rule *rule;
	const struct secret_flag *f;

	for (rule = c->cmd; rule < c->end; rule++) {
		if (!c->sub && rule->f->sub && !strcmp(rule->f->sub, sc->s)) {
			c->sub = rule->f->sub;
			c->operands = 0;
			return;
		}
	}
	c->operands++;
	f = find_operand(c);
	if (f)
		mark_taken(sc, 0, f->how);
}

static void scan_argv_context(const struct redactor *r, struct argv_ctx *c, struct scan *sc)
{
	const char *s = sc->s;
	const struct cmd_rule *cmd, *end;
	const struct secret_flag *f = NULL;
	unsigned int take = c->take;
	size_t at = 0;

	c->take = 0;
	if (take && !((take & SF_OPTIONAL) && !strncmp(s, "--", 2))) {
		mark_taken(sc, 0, take);
		return;
	}
	if (c->cmd)
		f = find_flag(c, s, &at);
	if (f && !at)
		c->take = f->how;
	else if (f)
		mark_taken(sc, at, f->how);
	if (!f && is_key_option(sc))
		c->take = SF_NEXT | SF_OPTIONAL;
	if (f || s[0] == '-') {
		note_letters(c, s);
		return;
	}
	cmd = find_command(r, basename_of(s), &end);
	if (cmd) {
		*c = (struct argv_ctx){ .cmd = cmd, .end = end };
		return;
	}
	if (!c->cmd)
		return;
	/* sshpass's first operand is the command it runs */
	if (!strcmp(c->cmd->cmd, "sshpass")) {
		c->cmd = NULL;
		return;
	}
	note_operand(c, sc);
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

/*
 * Redact `s`; returns 1 with a malloc'd *out, 0 if unchanged, -1 out of
 * memory.  `w` is the scratch for user patterns (NULL when there are none).
 */
static int redact_one(const struct redactor *r, struct ere_scratch *w, struct argv_ctx *c,
		      const char *s, char **out)
{
	struct scan sc = { .r = r, .s = s, .len = strlen(s) };
	int ret = -1;

	*out = NULL;
	if (r->nre && !w)
		return -1;
	sc.mask = calloc(3 * sc.len + 1, 1);
	if (!sc.mask)
		return -1;
	sc.key = (char *)sc.mask + sc.len;
	if (c)
		scan_argv_context(r, c, &sc);
	scan_assignments(&sc);
	scan_headers(&sc);
	scan_netrc(&sc);
	scan_urls(&sc);
	scan_bearer(&sc);
	scan_tokens(&sc);
	scan_jwts(&sc);
	scan_private_keys(&sc);
	if (r->nre)
		scan_user_patterns(r, w, &sc);
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

static struct ere_scratch *new_scratch(const struct redactor *r)
{
	return r->nre ? ere_scratch_new(r->states) : NULL;
}

int redact_argv(const struct redactor *r, char **argv, int argc)
{
	struct argv_ctx c = { 0 };
	struct ere_scratch *w = argc ? new_scratch(r) : NULL;
	int i, changed = 0;
	char *out;

	for (i = 0; i < argc; i++) {
		switch (redact_one(r, w, &c, argv[i], &out)) {
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
	ere_scratch_free(w);
	return changed;
}

char *redact_env(const struct redactor *r, const char *entry)
{
	struct ere_scratch *w = new_scratch(r);
	char *out;
	int ret = redact_one(r, w, NULL, entry, &out);

	ere_scratch_free(w);
	if (ret < 0) {
		errno = ENOMEM;
		return NULL;
	}
	errno = 0;
	return out;
}

/* secret_flags, one entry per command it names, sorted by command for bsearch. */
static int index_rules(struct redactor *r)
{
	size_t i, j, n = 0;

	for (i = 0; i < ARRAY_SIZE(secret_flags); i++)
		for (j = 0; secret_flags[i].cmds[j]; j++)
			n++;
	r->rules = calloc(n, sizeof(*r->rules));
	if (!r->rules)
		return -1;
	for (i = 0; i < ARRAY_SIZE(secret_flags); i++)
		for (j = 0; secret_flags[i].cmds[j]; j++)
			r->rules[r->nrules++] = (struct cmd_rule){ secret_flags[i].cmds[j], &secret_flags[i] };
	/* stable enough: rows of one command keep no meaningful order between them */
	qsort(r->rules, r->nrules, sizeof(*r->rules), cmp_rule);
	return 0;
}

struct redactor *redactor_new(void)
{
	struct redactor *r = calloc(1, sizeof(struct redactor));
	size_t i;

	if (!r)
		return NULL;
	if (index_rules(r)) {
		free(r);
		return NULL;
	}
	for (i = 0; i < ARRAY_SIZE(token_kinds); i++)
		r->token_first[(unsigned char)token_kinds[i].prefix[0]] = true;
	return r;
}

void redactor_free(struct redactor *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nre; i++)
		ere_free(r->re[i]);
	free(r->re);
	free(r->rules);
	free(r);
}

int redactor_add(struct redactor *r, const char *regex, char *err, size_t errlen)
{
	struct ere **re;
	char why[128];
	const char *more = strlen(regex) > 80 ? "..." : "";

	if (!*regex) {
		snprintf(err, errlen, "--redact needs a non-empty pattern");
		return -1;
	}
	re = realloc(r->re, (r->nre + 1) * sizeof(*re));
	if (!re) {
		snprintf(err, errlen, "out of memory adding the --redact pattern '%.80s%s'", regex, more);
		return -1;
	}
	r->re = re;
	switch (ere_compile(regex, &r->re[r->nre], why, sizeof(why))) {
	case ERE_OK:
		break;
	case ERE_ESYNTAX:
		snprintf(err, errlen,
			 "--redact pattern '%.80s%s' is not a valid extended regular expression (%s); write it as for grep -E",
			 regex, more, why);
		return -1;
	case ERE_EBACKREF:
		snprintf(err, errlen,
			 "--redact pattern '%.80s%s' is refused: it uses a back-reference, and matching back-references can take exponential time",
			 regex, more);
		return -1;
	case ERE_ESIZE:
		snprintf(err, errlen,
			 "--redact pattern '%.80s%s' is too large: %s (at most %d bytes and %d states)",
			 regex, more, why, ERE_MAX_LEN, ERE_MAX_STATES);
		return -1;
	default:
		snprintf(err, errlen, "out of memory adding the --redact pattern '%.80s%s'", regex, more);
		return -1;
	}
	if (ere_states(r->re[r->nre]) > r->states)
		r->states = ere_states(r->re[r->nre]);
	r->nre++;
	return 0;
}
