/*
 * SASL on client streams (RFC 6120 §6): the mechanisms offered, and the
 * exchange driven by the mechanisms in xmpp/sasl/ with accounts looked up
 * asynchronously.
 *
 * Offered: the host's sasl_mechanisms, in that order, minus those this
 * stream cannot do: -PLUS needs TLS and channel binding data (tls-exporter
 * only on TLS 1.3, RFC 9266 §3), PLAIN needs TLS (RFC 6120 §13.8). The
 * XEP-0440 element lists the binding types; XEP-0474's hash of what was
 * offered goes into SCRAM's server-first message.
 */
#include "xmpp/c2s_sasl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/accounts.h"
#include "core/log.h"
#include "core/server.h"
#include "net/conn.h"
#include "net/tls.h"
#include "strata/errors.h"
#include "strata/host.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "xml/stream_parser.h"
#include "xmpp/sasl/plain.h"
#include "xmpp/sasl/scram.h"

enum { MAX_OFFERED = SASL_MECH_COUNT, MAX_CB = 2 };

struct offer {
    enum sasl_mech mechs[MAX_OFFERED];
    size_t nmechs;
    struct sasl_cb cb[MAX_CB];
    unsigned char cb_data[MAX_CB][64];
    size_t ncb;
};

struct c2s_sasl {
    struct strata_session *c;
    enum sasl_mech mech;
    struct scram_server *scram;
    struct sasl_plain plain;
    bool have_plain;
    struct accounts_request *req;
    bool paused; /* the parser waits while accounts answer */
    char user[1024];
};

/* While the account lookup runs, the stream holds what the client sends
 * next (a pipelined response or stream header) instead of acting on it
 * before the answer. */
static void wait_for_accounts(struct strata_session *c)
{
    c->sasl->paused = true;
    strata_xml_parser_pause(c->parser);
}

/* ---- what this stream offers ---------------------------------------------- */

/* Whether `name` is an item of the host's list option `option`. */
static bool listed(struct strata_session *c, const char *option, const char *name)
{
    struct cfg_value scratch;
    const struct cfg_value *v = strata_host_option(c->host, option, &scratch);
    bool found = false;
    size_t n = !v ? 0 : v->kind == CFG_STRING ? 1 : cfg_is_list(v) ? v->u.table->narray : 0;
    for (size_t i = 0; i < n && !found; i++) {
        const struct cfg_value *item = v->kind == CFG_STRING ? v : &v->u.table->array[i];
        found = item->kind == CFG_STRING && strcmp(item->u.str.ptr, name) == 0;
    }
    cfg_value_clear(&scratch);
    return found;
}

static void channel_bindings(struct strata_session *c, struct offer *o)
{
    static const char *const types[] = {SASL_CB_TLS_EXPORTER, SASL_CB_TLS_SERVER_END_POINT};
    SSL *ssl = conn_ssl(c->conn);
    for (size_t i = 0; ssl && i < 2; i++) {
        if (!listed(c, "tls_channel_binding", types[i])) {
            continue;
        }
        size_t len;
        if (tls_channel_binding(ssl, types[i], o->cb_data[o->ncb], sizeof o->cb_data[0], &len) ==
            0) {
            o->cb[o->ncb] = (struct sasl_cb){types[i], o->cb_data[o->ncb], len};
            o->ncb++;
        }
    }
}

/* RFC 6120 §13.8: PLAIN (and whatever insecure_sasl_mechanisms names)
 * only over TLS; -PLUS only with binding data; never what is disabled. */
static bool usable(struct strata_session *c, const struct offer *o, enum sasl_mech m)
{
    const struct sasl_mech_info *info = sasl_mech_info(m);
    if (listed(c, "disable_sasl_mechanisms", info->name)) {
        return false;
    }
    if (info->plus) {
        return o->ncb > 0;
    }
    bool insecure = !info->scram || listed(c, "insecure_sasl_mechanisms", info->name);
    return !insecure || conn_is_tls(c->conn);
}

static void offer_for(struct strata_session *c, struct offer *o)
{
    memset(o, 0, sizeof *o);
    channel_bindings(c, o);
    struct cfg_value scratch;
    const struct cfg_value *v = strata_host_option(c->host, "sasl_mechanisms", &scratch);
    size_t n = v && cfg_is_list(v) ? v->u.table->narray : 0;
    for (size_t i = 0; i < n && o->nmechs < MAX_OFFERED; i++) {
        const struct cfg_value *item = &v->u.table->array[i];
        enum sasl_mech m;
        if (item->kind == CFG_STRING && sasl_mech_find(item->u.str.ptr, item->u.str.len, &m) == 0 &&
            usable(c, o, m)) {
            o->mechs[o->nmechs++] = m;
        }
    }
    cfg_value_clear(&scratch);
}

void c2s_sasl_advertise(struct strata_session *c, struct strata_stanza *features)
{
    struct offer o;
    offer_for(c, &o);
    struct strata_stanza *mechs =
        strata_stanza_add_child(features, "mechanisms", strata_atoms.ns_sasl);
    for (size_t i = 0; i < o.nmechs; i++) {
        strata_stanza_add_text_child(mechs, "mechanism", NULL, sasl_mech_info(o.mechs[i])->name);
    }
    if (o.ncb) {
        struct strata_stanza *cb =
            strata_stanza_add_child(features, "sasl-channel-binding", "urn:xmpp:sasl-cb:0");
        for (size_t i = 0; i < o.ncb; i++) {
            struct strata_stanza *t = strata_stanza_add_child(cb, "channel-binding", NULL);
            strata_stanza_set_attr(t, "type", o.cb[i].type);
        }
    }
}

/* ---- replies ----------------------------------------------------------------- */

static void send_sasl(struct strata_session *c, const char *name, const void *data, size_t len,
                      bool always_text)
{
    struct strata_stanza *el = strata_stanza_new(name, strata_atoms.ns_sasl);
    if (len || always_text) {
        char *b64 = sasl_payload_encode(data, len);
        strata_stanza_add_text(el, b64, strlen(b64));
        free(b64);
    }
    c2s_send(c, el);
    strata_stanza_unref(el);
}

/* ---- slowing down repeated failures from one address ------------------------
 *
 * SECURITY: password guessing. The first FREE_FAILURES failures from an
 * address are answered at once; after that each answer waits twice as long
 * as the one before, up to MAX_DELAY_MS. Counts are forgotten after
 * FORGET_MS without a failure. The wait holds only the guessing session. */

enum { FREE_FAILURES = 3, FIRST_DELAY_MS = 500, MAX_DELAY_MS = 8000, FORGET_MS = 600000 };

struct auth_failures {
    unsigned count;
    uint64_t last_ms;
};

static void address_of(struct strata_session *c, char *out, size_t len)
{
    snprintf(out, len, "%s", conn_peer(c->conn));
    char *colon = strrchr(out, ':'); /* "[v6]:port" or "v4:port": drop the port */
    if (colon) {
        *colon = '\0';
    }
}

static void forget_old(const char *key, void *value, void *ud)
{
    struct strata_server *s = ud;
    struct auth_failures *f = value;
    if (uv_now(s->loop) - f->last_ms > FORGET_MS) {
        f->count = 0; /* reused; freed with the map */
    }
}

/* Records a failure; returns how long the answer should wait. */
static uint64_t failure_delay(struct strata_session *c)
{
    struct strata_server *s = c->server;
    char addr[64];
    address_of(c, addr, sizeof addr);
    struct auth_failures *f = strmap_get(&s->auth_failures, addr);
    uint64_t now = uv_now(s->loop);
    if (!f) {
        if (s->auth_failures.count >= 4096) {
            strmap_each(&s->auth_failures, forget_old, s);
        }
        f = xcalloc(1, sizeof *f);
        strmap_put(&s->auth_failures, addr, f);
    }
    if (now - f->last_ms > FORGET_MS) {
        f->count = 0;
    }
    f->count++;
    f->last_ms = now;
    if (f->count <= FREE_FAILURES) {
        return 0;
    }
    unsigned shift = f->count - FREE_FAILURES - 1;
    uint64_t delay = shift > 4 ? MAX_DELAY_MS : (uint64_t)FIRST_DELAY_MS << shift;
    return delay > MAX_DELAY_MS ? MAX_DELAY_MS : delay;
}

static void free_failure(const char *key, void *value, void *ud)
{
    free(value);
}

void c2s_sasl_forget_failures(struct strata_server *s)
{
    strmap_each(&s->auth_failures, free_failure, NULL);
    strmap_clear(&s->auth_failures);
}

static void send_failure(struct strata_session *c, enum sasl_condition cond)
{
    struct strata_stanza *f = strata_stanza_new("failure", strata_atoms.ns_sasl);
    strata_stanza_add_child(f, sasl_condition_name(cond), NULL);
    c2s_send(c, f);
    strata_stanza_unref(f);
    c->state = C2S_WAIT_AUTH; /* RFC 6120 §6.4.5: the client may try again */
    strata_xml_parser_resume(c->parser);
}

static void on_failure_delay(uv_timer_t *t)
{
    struct strata_session *c = t->data;
    if (c->state == C2S_SASL) {
        send_failure(c, SASL_COND_NOT_AUTHORIZED);
    }
}

static void fail(struct strata_session *c, enum sasl_condition cond)
{
    struct log_ctx ctx = c2s_log_ctx(c);
    struct c2s_sasl *s = c->sasl;
    const char *why = s && s->scram ? scram_server_error(s->scram) : NULL;
    bool named = s && s->user[0];
    LOG(STRATA_LOG_INFO, "saslauth", &ctx, "authentication failed%s%s%s%s: %s",
        named ? " for " : "", named ? s->user : "", why ? ", " : "", why ? why : "",
        sasl_condition_name(cond));
    c2s_sasl_free(c);
    uint64_t delay = cond == SASL_COND_NOT_AUTHORIZED ? failure_delay(c) : 0;
    if (delay) {
        strata_xml_parser_pause(c->parser);
        if (!c->sasl_timer) {
            c->sasl_timer = xmalloc(sizeof *c->sasl_timer);
            uv_timer_init(c->server->loop, c->sasl_timer);
            c->sasl_timer->data = c;
        }
        c->state = C2S_SASL; /* nothing else is read as SASL until the answer */
        uv_timer_start(c->sasl_timer, on_failure_delay, delay, 0);
        return;
    }
    send_failure(c, cond);
}

static void succeed(struct strata_session *c, const void *data, size_t len)
{
    char user[1024];
    strcpy(user, c->sasl->user);
    send_sasl(c, "success", data, len, false);
    c2s_sasl_free(c);
    c2s_authenticated(c, user);
}

/* ---- user names and authzid ---------------------------------------------------- */

/* Prepares the SASL user name as a JID localpart (nodeprep), into s->user. */
static bool prepare_user(struct c2s_sasl *s, const char *name)
{
    struct strata_jid j;
    if (strata_jid_from_parts(name, s->c->host->name, NULL, 0, &j) < 0) {
        return false;
    }
    snprintf(s->user, sizeof s->user, "%s", j.node);
    strata_jid_clear(&j);
    return true;
}

/* RFC 6120 §6.4.6: an authzid other than the user's own bare JID is refused. */
static bool authzid_ok(struct c2s_sasl *s, const char *authzid)
{
    if (!authzid || !*authzid) {
        return true;
    }
    struct strata_jid j;
    bool ok = strata_jid_parse(authzid, strlen(authzid), &j) == 0 && j.node && !j.resource &&
              strcmp(j.node, s->user) == 0 && strcmp(j.domain, s->c->host->name) == 0;
    strata_jid_clear(&j);
    return ok;
}

/* ---- PLAIN ------------------------------------------------------------------------ */

static void on_plain_checked(int status, void *data)
{
    struct strata_session *c = data;
    c->sasl->req = NULL;
    c->sasl->paused = false;
    if (status == 0) {
        succeed(c, NULL, 0);
    } else {
        fail(c, status == STRATA_EAUTH || status == STRATA_ENOENT
                    ? SASL_COND_NOT_AUTHORIZED
                    : SASL_COND_TEMPORARY_AUTH_FAILURE);
    }
}

static void start_plain(struct strata_session *c, const struct strbuf *msg)
{
    struct c2s_sasl *s = c->sasl;
    enum sasl_condition cond;
    if (sasl_plain_parse(msg->ptr, msg->len, &s->plain, &cond) < 0) {
        fail(c, cond);
        return;
    }
    s->have_plain = true;
    if (!prepare_user(s, s->plain.authcid)) {
        fail(c, SASL_COND_NOT_AUTHORIZED);
        return;
    }
    if (!authzid_ok(s, s->plain.authzid)) {
        fail(c, SASL_COND_INVALID_AUTHZID);
        return;
    }
    if (accounts_check_password(c->server->accounts, c->host->name, s->user, s->plain.password,
                                s->plain.password_len, on_plain_checked, c, &s->req) < 0) {
        fail(c, SASL_COND_TEMPORARY_AUTH_FAILURE);
        return;
    }
    wait_for_accounts(c);
}

/* ---- SCRAM --------------------------------------------------------------------------- */

static void on_scram_creds(int status, const struct scram_credentials *creds, void *data)
{
    struct strata_session *c = data;
    struct c2s_sasl *s = c->sasl;
    s->req = NULL;
    s->paused = false;
    if (status < 0 && status != STRATA_ENOENT) {
        fail(c, SASL_COND_TEMPORARY_AUTH_FAILURE);
        return;
    }
    struct strbuf out = STRBUF_INIT;
    if (scram_server_continue(s->scram, status == 0 ? creds : NULL, &out) < 0) {
        fail(c, scram_server_condition(s->scram));
    } else {
        send_sasl(c, "challenge", out.ptr, out.len, true);
        strata_xml_parser_resume(c->parser); /* the client's response may be waiting */
    }
    strbuf_release(&out);
}

static int new_scram(struct strata_session *c, const struct offer *o)
{
    const char *names[MAX_OFFERED];
    const char *cb_types[MAX_CB];
    bool plus = false;
    for (size_t i = 0; i < o->nmechs; i++) {
        names[i] = sasl_mech_info(o->mechs[i])->name;
        plus |= sasl_mech_info(o->mechs[i])->plus;
    }
    for (size_t i = 0; i < o->ncb; i++) {
        cb_types[i] = o->cb[i].type;
    }
    char ssdp[SASL_SSDP_HASH_SIZE];
    enum scram_hash hash = sasl_mech_info(c->sasl->mech)->hash;
    bool have_ssdp =
        sasl_ssdp_hash(hash, names, o->nmechs, o->ncb ? cb_types : NULL, o->ncb, ssdp) == 0;
    struct scram_server_params p = {
        .mech = c->sasl->mech,
        .plus_advertised = plus,
        .cb = o->cb,
        .n_cb = o->ncb,
        .ssdp_hash = have_ssdp ? ssdp : NULL,
        .secret = accounts_secret(c->server->accounts),
        .secret_len = ACCOUNTS_SECRET_LEN,
    };
    return scram_server_new(&p, &c->sasl->scram);
}

static void start_scram(struct strata_session *c, const struct offer *o, const struct strbuf *msg)
{
    struct c2s_sasl *s = c->sasl;
    if (new_scram(c, o) < 0) {
        fail(c, SASL_COND_TEMPORARY_AUTH_FAILURE);
        return;
    }
    if (scram_server_start(s->scram, msg->ptr, msg->len) < 0) {
        fail(c, scram_server_condition(s->scram));
        return;
    }
    if (!prepare_user(s, scram_server_username(s->scram))) {
        fail(c, SASL_COND_NOT_AUTHORIZED);
        return;
    }
    if (!authzid_ok(s, scram_server_authzid(s->scram))) {
        fail(c, SASL_COND_INVALID_AUTHZID);
        return;
    }
    if (accounts_get_or_fake(c->server->accounts, c->host->name, s->user,
                             sasl_mech_info(s->mech)->hash, on_scram_creds, c, &s->req) < 0) {
        fail(c, SASL_COND_TEMPORARY_AUTH_FAILURE);
        return;
    }
    wait_for_accounts(c);
}

static void on_response(struct strata_session *c, const struct strbuf *msg)
{
    struct c2s_sasl *s = c->sasl;
    if (!s || !s->scram || s->req) {
        fail(c, SASL_COND_MALFORMED_REQUEST); /* a response nobody asked for */
        return;
    }
    struct strbuf out = STRBUF_INIT;
    if (scram_server_final(s->scram, msg->ptr, msg->len, &out) < 0) {
        fail(c, scram_server_condition(s->scram));
    } else {
        succeed(c, out.ptr, out.len);
    }
    strbuf_release(&out);
}

/* ---- dispatch ---------------------------------------------------------------------------- */

static void on_auth(struct strata_session *c, const struct strata_stanza *st,
                    const struct strbuf *msg)
{
    const char *name = strata_stanza_attr(st, "mechanism");
    struct offer o;
    offer_for(c, &o);
    enum sasl_mech m;
    bool offered = false;
    if (name && sasl_mech_find(name, strlen(name), &m) == 0) {
        for (size_t i = 0; i < o.nmechs; i++) {
            offered |= o.mechs[i] == m;
        }
    }
    if (!offered) {
        fail(c, SASL_COND_INVALID_MECHANISM);
        return;
    }
    c->sasl = xcalloc(1, sizeof *c->sasl);
    c->sasl->c = c;
    c->sasl->mech = m;
    c->state = C2S_SASL;
    if (sasl_mech_info(m)->scram) {
        start_scram(c, &o, msg);
    } else {
        start_plain(c, msg);
    }
}

void c2s_sasl_handle(struct strata_session *c, const struct strata_stanza *st)
{
    const char *name = strata_stanza_name(st);
    if (strcmp(name, "abort") == 0) {
        fail(c, SASL_COND_ABORTED);
        return;
    }
    bool is_auth = strcmp(name, "auth") == 0, is_response = strcmp(name, "response") == 0;
    if ((is_auth && c->state != C2S_WAIT_AUTH) || (is_response && c->state != C2S_SASL) ||
        (!is_auth && !is_response)) {
        fail(c, SASL_COND_MALFORMED_REQUEST);
        return;
    }
    size_t len;
    const char *text = strata_stanza_text(st, &len);
    struct strbuf msg = STRBUF_INIT;
    enum sasl_condition cond;
    if (sasl_payload_decode(text, len, &msg, &cond) < 0) {
        fail(c, cond);
    } else if (is_auth) {
        on_auth(c, st, &msg);
    } else {
        on_response(c, &msg);
    }
    strbuf_release(&msg);
}

void c2s_sasl_free(struct strata_session *c)
{
    struct c2s_sasl *s = c->sasl;
    if (!s) {
        return;
    }
    if (s->req) {
        accounts_request_cancel(s->req);
    }
    scram_server_free(s->scram);
    if (s->have_plain) {
        sasl_plain_release(&s->plain);
    }
    free(s);
    c->sasl = NULL;
}
