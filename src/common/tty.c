// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/tty.h"

bool tty_color_ok(int fd)
{
	const char *term = secure_getenv("TERM");
	const char *no_color = secure_getenv("NO_COLOR");

	if (no_color && no_color[0])
		return false;
	return isatty(fd) && !(term && !strcmp(term, "dumb"));
}
