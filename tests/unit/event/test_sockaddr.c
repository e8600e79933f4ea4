// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Socket addresses as the net object shows them.  Addresses are built the
 * way a program builds them (byte order, lengths) and the JSON the writer
 * produces is compared whole.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <cmocka.h>

#include "event/event.h"
#include "output/out.h"
#include "event/sockaddr.h"

/* The JSON fields sockaddr_out() writes for `sa`, and its return value. */
static int render(const void *sa, size_t len, char *buf, size_t size)
{
	struct out o;
	int family;

	out_init(&o, OUT_JSON);
	family = sockaddr_out(&o, sa, len);
	snprintf(buf, size, "%s", o.buf ? o.buf : "");
	out_free(&o);
	return family;
}

#define EXPECT(sa, len, want_family, want) do {				\
	char got_[512];							\
	assert_int_equal(render((sa), (len), got_, sizeof(got_)), (want_family)); \
	assert_string_equal(got_, (want));				\
} while (0)

static void test_inet_text(void **state)
{
	unsigned char v4[4] = { 192, 0, 2, 1 };
	unsigned char v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	unsigned char mapped[16] = { [10] = 0xff, [11] = 0xff, 10, 1, 2, 3 };
	unsigned char any6[16] = { 0 };
	char buf[PS_INET_STRLEN];

	(void)state;
	inet_text(AF_INET, v4, buf, sizeof(buf));
	assert_string_equal(buf, "192.0.2.1");
	inet_text(AF_INET6, v6, buf, sizeof(buf));
	assert_string_equal(buf, "2001:db8::1");
	inet_text(AF_INET6, mapped, buf, sizeof(buf));
	assert_string_equal(buf, "10.1.2.3");
	inet_text(AF_INET6, any6, buf, sizeof(buf));
	assert_string_equal(buf, "::");
}

static void test_inet(void **state)
{
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(8080) };
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6, .sin6_port = htons(443) };

	(void)state;
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	EXPECT(&in, sizeof(in), AF_INET,
	       "\"family\":\"AF_INET\",\"address\":\"127.0.0.1\",\"port\":8080");
	/* Too short for an address: the family alone. */
	EXPECT(&in, 8, AF_INET, "\"family\":\"AF_INET\"");

	in6.sin6_addr = in6addr_loopback;
	EXPECT(&in6, sizeof(in6), AF_INET6,
	       "\"family\":\"AF_INET6\",\"address\":\"::1\",\"port\":443");
	in6.sin6_scope_id = 2;
	inet_pton(AF_INET6, "fe80::1", &in6.sin6_addr);
	EXPECT(&in6, sizeof(in6), AF_INET6,
	       "\"family\":\"AF_INET6\",\"address\":\"fe80::1\",\"port\":443,\"scope_id\":2");
	/* The RFC 2133 size (no scope id) is still a full address. */
	EXPECT(&in6, 24, AF_INET6,
	       "\"family\":\"AF_INET6\",\"address\":\"fe80::1\",\"port\":443");
	in6.sin6_scope_id = 0;
	inet_pton(AF_INET6, "::ffff:127.0.0.1", &in6.sin6_addr);
	EXPECT(&in6, sizeof(in6), AF_INET6,
	       "\"family\":\"AF_INET6\",\"address\":\"127.0.0.1\",\"port\":443");
}

static void test_unix(void **state)
{
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	size_t base = offsetof(struct sockaddr_un, sun_path);

	(void)state;
	strcpy(un.sun_path, "/run/app.sock");
	/* With and without the terminating NUL in the length. */
	EXPECT(&un, base + strlen(un.sun_path) + 1, AF_UNIX,
	       "\"family\":\"AF_UNIX\",\"address\":\"/run/app.sock\"");
	EXPECT(&un, base + strlen(un.sun_path), AF_UNIX,
	       "\"family\":\"AF_UNIX\",\"address\":\"/run/app.sock\"");
	EXPECT(&un, sizeof(un), AF_UNIX,
	       "\"family\":\"AF_UNIX\",\"address\":\"/run/app.sock\"");

	/* Abstract: the length says where the name ends, NULs included. */
	memset(un.sun_path, 0, sizeof(un.sun_path));
	memcpy(un.sun_path, "\0name", 5);
	EXPECT(&un, base + 5, AF_UNIX, "\"family\":\"AF_UNIX\",\"address\":\"@name\"");
	memcpy(un.sun_path, "\0a\0b", 4);
	EXPECT(&un, base + 4, AF_UNIX, "\"family\":\"AF_UNIX\",\"address\":\"@a\\u0000b\"");

	/* Unnamed (autobind): no address at all. */
	EXPECT(&un, base, AF_UNIX, "\"family\":\"AF_UNIX\"");
}

static void test_netlink_packet(void **state)
{
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK, .nl_pid = 0, .nl_groups = 5 };
	struct sockaddr_ll ll = {
		.sll_family = AF_PACKET, .sll_protocol = htons(0x0806), .sll_ifindex = 2,
		.sll_halen = 6, .sll_addr = { 0x02, 0x00, 0x5e, 0x10, 0x00, 0xff },
	};

	(void)state;
	EXPECT(&nl, sizeof(nl), AF_NETLINK,
	       "\"family\":\"AF_NETLINK\",\"port_id\":0,\"groups\":5");
	EXPECT(&ll, sizeof(ll), AF_PACKET,
	       "\"family\":\"AF_PACKET\",\"ethertype\":2054,\"ifindex\":2,"
	       "\"address\":\"02:00:5e:10:00:ff\"");
	ll.sll_halen = 0;
	EXPECT(&ll, sizeof(ll), AF_PACKET,
	       "\"family\":\"AF_PACKET\",\"ethertype\":2054,\"ifindex\":2");
	/* A hardware length beyond the bytes given is ignored. */
	ll.sll_halen = 8;
	EXPECT(&ll, offsetof(struct sockaddr_ll, sll_addr) + 2, AF_PACKET,
	       "\"family\":\"AF_PACKET\",\"ethertype\":2054,\"ifindex\":2");
}

static void test_odd(void **state)
{
	unsigned char one = AF_INET;
	struct sockaddr sa = { .sa_family = 200 };
	char got[64];

	(void)state;
	assert_int_equal(render(&one, 1, got, sizeof(got)), -1);
	assert_string_equal(got, "");
	EXPECT(&sa, sizeof(sa), 200, "\"family\":200");
	assert_true(sock_is_raw(AF_PACKET, SOCK_DGRAM));
	assert_true(sock_is_raw(AF_INET, SOCK_RAW));
	assert_true(sock_is_raw(AF_INET, SOCK_PACKET));
	assert_false(sock_is_raw(AF_INET, SOCK_STREAM));
}

static void render_sock(const struct ps_sock *s, char *buf, size_t size)
{
	struct out o;

	out_init(&o, OUT_JSON);
	sock_kind_out(&o, s, true);
	sock_end_out(&o, s, false, "address", "port");
	sock_end_out(&o, s, true, "local_address", "local_port");
	snprintf(buf, size, "%s", o.buf ? o.buf : "");
	out_free(&o);
}

static void test_sock(void **state)
{
	struct ps_sock s = {
		.family = AF_INET, .type = SOCK_STREAM, .protocol = IPPROTO_TCP,
		.sport = 40000, .dport = 80,
		.saddr = { 10, 0, 0, 2 }, .daddr = { 93, 184, 216, 34 },
	};
	char got[512];

	(void)state;
	render_sock(&s, got, sizeof(got));
	assert_string_equal(got, "\"family\":\"AF_INET\",\"type\":\"SOCK_STREAM\","
			    "\"protocol\":\"IPPROTO_TCP\",\"address\":\"93.184.216.34\","
			    "\"port\":80,\"local_address\":\"10.0.0.2\",\"local_port\":40000");

	/* A listener has no peer: nothing is written for it. */
	memset(s.daddr, 0, sizeof(s.daddr));
	s.dport = 0;
	render_sock(&s, got, sizeof(got));
	assert_string_equal(got, "\"family\":\"AF_INET\",\"type\":\"SOCK_STREAM\","
			    "\"protocol\":\"IPPROTO_TCP\",\"local_address\":\"10.0.0.2\","
			    "\"local_port\":40000");

	memset(&s, 0, sizeof(s));
	s.family = AF_INET6;
	s.type = SOCK_DGRAM;
	s.protocol = IPPROTO_UDP;
	s.sport = 5353;
	inet_pton(AF_INET6, "::ffff:192.0.2.7", s.saddr);
	render_sock(&s, got, sizeof(got));
	assert_string_equal(got, "\"family\":\"AF_INET6\",\"type\":\"SOCK_DGRAM\","
			    "\"protocol\":\"IPPROTO_UDP\",\"local_address\":\"192.0.2.7\","
			    "\"local_port\":5353");

	/* Unix sockets have no protocol and no IP ends. */
	memset(&s, 0, sizeof(s));
	s.family = AF_UNIX;
	s.type = SOCK_SEQPACKET;
	render_sock(&s, got, sizeof(got));
	assert_string_equal(got, "\"family\":\"AF_UNIX\",\"type\":\"SOCK_SEQPACKET\"");

	/* Packet sockets: the protocol is the EtherType, kept in network order. */
	s.family = AF_PACKET;
	s.type = SOCK_RAW;
	s.protocol = htons(0x0003);
	render_sock(&s, got, sizeof(got));
	assert_string_equal(got, "\"family\":\"AF_PACKET\",\"type\":\"SOCK_RAW\",\"protocol\":3");
}

static void test_ev_sock(void **state)
{
	struct ps_sock s = { .family = AF_INET, .type = SOCK_STREAM };
	struct ps_sock none = { 0 };
	struct ps_event ev = { 0 };

	(void)state;
	ev.nblobs = 2;
	ev.blobs[0] = (struct ev_blob){ PS_BLOB_SOCK, 0, 0, sizeof(s), (const char *)&s };
	ev.blobs[1] = (struct ev_blob){ PS_BLOB_SOCK, PS_ARG_RETFD, 0, sizeof(none),
					(const char *)&none };
	assert_ptr_equal(ev_sock(&ev, 0), &s);
	/* Not a socket: the kernel left the blob zeroed. */
	assert_null(ev_sock(&ev, PS_ARG_RETFD));
	assert_null(ev_sock(&ev, 1));
	ev.blobs[0].len = sizeof(s) - 1;
	assert_null(ev_sock(&ev, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inet_text),
		cmocka_unit_test(test_inet),
		cmocka_unit_test(test_unix),
		cmocka_unit_test(test_netlink_packet),
		cmocka_unit_test(test_odd),
		cmocka_unit_test(test_sock),
		cmocka_unit_test(test_ev_sock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
