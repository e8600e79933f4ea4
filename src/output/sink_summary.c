// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* -c / --summary: every event counted per type and syscall, the table printed at the end. */
#include <stdlib.h>

#include "event/event.h"
#include "event/names.h"
#include "event/run.h"
#include "output/calls.h"
#include "output/sinks.h"

struct summary {
	struct calls calls;
	FILE *f;
	uint64_t origin_ns;
};

static int summary_event(struct sink *s, const struct sink_rec *r)
{
	struct summary *m = s->priv;
	const struct ps_event *ev = r->ev;
	char errnum[ERRNO_STR_LEN];
	const char *error = NULL;

	if (!ev)
		return 0;
	m->origin_ns = r->run->rc.origin_boot_ns;
	if (ev->hdr->kind == PS_REC_SYSCALL && ev->sc.ret < 0)
		error = errno_str((int)-ev->sc.ret, errnum);
	calls_add(&m->calls, ev->type, ev->syscall, error, ev->hdr->ts_boot);
	return 0;
}

static int summary_close(struct sink *s, bool finished, char *err, size_t errlen)
{
	struct summary *m = s->priv;
	int ret = 0;

	if (finished) {
		calls_sort(&m->calls);
		if (calls_write_table(&m->calls, m->origin_ns, m->f) && err) {
			snprintf(err, errlen, "the summary table could not be written");
			ret = -1;
		}
		fflush(m->f);
	}
	calls_free(&m->calls);
	free(m);
	return ret;
}

static const struct sink_ops summary_ops = {
	.name = "summary",
	.event = summary_event,
	.close = summary_close,
};

struct sink *sink_summary_new(FILE *f)
{
	struct sink *s = sink_new(&summary_ops, sizeof(struct summary));
	struct summary *m;

	if (!s)
		return NULL;
	m = s->priv;
	m->f = f;
	calls_init(&m->calls);
	return s;
}
