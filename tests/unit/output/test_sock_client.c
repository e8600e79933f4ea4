// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "output/sock_client.h"

static char dir[32], path[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ps-sock-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/s", dir);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

static int listen_on(const char *p)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	unlink(p);
	assert_true(strlen(p) < sizeof(sa.sun_path));
	memcpy(sa.sun_path, p, strlen(p) + 1);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 4), 0);
	return fd;
}

/* Everything the peer sent until it stops (non-blocking reads after a short wait). */
static size_t read_avail(int fd, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	fcntl(fd, F_SETFL, O_NONBLOCK);
	while (got < len && (n = read(fd, buf + got, len - got)) > 0)
		got += n;
	return got;
}

static void test_queues_until_a_reader_comes(void **state)
{
	struct sock_client *c;
	uint64_t now = 1000000000ULL;
	char buf[256];
	int l, a;

	(void)state;
	unlink(path);
	c = sock_client_new(path, 4096, now);
	assert_non_null(c);
	assert_false(sock_client_connected(c));
	assert_int_equal(sock_client_last_error(c), ENOENT);
	sock_client_send(c, "{\"a\":1}\n", 8, now);
	sock_client_send(c, "{\"b\":2}\n", 8, now);
	l = listen_on(path);
	/* Within the back-off: no attempt yet. */
	sock_client_pump(c, now + 1);
	assert_false(sock_client_connected(c));
	sock_client_pump(c, now + SOCK_BACKOFF_MIN_NS);
	assert_true(sock_client_connected(c));
	a = accept(l, NULL, NULL);
	assert_true(a >= 0);
	assert_int_equal(read_avail(a, buf, sizeof(buf)), 16);
	assert_memory_equal(buf, "{\"a\":1}\n{\"b\":2}\n", 16);
	assert_int_equal(sock_client_dropped(c), 0);
	assert_int_equal(sock_client_connects(c), 1);
	close(a);
	close(l);
	sock_client_free(c);
}

static void test_full_queue_drops_whole_records(void **state)
{
	struct sock_client *c;
	char rec[100];

	(void)state;
	unlink(path);
	memset(rec, 'x', sizeof(rec));
	rec[99] = '\n';
	c = sock_client_new(path, 1000, 0);
	for (int i = 0; i < 15; i++)
		sock_client_send(c, rec, sizeof(rec), 0);
	assert_int_equal(sock_client_dropped(c), 5);
	sock_client_drain(c, 10);
	assert_int_equal(sock_client_dropped(c), 15);
	sock_client_free(c);
}

static void test_symlink_is_not_followed(void **state)
{
	char link[160];
	struct sock_client *c;
	int l;

	(void)state;
	l = listen_on(path);
	snprintf(link, sizeof(link), "%s/link", dir);
	assert_int_equal(symlink(path, link), 0);
	c = sock_client_new(link, 4096, 0);
	assert_false(sock_client_connected(c));
	assert_int_equal(sock_client_last_error(c), ELOOP);
	sock_client_free(c);
	c = sock_client_new(path, 4096, 0);
	assert_true(sock_client_connected(c));
	sock_client_free(c);
	close(l);
}

/*
 * The reader goes away: the client notices on a send (EPIPE, no SIGPIPE),
 * reconnects after its back-off, and the next reader gets whole records only.
 */
static void test_reader_restart(void **state)
{
	struct sock_client *c;
	static char big[1 << 21], buf[(1 << 21) + 64];
	uint64_t now = 0;
	size_t got;
	int l, a, i;

	(void)state;
	memset(big, 'y', sizeof(big));
	big[sizeof(big) - 1] = '\n';
	l = listen_on(path);
	c = sock_client_new(path, 4 << 20, now);
	assert_true(sock_client_connected(c));
	a = accept(l, NULL, NULL);
	/* Larger than the socket buffer: part of it is sent, the rest waits. */
	sock_client_send(c, big, sizeof(big), now);
	close(a);
	for (i = 0; i < 5 && sock_client_connected(c); i++)
		sock_client_pump(c, now);
	assert_false(sock_client_connected(c));
	sock_client_send(c, "{\"after\":1}\n", 12, now);
	now += SOCK_BACKOFF_MIN_NS;
	sock_client_pump(c, now);
	assert_true(sock_client_connected(c));
	a = accept(l, NULL, NULL);
	got = 0;
	for (i = 0; i < 100000 && got < sizeof(big) + 12; i++) {
		sock_client_pump(c, now);
		got += read_avail(a, buf + got, sizeof(buf) - got);
	}
	/* The record cut short went again, whole, then the next one. */
	assert_int_equal(got, sizeof(big) + 12);
	assert_memory_equal(buf, big, sizeof(big));
	assert_memory_equal(buf + sizeof(big), "{\"after\":1}\n", 12);
	assert_int_equal(sock_client_connects(c), 2);
	assert_int_equal(sock_client_dropped(c), 0);
	close(a);
	close(l);
	sock_client_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queues_until_a_reader_comes),
		cmocka_unit_test(test_full_queue_drops_whole_records),
		cmocka_unit_test(test_symlink_is_not_followed),
		cmocka_unit_test(test_reader_restart),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
