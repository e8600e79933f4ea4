/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Socket addresses as the net object shows them: a user sockaddr as the
 * program passed it, and a socket's kernel state (struct ps_sock).
 */
#ifndef PS_SOCKADDR_H
#define PS_SOCKADDR_H

#include <stdbool.h>
#include <stddef.h>

#include "records.h"

struct out;
struct ps_event;

/* INET6_ADDRSTRLEN, and room for an IPv4 address. */
#define PS_INET_STRLEN 46

/*
 * The printable form of a 4-byte IPv4 (`family` AF_INET) or 16-byte IPv6
 * address; an IPv4-mapped IPv6 address (::ffff:a.b.c.d) prints as IPv4,
 * the address the program actually reaches.
 */
void inet_text(int family, const unsigned char *addr, char *buf, size_t len);

/*
 * The fields of a user sockaddr of `len` bytes: "family", then
 *   AF_INET, AF_INET6: "address", "port" (and "scope_id" when set);
 *   AF_UNIX: "address", the path, or "@name" for an abstract name (absent
 *     for an unnamed socket);
 *   AF_NETLINK: "port_id", "groups";
 *   AF_PACKET: "ethertype", "ifindex", "address" (the hardware address,
 *     when given).
 * Returns the family, or -1 when `len` is too short to hold one (nothing
 * is written then).
 */
int sockaddr_out(struct out *o, const void *sa, size_t len);

/*
 * "protocol" of a socket of `family`: an IPPROTO_* name for IP sockets, the
 * EtherType for packet sockets (given in network order), nothing for AF_UNIX.
 */
void protocol_out(struct out *o, int family, int protocol);

/* Raw sockets see or forge whole packets: SOCK_RAW, SOCK_PACKET, AF_PACKET. */
bool sock_is_raw(int family, int type);

/* A socket's kernel state: "family" (when `family`), "type", "protocol". */
void sock_kind_out(struct out *o, const struct ps_sock *s, bool family);

/*
 * One end of an IP socket (`local`, or the peer) under `addr_key` and
 * `port_key`; nothing for other families or an end with neither address
 * nor port.
 */
void sock_end_out(struct out *o, const struct ps_sock *s, bool local,
		  const char *addr_key, const char *port_key);

/* The SOCK blob of argument `arg`, or NULL when there is none or it was not a socket. */
const struct ps_sock *ev_sock(const struct ps_event *ev, unsigned char arg);

#endif
