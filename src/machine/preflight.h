/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The fail-fast check every trace runs before loading anything, and the
 * sentence for a load that fails anyway.  Only cheap facts are checked here
 * (kernel release, BTF file, capabilities): the real load tells the rest.
 */
#ifndef PS_PREFLIGHT_H
#define PS_PREFLIGHT_H

#include <stdbool.h>
#include <stddef.h>

struct probe;

/* What a container needs to give procscope (docker run flags). */
#define PREFLIGHT_DOCKER_CAPS "--cap-add BPF --cap-add PERFMON"

/*
 * The recipes doctor prints; deploy/README.md and deploy/kubernetes/daemonset.yaml
 * say the same, word for word (tests/integration/test_deploy.py checks it).
 */
#define PREFLIGHT_DOCKER_RUN "docker run --rm --pid=host " PREFLIGHT_DOCKER_CAPS \
	" --security-opt seccomp=deploy/seccomp.json IMAGE procscope -- COMMAND"
#define PREFLIGHT_K8S_POD "hostPID: true"
#define PREFLIGHT_K8S_CONTAINER "securityContext: {privileged: false, readOnlyRootFilesystem: true, " \
	"runAsUser: 0, capabilities: {drop: [ALL], add: [BPF, PERFMON, SYS_ADMIN]}, " \
	"seccompProfile: {type: Localhost, localhostProfile: procscope/seccomp.json}}"
#define PREFLIGHT_SECCOMP_FIX "run the container with procscope's profile, e.g. " \
	"--security-opt seccomp=deploy/seccomp.json (Docker before 23 blocks bpf() even with CAP_BPF)"

/* Returns PS_EXIT_OK or an exit code, with one sentence (what is wrong + the one command that fixes it) in msg. */
int preflight_check(char *msg, size_t msglen);

/* preflight_check() on facts already probed (probe_basic() or more): doctor's verdict starts here. */
int preflight_judge(const struct probe *p, char *msg, size_t msglen);

/*
 * After a BPF load or attach failed with errno `err` (either sign):
 * EPERM/EACCES -> capabilities (77), ENOMEM/E2BIG -> map size (71),
 * EINVAL/EOPNOTSUPP/ESRCH -> kernel feature (69), else 70.
 */
int preflight_explain_load_error(int err, char *msg, size_t msglen);

/*
 * May this process size kernel memory freely: effective uid 0 or CAP_SYS_ADMIN
 * effective, asked of the kernel (never of the environment)?
 */
bool preflight_may_pin_memory(void);

/* "sudo setcap cap_bpf,cap_perfmon+ep /real/path/of/procscope" */
void preflight_setcap_line(char *buf, size_t len);

#endif
