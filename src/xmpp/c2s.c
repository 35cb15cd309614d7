/*
 * Client-to-server sessions: RFC 6120 stream negotiation and the stanza
 * flow after it; see c2s.h.
 *
 * Order of features (RFC 6120 §4.3.2): STARTTLS when encryption is still
 * due (mandatory-to-negotiate when c2s_require_encryption), then SASL,
 * then resource binding. Each restart (§4.3.3) gets a fresh header.
 */
#include "xmpp/c2s.h"

#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/router.h"
#include "core/server.h"
#include "core/sessions.h"
#include "net/conn.h"
#include "net/tls.h"
#include "strata/errors.h"
#include "strata/host.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "xml/serialize.h"
#include "xml/stream_parser.h"
#include "xmpp/c2s_sasl.h"

static void on_stream_open(void *ud, const struct strata_xml_stream_header *hdr);
static void on_stanza(void *ud, struct strata_stanza *st);
static void on_stream_close(void *ud);
static void on_parse_error(void *ud, const struct strata_xml_error *err);

static const struct strata_xml_handlers parser_handlers = {
    on_stream_open,
    on_stanza,
    on_stream_close,
    on_parse_error,
};

struct log_ctx c2s_log_ctx(const struct strata_session *c)
{
    return (struct log_ctx){c->name, c->conn ? conn_peer(c->conn) : NULL, c->full};
}

#define C2S_LOG(level, c, ...)                                                                     \
    do {                                                                                           \
        struct log_ctx ctx_ = c2s_log_ctx(c);                                                      \
        LOG(level, "c2s", &ctx_, __VA_ARGS__);                                                     \
    } while (0)

/* ---- output ---------------------------------------------------------- */

/* PERF: one reusable buffer for serializing; conn_write copies out of it. */
static struct strbuf out_buf;

static void write_buf(struct strata_session *c)
{
    if (c->conn && out_buf.len) {
        conn_write(c->conn, out_buf.ptr, out_buf.len);
    }
    out_buf.len = 0;
}

void c2s_send(struct strata_session *c, const struct strata_stanza *st)
{
    if (c->state == C2S_CLOSED) {
        return;
    }
    strata_stanza_serialize(st, strata_atoms.ns_client, &out_buf);
    write_buf(c);
}

/* RFC 6120 §4.7.3: unpredictable and never repeated; a new one after each
 * restart (§4.3.3). 128 random bits in hex. */
static void new_stream_id(struct strata_session *c)
{
    unsigned char b[16];
    RAND_bytes(b, sizeof b);
    for (int i = 0; i < 16; i++) {
        snprintf(c->stream_id + 2 * i, 3, "%02x", b[i]);
    }
}

static void send_header(struct strata_session *c)
{
    new_stream_id(c);
    struct strata_xml_stream_header hdr = {
        .content_ns = strata_atoms.ns_client,
        .from = c->host ? c->host->name : NULL,
        .id = c->stream_id,
        .version = "1.0",
        .lang = "en",
    };
    strata_xml_write_stream_header(&out_buf, &hdr);
    write_buf(c);
    c->header_sent = true;
}

void c2s_stream_error(struct strata_session *c, enum stream_error e, const char *text)
{
    if (c->state == C2S_CLOSED) {
        return;
    }
    C2S_LOG(STRATA_LOG_INFO, c, "closing the stream with <%s/>%s%s", stream_error_name(e),
            text ? ": " : "", text ? text : "");
    if (!c->header_sent) {
        send_header(c); /* RFC 6120 §4.9.1.2: a header comes before any error */
    }
    struct strata_stanza *err = stream_error_new(e, text);
    c2s_send(c, err);
    strata_stanza_unref(err);
    c2s_close(c);
}

void c2s_close(struct strata_session *c)
{
    if (c->state == C2S_CLOSED) {
        return;
    }
    if (c->header_sent) {
        strata_xml_write_stream_footer(&out_buf);
        write_buf(c);
    }
    c->state = C2S_CLOSED;
    sessions_unbind(c);
    if (c->parser) {
        strata_xml_parser_pause(c->parser); /* nothing more from this stream */
    }
    if (c->conn) {
        conn_close(c->conn);
    }
}

/* ---- features -------------------------------------------------------- */

static bool require_encryption(struct strata_session *c)
{
    struct cfg_value scratch;
    const struct cfg_value *v = strata_host_option(c->host, "c2s_require_encryption", &scratch);
    bool required = !v || v->kind != CFG_BOOL || v->u.b;
    cfg_value_clear(&scratch);
    return required;
}

static bool tls_available(struct strata_session *c)
{
    return tls_hosts_find(c->server->tls_starttls, c->host->name) != NULL;
}

static void send_features(struct strata_session *c)
{
    struct strata_stanza *f = strata_stanza_new("features", strata_atoms.ns_streams);
    bool secure = conn_is_tls(c->conn);
    if (c->authenticated) {
        strata_stanza_add_child(f, "bind", strata_atoms.ns_bind);
        struct strata_stanza *s = strata_stanza_add_child(f, "session", strata_atoms.ns_session);
        strata_stanza_add_child(s, "optional", NULL); /* RFC 6121 §A: legacy, optional */
        c->state = C2S_WAIT_BIND;
    } else if (!secure && !tls_available(c) && require_encryption(c)) {
        /* SECURITY: encryption is required and this host has no usable
         * certificate: never offer authentication in the clear. */
        strata_stanza_unref(f);
        c2s_stream_error(c, STREAM_UNDEFINED_CONDITION,
                         "Encryption is required but this server has no certificate for the host");
        return;
    } else if (!secure && tls_available(c)) {
        struct strata_stanza *t = strata_stanza_add_child(f, "starttls", strata_atoms.ns_tls);
        bool required = require_encryption(c);
        if (required) {
            strata_stanza_add_child(t, "required", NULL);
        } else {
            c2s_sasl_advertise(c, f);
        }
        c->state = required ? C2S_WAIT_STARTTLS : C2S_WAIT_AUTH;
    } else {
        c2s_sasl_advertise(c, f);
        c->state = C2S_WAIT_AUTH;
    }
    /* Features of modules (Prosody's "stream-features"): ev.stanza is the
     * <features/> being built, theirs to add to; ev.origin the session
     * (check c->authenticated). The roster announces rosterver there. */
    int id = strata_event_id("stream-features");
    struct strata_event ev = {.id = id, .host = c->host, .origin = c, .stanza = f};
    if (id >= 0) {
        strata_hooks_fire(c->host->hooks, &ev);
    }
    c2s_send(c, f);
    strata_stanza_unref(f);
}

/* ---- the stream header --------------------------------------------------- */

/* "1.0", "1.1", "1.10": major 1 (RFC 6120 §4.7.5: "major.minor", digits). */
static bool major_version_1(const char *v)
{
    if (!v || v[0] != '1' || v[1] != '.' || !v[2]) {
        return false;
    }
    return strspn(v + 2, "0123456789") == strlen(v + 2);
}

static void on_stream_open(void *ud, const struct strata_xml_stream_header *hdr)
{
    struct strata_session *c = ud;
    if (c->state == C2S_CLOSED) {
        return;
    }
    char *domain = NULL;
    struct strata_host *h = NULL;
    if (hdr->to && strata_jid_prep_domain(hdr->to, &domain) == 0) {
        h = server_find_host(c->server, domain);
    }
    free(domain);
    if (!c->host && h) {
        c->host = h;
    }
    send_header(c);
    if (!h || h != c->host) {
        c2s_stream_error(c, STREAM_HOST_UNKNOWN, "This server does not serve that domain");
        return;
    }
    if (!major_version_1(hdr->version)) {
        /* RFC 6120 §4.7.5: no version means 0.9, which we do not speak; a
         * higher minor version (1.1) is answered as 1.0 and goes on. */
        c2s_stream_error(c, STREAM_UNSUPPORTED_VERSION, "XMPP 1.0 is required");
        return;
    }
    send_features(c);
}

/* ---- negotiation ---------------------------------------------------------- */

static void restart_stream(struct strata_session *c, bool keep_pending)
{
    c->header_sent = false;
    c->state = C2S_WAIT_HEADER;
    strata_xml_parser_reset(c->parser, keep_pending);
}

static void on_starttls(struct strata_session *c)
{
    SSL_CTX *ctx = tls_hosts_find(c->server->tls_starttls, c->host->name);
    if (!ctx || conn_is_tls(c->conn)) {
        /* RFC 6120 §5.4.2.2: <failure/> and close. */
        struct strata_stanza *f = strata_stanza_new("failure", strata_atoms.ns_tls);
        c2s_send(c, f);
        strata_stanza_unref(f);
        c2s_close(c);
        return;
    }
    struct strata_stanza *p = strata_stanza_new("proceed", strata_atoms.ns_tls);
    c2s_send(c, p);
    strata_stanza_unref(p);
    if (conn_start_tls(c->conn, ctx) < 0) {
        c2s_close(c);
        return;
    }
    /* RFC 6120 §5.4.3.3: nothing sent in clear after <starttls/> is used. */
    restart_stream(c, false);
}

void c2s_authenticated(struct strata_session *c, const char *username)
{
    c->authenticated = true;
    c->username = xstrdup(username);
    if (c->auth_timer) {
        uv_timer_stop(c->auth_timer);
    }
    struct c2s_settings *s = &c->server->c2s;
    struct strata_xml_limits limits = {s->stanza_limit, s->depth_limit, s->attribute_limit,
                                       s->name_limit};
    strata_xml_parser_set_limits(c->parser, &limits);
    C2S_LOG(STRATA_LOG_INFO, c, "authenticated as %s@%s", username, c->host->name);
    restart_stream(c, true);             /* the client may send its header right behind */
    strata_xml_parser_resume(c->parser); /* paused while accounts answered */
}

static void reply_iq(struct strata_session *c, const struct strata_stanza *iq,
                     struct strata_stanza *payload)
{
    struct strata_stanza *r = strata_iq_result(iq);
    if (payload) {
        strata_stanza_add_copy(r, payload);
    }
    c2s_send(c, r);
    strata_stanza_unref(r);
}

static void bounce(struct strata_session *c, const struct strata_stanza *st, enum stanza_error e)
{
    struct strata_stanza *r = stanza_error_reply(st, e, NULL);
    if (r) {
        c2s_send(c, r);
        strata_stanza_unref(r);
    }
}

/* RFC 6120 §7.6: <iq type='set'><bind><resource/></bind></iq>. */
static void on_bind(struct strata_session *c, const struct strata_stanza *iq,
                    const struct strata_stanza *bind)
{
    const char *resource = strata_stanza_child_text(bind, "resource", NULL);
    if (sessions_bind(c, resource) < 0) {
        bounce(c, iq, SE_BAD_REQUEST);
        return;
    }
    struct strata_stanza *b = strata_stanza_new("bind", strata_atoms.ns_bind);
    strata_stanza_add_text_child(b, "jid", NULL, c->full);
    reply_iq(c, iq, b);
    strata_stanza_unref(b);
    c->state = C2S_ACTIVE;
    C2S_LOG(STRATA_LOG_INFO, c, "bound %s", c->full);
}

/* The iqs of negotiation: bind, and the legacy session (RFC 3921 §3,
 * kept as a no-op by RFC 6121 §A). Returns true when handled. */
static bool negotiation_iq(struct strata_session *c, const struct strata_stanza *st)
{
    if (!strata_name_eq(strata_stanza_name(st), strata_atoms.iq)) {
        return false;
    }
    const char *type = strata_stanza_attr(st, "type");
    if (!type || strcmp(type, "set") != 0) {
        return false;
    }
    const struct strata_stanza *bind = strata_stanza_child(st, "bind", strata_atoms.ns_bind);
    if (bind) {
        if (c->state == C2S_WAIT_BIND) {
            on_bind(c, st, bind);
        } else {
            bounce(c, st, SE_NOT_ALLOWED); /* one resource per stream */
        }
        return true;
    }
    if (strata_stanza_child(st, "session", strata_atoms.ns_session)) {
        reply_iq(c, st, NULL);
        return true;
    }
    return false;
}

static void on_active_stanza(struct strata_session *c, struct strata_stanza *st)
{
    if (negotiation_iq(c, st)) {
        strata_stanza_unref(st);
        return;
    }
    /* Presence state (c->available, c->priority) is the presence module's:
     * it takes "presence/broadcast" from the router. */
    router_from_client(c, st);
}

static bool is_sasl(const struct strata_stanza *st)
{
    return strata_name_eq(strata_stanza_ns(st), strata_atoms.ns_sasl);
}

static void on_stanza(void *ud, struct strata_stanza *st)
{
    struct strata_session *c = ud;
    switch (c->state) {
    case C2S_ACTIVE:
        on_active_stanza(c, st);
        return;
    case C2S_WAIT_BIND:
        if (!negotiation_iq(c, st)) {
            /* RFC 6120 §7.4: stanzas before binding are not allowed. */
            c2s_stream_error(c, STREAM_NOT_AUTHORIZED, "Bind a resource first");
        }
        break;
    case C2S_WAIT_STARTTLS:
    case C2S_WAIT_AUTH:
    case C2S_SASL:
        if (strata_stanza_is(st, "starttls", strata_atoms.ns_tls) && c->state != C2S_SASL) {
            on_starttls(c);
        } else if (is_sasl(st) && c->state == C2S_WAIT_STARTTLS) {
            struct strata_stanza *f = strata_stanza_new("failure", strata_atoms.ns_sasl);
            strata_stanza_add_child(f, "encryption-required", NULL);
            c2s_send(c, f);
            strata_stanza_unref(f);
        } else if (is_sasl(st)) {
            c2s_sasl_handle(c, st);
        } else {
            /* RFC 6120 §6.4.? / §8: no stanzas before authentication. */
            c2s_stream_error(c, STREAM_NOT_AUTHORIZED, "Authenticate first");
        }
        break;
    case C2S_WAIT_HEADER:
    case C2S_CLOSED:
        break;
    }
    strata_stanza_unref(st);
}

static void on_stream_close(void *ud)
{
    c2s_close(ud);
}

static enum stream_error parse_condition(enum strata_xml_condition cond)
{
    switch (cond) {
    case STRATA_XML_BAD_FORMAT:
        return STREAM_BAD_FORMAT;
    case STRATA_XML_INVALID_NAMESPACE:
        return STREAM_INVALID_NAMESPACE;
    case STRATA_XML_POLICY_VIOLATION:
        return STREAM_POLICY_VIOLATION;
    case STRATA_XML_RESTRICTED_XML:
        return STREAM_RESTRICTED_XML;
    case STRATA_XML_UNSUPPORTED_ENCODING:
        return STREAM_UNSUPPORTED_ENCODING;
    case STRATA_XML_NOT_WELL_FORMED:
        break;
    }
    return STREAM_NOT_WELL_FORMED;
}

static void on_parse_error(void *ud, const struct strata_xml_error *err)
{
    struct strata_session *c = ud;
    enum stream_error e = parse_condition(err->condition);
    const char *text = NULL;
    if (e == STREAM_POLICY_VIOLATION) {
        text = err->limit == STRATA_XML_LIMIT_STANZA_BYTES ? "Stanza too large"
               : err->limit == STRATA_XML_LIMIT_DEPTH      ? "Elements nested too deeply"
               : err->limit == STRATA_XML_LIMIT_ATTRIBUTES ? "Too many attributes"
                                                           : "Name too long";
    }
    C2S_LOG(STRATA_LOG_INFO, c, "stream error from the parser: %s", err->text ? err->text : "");
    c2s_stream_error(c, e, text);
}

/* ---- the connection ------------------------------------------------------- */

void c2s_trim_idle(struct strata_server *s, uint64_t before_ms)
{
    for (struct strata_session *c = s->sessions; c; c = c->next) {
        if (c->last_read_ms < before_ms && c->parser) {
            strata_xml_parser_trim(c->parser); /* EAGAIN mid-stanza: kept */
        }
    }
}

static void on_data(struct conn *conn, const char *data, size_t len, void *ud)
{
    struct strata_session *c = ud;
    c->last_read_ms = uv_now(c->server->loop);
    if (c->state != C2S_CLOSED) {
        strata_xml_parser_feed(c->parser, data, len);
    }
}

static void free_timer(uv_handle_t *h)
{
    free(h);
}

static void unlink_session(struct strata_session *c)
{
    for (struct strata_session **p = &c->server->sessions; *p; p = &(*p)->next) {
        if (*p == c) {
            *p = c->next;
            return;
        }
    }
}

static void on_end(struct conn *conn, enum conn_end why, void *ud)
{
    struct strata_session *c = ud;
    C2S_LOG(STRATA_LOG_INFO, c, "connection closed (%s)",
            why == CONN_END_PEER      ? "by the client"
            : why == CONN_END_TLS     ? "TLS failure"
            : why == CONN_END_BACKLOG ? "client did not read its data"
            : why == CONN_END_ERROR   ? "network error"
                                      : "by the server");
    c->conn = NULL;
    c->state = C2S_CLOSED;
    sessions_unbind(c);
    unlink_session(c);
    c2s_sasl_free(c);
    if (c->auth_timer) {
        uv_close((uv_handle_t *)c->auth_timer, free_timer);
    }
    if (c->sasl_timer) {
        uv_close((uv_handle_t *)c->sasl_timer, free_timer);
    }
    strata_xml_parser_free(c->parser);
    strata_jid_clear(&c->jid);
    free(c->full);
    free(c->bare);
    free(c->username);
    free(c);
}

static const struct conn_handler conn_handlers = {on_data, NULL, on_end};

static void on_auth_timeout(uv_timer_t *t)
{
    struct strata_session *c = t->data;
    if (!c->authenticated) {
        c2s_stream_error(c, STREAM_CONNECTION_TIMEOUT, "Took too long to log in");
    }
}

void c2s_accept(struct strata_server *s, uv_tcp_t *tcp, bool direct_tls)
{
    struct strata_session *c = xcalloc(1, sizeof *c);
    c->server = s;
    snprintf(c->name, sizeof c->name, "c2s%lu", ++s->next_session);
    struct strata_xml_limits limits = {s->c2s.preauth_limit, s->c2s.depth_limit,
                                       s->c2s.attribute_limit, s->c2s.name_limit};
    c->parser = strata_xml_parser_new(strata_atoms.ns_client, &limits, &parser_handlers, c);
    SSL_CTX *tls = direct_tls ? tls_hosts_front(s->tls_direct) : NULL;
    c->conn = conn_new(tcp, &conn_handlers, c, tls, s->c2s.backlog_limit);
    if (!c->conn || (direct_tls && !tls)) {
        if (c->conn) {
            conn_abort(c->conn); /* on_end frees the session */
            return;
        }
        strata_xml_parser_free(c->parser);
        free(c);
        uv_close((uv_handle_t *)tcp, free_timer);
        return;
    }
    c->next = s->sessions;
    s->sessions = c;
    c->auth_timer = xmalloc(sizeof *c->auth_timer);
    uv_timer_init(s->loop, c->auth_timer);
    c->auth_timer->data = c;
    uv_timer_start(c->auth_timer, on_auth_timeout, s->c2s.auth_timeout_ms, 0);
    C2S_LOG(STRATA_LOG_DEBUG, c, "accepted%s", direct_tls ? " (direct TLS)" : "");
}
