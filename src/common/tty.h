/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef PS_TTY_H
#define PS_TTY_H

#include <stdbool.h>

/*
 * Whether output to fd may be coloured when the user asked for nothing:
 * fd is a terminal, TERM is not "dumb" and NO_COLOR is unset or empty
 * (https://no-color.org).  An explicit --color always still wins.
 */
bool tty_color_ok(int fd);

#endif
