// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Attach the empty floor programs and wait for a signal. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "floor.skel.h"

int main(void)
{
	struct floor_bpf *skel = floor_bpf__open_and_load();

	if (!skel || floor_bpf__attach(skel)) {
		fprintf(stderr, "floor: cannot load or attach the empty programs\n");
		floor_bpf__destroy(skel);
		return 1;
	}
	pause();
	floor_bpf__destroy(skel);
	return 0;
}
