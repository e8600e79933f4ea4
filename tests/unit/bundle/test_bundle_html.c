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
	assert_int_equal(count(page, "<details class=\"group\""), 1);
	assert_non_null(strstr(page, "id=\"process-tree\""));
	assert_non_null(strstr(page, "id=\"strip\""));
	free(page);
}

static char *render_lines(const char *const *lines, size_t n)
{
	json_t *meta = json_pack("{s{s[s]ss}ss}", "command", "argv", "x", "cwd", "/w",
				 "state", "finished");
	struct bidx *x = bidx_new("/w");
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	for (i = 0; i < n; i++)
		bidx_add(x, lines[i], strlen(lines[i]));
	bidx_finish(x);
	assert_int_equal(html_write(f, meta, x), 0);
	fclose(f);
	bidx_free(x);
	json_decref(meta);
	return buf;
}

#define EV(seq, ts, rest) "{\"schema\":1,\"seq\":" #seq ",\"time\":\"2026-11-23T12:00:00." \
	#ts "Z\",\"ts_ns\":" #ts ",\"pid\":7,\"comm\":\"su\",\"key\":\"7@100\"," rest "}"

/* A credentials change reads as what changed, never as two JSON objects. */
static void test_credentials_change_reads_as_a_difference(void **state)
{
	static const char *const lines[] = {
		EV(1, 1000, "\"type\":\"priv.setuid\",\"notable\":true,\"ret\":0,\"priv\":{"
		   "\"uid\":0,\"before\":{\"uid\":1000,\"euid\":1000,\"gid\":5,"
		   "\"cap_effective\":[],\"cap_permitted\":[],\"cap_bounding\":[\"CAP_CHOWN\"]},"
		   "\"after\":{\"uid\":1000,\"euid\":0,\"gid\":5,"
		   "\"cap_effective\":[\"CAP_SYS_ADMIN\"],\"cap_permitted\":[\"CAP_SYS_ADMIN\"],"
		   "\"cap_bounding\":[]},\"changed\":[\"euid\"]}"),
	};
	char *page = render_lines(lines, 1);

	(void)state;
	assert_non_null(strstr(page, "euid 1000 \u2192 0, cap_effective, cap_permitted "
				     "+CAP_SYS_ADMIN, cap_bounding -CAP_CHOWN; uid=0</td>"));
	assert_null(strstr(page, "&quot;before&quot;"));
	assert_null(strstr(page, "{&quot;uid"));
	free(page);
}

/* Events that matched a rule come first, the most severe on top, their names escaped. */
static void test_findings_come_first(void **state)
{
	static const char *const lines[] = {
		EV(1, 1000, "\"type\":\"run\",\"procscope\":\"x\""),
		EV(2, 2000, "\"type\":\"mount.mount\",\"notable\":true,\"ret\":0,"
		   "\"mount\":{\"target\":\"/mnt\"}"),
		EV(3, 3000, "\"type\":\"file.open\",\"ret\":3,\"rule\":\"low-one\","
		   "\"severity\":\"low\",\"file\":{\"path\":\"/etc/a\"}"),
		EV(4, 4000, "\"type\":\"file.open\",\"ret\":-1,\"error\":\"EPERM\","
		   "\"rule\":\"" HOSTILE "\",\"severity\":\"high\",\"blocked\":true,"
		   "\"file\":{\"path\":\"/etc/shadow\"}"),
		/* A key is the trace's too: it goes into attributes. */
		"{\"schema\":1,\"seq\":5,\"time\":\"2026-11-23T12:00:00.000005Z\",\"ts_ns\":5000,"
		"\"type\":\"process.exit\",\"pid\":8,\"comm\":\"x\",\"key\":\"8@1\\\" onmouseover=\\\"x\","
		"\"process\":{\"exit_code\":0}}",
	};
	char *page = render_lines(lines, 5);
	char *findings = strstr(page, "id=\"findings-section\"");
	char *notable = strstr(page, "id=\"notable-section\"");
	char *busiest = strstr(page, "id=\"busiest-section\"");
	char *high, *low;

	(void)state;
	assert_non_null(findings);
	assert_non_null(notable);
	assert_true(findings < busiest && busiest < notable);
	high = strstr(findings, "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;");
	low = strstr(findings, "low-one");
	assert_non_null(high);
	assert_non_null(low);
	assert_true(high < low);
	assert_non_null(strstr(findings, ">blocked</td>"));
	assert_null(strstr(page, "\" onmouseover"));
	assert_non_null(strstr(page, "data-key=\"8@1&quot; onmouseover=&quot;x\""));
	assert_int_equal(count(page, "<img"), 0);
	assert_int_equal(count(page, "<script"), 1);
	free(page);
}

/* The strip's buckets double in width as the run grows, and keep every event. */
static void test_density_keeps_every_event(void **state)
{
	static struct bdensity d;
	uint64_t total = 0, ts;
	unsigned int i, c;

	(void)state;
	memset(&d, 0, sizeof(d));
	for (ts = 5000000; ts < 5000000 + 3600ULL * 1000000000ULL; ts += 7777777)
		density_add(&d, ts, "file.open", false);
	/* Earlier than everything so far, and a failure. */
	density_add(&d, 1000, "process.exec", true);
	for (i = 0; i < BDENS_BUCKETS; i++)
		for (c = 0; c < BDENS_CATS; c++)
			total += d.n[i][c];
	assert_int_equal(total, (3600ULL * 1000000000ULL + 7777776) / 7777777 + 1);
	assert_true(d.used <= BDENS_BUCKETS && d.used >= BDENS_BUCKETS / 2);
	assert_true(d.base <= 1000);
	assert_int_equal(d.n[0][BDENS_PROC], 1);
	assert_int_equal(d.failed[0], 1);
	assert_true((uint64_t)d.base + d.used * d.width > 5000000 + 3600ULL * 1000000000ULL - 7777777);
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
		cmocka_unit_test(test_credentials_change_reads_as_a_difference),
		cmocka_unit_test(test_findings_come_first),
		cmocka_unit_test(test_density_keeps_every_event),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
