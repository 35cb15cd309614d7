/*
 * Listening sockets; see listener.h.
 */
#include "net/listener.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

enum { ACCEPT_BACKLOG = 511 };

struct listener {
    uv_tcp_t tcp;
    listener_accept_fn fn;
    void *ud;
    char name[80];
};

/* Frees a handle allocated on its own (or first in its struct). */
static void free_handle(uv_handle_t *h)
{
    free(h);
}

static void on_connection(uv_stream_t *server, int status)
{
    struct listener *l = server->data;
    if (status < 0) {
        return; /* EMFILE and friends: the next accept may succeed */
    }
    uv_tcp_t *tcp = xmalloc(sizeof *tcp);
    uv_tcp_init(server->loop, tcp);
    if (uv_accept(server, (uv_stream_t *)tcp) < 0) {
        uv_close((uv_handle_t *)tcp, free_handle);
        return;
    }
    l->fn(tcp, l->ud);
}

static int resolve(const char *iface, int port, struct sockaddr_storage *addr, unsigned *flags)
{
    *flags = 0;
    if (strcmp(iface, "*") == 0) {
        return uv_ip4_addr("0.0.0.0", port, (struct sockaddr_in *)addr);
    }
    if (strchr(iface, ':')) {
        *flags = UV_TCP_IPV6ONLY; /* "::" must not also take the IPv4 port from "*" */
        return uv_ip6_addr(iface, port, (struct sockaddr_in6 *)addr);
    }
    return uv_ip4_addr(iface, port, (struct sockaddr_in *)addr);
}

int listener_open(uv_loop_t *loop, const char *iface, int port, listener_accept_fn fn, void *ud,
                  struct listener **out, char *err, size_t errlen)
{
    struct listener *l = xcalloc(1, sizeof *l);
    struct sockaddr_storage addr;
    unsigned flags;
    snprintf(l->name, sizeof l->name, strchr(iface, ':') ? "[%s]:%d" : "%s:%d", iface, port);
    int rc = resolve(iface, port, &addr, &flags);
    if (rc < 0) {
        snprintf(err, errlen, "%s: not an address", l->name);
        free(l);
        return rc;
    }
    uv_tcp_init(loop, &l->tcp);
    l->tcp.data = l;
    l->fn = fn;
    l->ud = ud;
    rc = uv_tcp_bind(&l->tcp, (struct sockaddr *)&addr, flags);
    if (rc == 0) {
        rc = uv_listen((uv_stream_t *)&l->tcp, ACCEPT_BACKLOG, on_connection);
    }
    if (rc < 0) {
        snprintf(err, errlen, "%s: %s", l->name, uv_strerror(rc));
        uv_close((uv_handle_t *)&l->tcp, free_handle);
        return rc;
    }
    *out = l;
    return 0;
}

void listener_close(struct listener *l)
{
    uv_close((uv_handle_t *)&l->tcp, free_handle);
}

const char *listener_name(const struct listener *l)
{
    return l->name;
}

int listener_port(const struct listener *l)
{
    struct sockaddr_storage ss;
    int len = sizeof ss;
    if (uv_tcp_getsockname(&l->tcp, (struct sockaddr *)&ss, &len) != 0) {
        return -1;
    }
    return ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                          : ((struct sockaddr_in *)&ss)->sin_port);
}
