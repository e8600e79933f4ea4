// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Container ids and pod uids from cgroup paths (see container.h). */
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "proc/container.h"

static bool hex_run(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return false;
	return true;
}

/* One path component: "ID", "docker-ID.scope", "cri-containerd-ID.scope" ... */
static bool component_id(const char *s, size_t n, char id[CONTAINER_ID_LEN + 1])
{
	static const char *const prefixes[] = { "docker-", "cri-containerd-", "crio-", "libpod-",
						"containerd-", "", NULL };
	const char *const *p;
	size_t pl;

	if (n > 6 && !memcmp(s + n - 6, ".scope", 6))
		n -= 6;
	for (p = prefixes; *p; p++) {
		pl = strlen(*p);
		if (n == pl + CONTAINER_ID_LEN && !memcmp(s, *p, pl) && hex_run(s + pl, CONTAINER_ID_LEN)) {
			memcpy(id, s + pl, CONTAINER_ID_LEN);
			id[CONTAINER_ID_LEN] = '\0';
			return true;
		}
	}
	return false;
}

/* A uid at `at`, with '-' (cgroupfs) or '_' (systemd) between its groups. */
static bool pod_uid_at(const char *at, char pod[POD_UID_LEN + 1])
{
	static const int groups[] = { 8, 4, 4, 4, 12 };
	size_t i, j, k = 0;

	for (i = 0; i < 5; i++) {
		for (j = 0; j < (size_t)groups[i]; j++, k++) {
			if (!isxdigit((unsigned char)at[k]))
				return false;
			pod[k] = (char)tolower((unsigned char)at[k]);
		}
		if (i < 4) {
			if (at[k] != '-' && at[k] != '_')
				return false;
			pod[k++] = '-';
		}
	}
	pod[POD_UID_LEN] = '\0';
	return true;
}

/* "pod" and a uid ("kubepods-burstable-pod1a2b..." has "pod" twice). */
static bool component_pod(const char *s, size_t n, char pod[POD_UID_LEN + 1])
{
	const char *at = s, *end = s + n;
	char tmp[POD_UID_LEN + 1];

	while ((at = memmem(at, (size_t)(end - at), "pod", 3))) {
		at += 3;
		if ((size_t)(end - at) >= POD_UID_LEN && pod_uid_at(at, tmp)) {
			memcpy(pod, tmp, sizeof(tmp));
			return true;
		}
	}
	return false;
}

/* One "HIERARCHY:CONTROLLERS:PATH" line's path. */
static void parse_path(const char *p, size_t n, struct container *c)
{
	const char *end = p + n, *q;

	while (p < end) {
		while (p < end && *p == '/')
			p++;
		for (q = p; q < end && *q != '/'; q++)
			;
		if (q > p) {
			if (!c->pod_uid[0])
				component_pod(p, (size_t)(q - p), c->pod_uid);
			/* The deepest id wins: a container nested in a pod's cgroup. */
			component_id(p, (size_t)(q - p), c->id);
		}
		p = q;
	}
}

bool container_parse(const char *text, size_t len, struct container *c)
{
	const char *p = text, *end = text + len, *nl, *path;

	memset(c, 0, sizeof(*c));
	while (p < end && !c->id[0]) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		/* The path follows the second ':' (controller lists hold none). */
		path = memchr(p, ':', (size_t)(nl - p));
		if (path)
			path = memchr(path + 1, ':', (size_t)(nl - path - 1));
		if (path) {
			c->pod_uid[0] = '\0';
			parse_path(path + 1, (size_t)(nl - path - 1), c);
		}
		p = nl + 1;
	}
	if (!c->id[0])
		c->pod_uid[0] = '\0';
	return c->id[0] != '\0';
}

bool container_of_pid(pid_t pid, struct container *c)
{
	char path[64], buf[8192];
	ssize_t n;
	int fd;

	memset(c, 0, sizeof(*c));
	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n > 0 && container_parse(buf, (size_t)n, c);
}
