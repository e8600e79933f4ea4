// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "bundle/bundle_hash.h"

static const char chain_key[] = ",\"chain\":\"";

static void to_hex(const unsigned char *md, char hex[SHA256_HEX_LEN + 1])
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 0; i < SHA256_HEX_LEN / 2; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 0xf];
	}
	hex[SHA256_HEX_LEN] = '\0';
}

static int digest(const void *data, size_t len, unsigned char md[32])
{
	unsigned int mdlen = 0;

	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
		return -1;
	return 0;
}

int sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1])
{
	unsigned char md[32];

	if (digest(data, len, md))
		return -1;
	to_hex(md, hex);
	return 0;
}

int sha256_b64(const void *data, size_t len, char *b64, size_t b64len)
{
	unsigned char md[32];

	/* 32 bytes encode to 44 characters plus the terminator. */
	if (b64len < 45 || digest(data, len, md))
		return -1;
	EVP_EncodeBlock((unsigned char *)b64, md, sizeof(md));
	return 0;
}

int sha256_fd_hex(int fd, char hex[SHA256_HEX_LEN + 1])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char buf[65536], md[32];
	unsigned int mdlen = 0;
	off_t off = 0;
	ssize_t n;
	int ret = -1;

	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		goto cleanup;
	for (;;) {
		n = pread(fd, buf, sizeof(buf), off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto cleanup;
		if (n == 0)
			break;
		if (!EVP_DigestUpdate(ctx, buf, n))
			goto cleanup;
		off += n;
	}
	if (!EVP_DigestFinal_ex(ctx, md, &mdlen))
		goto cleanup;
	to_hex(md, hex);
	ret = 0;
cleanup:
	EVP_MD_CTX_free(ctx);
	return ret;
}

int chain_init(struct chain *c, const char *investigation_id)
{
	c->ctx = EVP_MD_CTX_new();
	c->md = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (!c->ctx || !c->md)
		return -1;
	return sha256_hex(investigation_id, strlen(investigation_id), c->head);
}

void chain_free(struct chain *c)
{
	EVP_MD_CTX_free(c->ctx);
	EVP_MD_free(c->md);
	c->ctx = NULL;
	c->md = NULL;
}

int chain_step(struct chain *c, const char *open_obj, size_t len)
{
	unsigned char md[32];
	unsigned int mdlen = 0;

	if (!EVP_DigestInit_ex(c->ctx, c->md, NULL) ||
	    !EVP_DigestUpdate(c->ctx, c->head, SHA256_HEX_LEN) ||
	    !EVP_DigestUpdate(c->ctx, open_obj, len) ||
	    !EVP_DigestUpdate(c->ctx, "}", 1) ||
	    !EVP_DigestFinal_ex(c->ctx, md, &mdlen))
		return -1;
	to_hex(md, c->head);
	return 0;
}

static bool is_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

bool chain_split(const char *line, size_t len, size_t *open_len, char hex[SHA256_HEX_LEN + 1])
{
	const char *suffix;

	/* The shortest event is `{"x":0` + suffix. */
	if (len < CHAIN_SUFFIX_LEN + 2 || line[0] != '{')
		return false;
	suffix = line + len - CHAIN_SUFFIX_LEN;
	if (memcmp(suffix, chain_key, sizeof(chain_key) - 1) ||
	    !is_hex(suffix + sizeof(chain_key) - 1, SHA256_HEX_LEN) ||
	    memcmp(line + len - 2, "\"}", 2))
		return false;
	memcpy(hex, suffix + sizeof(chain_key) - 1, SHA256_HEX_LEN);
	hex[SHA256_HEX_LEN] = '\0';
	*open_len = len - CHAIN_SUFFIX_LEN;
	return true;
}
