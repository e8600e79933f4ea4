// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The hash chain on known input, and the line format it relies on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bundle/bundle_hash.h"

#define ID "00000000-0000-4000-8000-000000000000"
/* Computed independently: sha256(ID), then sha256(prev_hex || line). */
#define H0 "db8055e0e0307d5a016bec4dc338d69875eb0fb7e614a8b125b08fb082095d98"
#define H1 "b90d83281340a82e148667d6097d1d592ebe726a15d71883049bce6e1dbfedd9"
#define H2 "3aceb70133d4c40f9aa7cc388be910cb019aa1fb0dcb813687e11a2562c167c9"
#define L1 "{\"schema\":1,\"seq\":1,\"type\":\"file.open\"}"
#define L2 "{\"schema\":1,\"seq\":2,\"type\":\"stats\"}"

static void test_chain_known_values(void **state)
{
	struct chain c;

	(void)state;
	assert_int_equal(chain_init(&c, ID), 0);
	assert_string_equal(c.head, H0);
	/* The writer hands the line without its closing brace. */
	assert_int_equal(chain_step(&c, L1, strlen(L1) - 1), 0);
	assert_string_equal(c.head, H1);
	assert_int_equal(chain_step(&c, L2, strlen(L2) - 1), 0);
	assert_string_equal(c.head, H2);
	chain_free(&c);
}

static void test_chain_order_matters(void **state)
{
	struct chain c;

	(void)state;
	assert_int_equal(chain_init(&c, ID), 0);
	assert_int_equal(chain_step(&c, L2, strlen(L2) - 1), 0);
	assert_int_equal(chain_step(&c, L1, strlen(L1) - 1), 0);
	assert_string_not_equal(c.head, H2);
	chain_free(&c);
}

static void test_chain_split(void **state)
{
	const char *line = "{\"schema\":1,\"seq\":1,\"type\":\"file.open\",\"chain\":\"" H1 "\"}";
	char hex[SHA256_HEX_LEN + 1];
	size_t open_len = 0;

	(void)state;
	assert_true(chain_split(line, strlen(line), &open_len, hex));
	assert_string_equal(hex, H1);
	assert_int_equal(open_len, strlen(L1) - 1);
	assert_memory_equal(line, L1, open_len);
}

static void test_chain_split_rejects(void **state)
{
	static const char *const bad[] = {
		L1,                                                    /* no chain member */
		"{\"a\":1,\"chain\":\"" H1 "\"}x",                     /* trailing byte */
		"{\"a\":1,\"chain\":\"DB8055E0E0307D5A016BEC4DC338D69875EB0FB7E614A8B125B08FB082095D98\"}",
		"{\"a\":1,\"chain\":\"" H1 "0\"}",                     /* 65 digits */
		"[\"a\",\"chain\":\"" H1 "\"}",                        /* not an object */
	};
	char hex[SHA256_HEX_LEN + 1];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(chain_split(bad[i], strlen(bad[i]), &n, hex));
}

static void test_sha256_helpers(void **state)
{
	char hex[SHA256_HEX_LEN + 1], b64[64];

	(void)state;
	assert_int_equal(sha256_hex("abc", 3, hex), 0);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(sha256_b64("abc", 3, b64, sizeof(b64)), 0);
	assert_string_equal(b64, "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain_known_values),
		cmocka_unit_test(test_chain_order_matters),
		cmocka_unit_test(test_chain_split),
		cmocka_unit_test(test_chain_split_rejects),
		cmocka_unit_test(test_sha256_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
