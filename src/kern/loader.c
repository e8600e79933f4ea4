// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "common/exitcodes.h"
#include "event/filter.h"
#include "kern/loader.h"
#include "rules/rules_kernel.h"
#include "machine/preflight.h"
#include "procscope.skel.h"
#include "event/syscalls.h"
#include "event/syscalls_ia32.h"

static bool verbose;
static char last_msg[512];

/* Keep libbpf quiet unless asked; remember its last warning for the error. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	va_list copy;

	if (level == LIBBPF_DEBUG && !verbose)
		return 0;
	va_copy(copy, ap);
	if (level != LIBBPF_DEBUG)
		vsnprintf(last_msg, sizeof(last_msg), fmt, copy);
	va_end(copy);
	if (!verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* -e: a row none of whose records is wanted is judged by rules, then dropped at sys_enter. */
static int fill_specs(struct procscope_bpf *skel, const struct ev_filter *f)
{
	int fd = bpf_map__fd(skel->maps.specs);
	struct ps_spec spec;
	unsigned int i;
	__u32 key;

	for (i = 0; i < syscall_count; i++) {
		syscall_spec(&syscall_table[i], &spec);
		if (f && filter_row_dropped(f, &syscall_table[i], NULL))
			spec.flags |= PS_SPEC_DROP;
		key = syscall_table[i].nr;
		if (bpf_map_update_elem(fd, &key, &spec, BPF_ANY))
			return -errno;
	}
	/* IA-32 calls: decoded, known to be harmless, or (flags 0) counted. */
	for (i = 0; i < PS_SYSCALL_MAX; i++) {
		const struct ia32_call *c = ia32_find(i);

		if (!c)
			continue;
		ia32_spec(c, &spec);
		if (f && c->desc && filter_row_dropped(f, c->desc, c->name))
			spec.flags |= PS_SPEC_DROP;
		key = PS_IA32_BASE + i;
		if (spec.flags && bpf_map_update_elem(fd, &key, &spec, BPF_ANY))
			return -errno;
	}
	return 0;
}

/* The sandboxes the kernel enforces: one op program per hook, the string table. */
static int fill_rules(struct procscope_bpf *skel, const struct rules_kernel *k)
{
	int hfd = bpf_map__fd(skel->maps.rule_hooks), sfd = bpf_map__fd(skel->maps.rule_strs);
	__u32 i;

	if (!k)
		return 0;
	for (i = 0; i < PS_KH__COUNT; i++)
		if ((k->hooks & (1u << i)) && bpf_map_update_elem(hfd, &i, &k->hook[i], BPF_ANY))
			return -errno;
	for (i = 0; i < k->nstrs; i++)
		if (bpf_map_update_elem(sfd, &i, &k->strs[i], BPF_ANY))
			return -errno;
	sfd = bpf_map__fd(skel->maps.rule_screen_num);
	for (i = 0; i < k->nnum; i++)
		if (bpf_map_update_elem(sfd, &k->num[i].key, &k->num[i].rules, BPF_ANY))
			return -errno;
	sfd = bpf_map__fd(skel->maps.rule_screen_str);
	for (i = 0; i < k->nstr; i++)
		if (bpf_map_update_elem(sfd, &k->str[i].key, &k->str[i].rules, BPF_ANY))
			return -errno;
	sfd = bpf_map__fd(skel->maps.rule_screen_pfx);
	for (i = 0; i < k->npfx; i++)
		if (bpf_map_update_elem(sfd, &k->pfx[i].key, &k->pfx[i].rules, BPF_ANY))
			return -errno;
	return 0;
}

/* Our mount namespace's inode: the kernel's rules root paths only in it. */
static __u32 own_mntns(void)
{
	struct stat st;

	return stat("/proc/self/ns/mnt", &st) ? 0 : (__u32)st.st_ino;
}

/*
 * The mount procscope's own "/" is (the last mount on "/" in its mountinfo,
 * whose root is that file system's root); 0 when it cannot tell.
 */
static __u32 own_root_mount(void)
{
	char line[4096], root[4096], point[4096];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	unsigned int id, parent, found = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%u %u %*s %4095s %4095s", &id, &parent, root, point) == 4 &&
		    !strcmp(point, "/"))
			found = strcmp(root, "/") ? 0 : id;
	fclose(f);
	return found;
}

static int size_maps(struct procscope_bpf *skel, const struct loader_opts *lo)
{
	int cpus = libbpf_num_possible_cpus();
	int err;

	if (cpus <= 0)
		return cpus ? cpus : -EINVAL;
	err = bpf_map__set_max_entries(skel->maps.scratch_map, cpus);
	if (!err)
		err = bpf_map__set_max_entries(skel->maps.events, lo->ringbuf_bytes);
	if (!err)
		err = bpf_map__set_max_entries(skel->maps.tracked, lo->max_procs);
	return err;
}

int loader_load(struct procscope_bpf **skelp, const struct loader_opts *lo,
		char *err, size_t errlen)
{
	struct procscope_bpf *skel;
	int ret;

	verbose = lo->verbose;
	libbpf_set_print(libbpf_print);
	skel = procscope_bpf__open();
	if (!skel) {
		snprintf(err, errlen, "cannot open the BPF object: %s", strerror(errno));
		return PS_EXIT_SOFTWARE;
	}
	skel->rodata->cfg_args_bytes = lo->args_bytes;
	skel->rodata->cfg_capture_env = lo->capture_env;
	skel->rodata->cfg_confine = lo->confine;
	skel->rodata->cfg_all = lo->all;
	skel->rodata->cfg_result = lo->result;
	/* ptrace's rule compares the tracer's filesystem ids: ours are the effective ones. */
	skel->rodata->cfg_invoker_uid = geteuid();
	skel->rodata->cfg_invoker_gid = getegid();
	skel->rodata->cfg_wakeup_bytes = lo->ringbuf_bytes / 4;
	skel->rodata->cfg_rules_hooks = lo->rules ? lo->rules->hooks : 0;
	skel->rodata->cfg_rules_mntns = own_mntns();
	skel->rodata->cfg_root_mnt_id = own_root_mount();
	if (lo->filter && filter_paths_on(lo->filter)) {
		skel->rodata->cfg_npaths = lo->filter->npaths;
		for (unsigned int i = 0; i < lo->filter->npaths; i++) {
			memcpy((char *)skel->rodata->cfg_paths[i], lo->filter->paths[i], PS_PATH_PREFIX_MAX);
			skel->rodata->cfg_path_len[i] = strlen(lo->filter->paths[i]);
		}
	}
	ret = size_maps(skel, lo);
	if (ret)
		goto fail;
	ret = procscope_bpf__load(skel);
	if (ret)
		goto fail;
	ret = fill_specs(skel, lo->filter);
	if (!ret)
		ret = fill_rules(skel, lo->rules);
	if (ret)
		goto fail;
	*skelp = skel;
	return PS_EXIT_OK;
fail:
	ret = preflight_explain_load_error(-ret, err, errlen);
	if (ret == PS_EXIT_SOFTWARE && last_msg[0])
		snprintf(err + strlen(err), errlen - strlen(err), " (libbpf: %.*s)",
			 (int)strcspn(last_msg, "\n"), last_msg);
	procscope_bpf__destroy(skel);
	return ret;
}

int loader_attach(struct procscope_bpf *skel, char *err, size_t errlen)
{
	int ret = procscope_bpf__attach(skel);

	if (ret)
		return preflight_explain_load_error(-ret, err, errlen);
	return PS_EXIT_OK;
}

void loader_destroy(struct procscope_bpf *skel)
{
	procscope_bpf__destroy(skel);
}
