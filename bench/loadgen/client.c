/*
 * xmpp_load: the client side of a login (RFC 6120): stream, STARTTLS or
 * direct TLS, SASL (SCRAM-SHA-1, SCRAM-SHA-256, PLAIN), resource binding,
 * then optionally the roster and initial presence (RFC 6121).
 *
 * SCRAM (RFC 5802) costs a client PBKDF2 at its first login; afterwards it
 * is a few HMACs, as in real clients that keep SaltedPassword. The
 * derived ClientKey/StoredKey/ServerKey are kept per account (and per salt
 * and iteration count, so a server's new salt is noticed), and saved to
 * the --scram-cache file so that a later run starts warm: a login storm
 * then measures the server, not our PBKDF2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "lg.h"

struct opts O;
const struct scenario *SC;
SSL_CTX *CLIENT_CTX;
long PBKDF2_RUNS, PBKDF2_CACHED, TLS_RESUMED, TLS_FULL;

static struct sockaddr_in ADDR_STARTTLS, ADDR_DIRECT;
/* Every client not yet freed, for timeouts. */
struct client_node {
    struct client cl;
    struct client_node *prev, *next;
};
static struct client_node *LIVE;

#define NS_SASL "urn:ietf:params:xml:ns:xmpp-sasl"

void acct_name(int acct, char *out, size_t cap) { snprintf(out, cap, O.user_fmt, acct); }
void acct_pass(int acct, char *out, size_t cap) { snprintf(out, cap, O.pass_fmt, acct); }

/* ---- SCRAM key cache ---------------------------------------------------- */

struct cred {
    uint8_t have, hash, salt_len, key_len;
    unsigned iter;
    unsigned char salt[64], ck[64], stk[64], svk[64];
};
static struct cred *CREDS;
static int NCREDS;
static bool CREDS_DIRTY;

static struct cred *cred_get(int acct)
{
    if (acct < 0)
        die("bad account %d", acct);
    if (acct >= NCREDS) {
        int n = NCREDS ? NCREDS : 1024;
        while (n <= acct)
            n *= 2;
        CREDS = realloc(CREDS, (size_t)n * sizeof *CREDS);
        if (!CREDS)
            die("out of memory");
        memset(CREDS + NCREDS, 0, (size_t)(n - NCREDS) * sizeof *CREDS);
        NCREDS = n;
    }
    return &CREDS[acct];
}

static void cache_load(void)
{
    if (!O.scram_cache)
        return;
    FILE *f = fopen(O.scram_cache, "r");
    if (!f)
        return;
    char line[1024], salt[128], ck[128], stk[128], svk[128];
    int acct, hash;
    unsigned iter;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "%d %d %u %127s %127s %127s %127s", &acct, &hash, &iter, salt, ck, stk,
                   svk) != 7)
            continue;
        struct cred *c = cred_get(acct);
        size_t sl, a, b, d;
        if (b64_dec(salt, strlen(salt), c->salt, sizeof c->salt, &sl) ||
            b64_dec(ck, strlen(ck), c->ck, sizeof c->ck, &a) ||
            b64_dec(stk, strlen(stk), c->stk, sizeof c->stk, &b) ||
            b64_dec(svk, strlen(svk), c->svk, sizeof c->svk, &d) || a != b || a != d) {
            c->have = 0;
            continue;
        }
        c->salt_len = (uint8_t)sl;
        c->key_len = (uint8_t)a;
        c->hash = (uint8_t)hash;
        c->iter = iter;
        c->have = 1;
    }
    fclose(f);
}

void scram_cache_save(void)
{
    if (!O.scram_cache || !CREDS_DIRTY)
        return;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", O.scram_cache);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return;
    char s[128], a[128], b[128], d[128];
    for (int i = 0; i < NCREDS; i++) {
        struct cred *c = &CREDS[i];
        if (!c->have)
            continue;
        b64_enc(c->salt, c->salt_len, s);
        b64_enc(c->ck, c->key_len, a);
        b64_enc(c->stk, c->key_len, b);
        b64_enc(c->svk, c->key_len, d);
        fprintf(f, "%d %d %u %s %s %s %s\n", i, c->hash, c->iter, s, a, b, d);
    }
    fclose(f);
    rename(tmp, O.scram_cache);
    CREDS_DIRTY = false;
}

/* ---- TLS sessions to resume (--resume) ----------------------------------- */

static SSL_SESSION **SESS;
static int NSESS;

/* OpenSSL hands us each session (TLS 1.3: each NewSessionTicket); the
 * latest one per account is offered at that account's next login. */
static int new_session(SSL *ssl, SSL_SESSION *sess)
{
    struct client *cl = SSL_get_app_data(ssl);
    if (!cl || cl->acct < 0)
        return 0;
    if (cl->acct >= NSESS) {
        int n = NSESS ? NSESS : 1024;
        while (n <= cl->acct)
            n *= 2;
        SESS = realloc(SESS, (size_t)n * sizeof *SESS);
        if (!SESS)
            die("out of memory");
        memset(SESS + NSESS, 0, (size_t)(n - NSESS) * sizeof *SESS);
        NSESS = n;
    }
    if (SESS[cl->acct])
        SSL_SESSION_free(SESS[cl->acct]);
    SESS[cl->acct] = sess;
    return 1; /* we keep the reference */
}

static void client_start_tls(struct client *cl)
{
    SSL_SESSION *s = O.resume && cl->acct < NSESS ? SESS[cl->acct] : NULL;
    net_start_tls(&cl->c, CLIENT_CTX, false, O.domain, s, cl);
    if (!cl->c.closed && (cl->flags & CF_RELEASE))
        SSL_set_mode(cl->c.ssl, SSL_MODE_RELEASE_BUFFERS);
}

/* ---- setup -------------------------------------------------------------- */

static void set_addr(struct sockaddr_in *sa, int port)
{
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, O.host, &sa->sin_addr) != 1)
        die("--host wants an IPv4 address, not %s", O.host);
}

void client_global_init(void)
{
    set_addr(&ADDR_STARTTLS, O.port);
    set_addr(&ADDR_DIRECT, O.tls_port);
    CLIENT_CTX = tls_client_ctx(O.tls_groups, false);
    if (O.resume) {
        SSL_CTX_set_session_cache_mode(CLIENT_CTX,
                                       SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
        SSL_CTX_sess_set_new_cb(CLIENT_CTX, new_session);
    }
    cache_load();
}

/* ---- the state machine -------------------------------------------------- */

static void fail(struct client *cl, const char *why) { net_close(&cl->c, why); }

static void send_header(struct client *cl)
{
    struct conn *c = &cl->c;
    net_sends(c, "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
                 "xmlns:stream='http://etherx.jabber.org/streams' to='");
    net_sends(c, O.domain);
    net_sends(c, "' version='1.0'>");
    net_stream_reset(c);
}

static const EVP_MD *md_of(enum mech m) { return m == MECH_SCRAM_SHA_256 ? EVP_sha256() : EVP_sha1(); }

static void hmac(const EVP_MD *md, const unsigned char *key, size_t klen, const void *d, size_t n,
                 unsigned char *out)
{
    unsigned len = 0;
    HMAC(md, key, (int)klen, d, n, out, &len);
}

static void send_auth(struct client *cl)
{
    char user[128], pass[128], msg[512], b64[768];
    acct_name(cl->acct, user, sizeof user);
    struct conn *c = &cl->c;
    if (O.mech == MECH_PLAIN) {
        acct_pass(cl->acct, pass, sizeof pass);
        size_t ul = strlen(user), pl = strlen(pass);
        msg[0] = 0;
        memcpy(msg + 1, user, ul);
        msg[1 + ul] = 0;
        memcpy(msg + 2 + ul, pass, pl);
        b64_enc(msg, 2 + ul + pl, b64);
        net_sends(c, "<auth xmlns='" NS_SASL "' mechanism='PLAIN'>");
        net_sends(c, b64);
        net_sends(c, "</auth>");
        return;
    }
    snprintf(cl->cnonce, sizeof cl->cnonce, "%016llx%08x", (unsigned long long)rnd64(),
             (unsigned)rnd64());
    int n = snprintf(msg, sizeof msg, "n,,n=%s,r=%s", user, cl->cnonce);
    b64_enc(msg, (size_t)n, b64);
    free(cl->auth_msg);
    cl->auth_msg = strdup(msg + 3); /* client-first-message-bare */
    net_sends(c, "<auth xmlns='" NS_SASL "' mechanism='");
    net_sends(c, O.mech == MECH_SCRAM_SHA_256 ? "SCRAM-SHA-256" : "SCRAM-SHA-1");
    net_sends(c, "'>");
    net_sends(c, b64);
    net_sends(c, "</auth>");
}

/* Finds "k=" at the start of a comma-separated attribute of s. */
static bool scram_attr(const char *s, size_t n, char k, const char **v, size_t *vn)
{
    for (size_t i = 0; i + 1 < n; i++) {
        if ((i == 0 || s[i - 1] == ',') && s[i] == k && s[i + 1] == '=') {
            const char *b = s + i + 2;
            const char *e = memchr(b, ',', n - i - 2);
            *v = b;
            *vn = e ? (size_t)(e - b) : (size_t)(s + n - b);
            return true;
        }
    }
    return false;
}

static void scram_challenge(struct client *cl, const char *s, size_t n)
{
    const char *t;
    size_t tn, sfn;
    char sf[1024];
    if (!xml_leaf_text(s, n, &t, &tn) || b64_dec(t, tn, sf, sizeof sf - 1, &sfn)) {
        fail(cl, "bad SCRAM challenge");
        return;
    }
    sf[sfn] = 0;
    const char *r, *salt64, *it, *v;
    size_t rn, saltn, itn, vn;
    if (scram_attr(sf, sfn, 'v', &v, &vn)) { /* server-final in a challenge */
        char want[128];
        b64_enc(cl->server_sig, (size_t)EVP_MD_get_size(md_of(O.mech)), want);
        if (vn != strlen(want) || memcmp(v, want, vn)) {
            fail(cl, "SCRAM server signature mismatch");
            return;
        }
        net_sends(&cl->c, "<response xmlns='" NS_SASL "'/>");
        return;
    }
    if (!cl->auth_msg || !scram_attr(sf, sfn, 'r', &r, &rn) ||
        !scram_attr(sf, sfn, 's', &salt64, &saltn) || !scram_attr(sf, sfn, 'i', &it, &itn) ||
        rn < strlen(cl->cnonce) || memcmp(r, cl->cnonce, strlen(cl->cnonce))) {
        fail(cl, "malformed SCRAM server-first-message");
        return;
    }
    unsigned iter = (unsigned)strtoul(it, NULL, 10);
    unsigned char salt[128];
    size_t salt_len;
    if (b64_dec(salt64, saltn, salt, sizeof salt, &salt_len) || salt_len > 64 || !iter) {
        fail(cl, "bad SCRAM salt or iteration count");
        return;
    }
    const EVP_MD *md = md_of(O.mech);
    size_t hl = (size_t)EVP_MD_get_size(md);
    struct cred *cr = cred_get(cl->acct);
    if (!(cr->have && cr->hash == (uint8_t)O.mech && cr->iter == iter && cr->salt_len == salt_len &&
          !memcmp(cr->salt, salt, salt_len))) {
        char pass[128];
        unsigned char sp[64];
        acct_pass(cl->acct, pass, sizeof pass);
        PKCS5_PBKDF2_HMAC(pass, (int)strlen(pass), salt, (int)salt_len, (int)iter, md, (int)hl, sp);
        hmac(md, sp, hl, "Client Key", 10, cr->ck);
        EVP_Digest(cr->ck, hl, cr->stk, NULL, md, NULL);
        hmac(md, sp, hl, "Server Key", 10, cr->svk);
        memcpy(cr->salt, salt, salt_len);
        cr->salt_len = (uint8_t)salt_len;
        cr->iter = iter;
        cr->hash = (uint8_t)O.mech;
        cr->key_len = (uint8_t)hl;
        cr->have = 1;
        CREDS_DIRTY = true;
        PBKDF2_RUNS++;
    } else {
        PBKDF2_CACHED++;
    }
    char cfwp[512], am[2048], fin[768], b64[1100];
    int cn = snprintf(cfwp, sizeof cfwp, "c=biws,r=%.*s", (int)rn, r);
    int an = snprintf(am, sizeof am, "%s,%s,%s", cl->auth_msg, sf, cfwp);
    if (cn <= 0 || an <= 0 || (size_t)an >= sizeof am || (size_t)cn >= sizeof cfwp) {
        fail(cl, "SCRAM message too long");
        return;
    }
    unsigned char csig[64], proof[64];
    hmac(md, cr->stk, hl, am, (size_t)an, csig);
    for (size_t i = 0; i < hl; i++)
        proof[i] = cr->ck[i] ^ csig[i];
    hmac(md, cr->svk, hl, am, (size_t)an, cl->server_sig);
    char p64[128];
    b64_enc(proof, hl, p64);
    int fn = snprintf(fin, sizeof fin, "%s,p=%s", cfwp, p64);
    b64_enc(fin, (size_t)fn, b64);
    free(cl->auth_msg);
    cl->auth_msg = NULL;
    net_sends(&cl->c, "<response xmlns='" NS_SASL "'>");
    net_sends(&cl->c, b64);
    net_sends(&cl->c, "</response>");
}

static bool scram_success_ok(struct client *cl, const char *s, size_t n)
{
    if (O.mech == MECH_PLAIN)
        return true;
    const char *t;
    size_t tn, dn;
    char d[512];
    if (!xml_leaf_text(s, n, &t, &tn) || tn == 0 || (tn == 1 && t[0] == '='))
        return true; /* sent in a challenge before, or not at all */
    if (b64_dec(t, tn, d, sizeof d, &dn))
        return false;
    const char *v;
    size_t vn;
    if (!scram_attr(d, dn, 'v', &v, &vn))
        return false;
    char want[128];
    b64_enc(cl->server_sig, (size_t)EVP_MD_get_size(md_of(O.mech)), want);
    return vn == strlen(want) && !memcmp(v, want, vn);
}

static bool is_features(const char *s, size_t n)
{
    return xml_is(s, n, "stream:features") || xml_is(s, n, "features");
}

static void become_ready(struct client *cl)
{
    if (cl->flags & CF_PRESENCE)
        net_sends(&cl->c, "<presence/>");
    cl->st = CS_READY;
    cl->counted_ready = true;
    SC->ready(cl);
}

static void answer_iq(struct client *cl, const char *s, size_t n)
{
    const char *type, *id, *from;
    size_t tn, idn, fn;
    if (!xml_attr(s, n, "type", &type, &tn) || !(tn == 3 && (!memcmp(type, "get", 3) || !memcmp(type, "set", 3))))
        return;
    struct conn *c = &cl->c;
    net_sends(c, "<iq type='result' id='");
    if (xml_attr(s, n, "id", &id, &idn))
        net_send(c, id, idn);
    net_sends(c, "'");
    if (xml_attr(s, n, "from", &from, &fn)) {
        net_sends(c, " to='");
        net_send(c, from, fn);
        net_sends(c, "'");
    }
    net_sends(c, "/>");
}

static void dispatch(struct client *cl, const char *s, size_t n)
{
    if (xml_is(s, n, "message")) {
        cl->recvd++;
        if (SC->message)
            SC->message(cl, s, n);
    } else if (xml_is(s, n, "presence")) {
        if (SC->presence)
            SC->presence(cl, s, n);
    } else if (xml_is(s, n, "iq")) {
        const char *id, *type;
        size_t idn, tn;
        if (xml_attr(s, n, "id", &id, &idn) && idn >= 6 && !memcmp(id, "roster", 6) &&
            xml_attr(s, n, "type", &type, &tn)) {
            if (SC->roster)
                SC->roster(cl, s, n, tn == 6 && !memcmp(type, "result", 6));
            return;
        }
        answer_iq(cl, s, n);
    }
}

static void on_xml(struct conn *c, enum xev ev, const char *s, size_t n)
{
    struct client *cl = (struct client *)c;
    if (ev == XEV_OPEN)
        return;
    if (ev == XEV_CLOSE) {
        fail(cl, cl->st == CS_CLOSING ? "closed" : "server closed the stream");
        return;
    }
    if (xml_is(s, n, "stream:error") || xml_is(s, n, "error")) {
        char why[200];
        const char *p = memchr(s + 1, '<', n - 1);
        snprintf(why, sizeof why, "stream error: %.*s", (int)(p ? (n - (size_t)(p - s) > 80 ? 80 : n - (size_t)(p - s)) : 0), p ? p : "");
        fail(cl, why);
        return;
    }
    switch (cl->st) {
    case CS_FEAT0:
        if (!is_features(s, n))
            return;
        if (!memmem(s, n, "<starttls", 9)) {
            fail(cl, "server offers no STARTTLS");
            return;
        }
        net_sends(c, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        cl->st = CS_PROCEED;
        return;
    case CS_PROCEED:
        if (!xml_is(s, n, "proceed")) {
            fail(cl, "STARTTLS refused");
            return;
        }
        cl->st = CS_TLS;
        client_start_tls(cl);
        return;
    case CS_FEAT1: {
        if (!is_features(s, n))
            return;
        const char *want = O.mech == MECH_PLAIN ? ">PLAIN<"
                           : O.mech == MECH_SCRAM_SHA_256 ? ">SCRAM-SHA-256<"
                                                          : ">SCRAM-SHA-1<";
        if (!memmem(s, n, want, strlen(want))) {
            fail(cl, "server does not offer the SASL mechanism");
            return;
        }
        send_auth(cl);
        cl->st = CS_AUTH;
        return;
    }
    case CS_AUTH:
        if (xml_is(s, n, "challenge")) {
            scram_challenge(cl, s, n);
        } else if (xml_is(s, n, "success")) {
            if (!scram_success_ok(cl, s, n)) {
                fail(cl, "SCRAM server signature mismatch");
                return;
            }
            send_header(cl);
            cl->st = CS_FEAT2;
        } else if (xml_is(s, n, "failure")) {
            char why[160];
            const char *p = memchr(s + 1, '<', n - 1);
            snprintf(why, sizeof why, "authentication failed: %.*s", p ? 60 : 0, p ? p : "");
            fail(cl, why);
        }
        return;
    case CS_FEAT2: {
        if (!is_features(s, n))
            return;
        char iq[256];
        snprintf(iq, sizeof iq,
                 "<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                 "<resource>r%d</resource></bind></iq>",
                 cl->res);
        net_sends(c, iq);
        cl->st = CS_BIND;
        return;
    }
    case CS_BIND: {
        const char *type;
        size_t tn;
        if (!xml_is(s, n, "iq"))
            return;
        if (!xml_attr(s, n, "type", &type, &tn) || tn != 6 || memcmp(type, "result", 6)) {
            fail(cl, "resource binding failed");
            return;
        }
        if (cl->flags & CF_ROSTER) {
            net_sends(c, "<iq type='get' id='roster1'><query xmlns='jabber:iq:roster'/></iq>");
            cl->st = CS_ROSTER;
        } else {
            become_ready(cl);
        }
        return;
    }
    case CS_ROSTER: {
        const char *id;
        size_t idn;
        if (xml_is(s, n, "iq") && xml_attr(s, n, "id", &id, &idn) && idn == 7 &&
            !memcmp(id, "roster1", 7)) {
            const char *type;
            size_t tn;
            bool ok = xml_attr(s, n, "type", &type, &tn) && tn == 6 && !memcmp(type, "result", 6);
            if (SC->roster)
                SC->roster(cl, s, n, ok);
            if (!c->closed)
                become_ready(cl);
            return;
        }
        dispatch(cl, s, n);
        return;
    }
    case CS_READY:
    case CS_CLOSING:
        dispatch(cl, s, n);
        return;
    default:
        return;
    }
}

static void on_connected(struct conn *c)
{
    struct client *cl = (struct client *)c;
    if (O.tls_mode == TLS_DIRECT) {
        cl->st = CS_TLS;
        client_start_tls(cl);
        return;
    }
    send_header(cl);
    cl->st = O.tls_mode == TLS_NONE ? CS_FEAT1 : CS_FEAT0;
}

char TLS_INFO[96];

static void on_tls_up(struct conn *c)
{
    struct client *cl = (struct client *)c;
    if (!TLS_INFO[0])
        snprintf(TLS_INFO, sizeof TLS_INFO, "%s/%s", SSL_get_version(c->ssl),
                 SSL_get_cipher_name(c->ssl));
    if (SSL_session_reused(c->ssl))
        TLS_RESUMED++;
    else
        TLS_FULL++;
    send_header(cl);
    cl->st = CS_FEAT1;
}

static void on_closed(struct conn *c, const char *why)
{
    struct client *cl = (struct client *)c;
    if (!cl->counted_ready) {
        if (SC->failed)
            SC->failed(cl, why);
    } else if (cl->st != CS_CLOSING) {
        if (SC->lost)
            SC->lost(cl, why);
    }
    if (SC->closed)
        SC->closed(cl);
}

static void client_free(struct conn *c)
{
    struct client_node *node = (struct client_node *)c;
    if (node->prev)
        node->prev->next = node->next;
    else
        LIVE = node->next;
    if (node->next)
        node->next->prev = node->prev;
    free(node->cl.auth_msg);
    free(node->cl.msg_prefix);
    free(node);
}

static const struct conn_ops CLIENT_OPS = {
    .connected = on_connected, .tls_up = on_tls_up, .xml = on_xml, .closed = on_closed};

struct client *client_start(int acct, int res, uint8_t flags, int idx)
{
    struct client_node *node = xcalloc(1, sizeof *node);
    struct client *cl = &node->cl;
    cl->c.ops = &CLIENT_OPS;
    cl->c.free_fn = client_free;
    cl->acct = acct;
    cl->res = res;
    cl->flags = flags;
    cl->idx = idx;
    cl->peer = -1;
    acct_name(acct, cl->name, sizeof cl->name);
    cl->name_len = (uint8_t)strlen(cl->name);
    cl->t_start = now_ns();
    cl->t_deadline = cl->t_start + (nsec_t)(O.timeout_s * 1e9);
    int r = net_connect(&cl->c, O.tls_mode == TLS_DIRECT ? &ADDR_DIRECT : &ADDR_STARTTLS);
    if (r < 0) {
        if (SC->failed)
            SC->failed(cl, strerror(-r));
        if (SC->closed)
            SC->closed(cl);
        free(node);
        return NULL;
    }
    node->next = LIVE;
    if (node->next)
        node->next->prev = node;
    LIVE = node;
    return cl;
}

void client_close(struct client *cl)
{
    if (cl->c.closed || cl->st == CS_CLOSING)
        return;
    if (cl->st != CS_READY) {
        fail(cl, "closed by the generator");
        return;
    }
    net_sends(&cl->c, "</stream:stream>");
    cl->st = CS_CLOSING;
    cl->t_deadline = now_ns() + 5000000000ull;
}

void client_check_timeouts(nsec_t now)
{
    struct client_node *node = LIVE;
    while (node) {
        struct client_node *next = node->next;
        struct client *cl = &node->cl;
        if (!cl->c.closed && (cl->st < CS_READY || cl->st == CS_CLOSING) && now > cl->t_deadline)
            fail(cl, cl->st == CS_CLOSING ? "closed (server did not close its stream)"
                                          : "login timed out");
        node = next;
    }
}
