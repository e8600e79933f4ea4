// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Credentials as objects: shared by exec and privilege events. */
#include <string.h>

#include "event/event.h"
#include "event/names.h"
#include "output/out.h"
#include "event/syscalls.h"

static void caps(struct out *o, const char *key, unsigned long long set)
{
	const char *names[64];
	size_t n = flag_names(&ps_capabilities, set, names, 64, NULL);

	out_names(o, key, names, n);
}

void fmt_creds(struct out *o, const char *key, const struct ps_creds *c)
{
	unsigned int i, n = c->ngroups < PS_NGROUPS ? c->ngroups : PS_NGROUPS;

	out_obj_begin(o, key);
	out_uint(o, "uid", c->uid);
	out_uint(o, "euid", c->euid);
	out_uint(o, "suid", c->suid);
	out_uint(o, "fsuid", c->fsuid);
	out_uint(o, "gid", c->gid);
	out_uint(o, "egid", c->egid);
	out_uint(o, "sgid", c->sgid);
	out_uint(o, "fsgid", c->fsgid);
	out_arr_begin(o, "groups");
	for (i = 0; i < n; i++)
		out_uint(o, NULL, c->groups[i]);
	out_arr_end(o);
	if (c->ngroups > PS_NGROUPS)
		out_bool(o, "groups_truncated", true);
	caps(o, "cap_effective", c->cap_eff);
	caps(o, "cap_permitted", c->cap_prm);
	caps(o, "cap_inheritable", c->cap_inh);
	caps(o, "cap_ambient", c->cap_amb);
	caps(o, "cap_bounding", c->cap_bnd);
	out_obj_end(o);
}

const struct ps_creds *ev_creds(const struct ps_event *ev, uint8_t which)
{
	const struct ev_blob *b = ev_blob_for(ev, which);

	if (!b || b->kind != PS_BLOB_CREDS || b->len < sizeof(struct ps_creds))
		return NULL;
	return (const struct ps_creds *)b->data;
}

/* Did the call leave the task with ids or capabilities it did not have? */
bool creds_gained(const struct ps_creds *before, const struct ps_creds *after)
{
	if (!before || !after)
		return false;
	return after->euid != before->euid || after->egid != before->egid ||
	       after->fsuid != before->fsuid ||
	       (after->cap_eff & ~before->cap_eff) || (after->cap_prm & ~before->cap_prm);
}
