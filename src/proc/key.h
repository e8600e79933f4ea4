/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* A process: pid and start time since boot, unique for the boot. */
#ifndef PS_PROC_KEY_H
#define PS_PROC_KEY_H

#include <stdint.h>

struct proc_key {
	uint32_t pid;
	uint64_t start_boot;  /* ns since boot, as ps_hdr.start_boot; 0: unknown */
};

#endif
