// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/capability.h>

#include "common/exitcodes.h"
#include "event/names.h"
#include "machine/preflight.h"
#include "machine/probe.h"

/* The kernel-internal "not supported" code some BPF paths return. */
#define ENOTSUPP 524

void preflight_setcap_line(char *buf, size_t len)
{
	char path[PATH_MAX + 64];

	probe_self_path(path, sizeof(path));
	snprintf(buf, len, "sudo setcap cap_bpf,cap_perfmon+ep %s", path);
}

static int caps_sentence(const struct probe *p, char *msg, size_t msglen)
{
	char setcap[PATH_MAX + 128];

	if (probe_caps_sufficient(p) && p->caps.seccomp == 2) {
		snprintf(msg, msglen, "the kernel refused to load procscope's BPF programs although CAP_BPF and CAP_PERFMON are effective, and a seccomp filter is active (Seccomp: 2 in /proc/self/status): a container runtime's default profile allows bpf() only with CAP_SYS_ADMIN; %s",
			 PREFLIGHT_SECCOMP_FIX);
		return PS_EXIT_NOPERM;
	}
	if (probe_caps_sufficient(p)) {
		snprintf(msg, msglen, "the kernel refused to load procscope's BPF programs although CAP_BPF and CAP_PERFMON are effective, so lockdown or a security module forbids it; run procscope doctor to see which");
		return PS_EXIT_NOPERM;
	}
	/* Root without the capabilities: a container or a bounding set dropped them. */
	if (p->caps.uid_known && p->caps.euid == 0) {
		snprintf(msg, msglen, "procscope runs as root but without CAP_BPF and CAP_PERFMON; start it with them, e.g. docker run %s ...",
			 PREFLIGHT_DOCKER_CAPS);
		return PS_EXIT_NOPERM;
	}
	preflight_setcap_line(setcap, sizeof(setcap));
	snprintf(msg, msglen, "procscope needs CAP_BPF and CAP_PERFMON to load its BPF programs; grant them with: %s",
		 setcap);
	return PS_EXIT_NOPERM;
}

int preflight_judge(const struct probe *p, char *msg, size_t msglen)
{
	msg[0] = '\0';
	if (!p->btf.present) {
		snprintf(msg, msglen, "this kernel has no BTF at %s; procscope needs a kernel built with CONFIG_DEBUG_INFO_BTF=y",
			 PROBE_BTF_PATH);
		return PS_EXIT_UNAVAILABLE;
	}
	if (!p->btf.readable) {
		snprintf(msg, msglen, "the kernel's BTF at %s cannot be read (%s); procscope needs a kernel built with CONFIG_DEBUG_INFO_BTF=y and the file readable",
			 PROBE_BTF_PATH, p->btf.err == EPROTO ? "not in BTF format" : strerror(p->btf.err));
		return PS_EXIT_UNAVAILABLE;
	}
	/* An unparsable release is left to the real load to judge. */
	if (p->kernel.parsed && !p->kernel.version_ok) {
		snprintf(msg, msglen, "kernel %s is older than %d.%d, which procscope needs for the BPF ring buffer and CAP_BPF; boot a kernel %d.%d or later",
			 p->kernel.release, PROBE_MIN_MAJOR, PROBE_MIN_MINOR, PROBE_MIN_MAJOR, PROBE_MIN_MINOR);
		return PS_EXIT_UNAVAILABLE;
	}
	if (!probe_caps_sufficient(p))
		return caps_sentence(p, msg, msglen);
	return PS_EXIT_OK;
}

int preflight_check(char *msg, size_t msglen)
{
	struct probe p;

	probe_basic(&p);
	return preflight_judge(&p, msg, msglen);
}

int preflight_explain_load_error(int err, char *msg, size_t msglen)
{
	const char *name;
	struct probe p;

	if (err < 0)
		err = -err;
	name = errno_name(err);
	if (!name)
		name = "unknown error";
	switch (err) {
	case EPERM:
	case EACCES:
		probe_basic(&p);
		return caps_sentence(&p, msg, msglen);
	case ENOMEM:
	case E2BIG:
		snprintf(msg, msglen, "could not create BPF map (%s: %s): lower --buffer-size / --max-procs",
			 name, strerror(err));
		return PS_EXIT_OSERR;
	case EINVAL:
	case EOPNOTSUPP:
	case ESRCH:
	case ENOTSUPP:
		snprintf(msg, msglen, "the kernel rejected procscope's BPF programs (%s): it lacks a feature procscope needs; run procscope doctor to see which",
			 name);
		return PS_EXIT_UNAVAILABLE;
	default:
		snprintf(msg, msglen, "loading procscope's BPF programs failed (%s: %s)", name, strerror(err));
		return PS_EXIT_SOFTWARE;
	}
}

bool preflight_may_pin_memory(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = { 0 };

	if (geteuid() == 0)
		return true;
	if (syscall(SYS_capget, &hdr, data))
		return false;
	return data[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective & CAP_TO_MASK(CAP_SYS_ADMIN);
}
