/*
 * Client-to-server sessions (RFC 6120): stream negotiation (STARTTLS, SASL,
 * resource binding), then stanzas to and from the router.
 */
#ifndef STRATA_XMPP_C2S_H
#define STRATA_XMPP_C2S_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "strata/jid.h"
#include "strata/stanza.h"
#include "xmpp/errors.h"

struct strata_server;
struct strata_host;
struct conn;

enum c2s_state {
    C2S_WAIT_HEADER,   /* a stream header is due (first, or after a restart) */
    C2S_WAIT_STARTTLS, /* features sent; encryption required first */
    C2S_WAIT_AUTH,     /* SASL mechanisms offered */
    C2S_SASL,          /* an exchange is under way (maybe waiting on storage) */
    C2S_WAIT_BIND,     /* authenticated; resource binding offered */
    C2S_ACTIVE,        /* bound: stanzas flow */
    C2S_CLOSED,        /* a closing stream; nothing more is read */
};

struct c2s_sasl; /* in c2s_sasl.c */

struct strata_session {
    struct strata_server *server;
    struct strata_host *host;
    struct conn *conn;
    struct strata_xml_parser *parser;
    enum c2s_state state;
    bool header_sent;
    bool authenticated;
    char name[24];        /* "c2s12": logs */
    char stream_id[33];   /* random, new for every stream header (RFC 6120 §4.7.3) */
    char *username;       /* after SASL */
    struct strata_jid jid; /* after binding */
    char *full;            /* "user@host/resource" */
    char *bare;
    int priority;
    bool available;        /* sent initial presence, not unavailable since */
    bool interested;       /* requested the roster (RFC 6121 §2.1.6) */
    struct c2s_sasl *sasl;
    uv_timer_t *auth_timer;  /* unauthenticated timeout */
    uv_timer_t *sasl_timer;  /* delayed SASL failures; made when first needed */
    uint64_t last_read_ms;   /* for trimming idle sessions' parser memory */
    struct strata_session *next;      /* in the server's list */
    struct strata_session *next_resource; /* in the user's list */
};

/* Takes an accepted socket and starts a session; `direct_tls` chooses
 * XEP-0368 direct TLS (the handshake comes first). */
void c2s_accept(struct strata_server *s, uv_tcp_t *tcp, bool direct_tls);

/* Writes a stanza to the session's stream. Borrows `st`. */
void c2s_send(struct strata_session *c, const struct strata_stanza *st);

/* Ends the stream with a stream error (RFC 6120 §4.9) and closes. */
void c2s_stream_error(struct strata_session *c, enum stream_error e, const char *text);

/* Closes the stream normally (</stream:stream>) and the connection. */
void c2s_close(struct strata_session *c);

/* Gives back the parser memory of sessions idle since `before_ms`
 * (PERF: expat's buffers are ~10 KiB a session; they come back on the next
 * byte in a few microseconds). */
void c2s_trim_idle(struct strata_server *s, uint64_t before_ms);

/* The logging context of a session. */
struct log_ctx c2s_log_ctx(const struct strata_session *c);

#endif
