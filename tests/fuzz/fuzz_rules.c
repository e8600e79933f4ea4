// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * libFuzzer target for the rules front end: any bytes as a rules file.
 * Beyond "no crash, no leak, no sanitizer report": a load either succeeds
 * or fails with one "t.yaml:" message; what loads prints, and every rule
 * it keeps is within the documented limits.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"
#include "rules/rules_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ruleset rs = { 0 };
	char err[512] = "", *text = malloc(size + 1);
	FILE *null;
	int rc;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	rc = rules_load_string(&rs, "t.yaml", text, err, sizeof(err));
	if (rc && strncmp(err, "t.yaml", 6))
		abort();
	if (!rc) {
		null = fopen("/dev/null", "w");
		rules_print(null, &rs);
		fclose(null);
		for (int h = 0; h < RH__COUNT; h++) {
			if (rs.hooks[h].nrules > RULES_MAX_PER_HOOK)
				abort();
			for (size_t i = 0; i < rs.hooks[h].nrules; i++)
				if (rexpr_ops(rs.hooks[h].rules[i].scope) +
				    rexpr_ops(rs.hooks[h].rules[i].event) > RULES_MAX_OPS)
					abort();
		}
	}
	rules_free(&rs);
	free(text);
	return 0;
}
