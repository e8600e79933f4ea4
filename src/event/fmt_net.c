// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Formatters of network events.  "address" and "port" are always the
 * address the call is about: where it connects or sends to, what it binds,
 * what it listens on, who it accepted.  "local_address" and "local_port"
 * come from the socket's kernel state after the call (the port the kernel
 * chose for a connect, for instance).  Payloads are never captured.
 */
#include <sys/socket.h>

#include "event/event.h"
#include "event/names.h"
#include "output/out.h"
#include "event/sockaddr.h"
#include "event/syscalls.h"

static void raw_out(struct out *o, int family, int type)
{
	if (sock_is_raw(family, type))
		out_bool(o, "raw", true);
}

void fmt_socket(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;
	int family = sc->args[0], type = sc->args[1], base = type & 0xf;

	out_obj_begin(o, "net");
	fmt_name(o, "family", &ps_socket_families, family);
	fmt_name(o, "type", &ps_socket_types, base);
	fmt_flags(o, "flags", &ps_socket_type_flags, (unsigned int)type & ~0xfu);
	protocol_out(o, family, (int)sc->args[2]);
	raw_out(o, family, base);
	out_obj_end(o);
}

/* connect, bind, sendto, sendmsg: the sockaddr passed, then the socket. */
void fmt_net_addr(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;
	const signed char *p = ev->desc->p;
	const struct ev_blob *sa = ev_blob_for(ev, p[1]);
	const struct ps_sock *s = ev_sock(ev, p[0]);
	int family = -1;

	out_obj_begin(o, "net");
	out_int(o, "fd", (int)sc->args[p[0]]);
	if (sa && sa->kind == PS_BLOB_BYTES)
		family = sockaddr_out(o, sa->data, sa->len);
	if (family < 0 && s)
		family = s->family;
	sock_kind_out(o, s, family < 0);
	sock_end_out(o, s, true, "local_address", "local_port");
	if (p[2] >= 0)
		out_uint(o, "length", sc->args[p[2]]);
	raw_out(o, family, s ? s->type : 0);
	out_obj_end(o);
}

void fmt_listen(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;
	const signed char *p = ev->desc->p;
	const struct ps_sock *s = ev_sock(ev, p[0]);

	out_obj_begin(o, "net");
	out_int(o, "fd", (int)sc->args[p[0]]);
	sock_kind_out(o, s, true);
	sock_end_out(o, s, true, "address", "port");
	out_int(o, "backlog", (int)sc->args[p[1]]);
	if (s)
		raw_out(o, s->family, s->type);
	out_obj_end(o);
}

/* The accepted connection (ret is its fd): the peer, and the local end. */
void fmt_accept(const struct ps_event *ev, struct out *o)
{
	const struct ps_syscall *sc = ev->fixed;
	const signed char *p = ev->desc->p;
	const struct ps_sock *s = ev_sock(ev, PS_ARG_RETFD);

	out_obj_begin(o, "net");
	out_int(o, "fd", (int)sc->args[p[0]]);
	sock_kind_out(o, s, true);
	sock_end_out(o, s, false, "address", "port");
	sock_end_out(o, s, true, "local_address", "local_port");
	if (p[1] >= 0)
		fmt_flags(o, "flags", &ps_socket_type_flags, (unsigned int)sc->args[p[1]]);
	if (s)
		raw_out(o, s->family, s->type);
	out_obj_end(o);
}
