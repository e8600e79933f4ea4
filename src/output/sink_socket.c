// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* --output-socket as a sink: JSON Lines to a Unix stream socket (sock_client.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output/sock_client.h"
#include "output/sinks.h"

/* How long the end of a run waits for the reader to take what is queued. */
#define SOCKET_DRAIN_MS 2000

struct socket_sink {
	const char *path;
	struct sock_client *c;
	struct ps_stats *stats;
	struct output_tally *tally;
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* The counts go where the stats record and the metrics read them. */
static void tally(struct socket_sink *k)
{
	k->stats->socket_dropped = sock_client_dropped(k->c);
	if (k->tally) {
		k->tally->bytes[METRICS_OUT_SOCKET] = sock_client_bytes(k->c);
		k->tally->socket_connected = sock_client_connected(k->c);
		k->tally->socket_connects = sock_client_connects(k->c);
	}
}

static int socket_open(struct sink *s, const struct run *run, char *err, size_t errlen)
{
	struct socket_sink *k = s->priv;
	int e;

	(void)run;
	k->c = sock_client_new(k->path, SOCK_QUEUE_BYTES, mono_ns());
	if (!k->c) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	e = sock_client_last_error(k->c);
	/* A reader that is not there yet is normal for a log agent; a wrong kind of file is not. */
	if (e == ENOTSOCK || e == ELOOP || e == EPERM) {
		snprintf(err, errlen, "cannot write to '%s': %s", k->path,
			 e == ELOOP ? "it is a symbolic link (procscope never writes through one)" :
			 e == EPERM ? "its reader runs as another user (records go only to a reader running as you or as root)" :
			 "it is not a Unix socket");
		return -1;
	}
	if (e)
		fprintf(stderr, "procscope: warning: cannot connect to '%s' yet (%s); records wait for a reader (up to %u MiB) and procscope keeps trying\n",
			k->path, strerror(e), SOCK_QUEUE_BYTES >> 20);
	if (k->tally)
		k->tally->has_output[METRICS_OUT_SOCKET] = true;
	tally(k);
	return 0;
}

static int socket_event(struct sink *s, const struct sink_rec *r)
{
	struct socket_sink *k = s->priv;

	/* A full queue is counted as socket_dropped, not as a failed write. */
	sock_client_send_line(k->c, r->json, r->json_len, mono_ns());
	tally(k);
	return 0;
}

static int socket_flush(struct sink *s)
{
	struct socket_sink *k = s->priv;

	sock_client_pump(k->c, mono_ns());
	tally(k);
	return 0;
}

static int socket_close(struct sink *s, bool finished, char *err, size_t errlen)
{
	struct socket_sink *k = s->priv;
	uint64_t before;

	(void)err;
	(void)errlen;
	if (k->c) {
		before = sock_client_dropped(k->c);
		if (finished)
			sock_client_drain(k->c, SOCKET_DRAIN_MS);
		if (finished && sock_client_dropped(k->c) > before)
			fprintf(stderr, "procscope: %llu records could not be sent to '%s': no reader took them\n",
				(unsigned long long)(sock_client_dropped(k->c) - before), k->path);
		tally(k);
		sock_client_free(k->c);
	}
	free(k);
	return 0;
}

static const struct sink_ops socket_ops = {
	.name = "socket",
	.want_json = true,
	.open = socket_open,
	.event = socket_event,
	.flush = socket_flush,
	.close = socket_close,
};

struct sink *sink_socket_new(const char *path, struct ps_stats *stats, struct output_tally *t)
{
	struct sink *s = sink_new(&socket_ops, sizeof(struct socket_sink));
	struct socket_sink *k;

	if (!s)
		return NULL;
	k = s->priv;
	k->path = path;
	k->stats = stats;
	k->tally = t;
	return s;
}
