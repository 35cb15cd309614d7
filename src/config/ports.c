/*
 * Ports: no port may serve two purposes, and each must be free to bind.
 *
 * Every option of type PORTS of an enabled module takes part. The address
 * probed for a port option `<prefix>_ports` is `<prefix>_interfaces`, for
 * direct-TLS ports the plain prefix's interfaces, else `interfaces`.
 * The probe binds without listening and closes at once.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "config/check.h"
#include "config/schema.h"
#include "util/xalloc.h"

struct port_use {
    int port;
    bool binds; /* the module is implemented: the server will listen there */
    const char *option;
    const char *file;
    int line;
};

struct port_list {
    struct port_use *items;
    size_t count;
    size_t cap;
};

static bool option_seen(const struct port_list *l, const char *option)
{
    for (size_t i = 0; i < l->count; i++) {
        if (strcmp(l->items[i].option, option) == 0) {
            return true;
        }
    }
    return false;
}

/* COMPAT(prosody): legacy_ssl_ports is the old name of the direct TLS
 * client ports; the same port under both names is one listener. */
static bool same_service(const char *a, const char *b)
{
    static const char *const direct_tls[] = {"c2s_direct_tls_ports", "legacy_ssl_ports"};
    bool in_a = false, in_b = false;
    for (size_t i = 0; i < 2; i++) {
        in_a |= strcmp(a, direct_tls[i]) == 0;
        in_b |= strcmp(b, direct_tls[i]) == 0;
    }
    return in_a && in_b;
}

static void add_port(struct cfg_check *c, struct port_list *l, const struct port_use *u)
{
    for (size_t i = 0; i < l->count; i++) {
        const struct port_use *o = &l->items[i];
        if (o->port == u->port && same_service(o->option, u->option)) {
            return;
        }
        if (o->port == u->port) {
            char where[512] = "";
            if (o->file) {
                snprintf(where, sizeof where, " (set at %s:%d)", o->file, o->line);
            }
            diag_add(&c->tree->diags, DIAG_ERROR, u->file, u->line, "port-conflict",
                     "port %d is used by both %s%s and %s", u->port, o->option, where, u->option);
            return;
        }
    }
    l->items = xgrow(l->items, &l->cap, l->count + 1, sizeof *l->items);
    l->items[l->count++] = *u;
}

static void collect_option(struct cfg_check *c, struct port_list *l, const struct strata_option *o,
                           bool binds)
{
    if (o->type != STRATA_OPT_PORTS || option_seen(l, o->name)) {
        return;
    }
    struct cfg_value scratch;
    const struct cfg_setting *s;
    const struct cfg_value *v = check_value(c, 0, o->name, &scratch, &s);
    size_t n = !v ? 0 : v->kind == CFG_NUMBER ? 1 : cfg_is_list(v) ? v->u.table->narray : 0;
    for (size_t i = 0; i < n; i++) {
        const struct cfg_value *p = v->kind == CFG_NUMBER ? v : &v->u.table->array[i];
        if (p->kind == CFG_NUMBER && p->u.n >= 1 && p->u.n <= 65535) {
            add_port(c, l, &(struct port_use){(int)p->u.n, binds, o->name, s ? s->value.file : NULL,
                                              s ? s->value.line : 0});
        }
    }
    cfg_value_clear(&scratch);
}

/* Fills `addr` for an interface string; false when it is not an address. */
static bool parse_interface(const char *iface, int port, struct sockaddr_storage *addr,
                            socklen_t *len)
{
    memset(addr, 0, sizeof *addr);
    struct sockaddr_in *v4 = (struct sockaddr_in *)addr;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)addr;
    const char *a = strcmp(iface, "*") == 0 ? "0.0.0.0" : iface;
    if (inet_pton(AF_INET, a, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        *len = sizeof *v4;
        return true;
    }
    if (inet_pton(AF_INET6, a, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        *len = sizeof *v6;
        return true;
    }
    return false;
}

/* 0 when free (or not probeable here), else the errno of bind(). */
static int probe(const char *iface, int port)
{
    struct sockaddr_storage addr;
    socklen_t len;
    if (!parse_interface(iface, port, &addr, &len)) {
        return 0;
    }
    int fd = socket(addr.ss_family, SOCK_STREAM, 0);
    if (fd < 0) {
        return 0; /* no IPv6 on this machine: nothing to probe */
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (addr.ss_family == AF_INET6) {
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    }
    int err = bind(fd, (struct sockaddr *)&addr, len) == 0 ? 0 : errno;
    close(fd);
    return err == EAFNOSUPPORT ? 0 : err;
}

/* Whether `name` is set in the global section (not just defaulted). */
static bool is_set(const struct cfg_check *c, const char *name)
{
    const struct cfg_setting *s = cfg_section_find(c->tree->sections[0], name);
    return s && s->value.kind != CFG_NIL;
}

const struct cfg_value *check_interfaces(const struct cfg_check *c, const char *ports_option,
                                         struct cfg_value *scratch)
{
    char key[128];
    size_t plen = strlen(ports_option) - strlen("_ports");
    snprintf(key, sizeof key, "%.*s_interfaces", (int)plen, ports_option);
    const char *tls = strstr(key, "_direct_tls_interfaces");
    if (!is_set(c, key) && tls) {
        snprintf(key + (tls - key), sizeof key - (size_t)(tls - key), "_interfaces");
    }
    struct schema_entry e;
    /* COMPAT(prosody): an unset <service>_interfaces falls back to the
     * global `interfaces` when that is set; otherwise the declared default
     * of the service's own option applies. */
    if (is_set(c, key) || (!is_set(c, "interfaces") && schema_find(key, &e))) {
        const struct cfg_value *v = check_value(c, 0, key, scratch, NULL);
        if (v) {
            return v;
        }
    }
    return check_value(c, 0, "interfaces", scratch, NULL);
}

static void probe_use(struct cfg_check *c, const struct port_use *u)
{
    struct cfg_value scratch;
    const struct cfg_value *ifs = check_interfaces(c, u->option, &scratch);
    size_t n = !ifs ? 0 : ifs->kind == CFG_STRING ? 1 : cfg_is_list(ifs) ? ifs->u.table->narray : 0;
    for (size_t i = 0; i < n; i++) {
        const struct cfg_value *iface = ifs->kind == CFG_STRING ? ifs : &ifs->u.table->array[i];
        int err = iface->kind == CFG_STRING ? probe(iface->u.str.ptr, u->port) : 0;
        if (err) {
            diag_add(&c->tree->diags, DIAG_ERROR, u->file, u->line, "port-unavailable",
                     "%s: port %d on %s cannot be bound: %s%s", u->option, u->port,
                     iface->u.str.ptr, strerror(err),
                     err == EADDRINUSE ? " (another server is running there)" : "");
        }
    }
    cfg_value_clear(&scratch);
}

void check_ports(struct cfg_check *c)
{
    struct port_list l = {0};
    for (size_t si = 0; si < c->tree->nsections; si++) {
        for (size_t i = 0; i < c->sets[si].count; i++) {
            const struct strata_module *m = c->sets[si].items[i].module;
            for (const struct strata_option *o = m->options; o && o->name; o++) {
                collect_option(c, &l, o, m->state == STRATA_MODULE_IMPLEMENTED);
            }
        }
    }
    /* Only ports the server will open are probed: a planned module's port
     * (s2s) held by another server is no reason to refuse starting. */
    for (size_t i = 0; i < l.count && !c->skip_ports; i++) {
        if (l.items[i].binds) {
            probe_use(c, &l.items[i]);
        }
    }
    free(l.items);
}
