// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Hostile strings from a traced program must stay text in every output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bundle/bundle_hash.h"
#include "bundle/bundle_index.h"
#include "bundle/bundle_out.h"

#define HOSTILE "</script><img src=x onerror=alert(1)>"

static const char *const events[] = {
	"{\"schema\":1,\"seq\":1,\"time\":\"2026-11-23T12:00:00.000000001Z\",\"ts_ns\":1000,"
	"\"type\":\"process.exec\",\"pid\":5,\"ppid\":1,\"comm\":\"" HOSTILE "\",\"key\":\"5@900\","
	"\"process\":{\"filename\":\"/tmp/" HOSTILE "\",\"args\":[\"x\",\"" HOSTILE "\"]}}",
	"{\"schema\":1,\"seq\":2,\"time\":\"2026-11-23T12:00:00.000002Z\",\"ts_ns\":2000,"
	"\"type\":\"file.open\",\"pid\":5,\"ppid\":1,\"comm\":\"x\",\"key\":\"5@900\",\"ret\":-13,"
	"\"error\":\"EACCES\",\"file\":{\"path\":\"/etc/" HOSTILE "\",\"flags\":[\"O_RDONLY\"]}}",
	"{\"schema\":1,\"seq\":3,\"time\":\"2026-11-23T12:00:00.000003Z\",\"ts_ns\":3000,"
	"\"type\":\"mount.mount\",\"notable\":true,\"pid\":5,\"comm\":\"x\",\"key\":\"5@900\","
	"\"ret\":0,\"mount\":{\"target\":\"" HOSTILE "\"}}",
	"{\"schema\":1,\"seq\":4,\"time\":\"2026-11-23T12:00:00.000004Z\",\"ts_ns\":4000,"
	"\"type\":\"process.exit\",\"pid\":5,\"comm\":\"x\",\"key\":\"5@900\","
	"\"process\":{\"signal\":\"" HOSTILE "\"}}",
};

static char *render(enum summary_flavor flavor, bool html)
{
	json_t *meta = json_pack("{s{s[ss]ss}ss}", "command", "argv", "sh", HOSTILE, "cwd", "/w",
				 "state", "finished");
	struct bidx *x = bidx_new("/w");
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		bidx_add(x, events[i], strlen(events[i]));
	bidx_finish(x);
	assert_int_equal(html ? html_write(f, meta, x) : summary_write(f, meta, x, flavor), 0);
	fclose(f);
	bidx_free(x);
	json_decref(meta);
	return buf;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (; (hay = strstr(hay, needle)); hay++)
		n++;
	return n;
}

static void test_report_html_has_no_live_markup(void **state)
{
	char *page = render(SUMMARY_MD, true), *script, *end, hash[64], csp[128];

	(void)state;
	assert_int_equal(count(page, "<img"), 0);
	assert_int_equal(count(page, "<script"), 1);
	assert_int_equal(count(page, "</script>"), 1);
	assert_true(count(page, "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;") >= 5);
	/* Nothing is fetched, and only this page's own script may run. */
	assert_null(strstr(page, "src=\"http"));
	assert_null(strstr(page, "href=\"http"));
	script = strstr(page, "<script>") + strlen("<script>");
	end = strstr(script, "</script>");
	assert_int_equal(sha256_b64(script, end - script, hash, sizeof(hash)), 0);
	snprintf(csp, sizeof(csp), "script-src 'sha256-%s'", hash);
	assert_non_null(strstr(page, csp));
	assert_non_null(strstr(page, "default-src 'none'"));
	assert_int_equal(count(page, "<rect class=\"bar"), 1);
	assert_non_null(strstr(page, "id=\"process-tree\""));
	free(page);
}

static void test_summary_escapes(void **state)
{
	char *md = render(SUMMARY_MD, false), *text = render(SUMMARY_TEXT, false);

	(void)state;
	assert_int_equal(count(md, "<img"), 0);
	assert_int_equal(count(md, "</script>"), 0);
	assert_non_null(strstr(md, "&lt;/script&gt;"));
	/* The text flavor shows the string as it was, but never a control byte. */
	assert_non_null(strstr(text, HOSTILE));
	assert_null(strchr(text, '\033'));
	free(md);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_html_has_no_live_markup),
		cmocka_unit_test(test_summary_escapes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
