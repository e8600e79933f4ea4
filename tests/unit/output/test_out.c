// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "output/out.h"

static void test_json_object(void **state)
{
	static const char *const flags[] = { "O_WRONLY", "O_CREAT" };
	struct out o;

	(void)state;
	out_init(&o, OUT_JSON);
	out_obj_begin(&o, NULL);
	out_int(&o, "ret", -2);
	out_str(&o, "error", "ENOENT");
	out_obj_begin(&o, "file");
	out_str(&o, "path", "/a \"b\"\\c");
	out_names(&o, "flags", flags, 2);
	out_mode(&o, "mode", 0644);
	out_obj_end(&o);
	out_bool(&o, "notable", true);
	out_obj_end(&o);
	assert_string_equal(o.buf, "{\"ret\":-2,\"error\":\"ENOENT\",\"file\":{\"path\":\"/a \\\"b\\\"\\\\c\","
				   "\"flags\":[\"O_WRONLY\",\"O_CREAT\"],\"mode\":420},\"notable\":true}");
	assert_false(o.failed);
	out_free(&o);
}

static void test_json_escapes_bytes(void **state)
{
	/* Control bytes, valid UTF-8, invalid UTF-8, a surrogate, an overlong form. */
	const char in[] = "a\n\x01\xc3\xa9\xff\xed\xa0\x80\xc0\xaf";
	struct out o;

	(void)state;
	out_init(&o, OUT_JSON);
	out_strn(&o, NULL, in, sizeof(in) - 1);
	assert_string_equal(o.buf, "\"a\\u000a\\u0001\xc3\xa9\\\\xff\\\\xed\\\\xa0\\\\x80\\\\xc0\\\\xaf\"");
	out_free(&o);
}

static void test_text_line(void **state)
{
	static const char *const none[] = { NULL };
	struct out o;

	(void)state;
	out_init(&o, OUT_TEXT);
	out_obj_begin(&o, "process");
	out_str(&o, "path", "/tmp/a b");
	out_arr_begin(&o, "args");
	out_str(&o, NULL, "ls");
	out_str(&o, NULL, "-l");
	out_arr_end(&o);
	out_bool(&o, "shown", true);
	out_bool(&o, "hidden", false);
	out_names(&o, "flags", none, 0);
	out_str(&o, "ctl", "a\tb");
	out_mode(&o, "mode", 0644);
	out_obj_end(&o);
	assert_string_equal(o.buf, " path=\"/tmp/a b\" args=[ls,-l] shown=true flags=0 ctl=a\\x09b mode=0644");
	out_free(&o);

	/* What a traced program could use to forge or hide timeline text. */
	out_init(&o, OUT_TEXT);
	out_str(&o, "a", "x\x1b[2K\r\\x0a");
	out_str(&o, "b", "a,b");
	out_str(&o, "c", "\xc2\x9b\xe2\x80\xae\xc3\xa9\xff");
	out_str(&o, "d", "q\"q r");
	assert_string_equal(o.buf, " a=\"x\\x1b[2K\\x0d\\\\x0a\" b=\"a,b\" c=\\u009b\\u202e\xc3\xa9\\xff"
				   " d=\"q\\x22q r\"");
	out_free(&o);
}

static void test_reset_reuses_buffer(void **state)
{
	struct out o;
	char *first;

	(void)state;
	out_init(&o, OUT_JSON);
	out_obj_begin(&o, NULL);
	out_uint(&o, "seq", 18446744073709551615ULL);
	out_obj_end(&o);
	assert_string_equal(o.buf, "{\"seq\":18446744073709551615}");
	first = o.buf;
	out_reset(&o);
	out_obj_begin(&o, NULL);
	out_obj_end(&o);
	assert_ptr_equal(o.buf, first);
	assert_string_equal(o.buf, "{}");
	out_free(&o);
}

static void test_depth_limit(void **state)
{
	struct out o;
	int i;

	(void)state;
	out_init(&o, OUT_JSON);
	for (i = 0; i < OUT_MAX_DEPTH + 2; i++)
		out_obj_begin(&o, NULL);
	assert_true(o.failed);
	out_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_object),
		cmocka_unit_test(test_json_escapes_bytes),
		cmocka_unit_test(test_text_line),
		cmocka_unit_test(test_reset_reuses_buffer),
		cmocka_unit_test(test_depth_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
