// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The run header: the record that says which run the events belong to. */
#include <fcntl.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "event/run.h"
#include "output/out.h"

/* The first line of a small file, without its newline; "" when unreadable. */
static void read_line(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, len - 1) : -1;

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

void run_identify(struct run *r)
{
	struct utsname u;

	if (!getcwd(r->cwd, sizeof(r->cwd)))
		r->cwd[0] = '\0';
	if (gethostname(r->host, sizeof(r->host)))
		r->host[0] = '\0';
	r->host[sizeof(r->host) - 1] = '\0';
	read_line("/proc/sys/kernel/random/boot_id", r->boot_id, sizeof(r->boot_id));
	r->kernel[0] = '\0';
	if (!uname(&u)) {
		strncpy(r->kernel, u.release, sizeof(r->kernel) - 1);
		r->kernel[sizeof(r->kernel) - 1] = '\0';
	}
}

const char *run_mode(const struct run *r)
{
	return r->all ? "all" : r->command ? "launch" : "attach";
}

static void strings(struct out *o, const char *name, const char *const *v, int n)
{
	int i;

	out_arr_begin(o, name);
	for (i = 0; v && i < n; i++)
		out_str(o, NULL, v[i]);
	out_arr_end(o);
}

/* An empty string is written as null: "not known", never a real value. */
static void str_or_null(struct out *o, const char *name, const char *s)
{
	if (s && *s)
		out_str(o, name, s);
	else
		out_null(o, name);
}

void run_render(const struct run *r, struct out *o, uint64_t seq)
{
	int i;

	render_common(o, &r->rc, seq, r->start_boot, "run");
	out_str(o, "procscope", r->version ? r->version : "");
	strings(o, "argv", r->argv, r->argc);
	strings(o, "command", r->command, r->ncommand);
	str_or_null(o, "cwd", r->cwd);
	out_obj_begin(o, "host");
	str_or_null(o, "name", r->host);
	str_or_null(o, "boot_id", r->boot_id);
	out_obj_end(o);
	str_or_null(o, "kernel", r->kernel);
	out_str(o, "mode", run_mode(r));
	out_arr_begin(o, "pids");
	for (i = 0; r->pids && i < r->npids; i++)
		out_uint(o, NULL, (unsigned long long)r->pids[i]);
	out_arr_end(o);
	out_arr_begin(o, "filters");
	for (i = 0; i < (int)(sizeof(r->filters) / sizeof(r->filters[0])) && r->filters[i]; i++)
		out_str(o, NULL, r->filters[i]);
	out_arr_end(o);
	out_arr_begin(o, "rules");
	for (i = 0; r->rules_files && r->rules_files[i]; i++)
		out_str(o, NULL, r->rules_files[i]);
	out_arr_end(o);
	out_obj_end(o);
}
