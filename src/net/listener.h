/*
 * Listening sockets: one per (interface, port), handing each accepted
 * socket to a service (c2s, s2s, http...).
 */
#ifndef STRATA_NET_LISTENER_H
#define STRATA_NET_LISTENER_H

#include <stddef.h>
#include <uv.h>

struct listener;

/* Receives an accepted, initialised socket and takes it (free with
 * uv_close + free, or hand it to conn_new). */
typedef void (*listener_accept_fn)(uv_tcp_t *tcp, void *ud);

/* Listens on `iface` ("*" every IPv4 address, "::" every IPv6 address, or
 * a literal address) and `port`. Returns 0 and the listener, or a negative
 * libuv error with a message in `err` ("127.0.0.1:5222: address already in
 * use"). Borrows `iface`. */
int listener_open(uv_loop_t *loop, const char *iface, int port, listener_accept_fn fn, void *ud,
                  struct listener **out, char *err, size_t errlen);

/* Stops accepting and frees the listener (asynchronously). */
void listener_close(struct listener *l);

/* The port actually bound (useful after asking for port 0). */
int listener_port(const struct listener *l);

/* "127.0.0.1:5222". Borrowed. */
const char *listener_name(const struct listener *l);

#endif
