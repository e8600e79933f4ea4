// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mman.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "attach.h"
#include "procscope.skel.h"
#include "records.h"
#include "scope.h"

#define BITS_SIZE (PS_SCOPE_WORDS * sizeof(__u64))

int scope_open(struct scope *s, struct procscope_bpf *skel)
{
	void *p = mmap(NULL, BITS_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		       bpf_map__fd(skel->maps.scope_bits), 0);

	if (p == MAP_FAILED)
		return -errno;
	s->bits = p;
	s->tracked_fd = bpf_map__fd(skel->maps.tracked);
	s->live = &skel->bss->live_procs;
	return 0;
}

void scope_close(struct scope *s)
{
	if (s->bits)
		munmap(s->bits, BITS_SIZE);
	s->bits = NULL;
}

/* The BPF programs update the same words: only atomic operations here. */
static void set_bit(struct scope *s, pid_t tgid, bool on)
{
	__u64 bit = 1ULL << (tgid % 64);

	if (tgid <= 0 || tgid >= PS_PID_LIMIT)
		return;
	if (on)
		__sync_fetch_and_or(&s->bits[tgid / 64], bit);
	else
		__sync_fetch_and_and(&s->bits[tgid / 64], ~bit);
}

int scope_add(struct scope *s, pid_t tgid, uint64_t start_boot, uint32_t depth)
{
	struct ps_tracked t = { .start_boot = start_boot, .depth = depth };
	__u32 key = tgid;

	if (tgid <= 0 || tgid >= PS_PID_LIMIT)
		return -1;
	if (bpf_map_update_elem(s->tracked_fd, &key, &t, BPF_NOEXIST)) {
		if (errno == EEXIST)
			return 0;
		s->add_failed++;
		return -1;
	}
	set_bit(s, tgid, true);
	__sync_fetch_and_add(s->live, 1);
	return 1;
}

/* Is the tracked entry `key` stale: its process gone, or its pid reused? */
static bool stale(__u32 key, const struct ps_tracked *t)
{
	uint64_t now;

	if (kill(key, 0) && errno == ESRCH)
		return true;
	if (!t->start_boot)
		return false;
	now = proc_start_boot(key);
	/* /proc's start time has clock-tick precision. */
	return now && (now + 20000000 < t->start_boot || now > t->start_boot + 20000000);
}

int scope_gc(struct scope *s)
{
	__u32 *keys = NULL, *tmp, *prev = NULL;
	size_t n = 0, cap = 0, i;
	struct ps_tracked t;
	int removed = 0;

	/* Collect every key first: deleting while walking would restart the walk. */
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			tmp = realloc(keys, cap * sizeof(*keys));
			if (!tmp)
				break;
			keys = tmp;
		}
		if (bpf_map_get_next_key(s->tracked_fd, prev, &keys[n]))
			break;
		prev = &keys[n++];
	}
	for (i = 0; i < n; i++) {
		if (bpf_map_lookup_elem(s->tracked_fd, &keys[i], &t) || !stale(keys[i], &t))
			continue;
		if (bpf_map_delete_elem(s->tracked_fd, &keys[i]) == 0) {
			set_bit(s, keys[i], false);
			__sync_fetch_and_sub(s->live, 1);
			removed++;
		}
	}
	free(keys);
	return removed;
}
