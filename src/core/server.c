/*
 * The running server; see server.h.
 *
 * Start: logging, the loop, TLS contexts, storage and accounts, hosts and
 * their modules, listeners, signals. Stop (SIGTERM, SIGINT): listeners
 * close, every stream ends with <system-shutdown/> (RFC 6120 §4.9.3.20),
 * storage is flushed, the process exits 0. SIGHUP reopens log files and
 * reloads certificates without touching sessions.
 */
#include "core/server.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/schema.h"
#include "core/accounts.h"
#include "core/log.h"
#include "core/storage_location.h"
#include "net/conn.h"
#include "net/listener.h"
#include "net/tls.h"
#include "net/tls_cert.h"
#include "strata/errors.h"
#include "strata/host.h"
#include "util/xalloc.h"
#include "xmpp/c2s.h"
#include "xmpp/c2s_sasl.h"

enum { STOP_GRACE_MS = 3000 };

#define SLOG(level, ...) LOG(level, "server", NULL, __VA_ARGS__)

/* ---- options ------------------------------------------------------------- */

static double number_option(struct strata_server *s, const char *name, double fallback)
{
    struct cfg_value scratch;
    struct schema_entry e;
    const struct cfg_value *v = check_value(s->check, 0, name, &scratch, NULL);
    double n = fallback;
    if (v && schema_find(name, &e) && schema_number(e.option, v, &n) < 0) {
        n = fallback;
    }
    cfg_value_clear(&scratch);
    return n;
}

static char *path_option(struct strata_server *s, size_t si, const char *name)
{
    struct cfg_value scratch;
    const struct cfg_value *v = check_value(s->check, si, name, &scratch, NULL);
    char *path = NULL;
    if (v && v->kind == CFG_STRING) {
        path = v->u.str.ptr[0] == '/' ? xstrdup(v->u.str.ptr)
                                      : xasprintf("%s/%s", s->cfg->main_dir, v->u.str.ptr);
    }
    cfg_value_clear(&scratch);
    return path;
}

static void read_c2s_settings(struct strata_server *s)
{
    struct c2s_settings *c = &s->c2s;
    c->stanza_limit = (size_t)number_option(s, "c2s_stanza_size_limit", 262144);
    c->preauth_limit = (size_t)number_option(s, "c2s_preauth_stanza_size_limit", 10240);
    c->backlog_limit = (size_t)number_option(s, "c2s_send_backlog", 1048576);
    c->auth_timeout_ms = (uint64_t)(number_option(s, "c2s_timeout", 90) * 1000);
    c->depth_limit = (uint32_t)number_option(s, "stanza_depth_limit", 32);
    c->attribute_limit = (uint32_t)number_option(s, "stanza_attribute_limit", 64);
    c->name_limit = (uint32_t)number_option(s, "stanza_name_length_limit", 1024);
}

/* ---- TLS ------------------------------------------------------------------ */

static const char *table_text(const struct cfg_value *t, const char *field)
{
    const struct cfg_value *v = cfg_table_get(t, field);
    return v && v->kind == CFG_STRING ? v->u.str.ptr : NULL;
}

/* The certificate and key of a host: ssl = { certificate, key }, else the
 * `certificates` folder as Prosody searches it. */
static int host_certificate(struct strata_server *s, size_t si, const char *host, char **cert,
                            char **key)
{
    struct cfg_value scratch;
    const struct cfg_value *ssl = check_value(s->check, si, "ssl", &scratch, NULL);
    const char *c = table_text(ssl, "certificate"), *k = table_text(ssl, "key");
    int rc = 0;
    if (c) {
        *cert = c[0] == '/' ? xstrdup(c) : xasprintf("%s/%s", s->cfg->main_dir, c);
        *key = !k ? NULL : k[0] == '/' ? xstrdup(k) : xasprintf("%s/%s", s->cfg->main_dir, k);
    } else {
        char *dir = path_option(s, si, "certificates");
        rc = dir ? tls_cert_locate(dir, host, time(NULL), cert, key) : STRATA_ENOENT;
        free(dir);
    }
    cfg_value_clear(&scratch);
    return rc;
}

static int tls_policy_of(struct strata_server *s, size_t si, struct tls_policy *p)
{
    struct cfg_value a, b;
    const struct cfg_value *profile = check_value(s->check, si, "tls_profile", &a, NULL);
    const struct cfg_value *ssl = check_value(s->check, si, "ssl", &b, NULL);
    int rc = tls_policy_for(profile && profile->kind == CFG_STRING ? profile->u.str.ptr : NULL,
                            table_text(ssl, "protocol"), table_text(ssl, "ciphers"),
                            table_text(ssl, "ciphersuites"), p);
    cfg_value_clear(&a);
    cfg_value_clear(&b);
    return rc;
}

/* SECURITY: a certificate that fails to load on SIGHUP must not leave the
 * host without TLS (its clients would be offered SASL in the clear): the
 * contexts loaded before stay until a good certificate replaces them. */
static bool keep_previous(struct strata_server *s, struct strata_host *h, struct tls_hosts *st,
                          struct tls_hosts *direct)
{
    SSL_CTX *a = s->tls_starttls ? tls_hosts_find(s->tls_starttls, h->name) : NULL;
    SSL_CTX *b = s->tls_direct ? tls_hosts_find(s->tls_direct, h->name) : NULL;
    if (!a || !b) {
        return false;
    }
    SSL_CTX_up_ref(a);
    SSL_CTX_up_ref(b);
    tls_hosts_add(st, h->name, a);
    tls_hosts_add(direct, h->name, b);
    SLOG(STRATA_LOG_WARN, "%s: keeping the certificate loaded before", h->name);
    return true;
}

static void load_host_tls(struct strata_server *s, struct strata_host *h, struct tls_hosts *st,
                          struct tls_hosts *direct)
{
    char *cert = NULL, *key = NULL, err[512];
    struct tls_policy p;
    if (host_certificate(s, h->section, h->name, &cert, &key) < 0) {
        SLOG(STRATA_LOG_WARN, "no certificate for %s: clients cannot use TLS with it", h->name);
        keep_previous(s, h, st, direct);
        return;
    }
    if (tls_policy_of(s, h->section, &p) < 0) {
        SLOG(STRATA_LOG_ERROR, "%s: unknown TLS profile", h->name);
    } else {
        SSL_CTX *a = tls_context_new(cert, key, &p, NULL, err, sizeof err);
        SSL_CTX *b = a ? tls_context_new(cert, key, &p, "xmpp-client", err, sizeof err) : NULL;
        if (a && b) {
            tls_hosts_add(st, h->name, a);
            tls_hosts_add(direct, h->name, b);
            SLOG(STRATA_LOG_INFO, "%s: certificate %s", h->name, cert);
        } else {
            SSL_CTX_free(a);
            SLOG(STRATA_LOG_ERROR, "%s: %s", h->name, err);
            keep_previous(s, h, st, direct);
        }
    }
    free(cert);
    free(key);
}

/* (Re)loads every host's certificate; sessions keep the contexts they have. */
static void load_tls(struct strata_server *s)
{
    struct tls_hosts *st = tls_hosts_new(), *direct = tls_hosts_new();
    for (size_t i = 0; i < s->nhosts; i++) {
        load_host_tls(s, s->hosts[i], st, direct);
    }
    /* PERF: an SSL object holds a reference on its SSL_CTX, so freeing the
     * old table only drops contexts no connection uses any more. */
    tls_hosts_free(s->tls_starttls);
    tls_hosts_free(s->tls_direct);
    s->tls_starttls = st;
    s->tls_direct = direct;
}

/* ---- hosts and modules ------------------------------------------------------ */

static bool section_enabled(struct strata_server *s, size_t si)
{
    const struct cfg_setting *e = cfg_section_find(s->cfg->sections[si], "enabled");
    return !e || e->value.kind != CFG_BOOL || e->value.u.b;
}

static int load_modules(struct strata_server *s, struct strata_host *h)
{
    const struct modset *set = &s->check->sets[h->section];
    for (size_t i = 0; i < set->count; i++) {
        const struct strata_module *m = set->items[i].module;
        if (m->state != STRATA_MODULE_IMPLEMENTED || !m->load) {
            continue;
        }
        int rc = m->load(h);
        if (rc < 0) {
            SLOG(STRATA_LOG_ERROR, "%s: module %s failed to load: %s", h->name, m->name,
                 strata_strerror(rc));
            return rc;
        }
    }
    return 0;
}

static int create_hosts(struct strata_server *s)
{
    s->hosts = xcalloc(s->cfg->nsections, sizeof *s->hosts);
    for (size_t si = 1; si < s->cfg->nsections; si++) {
        const struct cfg_section *sec = s->cfg->sections[si];
        if (sec->kind != CFG_SECTION_HOST || !section_enabled(s, si)) {
            continue;
        }
        struct strata_host *h = xcalloc(1, sizeof *h);
        h->server = s;
        h->section = si;
        if (strata_jid_prep_domain(sec->name, &h->name) < 0) {
            h->name = xstrdup(sec->name);
        }
        h->hooks = strata_hooks_new();
        s->hosts[s->nhosts++] = h;
        int rc = load_modules(s, h);
        if (rc < 0) {
            return rc;
        }
    }
    return 0;
}

struct strata_host *server_find_host(const struct strata_server *s, const char *domain)
{
    for (size_t i = 0; i < s->nhosts; i++) {
        if (strcmp(s->hosts[i]->name, domain) == 0) {
            return s->hosts[i];
        }
    }
    return NULL;
}

/* ---- listeners ------------------------------------------------------------------ */

static void free_handle(uv_handle_t *h)
{
    free(h);
}

struct accept_ctx {
    struct strata_server *s;
    bool direct_tls;
};

static struct accept_ctx starttls_ctx, direct_ctx;

static void on_accept(uv_tcp_t *tcp, void *ud)
{
    struct accept_ctx *a = ud;
    if (a->s->stopping) {
        uv_close((uv_handle_t *)tcp, free_handle);
        return;
    }
    c2s_accept(a->s, tcp, a->direct_tls);
}

/* Adds the ports of `option` to `ports` without duplicates. */
static size_t collect_ports(struct strata_server *s, const char *option, int *ports, size_t n,
                            size_t cap)
{
    struct cfg_value scratch;
    const struct cfg_value *v = check_value(s->check, 0, option, &scratch, NULL);
    size_t count = !v ? 0 : v->kind == CFG_NUMBER ? 1 : cfg_is_list(v) ? v->u.table->narray : 0;
    for (size_t i = 0; i < count && n < cap; i++) {
        const struct cfg_value *p = v->kind == CFG_NUMBER ? v : &v->u.table->array[i];
        bool seen = false;
        for (size_t k = 0; k < n; k++) {
            seen |= ports[k] == (int)p->u.n;
        }
        if (!seen && p->kind == CFG_NUMBER) {
            ports[n++] = (int)p->u.n;
        }
    }
    cfg_value_clear(&scratch);
    return n;
}

static int listen_one(struct strata_server *s, const char *iface, int port, struct accept_ctx *ctx)
{
    struct listener *l;
    char err[256];
    int rc = listener_open(s->loop, iface, port, on_accept, ctx, &l, err, sizeof err);
    if (rc < 0) {
        SLOG(STRATA_LOG_ERROR, "cannot listen: %s", err);
        return rc;
    }
    s->listeners = xrealloc(s->listeners, (s->nlisteners + 1) * sizeof *s->listeners);
    s->listeners[s->nlisteners++] = l;
    SLOG(STRATA_LOG_INFO, "listening on %s (%s)", listener_name(l),
         ctx->direct_tls ? "client, direct TLS" : "client, STARTTLS");
    return 0;
}

static int listen_on(struct strata_server *s, const int *ports, size_t np, struct accept_ctx *ctx)
{
    struct cfg_value scratch;
    const struct cfg_value *ifs = check_interfaces(s->check, "c2s_ports", &scratch);
    size_t ni = !ifs                      ? 0
                : ifs->kind == CFG_STRING ? 1
                : cfg_is_list(ifs)        ? ifs->u.table->narray
                                          : 0;
    int rc = 0;
    for (size_t i = 0; i < np && rc == 0; i++) {
        for (size_t k = 0; k < ni && rc == 0; k++) {
            const struct cfg_value *iface = ifs->kind == CFG_STRING ? ifs : &ifs->u.table->array[k];
            rc = listen_one(s, iface->u.str.ptr, ports[i], ctx);
        }
    }
    cfg_value_clear(&scratch);
    return rc;
}

static int open_listeners(struct strata_server *s)
{
    const struct strata_module *c2s = strata_module_find("c2s");
    if (!modset_find(&s->check->sets[0], c2s) || c2s->state != STRATA_MODULE_IMPLEMENTED) {
        return 0;
    }
    starttls_ctx = (struct accept_ctx){s, false};
    direct_ctx = (struct accept_ctx){s, true};
    int plain[32], direct[32];
    size_t np = collect_ports(s, "c2s_ports", plain, 0, 32);
    /* COMPAT(prosody): legacy_ssl_ports are direct TLS client ports too. */
    size_t nd = collect_ports(s, "c2s_direct_tls_ports", direct, 0, 32);
    nd = collect_ports(s, "legacy_ssl_ports", direct, nd, 32);
    int rc = listen_on(s, plain, np, &starttls_ctx);
    return rc ? rc : listen_on(s, direct, nd, &direct_ctx);
}

/* ---- stopping ---------------------------------------------------------------------- */

static void close_handle(uv_handle_t *h, void *arg)
{
    if (!uv_is_closing(h)) {
        uv_close(h, NULL);
    }
}

static void on_store_closed(int status, void *data)
{
    struct strata_server *s = data;
    s->store = NULL;
    SLOG(STRATA_LOG_INFO, "storage flushed; stopped");
    uv_walk(s->loop, close_handle, NULL); /* signals, timers: the loop may end */
}

static void finish_stop(struct strata_server *s)
{
    uv_timer_stop(&s->stop_timer);
    accounts_free(s->accounts);
    s->accounts = NULL;
    if (!s->store || strata_store_close(s->store, on_store_closed, s) < 0) {
        on_store_closed(0, s);
    }
}

static void check_drained(uv_timer_t *t);

void server_stop(struct strata_server *s)
{
    if (s->stopping) {
        return;
    }
    s->stopping = true;
    if (uv_is_active((uv_handle_t *)&s->idle_timer)) {
        uv_timer_stop(&s->idle_timer);
    }
    SLOG(STRATA_LOG_INFO, "stopping: closing %zu listeners and every stream", s->nlisteners);
    for (size_t i = 0; i < s->nlisteners; i++) {
        listener_close(s->listeners[i]);
    }
    s->nlisteners = 0;
    for (struct strata_session *c = s->sessions; c; c = c->next) {
        c2s_stream_error(c, STREAM_SYSTEM_SHUTDOWN, "The server is stopping");
    }
    uv_timer_init(s->loop, &s->stop_timer);
    s->stop_timer.data = s;
    uv_timer_start(&s->stop_timer, check_drained, 50, 50);
}

/* Waits for streams to finish closing (bounded by STOP_GRACE_MS). */
static void check_drained(uv_timer_t *t)
{
    static uint64_t waited;
    struct strata_server *s = t->data;
    waited += 50;
    if (!s->sessions || waited >= STOP_GRACE_MS) {
        finish_stop(s);
    }
}

enum { IDLE_TRIM_MS = 15000 };

static void on_idle_timer(uv_timer_t *t)
{
    struct strata_server *s = t->data;
    c2s_trim_idle(s, uv_now(s->loop) - IDLE_TRIM_MS);
}

static void start_idle_timer(struct strata_server *s)
{
    uv_timer_init(s->loop, &s->idle_timer);
    s->idle_timer.data = s;
    uv_timer_start(&s->idle_timer, on_idle_timer, IDLE_TRIM_MS, IDLE_TRIM_MS);
}

static void on_signal(uv_signal_t *sig, int signum)
{
    struct strata_server *s = sig->data;
    if (signum == SIGHUP) {
        SLOG(STRATA_LOG_INFO, "SIGHUP: reopening logs and reloading certificates");
        log_reopen();
        load_tls(s);
        return;
    }
    server_stop(s);
}

static void watch_signals(struct strata_server *s)
{
    static const int nums[] = {SIGTERM, SIGINT, SIGHUP};
    for (int i = 0; i < 3; i++) {
        uv_signal_init(s->loop, &s->signals[i]);
        s->signals[i].data = s;
        uv_signal_start(&s->signals[i], on_signal, nums[i]);
    }
    signal(SIGPIPE, SIG_IGN);
}

/* ---- starting ------------------------------------------------------------------------ */

static void log_store(void *data, int status, const char *message)
{
    SLOG(STRATA_LOG_ERROR, "storage: %s", message);
}

static int open_store(struct strata_server *s)
{
    struct storage_location loc;
    const char *problem = NULL;
    if (storage_location_get(s->check, s->cfg->main_dir, &loc, &problem) < 0) {
        SLOG(STRATA_LOG_ERROR, "cannot open storage: %s", problem);
        return STRATA_EINVAL;
    }
    struct cfg_value scratch;
    const struct cfg_value *sync = check_value(s->check, 0, "sqlite_synchronous", &scratch, NULL);
    bool full = sync && sync->kind == CFG_STRING && strcmp(sync->u.str.ptr, "full") == 0;
    cfg_value_clear(&scratch);
    struct strata_store_config cfg = {
        .driver = loc.driver,
        .path = loc.database,
        .log = log_store,
        .synchronous = full ? STRATA_STORE_SYNC_FULL : STRATA_STORE_SYNC_NORMAL,
        .cache_size = (size_t)number_option(s, "sqlite_cache_size", 0),
    };
    char err[512];
    int rc = strata_store_open(s->loop, &cfg, &s->store, err, sizeof err);
    if (rc < 0) {
        SLOG(STRATA_LOG_ERROR, "cannot open storage: %s", err);
    } else {
        SLOG(STRATA_LOG_INFO, "storage: %s %s", loc.driver, loc.database ? loc.database : "");
    }
    storage_location_clear(&loc);
    return rc;
}

static void write_pidfile(struct strata_server *s)
{
    char *path = path_option(s, 0, "pidfile");
    if (!path) {
        return;
    }
    FILE *f = fopen(path, "w");
    if (f) {
        fprintf(f, "%ld\n", (long)getpid());
        fclose(f);
    } else {
        SLOG(STRATA_LOG_WARN, "cannot write pidfile %s: %s", path, strerror(errno));
    }
    free(path);
}

static void on_accounts(int status, struct accounts *acc, void *data)
{
    struct strata_server *s = data;
    if (status < 0) {
        SLOG(STRATA_LOG_ERROR, "cannot read accounts: %s", strata_strerror(status));
        s->exit_status = 2;
        server_stop(s);
        return;
    }
    s->accounts = acc;
    if (create_hosts(s) < 0 || (load_tls(s), open_listeners(s)) < 0) {
        s->exit_status = 2;
        server_stop(s);
        return;
    }
    write_pidfile(s);
    start_idle_timer(s);
    SLOG(STRATA_LOG_INFO, "Strata is running: %zu hosts, %zu listeners", s->nhosts, s->nlisteners);
}

static void remove_pidfile(struct strata_server *s)
{
    char *path = path_option(s, 0, "pidfile");
    if (path) {
        unlink(path);
        free(path);
    }
}

static void free_server(struct strata_server *s)
{
    for (size_t i = 0; i < s->nhosts; i++) {
        strata_hooks_free(s->hosts[i]->hooks);
        strmap_clear(&s->hosts[i]->users);
        free(s->hosts[i]->name);
        free(s->hosts[i]);
    }
    free(s->hosts);
    free(s->listeners);
    tls_hosts_free(s->tls_starttls);
    tls_hosts_free(s->tls_direct);
    c2s_sasl_forget_failures(s);
    cfg_check_free(s->check);
    cfg_tree_free(s->cfg);
}

int server_run(struct cfg_tree *cfg, struct cfg_check *check)
{
    struct strata_server s = {.cfg = cfg, .check = check, .loop = uv_default_loop()};
    char err[512];
    struct cfg_value a, b;
    int rc = log_start(check_value(check, 0, "log", &a, NULL),
                       check_value(check, 0, "log_levels", &b, NULL), cfg->main_dir, err,
                       sizeof err);
    cfg_value_clear(&a);
    cfg_value_clear(&b);
    if (rc < 0) {
        fprintf(stderr, "strata: %s\n", err);
        free_server(&s);
        return 2;
    }
    conn_loop_init(s.loop);
    s.started_ms = uv_now(s.loop);
    read_c2s_settings(&s);
    watch_signals(&s);
    if (open_store(&s) < 0 || accounts_open(s.loop, s.store, on_accounts, &s) < 0) {
        s.exit_status = 2;
        server_stop(&s);
    }
    uv_run(s.loop, UV_RUN_DEFAULT);
    conn_loop_deinit(s.loop);
    uv_run(s.loop, UV_RUN_DEFAULT); /* let the last close callbacks run */
    uv_loop_close(s.loop);
    remove_pidfile(&s);
    log_stop();
    free_server(&s);
    return s.exit_status;
}
