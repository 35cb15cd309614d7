/*
 * The running server: the loop, the configuration it was started with,
 * storage, TLS contexts, hosts, listeners and sessions; start, reload and
 * graceful stop.
 */
#ifndef STRATA_CORE_SERVER_H
#define STRATA_CORE_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "config/check.h"
#include "strata/event.h"
#include "strata/store.h"
#include "util/strmap.h"

struct tls_hosts;
struct listener;
struct strata_session;
struct accounts;

enum { HOST_MAX_FEATURES = 64 };

struct strata_host {
    struct strata_server *server;
    char *name;
    size_t section; /* index in the configuration tree */
    struct strata_hooks *hooks;
    const char *features[HOST_MAX_FEATURES];
    size_t nfeatures;
    struct strmap users; /* bare JID -> struct user_sessions * (core/sessions.c) */
};

/* c2s settings read once at start (and on reload). */
struct c2s_settings {
    size_t stanza_limit;
    size_t preauth_limit;
    size_t backlog_limit;
    uint64_t auth_timeout_ms;
    uint32_t depth_limit;
    uint32_t attribute_limit;
    uint32_t name_limit;
};

struct strata_server {
    uv_loop_t *loop;
    struct cfg_tree *cfg;
    struct cfg_check *check;
    struct strata_store *store;
    struct accounts *accounts;
    struct tls_hosts *tls_starttls; /* per-host contexts for STARTTLS */
    struct tls_hosts *tls_direct;   /* the same certificates with ALPN xmpp-client */
    struct strata_host **hosts;
    size_t nhosts;
    struct listener **listeners;
    size_t nlisteners;
    struct strata_session *sessions; /* every c2s session, for shutdown */
    struct c2s_settings c2s;
    uint64_t started_ms;
    unsigned long next_session;
    bool stopping;
    uv_signal_t signals[3];
    uv_timer_t stop_timer;
    uv_timer_t idle_timer;       /* trims idle sessions */
    struct strmap auth_failures; /* peer address -> struct auth_failures (c2s_sasl.c) */
    int exit_status;
};

/* Starts everything from a checked configuration (takes cfg and check) and
 * runs the loop until a stop. Returns the process exit status. */
int server_run(struct cfg_tree *cfg, struct cfg_check *check);

/* The host serving `domain`, or NULL. */
struct strata_host *server_find_host(const struct strata_server *s, const char *domain);

/* Begins a graceful stop: no new connections, every stream closed with
 * <system-shutdown/>, storage flushed, then the loop ends. */
void server_stop(struct strata_server *s);

#endif
