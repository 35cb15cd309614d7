/*
 * Connections on the libuv loop, with TLS through a BIO over our own
 * buffers and output flushed once per loop turn; see conn.h.
 */
#include "net/conn.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strata/errors.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

enum {
    READ_BUFFER = 65536,
    CLOSE_GRACE_MS = 5000, /* longest wait for queued output once closing */
};

struct conn {
    uv_tcp_t *tcp;
    const struct conn_handler *h;
    void *ud;
    SSL *ssl;
    bool tls_ready;
    bool closing;
    bool ended;
    bool queued;   /* on the flush list */
    struct strbuf out;   /* bytes for the socket: ciphertext with TLS */
    struct strbuf plain; /* TLS only: plaintext to encrypt at the next flush */
    size_t inflight;     /* handed to uv_write, not yet written */
    size_t backlog_limit;
    enum conn_end why;
    const char *in_ptr; /* TLS input being consumed by the BIO */
    size_t in_len;
    struct conn *next_queued;
    uv_timer_t *grace;
    char peer[64];
};

struct write_req {
    uv_write_t req;
    struct conn *c;
    char *data;
    size_t len;
};

/* One loop thread (DESIGN.md): the loop-wide state is process-wide. */
static struct {
    uv_prepare_t flusher;
    struct conn *queued;
    char read_buf[READ_BUFFER];
    char plain_buf[READ_BUFFER];
    BIO_METHOD *bio_method;
    bool ready;
} loop_state;

static void end_conn(struct conn *c, enum conn_end why);

/* ---- the BIO between OpenSSL and our buffers ------------------------- */

static int bio_write(BIO *b, const char *data, int len)
{
    struct conn *c = BIO_get_data(b);
    strbuf_add(&c->out, data, (size_t)len);
    return len;
}

static int bio_read(BIO *b, char *data, int len)
{
    struct conn *c = BIO_get_data(b);
    BIO_clear_retry_flags(b);
    if (c->in_len == 0) {
        BIO_set_retry_read(b);
        return -1;
    }
    size_t n = c->in_len < (size_t)len ? c->in_len : (size_t)len;
    memcpy(data, c->in_ptr, n);
    c->in_ptr += n;
    c->in_len -= n;
    return (int)n;
}

static long bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
    return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

static BIO_METHOD *bio_method(void)
{
    if (!loop_state.bio_method) {
        BIO_METHOD *m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "strata-conn");
        BIO_meth_set_write(m, bio_write);
        BIO_meth_set_read(m, bio_read);
        BIO_meth_set_ctrl(m, bio_ctrl);
        loop_state.bio_method = m;
    }
    return loop_state.bio_method;
}

static int attach_tls(struct conn *c, SSL_CTX *ctx)
{
    c->ssl = SSL_new(ctx);
    BIO *bio = c->ssl ? BIO_new(bio_method()) : NULL;
    if (!bio) {
        SSL_free(c->ssl);
        c->ssl = NULL;
        return STRATA_ETLS;
    }
    BIO_set_data(bio, c);
    BIO_set_init(bio, 1);
    SSL_set_bio(c->ssl, bio, bio); /* one BIO for both directions: freed once */
    SSL_set_mode(c->ssl, SSL_MODE_RELEASE_BUFFERS);
    SSL_set_accept_state(c->ssl);
    return 0;
}

/* ---- output ---------------------------------------------------------- */

static size_t backlog(const struct conn *c)
{
    return c->out.len + c->plain.len + c->inflight;
}

static void queue_flush(struct conn *c)
{
    if (!c->queued && !c->ended) {
        c->queued = true;
        c->next_queued = loop_state.queued;
        loop_state.queued = c;
    }
}

static void after_write(uv_write_t *req, int status)
{
    struct write_req *w = (struct write_req *)req;
    struct conn *c = w->c;
    c->inflight -= w->len;
    free(w->data);
    free(w);
    if (status < 0) {
        end_conn(c, CONN_END_ERROR);
    } else if (c->closing && backlog(c) == 0) {
        end_conn(c, c->why);
    }
}

/* Encrypts the plaintext of this loop turn: one SSL_write per 16 KiB record. */
static int encrypt_pending(struct conn *c)
{
    size_t off = 0;
    while (off < c->plain.len) {
        size_t n = c->plain.len - off;
        int r = SSL_write(c->ssl, c->plain.ptr + off, (int)(n > 16384 ? 16384 : n));
        if (r <= 0) {
            return STRATA_ETLS;
        }
        off += (size_t)r;
    }
    strbuf_release(&c->plain);
    return 0;
}

static void write_out(struct conn *c)
{
    size_t done = 0;
    if (c->inflight == 0) { /* a direct write must not overtake queued ones */
        uv_buf_t b = uv_buf_init(c->out.ptr, (unsigned)c->out.len);
        int n = uv_try_write((uv_stream_t *)c->tcp, &b, 1);
        if (n < 0 && n != UV_EAGAIN) {
            end_conn(c, CONN_END_ERROR);
            return;
        }
        done = n > 0 ? (size_t)n : 0;
    }
    if (done == c->out.len) {
        strbuf_release(&c->out); /* nothing held while idle */
        return;
    }
    struct write_req *w = xcalloc(1, sizeof *w);
    w->c = c;
    w->len = c->out.len - done;
    w->data = strbuf_take(&c->out);
    uv_buf_t b = uv_buf_init(w->data + done, (unsigned)w->len);
    c->inflight += w->len;
    if (uv_write(&w->req, (uv_stream_t *)c->tcp, &b, 1, after_write) < 0) {
        c->inflight -= w->len;
        free(w->data);
        free(w);
        end_conn(c, CONN_END_ERROR);
    }
}

static void flush(struct conn *c)
{
    if (c->ended) {
        return;
    }
    if (c->ssl && c->plain.len && encrypt_pending(c) < 0) {
        end_conn(c, CONN_END_TLS);
        return;
    }
    if (c->out.len) {
        write_out(c);
    }
    if (!c->ended && c->closing && backlog(c) == 0) {
        end_conn(c, c->why);
    }
}

/* Runs when the loop is about to wait: every connection written this turn
 * is flushed once. */
static void on_prepare(uv_prepare_t *p)
{
    while (loop_state.queued) {
        struct conn *c = loop_state.queued;
        loop_state.queued = c->next_queued;
        c->queued = false;
        flush(c);
    }
}

int conn_write(struct conn *c, const void *data, size_t len)
{
    if (c->closing || c->ended) {
        return STRATA_ECLOSED;
    }
    strbuf_add(c->ssl ? &c->plain : &c->out, data, len);
    if (backlog(c) > c->backlog_limit) {
        /* SECURITY: a peer that does not read cannot make us buffer forever. */
        end_conn(c, CONN_END_BACKLOG);
        return STRATA_ELIMIT;
    }
    queue_flush(c);
    return 0;
}

/* ---- input ----------------------------------------------------------- */

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    *buf = uv_buf_init(loop_state.read_buf, sizeof loop_state.read_buf);
}

static bool handshake(struct conn *c)
{
    int r = SSL_do_handshake(c->ssl);
    if (r == 1) {
        c->tls_ready = true;
        if (c->h->on_tls_ready) {
            c->h->on_tls_ready(c, c->ud);
        }
        return true;
    }
    int err = SSL_get_error(c->ssl, r);
    if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) {
        ERR_clear_error();
        end_conn(c, CONN_END_TLS);
    }
    return false;
}

static void read_tls(struct conn *c)
{
    while (!c->closing && !c->ended) {
        if (!c->tls_ready && !handshake(c)) {
            return;
        }
        int r = SSL_read(c->ssl, loop_state.plain_buf, sizeof loop_state.plain_buf);
        if (r > 0) {
            c->h->on_data(c, loop_state.plain_buf, (size_t)r, c->ud);
            continue;
        }
        int err = SSL_get_error(c->ssl, r);
        if (err == SSL_ERROR_ZERO_RETURN) {
            end_conn(c, CONN_END_PEER);
        } else if (err != SSL_ERROR_WANT_READ) {
            ERR_clear_error();
            end_conn(c, CONN_END_TLS);
        }
        return;
    }
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    struct conn *c = s->data;
    if (n < 0) {
        end_conn(c, n == UV_EOF ? CONN_END_PEER : CONN_END_ERROR);
        return;
    }
    if (n == 0 || c->closing) {
        return;
    }
    if (!c->ssl) {
        c->h->on_data(c, buf->base, (size_t)n, c->ud);
        return;
    }
    c->in_ptr = buf->base;
    c->in_len = (size_t)n;
    read_tls(c);
    c->in_ptr = NULL;
    c->in_len = 0;
    if (!c->ended && c->out.len) {
        queue_flush(c); /* handshake records and alerts */
    }
}

/* ---- lifetime -------------------------------------------------------- */

static void format_peer(struct conn *c)
{
    struct sockaddr_storage ss;
    int len = sizeof ss;
    char host[INET6_ADDRSTRLEN] = "?";
    int port = 0;
    if (uv_tcp_getpeername(c->tcp, (struct sockaddr *)&ss, &len) == 0) {
        if (ss.ss_family == AF_INET6) {
            struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
            uv_ip6_name(a, host, sizeof host);
            port = ntohs(a->sin6_port);
            snprintf(c->peer, sizeof c->peer, "[%s]:%d", host, port);
            return;
        }
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        uv_ip4_name(a, host, sizeof host);
        port = ntohs(a->sin_port);
    }
    snprintf(c->peer, sizeof c->peer, "%s:%d", host, port);
}

struct conn *conn_new(uv_tcp_t *tcp, const struct conn_handler *h, void *ud, SSL_CTX *direct_tls,
                      size_t backlog_limit)
{
    struct conn *c = xcalloc(1, sizeof *c);
    c->tcp = tcp;
    c->h = h;
    c->ud = ud;
    c->backlog_limit = backlog_limit;
    tcp->data = c;
    format_peer(c);
    uv_tcp_nodelay(tcp, 1);
    if ((direct_tls && attach_tls(c, direct_tls) < 0) ||
        uv_read_start((uv_stream_t *)tcp, on_alloc, on_read) < 0) {
        SSL_free(c->ssl);
        free(c);
        return NULL;
    }
    return c;
}

int conn_start_tls(struct conn *c, SSL_CTX *ctx)
{
    if (c->ssl || c->closing || c->ended) {
        return STRATA_ETLS;
    }
    return attach_tls(c, ctx);
}

static void unqueue(struct conn *c)
{
    for (struct conn **p = &loop_state.queued; *p; p = &(*p)->next_queued) {
        if (*p == c) {
            *p = c->next_queued;
            break;
        }
    }
    c->queued = false;
}

static void on_grace_closed(uv_handle_t *h)
{
    free(h);
}

static void on_tcp_closed(uv_handle_t *h)
{
    struct conn *c = h->data;
    c->h->on_end(c, c->why, c->ud);
    SSL_free(c->ssl);
    strbuf_release(&c->out);
    strbuf_release(&c->plain);
    free(c->tcp);
    free(c);
}

static void end_conn(struct conn *c, enum conn_end why)
{
    if (c->ended) {
        return;
    }
    c->ended = true;
    c->why = c->closing ? c->why : why;
    unqueue(c);
    if (c->grace) {
        uv_close((uv_handle_t *)c->grace, on_grace_closed);
        c->grace = NULL;
    }
    uv_read_stop((uv_stream_t *)c->tcp);
    uv_close((uv_handle_t *)c->tcp, on_tcp_closed);
}

static void on_grace(uv_timer_t *t)
{
    end_conn(t->data, CONN_END_CLOSED);
}

void conn_close(struct conn *c)
{
    if (c->closing || c->ended) {
        return;
    }
    c->closing = true;
    c->why = CONN_END_CLOSED;
    uv_read_stop((uv_stream_t *)c->tcp);
    if (c->ssl && c->tls_ready) {
        if (c->plain.len) {
            encrypt_pending(c);
        }
        SSL_shutdown(c->ssl); /* queues close_notify */
    }
    c->grace = xmalloc(sizeof *c->grace);
    uv_timer_init(c->tcp->loop, c->grace);
    c->grace->data = c;
    uv_timer_start(c->grace, on_grace, CLOSE_GRACE_MS, 0);
    queue_flush(c);
}

void conn_abort(struct conn *c)
{
    end_conn(c, CONN_END_CLOSED);
}

void conn_pause(struct conn *c, bool paused)
{
    if (c->closing || c->ended) {
        return;
    }
    if (paused) {
        uv_read_stop((uv_stream_t *)c->tcp);
    } else {
        uv_read_start((uv_stream_t *)c->tcp, on_alloc, on_read);
    }
}

bool conn_is_tls(const struct conn *c)
{
    return c->ssl != NULL;
}

SSL *conn_ssl(const struct conn *c)
{
    return c->ssl;
}

const char *conn_peer(const struct conn *c)
{
    return c->peer;
}

size_t conn_backlog(const struct conn *c)
{
    return backlog(c);
}

int conn_loop_init(uv_loop_t *loop)
{
    if (loop_state.ready) {
        return 0;
    }
    uv_prepare_init(loop, &loop_state.flusher);
    uv_prepare_start(&loop_state.flusher, on_prepare);
    uv_unref((uv_handle_t *)&loop_state.flusher); /* it alone must not keep the loop alive */
    loop_state.ready = true;
    return 0;
}

void conn_loop_deinit(uv_loop_t *loop)
{
    if (loop_state.ready) {
        uv_prepare_stop(&loop_state.flusher);
        if (!uv_is_closing((uv_handle_t *)&loop_state.flusher)) {
            uv_close((uv_handle_t *)&loop_state.flusher, NULL);
        }
        loop_state.ready = false;
    }
    BIO_meth_free(loop_state.bio_method);
    loop_state.bio_method = NULL;
}
