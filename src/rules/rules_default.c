/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The default policy, rules/default.yaml, compiled into the binary so that
 * what procscope calls a finding needs no file at run time.  The file is
 * included byte for byte and NUL-terminated.
 */
#include "rules/rules.h"

__asm__(".section .rodata\n"
	".global rules_default_yaml\n"
	".type rules_default_yaml, @object\n"
	"rules_default_yaml:\n"
	".incbin \"rules/default.yaml\"\n"
	".byte 0\n"
	".size rules_default_yaml, . - rules_default_yaml\n"
	".previous\n");
