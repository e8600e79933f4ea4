// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "output/sock_client.h"

/*
 * The queue is one buffer: q[0..rec) is gone, q[rec..head) is the part of
 * the current record already sent, q[head..len) waits.  rec always sits on
 * a record boundary, so a reader that goes away makes the client rewind to
 * it and send that record again, whole, to the next reader.
 */
struct sock_client {
	char *path;
	int fd;
	char *q;
	size_t cap, len, head, rec;
	uint64_t next_try_ns, backoff_ns;
	uint64_t dropped, bytes, connects;
	int last_error;
};

/*
 * Records are the invoker's to give: they go only to a reader running as
 * the invoker or as root.  The connected peer's credentials (SO_PEERCRED,
 * fixed when the reader called listen) are checked, not the socket file's
 * owner, so swapping the file after the check gains nothing.  0 or EPERM.
 */
static int peer_allowed(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len))
		return errno;
	return cred.uid == getuid() || cred.uid == 0 ? 0 : EPERM;
}

/*
 * connect() follows a symlink at the socket's path: look the path up
 * without following, check it is a socket, and connect to the node found.
 */
static int connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int pfd, fd = -1, e;

	pfd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (pfd < 0)
		return -1;
	if (fstat(pfd, &st)) {
		e = errno;
		goto out;
	}
	if (!S_ISSOCK(st.st_mode)) {
		e = S_ISLNK(st.st_mode) ? ELOOP : ENOTSOCK;
		goto out;
	}
	snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d", pfd);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		e = errno;
		goto out;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		e = errno;
		close(fd);
		fd = -1;
		goto out;
	}
	e = peer_allowed(fd);
	if (e) {
		close(fd);
		fd = -1;
		goto out;
	}
out:
	close(pfd);
	errno = e;
	return fd;
}

static void try_connect(struct sock_client *c, uint64_t now)
{
	if (c->fd >= 0 || now < c->next_try_ns)
		return;
	c->fd = connect_to(c->path);
	if (c->fd >= 0) {
		c->connects++;
		c->last_error = 0;
		c->backoff_ns = SOCK_BACKOFF_MIN_NS;
		return;
	}
	c->last_error = errno;
	c->next_try_ns = now + c->backoff_ns;
	c->backoff_ns = c->backoff_ns * 2 > SOCK_BACKOFF_MAX_NS ? SOCK_BACKOFF_MAX_NS : c->backoff_ns * 2;
}

static void disconnect(struct sock_client *c, uint64_t now)
{
	close(c->fd);
	c->fd = -1;
	c->head = c->rec;   /* the record cut short goes again, whole */
	c->next_try_ns = now + c->backoff_ns;
}

/* Past the last newline sent: the start of the first record not fully sent. */
static void advance_rec(struct sock_client *c)
{
	const char *nl = memrchr(c->q + c->rec, '\n', c->head - c->rec);

	if (nl)
		c->rec = nl + 1 - c->q;
}

void sock_client_pump(struct sock_client *c, uint64_t now)
{
	ssize_t n;

	try_connect(c, now);
	while (c->fd >= 0 && c->head < c->len) {
		n = send(c->fd, c->q + c->head, c->len - c->head, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			disconnect(c, now);
			break;
		}
		c->head += n;
		c->bytes += n;
		advance_rec(c);
	}
	if (c->head == c->len)
		c->head = c->rec = c->len = 0;
}

/* Room for `len` more bytes, moving what is still needed to the front. */
static bool make_room(struct sock_client *c, size_t len)
{
	if (c->len + len <= c->cap)
		return true;
	if (c->rec) {
		memmove(c->q, c->q + c->rec, c->len - c->rec);
		c->len -= c->rec;
		c->head -= c->rec;
		c->rec = 0;
	}
	return c->len + len <= c->cap;
}

static void enqueue(struct sock_client *c, const char *rec, size_t len, bool nl, uint64_t now)
{
	if (!make_room(c, len + nl)) {
		/* The newest record goes: what waits keeps its order, none is cut. */
		c->dropped++;
	} else {
		memcpy(c->q + c->len, rec, len);
		c->len += len;
		if (nl)
			c->q[c->len++] = '\n';
	}
	sock_client_pump(c, now);
}

void sock_client_send(struct sock_client *c, const char *rec, size_t len, uint64_t now)
{
	enqueue(c, rec, len, false, now);
}

void sock_client_send_line(struct sock_client *c, const char *line, size_t len, uint64_t now)
{
	enqueue(c, line, len, true, now);
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static uint64_t records_queued(const struct sock_client *c)
{
	uint64_t n = 0;
	size_t i;

	for (i = c->rec; i < c->len; i++)
		n += c->q[i] == '\n';
	return n;
}

void sock_client_drain(struct sock_client *c, int timeout_ms)
{
	uint64_t end = mono_ns() + (uint64_t)timeout_ms * 1000000ULL, now;
	struct pollfd pfd;

	for (now = mono_ns(); c->len && now < end; now = mono_ns()) {
		/* One more connection attempt is worth it at the end, back-off or not. */
		if (c->fd < 0 && c->next_try_ns > now)
			c->next_try_ns = now;
		sock_client_pump(c, now);
		if (!c->len)
			break;
		if (c->fd < 0) {
			struct timespec ts = { 0, 50000000 };

			nanosleep(&ts, NULL);
			continue;
		}
		pfd = (struct pollfd){ .fd = c->fd, .events = POLLOUT };
		poll(&pfd, 1, (int)((end - now) / 1000000ULL) + 1);
	}
	c->dropped += records_queued(c);
	c->head = c->rec = c->len = 0;
}

struct sock_client *sock_client_new(const char *path, size_t queue_bytes, uint64_t now)
{
	struct sock_client *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->fd = -1;
	c->cap = queue_bytes;
	c->backoff_ns = SOCK_BACKOFF_MIN_NS;
	c->path = strdup(path);
	c->q = malloc(queue_bytes);
	if (!c->path || !c->q) {
		sock_client_free(c);
		return NULL;
	}
	try_connect(c, now);
	return c;
}

void sock_client_free(struct sock_client *c)
{
	if (!c)
		return;
	if (c->fd >= 0)
		close(c->fd);
	free(c->path);
	free(c->q);
	free(c);
}

uint64_t sock_client_dropped(const struct sock_client *c)
{
	return c->dropped;
}

uint64_t sock_client_bytes(const struct sock_client *c)
{
	return c->bytes;
}

uint64_t sock_client_connects(const struct sock_client *c)
{
	return c->connects;
}

int sock_client_connected(const struct sock_client *c)
{
	return c->fd >= 0;
}

int sock_client_last_error(const struct sock_client *c)
{
	return c->last_error;
}
