/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* An event as one JSON Lines record or one live timeline line. */
#ifndef PS_RENDER_H
#define PS_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ps_event;
struct out;

struct render_ctx {
	int64_t boot_to_real_ns;   /* CLOCK_REALTIME - CLOCK_BOOTTIME at start */
	uint64_t origin_boot_ns;   /* timeline times are relative to this */
	bool color;
};

void render_json(const struct ps_event *ev, const struct render_ctx *c, struct out *o);
void render_text(const struct ps_event *ev, const struct render_ctx *c, struct out *o);

/* A timeline line's start (time, pid, comm) and `label` in the type column, in `color` ("": none). */
void render_text_prefix(const struct ps_event *ev, const struct render_ctx *c, const char *label,
			const char *color, struct out *o);

/* "2026-11-23T12:00:00.123456789Z" for a boot-time timestamp. */
void render_time(const struct render_ctx *c, uint64_t ts_boot, char *buf, size_t len);

/* The JSON fields every record starts with (stats records too). */
void render_common(struct out *o, const struct render_ctx *c, uint64_t seq,
		   uint64_t ts_boot, const char *type);

/* A process key, "pid@start", into buf; returns its length. */
#define RENDER_KEY_LEN 48
size_t render_key(char buf[RENDER_KEY_LEN], unsigned int pid, unsigned long long start_boot);

#endif
