/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * --output-socket: JSON Lines to a Unix stream socket whose reader (a log
 * agent) may come and go.  Records wait in a bounded queue; a record is sent
 * whole or, when the reader goes away in the middle of it, sent again whole
 * to the next reader; the client reconnects with exponential back-off and
 * counts the records it had to drop because the queue was full.  Never
 * blocks and never raises SIGPIPE.  It connects only to a reader running
 * as the invoker (real uid) or as root; another user's reader is EPERM.
 */
#ifndef PS_SOCK_CLIENT_H
#define PS_SOCK_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#define SOCK_QUEUE_BYTES   (4U << 20)
#define SOCK_BACKOFF_MIN_NS 100000000ULL    /* 100 ms */
#define SOCK_BACKOFF_MAX_NS 10000000000ULL  /* 10 s */

struct sock_client;

/*
 * A client for `path` with a queue of `queue_bytes`; it tries to connect
 * at once.  NULL only when out of memory.  A reader that is not there yet
 * is no error: records wait for it.
 */
struct sock_client *sock_client_new(const char *path, size_t queue_bytes, uint64_t now_ns);

/* Queue one whole record (its newline included) and send what can be sent. */
void sock_client_send(struct sock_client *c, const char *rec, size_t len, uint64_t now_ns);

/* The same for a line without its newline (added here). */
void sock_client_send_line(struct sock_client *c, const char *line, size_t len, uint64_t now_ns);

/* Reconnect when the back-off allows, send what is queued; call it often. */
void sock_client_pump(struct sock_client *c, uint64_t now_ns);

/*
 * At the end: keep sending for at most `timeout_ms`; the records still
 * queued then count as dropped.
 */
void sock_client_drain(struct sock_client *c, int timeout_ms);

void sock_client_free(struct sock_client *c);

uint64_t sock_client_dropped(const struct sock_client *c);  /* records */
uint64_t sock_client_bytes(const struct sock_client *c);    /* bytes sent */
uint64_t sock_client_connects(const struct sock_client *c); /* connections made */
int sock_client_connected(const struct sock_client *c);
/* Why the last connection attempt failed (an errno), 0 if it did not. */
int sock_client_last_error(const struct sock_client *c);

#endif
