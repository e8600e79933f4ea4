// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Socket addresses and socket state as fields of the net object. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>

#include "event/event.h"
#include "event/names.h"
#include "output/out.h"
#include "event/sockaddr.h"

void inet_text(int family, const unsigned char *addr, char *buf, size_t len)
{
	struct in6_addr a6;

	if (family == AF_INET6) {
		memcpy(&a6, addr, sizeof(a6));
		if (IN6_IS_ADDR_V4MAPPED(&a6)) {
			family = AF_INET;
			addr += 12;
		}
	}
	if (!inet_ntop(family, addr, buf, len) && len)
		buf[0] = '\0';
}

static void family_out(struct out *o, int family)
{
	const char *name = name_of(&ps_socket_families, family);

	if (name)
		out_str(o, "family", name);
	else
		out_int(o, "family", family);
}

void protocol_out(struct out *o, int family, int protocol)
{
	const char *name = NULL;

	if (family == AF_UNIX)
		return;
	if (family == AF_INET || family == AF_INET6)
		name = name_of(&ps_ip_protocols, protocol);
	else if (family == AF_PACKET)
		protocol = ntohs(protocol);	/* the EtherType, in network order */
	if (name)
		out_str(o, "protocol", name);
	else
		out_int(o, "protocol", protocol);
}

bool sock_is_raw(int family, int type)
{
	return family == AF_PACKET || type == SOCK_RAW || type == SOCK_PACKET;
}

static void inet_out(struct out *o, int family, const unsigned char *addr, unsigned int port,
		     const char *addr_key, const char *port_key)
{
	char text[PS_INET_STRLEN];

	inet_text(family, addr, text, sizeof(text));
	out_str(o, addr_key, text);
	out_uint(o, port_key, port);
}

static void unix_out(struct out *o, const struct sockaddr_un *su, size_t len)
{
	size_t n = len - offsetof(struct sockaddr_un, sun_path);
	char name[sizeof(su->sun_path) + 1];

	if (n == 0)
		return;	/* unnamed, or autobind for bind() */
	if (su->sun_path[0] != '\0') {
		out_strn(o, "address", su->sun_path, strnlen(su->sun_path, n));
		return;
	}
	/* Abstract: every byte of the name counts, NULs included. */
	name[0] = '@';
	memcpy(name + 1, su->sun_path + 1, n - 1);
	out_strn(o, "address", name, n);
}

static void packet_out(struct out *o, const struct sockaddr_ll *ll, size_t len)
{
	char hw[3 * sizeof(ll->sll_addr)];
	unsigned int i, n = ll->sll_halen;
	size_t pos = 0;

	out_uint(o, "ethertype", ntohs(ll->sll_protocol));
	out_int(o, "ifindex", ll->sll_ifindex);
	if (n > sizeof(ll->sll_addr))
		n = sizeof(ll->sll_addr);
	if (len < offsetof(struct sockaddr_ll, sll_addr) + n)
		n = 0;
	for (i = 0; i < n; i++)
		pos += snprintf(hw + pos, sizeof(hw) - pos, "%s%02x", i ? ":" : "",
				ll->sll_addr[i]);
	if (n)
		out_str(o, "address", hw);
}

int sockaddr_out(struct out *o, const void *sa, size_t len)
{
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
		struct sockaddr_un un;
		struct sockaddr_nl nl;
		struct sockaddr_ll ll;
		struct sockaddr_storage ss;
	} u;
	sa_family_t family;

	if (len < sizeof(family))
		return -1;
	/* The bytes may be unaligned and shorter than the structure. */
	memset(&u, 0, sizeof(u));
	memcpy(&u, sa, len < sizeof(u) ? len : sizeof(u));
	if (len > sizeof(u))
		len = sizeof(u);
	family = u.sa.sa_family;
	family_out(o, family);
	switch (family) {
	case AF_INET:
		if (len >= sizeof(u.in))
			inet_out(o, AF_INET, (const void *)&u.in.sin_addr, ntohs(u.in.sin_port),
				 "address", "port");
		break;
	case AF_INET6:
		if (len < offsetof(struct sockaddr_in6, sin6_scope_id))
			break;
		inet_out(o, AF_INET6, u.in6.sin6_addr.s6_addr, ntohs(u.in6.sin6_port),
			 "address", "port");
		if (len >= sizeof(u.in6) && u.in6.sin6_scope_id)
			out_uint(o, "scope_id", u.in6.sin6_scope_id);
		break;
	case AF_UNIX:
		if (len > sizeof(u.un))
			len = sizeof(u.un);
		unix_out(o, &u.un, len);
		break;
	case AF_NETLINK:
		if (len >= sizeof(u.nl)) {
			out_uint(o, "port_id", u.nl.nl_pid);
			out_uint(o, "groups", u.nl.nl_groups);
		}
		break;
	case AF_PACKET:
		if (len >= offsetof(struct sockaddr_ll, sll_addr))
			packet_out(o, &u.ll, len);
		break;
	}
	return family;
}

void sock_kind_out(struct out *o, const struct ps_sock *s, bool family)
{
	const char *type;

	if (!s)
		return;
	if (family)
		family_out(o, s->family);
	type = name_of(&ps_socket_types, s->type);
	if (type)
		out_str(o, "type", type);
	else
		out_uint(o, "type", s->type);
	protocol_out(o, s->family, s->protocol);
}

/* A bound Unix name: a path, or "@name" for the abstract namespace. */
static void unix_end_out(struct out *o, const char *name, size_t len, const char *key)
{
	char buf[PS_UNIX_PATH + 2];

	if (!len || len > PS_UNIX_PATH)
		return;
	if (name[0] == '\0') {
		buf[0] = '@';
		memcpy(buf + 1, name + 1, len - 1);
		out_strn(o, key, buf, len);
		return;
	}
	out_strn(o, key, name, strnlen(name, len));
}

void sock_end_out(struct out *o, const struct ps_sock *s, bool local,
		  const char *addr_key, const char *port_key)
{
	static const unsigned char zero[16];
	const unsigned char *addr;
	unsigned int port;
	size_t alen;

	if (s && s->family == AF_UNIX) {
		unix_end_out(o, local ? s->unix_local : s->unix_peer,
			     local ? s->unix_local_len : s->unix_peer_len, addr_key);
		return;
	}
	if (!s || (s->family != AF_INET && s->family != AF_INET6))
		return;
	addr = local ? s->saddr : s->daddr;
	port = local ? s->sport : s->dport;
	alen = s->family == AF_INET ? 4 : 16;
	if (!port && !memcmp(addr, zero, alen))
		return;
	inet_out(o, s->family, addr, port, addr_key, port_key);
}

const struct ps_sock *ev_sock(const struct ps_event *ev, unsigned char arg)
{
	const struct ev_blob *b = ev_blob_for(ev, arg);
	const struct ps_sock *s;

	if (!b || b->kind != PS_BLOB_SOCK || b->len < sizeof(*s))
		return NULL;
	s = (const struct ps_sock *)b->data;
	return s->family ? s : NULL;
}
