// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/mman.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "proc/procfs.h"
#include "procscope.skel.h"
#include "records.h"
#include "kern/scope.h"

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
	free(s->dropped);
	s->dropped = NULL;
	s->ndropped = s->dropped_cap = 0;
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

bool scope_same_start(uint64_t a, uint64_t b)
{
	/* /proc's start time has clock-tick precision. */
	return a + 20000000 >= b && b + 20000000 >= a;
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
	return now && !scope_same_start(now, t->start_boot);
}

__u32 *scope_keys(struct scope *s, size_t *n)
{
	__u32 *keys = NULL, *tmp, *prev = NULL;
	size_t cap = 0;

	*n = 0;
	/* Collect every key first: deleting while walking would restart the walk. */
	for (;;) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 1024;
			tmp = realloc(keys, cap * sizeof(*keys));
			if (!tmp) {
				free(keys);
				return NULL;
			}
			keys = tmp;
		}
		if (bpf_map_get_next_key(s->tracked_fd, prev, &keys[*n]))
			break;
		prev = &keys[(*n)++];
	}
	return keys;
}

int scope_get(struct scope *s, pid_t tgid, struct ps_tracked *t)
{
	__u32 key = tgid;

	return bpf_map_lookup_elem(s->tracked_fd, &key, t) ? -1 : 0;
}

bool scope_remove(struct scope *s, pid_t tgid)
{
	__u32 key = tgid;

	/* The kernel may remove it at the same time: whoever deletes it counts it. */
	if (bpf_map_delete_elem(s->tracked_fd, &key))
		return false;
	set_bit(s, tgid, false);
	__sync_fetch_and_sub(s->live, 1);
	return true;
}

int scope_gc(struct scope *s)
{
	struct ps_tracked t;
	size_t n = 0, i;
	int removed = 0;
	__u32 *keys = scope_keys(s, &n);

	for (i = 0; keys && i < n; i++) {
		if (scope_get(s, keys[i], &t) || !stale(keys[i], &t))
			continue;
		removed += scope_remove(s, keys[i]);
	}
	free(keys);
	return removed;
}

int scope_drop(struct scope *s, pid_t tgid)
{
	struct ps_tracked t;
	struct proc_key *tmp;

	/* Room first: a process let go but not remembered would leak its records. */
	if (s->ndropped == s->dropped_cap) {
		tmp = realloc(s->dropped, (s->dropped_cap ? s->dropped_cap * 2 : 16) * sizeof(*tmp));
		if (!tmp)
			return -1;
		s->dropped = tmp;
		s->dropped_cap = s->dropped_cap ? s->dropped_cap * 2 : 16;
	}
	if (scope_get(s, tgid, &t) || !scope_remove(s, tgid))
		return 0;
	s->dropped[s->ndropped++] = (struct proc_key){ .pid = tgid, .start_boot = t.start_boot };
	return 1;
}

bool scope_was_dropped(const struct scope *s, uint32_t pid, uint64_t start_boot)
{
	size_t i;

	/* Few processes are ever dropped, and only at start: a scan is enough. */
	for (i = 0; i < s->ndropped; i++)
		if (s->dropped[i].pid == pid &&
		    (!s->dropped[i].start_boot || scope_same_start(s->dropped[i].start_boot, start_boot)))
			return true;
	return false;
}
