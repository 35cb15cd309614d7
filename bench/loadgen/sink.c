/*
 * xmpp_load sink: a trivial XMPP server, to measure what the generator
 * itself can drive (bench/generator_capacity.sh). It does what a login
 * and a message need and nothing else: STARTTLS or direct TLS, SCRAM-SHA-1
 * and PLAIN against passwords made from --pass-fmt (the same accounts as
 * the generator's), resource binding, and forwarding a <message/> as the
 * bytes it came in to the last session of the account named in its `to`.
 * No roster, no presence, no storage. Not a server: for benchmarks only.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "lg.h"

void net_adopt(struct conn *c, int fd);

enum { SS_WAIT_HEADER, SS_WAIT_STARTTLS, SS_TLS, SS_AUTH, SS_SCRAM, SS_BOUND };

struct sconn {
    struct conn c;
    int st, acct;
    bool tls_done, authed;
    char *auth_msg;
    unsigned char server_sig[20];
};

struct screds {
    bool have;
    unsigned char salt[16], stk[20], svk[20];
};

static SSL_CTX *SCTX;
static struct sconn **ROUTE;
static struct screds *CREDS;
static int MAXACCT;
static int ITER = 4096;
static volatile sig_atomic_t SINK_STOP;
static long LOGINS, FORWARDED;

static void sink_signal(int sig) { SINK_STOP = sig; }

#define NS_SASL "urn:ietf:params:xml:ns:xmpp-sasl"

/* The account number in a name such as "u123" or a JID "u123@host/r". */
static int acct_of(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] < '0' || s[i] > '9') && s[i] != '@')
        i++;
    if (i == n || s[i] == '@')
        return -1;
    long v = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9' && v < 100000000)
        v = v * 10 + (s[i++] - '0');
    return v < MAXACCT ? (int)v : -1;
}

static struct screds *creds_for(int acct)
{
    struct screds *cr = &CREDS[acct];
    if (!cr->have) {
        char pass[128];
        unsigned char sp[20], ck[20];
        unsigned len;
        acct_pass(acct, pass, sizeof pass);
        for (int i = 0; i < 16; i++)
            cr->salt[i] = (unsigned char)rnd64();
        PKCS5_PBKDF2_HMAC(pass, (int)strlen(pass), cr->salt, 16, ITER, EVP_sha1(), 20, sp);
        HMAC(EVP_sha1(), sp, 20, (const unsigned char *)"Client Key", 10, ck, &len);
        EVP_Digest(ck, 20, cr->stk, NULL, EVP_sha1(), NULL);
        HMAC(EVP_sha1(), sp, 20, (const unsigned char *)"Server Key", 10, cr->svk, &len);
        cr->have = true;
    }
    return cr;
}

static void send_features(struct sconn *s)
{
    struct conn *c = &s->c;
    char id[40];
    snprintf(id, sizeof id, "%016llx", (unsigned long long)rnd64());
    net_sends(c, "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
                 "xmlns:stream='http://etherx.jabber.org/streams' version='1.0' from='");
    net_sends(c, O.domain);
    net_sends(c, "' id='");
    net_sends(c, id);
    net_sends(c, "'><stream:features>");
    if (!s->tls_done) {
        net_sends(c, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>");
        s->st = SS_WAIT_STARTTLS;
    } else if (!s->authed) {
        net_sends(c, "<mechanisms xmlns='" NS_SASL "'><mechanism>SCRAM-SHA-1</mechanism>"
                     "<mechanism>PLAIN</mechanism></mechanisms>");
        s->st = SS_AUTH;
    } else {
        net_sends(c, "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>");
        s->st = SS_BOUND;
    }
    net_sends(c, "</stream:features>");
}

static void sasl_fail(struct sconn *s)
{
    net_sends(&s->c, "<failure xmlns='" NS_SASL "'><not-authorized/></failure>");
}

static void sasl_success(struct sconn *s, const char *data)
{
    net_sends(&s->c, "<success xmlns='" NS_SASL "'>");
    net_sends(&s->c, data);
    net_sends(&s->c, "</success>");
    s->authed = true;
    s->st = SS_WAIT_HEADER;
    net_stream_reset(&s->c);
    LOGINS++;
}

static void on_auth(struct sconn *s, const char *st, size_t n)
{
    const char *mech, *t;
    size_t mn, tn, dn;
    char d[1024];
    if (!xml_attr(st, n, "mechanism", &mech, &mn) || !xml_leaf_text(st, n, &t, &tn) ||
        b64_dec(t, tn, d, sizeof d - 1, &dn)) {
        sasl_fail(s);
        return;
    }
    d[dn] = 0;
    if (mn == 5 && !memcmp(mech, "PLAIN", 5)) {
        /* [authzid] NUL user NUL password */
        const char *u = memchr(d, 0, dn);
        if (!u) {
            sasl_fail(s);
            return;
        }
        u++;
        const char *p = memchr(u, 0, dn - (size_t)(u - d));
        if (!p) {
            sasl_fail(s);
            return;
        }
        p++;
        int acct = acct_of(u, (size_t)(p - 1 - u));
        char want[128];
        if (acct < 0) {
            sasl_fail(s);
            return;
        }
        acct_pass(acct, want, sizeof want);
        if (strlen(want) != dn - (size_t)(p - d) || memcmp(want, p, strlen(want))) {
            sasl_fail(s);
            return;
        }
        s->acct = acct;
        sasl_success(s, "");
        return;
    }
    if (!(mn == 11 && !memcmp(mech, "SCRAM-SHA-1", 11)) || dn < 3 || memcmp(d, "n,,", 3)) {
        sasl_fail(s);
        return;
    }
    const char *bare = d + 3;
    const char *r = strstr(bare, ",r=");
    if (strncmp(bare, "n=", 2) || !r) {
        sasl_fail(s);
        return;
    }
    int acct = acct_of(bare + 2, (size_t)(r - bare - 2));
    if (acct < 0) {
        sasl_fail(s);
        return;
    }
    s->acct = acct;
    struct screds *cr = creds_for(acct);
    char salt64[32], sf[512], b64[800];
    b64_enc(cr->salt, 16, salt64);
    int sn = snprintf(sf, sizeof sf, "r=%s%016llx,s=%s,i=%d", r + 3, (unsigned long long)rnd64(),
                      salt64, ITER);
    size_t bl = strlen(bare);
    s->auth_msg = xmalloc(bl + (size_t)sn + 2);
    memcpy(s->auth_msg, bare, bl);
    s->auth_msg[bl] = ',';
    memcpy(s->auth_msg + bl + 1, sf, (size_t)sn + 1);
    b64_enc(sf, (size_t)sn, b64);
    net_sends(&s->c, "<challenge xmlns='" NS_SASL "'>");
    net_sends(&s->c, b64);
    net_sends(&s->c, "</challenge>");
    s->st = SS_SCRAM;
}

static void on_response(struct sconn *s, const char *st, size_t n)
{
    const char *t;
    size_t tn, dn, pn;
    char d[1024];
    if (!s->auth_msg || !xml_leaf_text(st, n, &t, &tn) || b64_dec(t, tn, d, sizeof d - 1, &dn)) {
        sasl_fail(s);
        return;
    }
    d[dn] = 0;
    char *p = strstr(d, ",p=");
    unsigned char proof[64], csig[20], ck[20], h[20];
    if (!p || b64_dec(p + 3, strlen(p + 3), proof, sizeof proof, &pn) || pn != 20) {
        sasl_fail(s);
        return;
    }
    char am[2048];
    int an = snprintf(am, sizeof am, "%s,%.*s", s->auth_msg, (int)(p - d), d);
    free(s->auth_msg);
    s->auth_msg = NULL;
    struct screds *cr = creds_for(s->acct);
    unsigned len;
    HMAC(EVP_sha1(), cr->stk, 20, (unsigned char *)am, (size_t)an, csig, &len);
    for (int i = 0; i < 20; i++)
        ck[i] = proof[i] ^ csig[i];
    EVP_Digest(ck, 20, h, NULL, EVP_sha1(), NULL);
    if (memcmp(h, cr->stk, 20)) {
        sasl_fail(s);
        return;
    }
    unsigned char ssig[20];
    HMAC(EVP_sha1(), cr->svk, 20, (unsigned char *)am, (size_t)an, ssig, &len);
    char v[64] = "v=", b64[100];
    b64_enc(ssig, 20, v + 2);
    b64_enc(v, strlen(v), b64);
    sasl_success(s, b64);
}

static void on_iq(struct sconn *s, const char *st, size_t n)
{
    const char *id;
    size_t idn;
    char buf[256];
    if (!xml_attr(st, n, "id", &id, &idn))
        return;
    if (memmem(st, n, "<bind", 5) && s->authed) {
        const char *r = memmem(st, n, "<resource>", 10), *re = NULL;
        size_t rl = 0;
        if (r) {
            r += 10;
            re = memchr(r, '<', (size_t)(st + n - r));
            rl = re ? (size_t)(re - r) : 0;
        }
        char user[64];
        acct_name(s->acct, user, sizeof user);
        snprintf(buf, sizeof buf,
                 "<iq type='result' id='%.*s'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                 "<jid>%s@%s/%.*s</jid></bind></iq>",
                 (int)idn, id, user, O.domain, (int)rl, r ? r : "");
        net_sends(&s->c, buf);
        ROUTE[s->acct] = s;
        return;
    }
    snprintf(buf, sizeof buf, "<iq type='result' id='%.*s'/>", (int)idn, id);
    net_sends(&s->c, buf);
}

static void sink_xml(struct conn *c, enum xev ev, const char *st, size_t n)
{
    struct sconn *s = (struct sconn *)c;
    if (ev == XEV_OPEN) {
        send_features(s);
        return;
    }
    if (ev == XEV_CLOSE) {
        net_sends(c, "</stream:stream>");
        c->close_after_flush = true;
        return;
    }
    switch (s->st) {
    case SS_WAIT_STARTTLS:
        if (xml_is(st, n, "starttls")) {
            net_sends(c, "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
            s->st = SS_TLS;
            net_start_tls(c, SCTX, true, NULL, NULL, NULL);
        }
        return;
    case SS_AUTH:
        if (xml_is(st, n, "auth"))
            on_auth(s, st, n);
        return;
    case SS_SCRAM:
        if (xml_is(st, n, "response"))
            on_response(s, st, n);
        return;
    case SS_BOUND:
        if (xml_is(st, n, "message")) {
            const char *to;
            size_t tn;
            if (xml_attr(st, n, "to", &to, &tn)) {
                int a = acct_of(to, tn);
                if (a >= 0 && ROUTE[a] && !ROUTE[a]->c.closed) {
                    net_send(&ROUTE[a]->c, st, n);
                    FORWARDED++;
                }
            }
        } else if (xml_is(st, n, "iq")) {
            on_iq(s, st, n);
        }
        return;
    default:
        return;
    }
}

static void sink_tls_up(struct conn *c)
{
    struct sconn *s = (struct sconn *)c;
    s->tls_done = true;
    s->st = SS_WAIT_HEADER;
    net_stream_reset(c);
}

static void sink_closed(struct conn *c, const char *why)
{
    struct sconn *s = (struct sconn *)c;
    if (s->acct > 0 && s->acct < MAXACCT && ROUTE[s->acct] == s)
        ROUTE[s->acct] = NULL;
}

static void sink_free(struct conn *c)
{
    struct sconn *s = (struct sconn *)c;
    free(s->auth_msg);
    free(s);
}

static const struct conn_ops SINK_OPS = {
    .tls_up = sink_tls_up, .xml = sink_xml, .closed = sink_closed};

static void sink_accept(int fd, void *arg)
{
    struct sconn *s = xcalloc(1, sizeof *s);
    s->c.ops = &SINK_OPS;
    s->c.free_fn = sink_free;
    net_adopt(&s->c, fd);
    if (arg) { /* the direct-TLS listener */
        s->st = SS_TLS;
        net_start_tls(&s->c, SCTX, true, NULL, NULL, NULL);
    }
}

int run_sink(int argc, char **argv)
{
    const char *cert = NULL, *key = NULL;
    int max_acct = 100000;
    double duration = 0;
    const struct optdef t[] = {
        {"cert", 's', &cert, "certificate (PEM)"},
        {"key", 's', &key, "its private key (PEM)"},
        {"iterations", 'i', &ITER, "SCRAM iteration count"},
        {"max-account", 'i', &max_acct, "highest account number served"},
        {"duration", 'd', &duration, "exit after this many seconds (0: at SIGTERM)"},
        {0, 0, 0, 0}};
    parse_opts(argc, argv, t, "sink");
    if (!cert || !key)
        die("sink needs --cert and --key");
    SCTX = tls_server_ctx(cert, key);
    MAXACCT = max_acct + 1;
    ROUTE = xcalloc((size_t)MAXACCT, sizeof *ROUTE);
    CREDS = xcalloc((size_t)MAXACCT, sizeof *CREDS);
    signal(SIGINT, sink_signal);
    signal(SIGTERM, sink_signal);
    signal(SIGPIPE, SIG_IGN);
    net_listen(O.port, sink_accept, NULL);
    if (O.tls_port)
        net_listen(O.tls_port, sink_accept, (void *)1);
    printf("# sink listening on 127.0.0.1:%d (STARTTLS) and :%d (direct TLS)\n", O.port,
           O.tls_port);
    fflush(stdout);
    nsec_t end = duration > 0 ? now_ns() + (nsec_t)(duration * 1e9) : 0;
    while (!SINK_STOP && (!end || now_ns() < end))
        net_turn(100);
    printf("# sink: %ld logins, %ld messages forwarded\n", LOGINS, FORWARDED);
    return 0;
}
