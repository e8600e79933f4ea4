/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Which container a process runs in, read from its cgroup path: the
 * 64-hex-digit id that docker, containerd, cri-o and podman name their
 * cgroups after, in cgroupfs ("/docker/ID", "/kubepods/burstable/podUID/ID")
 * and systemd layouts ("docker-ID.scope", "cri-containerd-ID.scope",
 * "crio-ID.scope", "libpod-ID.scope" under kubepods-...-podUID.slice), and
 * the Kubernetes pod's uid when the path has one.  A runtime's monitor
 * ("libpod-conmon-ID.scope") is not in the container.
 */
#ifndef PS_CONTAINER_H
#define PS_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define CONTAINER_ID_LEN 64
#define POD_UID_LEN 36

struct container {
	char id[CONTAINER_ID_LEN + 1];   /* "" when none */
	char pod_uid[POD_UID_LEN + 1];   /* "" when none; dashes, as the API server spells it */
};

/* From the text of /proc/PID/cgroup (`len` bytes); false when no line names a container. */
bool container_parse(const char *text, size_t len, struct container *c);

/* /proc/PID/cgroup read and parsed; false when the process is gone or in no container. */
bool container_of_pid(pid_t pid, struct container *c);

#endif
