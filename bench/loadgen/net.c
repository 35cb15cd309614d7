/*
 * xmpp_load: the epoll loop, connections, TLS on the socket, and the
 * stanza splitter.
 *
 * Writes are batched: net_send() only appends to the connection's output
 * buffer and puts it on the dirty list; the end of each loop turn flushes
 * every dirty connection with one SSL_write (one TLS record per 16 KiB)
 * or one send().
 *
 * The splitter finds stanza boundaries by counting element depth: the
 * stream header opens depth 1, a child of the stream is a stanza. It
 * handles quotes in attributes, the XML declaration, comments and CDATA,
 * which is all a server's output can hold.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>

#include "lg.h"

struct listener {
    uint8_t kind;
    int fd;
    void (*accept_fn)(int fd, void *arg);
    void *arg;
};

static int EP = -1;
static struct conn *DIRTY, *DEAD;
static int NCONNS;
/* Events handled per turn before the flush. Small enough that the peer
 * gets work while we handle the rest (with 500 events per turn, client and
 * server take turns and each idles half the time), large enough to batch. */
int NET_BATCH = 64;

/* Hand SSL_write at most this much at a time (it cuts 16 KiB records). */
#define WRITE_CHUNK (64 * 1024)
#define RECV_CHUNK (64 * 1024)

static char RECV_BUF[RECV_CHUNK];

void net_init(void)
{
    EP = epoll_create1(EPOLL_CLOEXEC);
    if (EP < 0)
        die("epoll_create1: %s", strerror(errno));
}

int net_conns(void) { return NCONNS; }

static void tune_socket(int fd)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

/* Edge-triggered, registered once: no epoll_ctl per state change. A read
 * shorter than asked means the socket is drained; a write that would block
 * waits for the next EPOLLOUT edge. */
static void add_conn(struct conn *c)
{
    struct epoll_event e = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, .data.ptr = c};
    c->kind = KIND_CONN;
    if (epoll_ctl(EP, EPOLL_CTL_ADD, c->fd, &e) < 0)
        die("epoll_ctl add: %s", strerror(errno));
    NCONNS++;
}

int net_connect(struct conn *c, const struct sockaddr_in *sa)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    tune_socket(fd);
    c->fd = fd;
    c->depth = 0;
    if (connect(fd, (const struct sockaddr *)sa, sizeof *sa) < 0 && errno != EINPROGRESS) {
        int e = errno;
        close(fd);
        return -e;
    }
    c->connecting = true;
    add_conn(c);
    return 0;
}

static const char *tls_error(void)
{
    static char msg[160];
    unsigned long e = ERR_get_error();
    if (!e)
        return "TLS error";
    ERR_error_string_n(e, msg, sizeof msg);
    ERR_clear_error();
    return msg;
}

/* Moves what OpenSSL wrote into its memory BIO to the wire buffer. */
static void pump_wbio(struct conn *c)
{
    size_t n = c->wbio ? BIO_ctrl_pending(c->wbio) : 0;
    if (n) {
        char *d = buf_space(&c->wire, n);
        int r = BIO_read(c->wbio, d, (int)n);
        if (r > 0)
            c->wire.len += (size_t)r;
    }
}

/* Sends the wire buffer; false if the connection closed. */
static bool send_wire(struct conn *c)
{
    while (buf_used(&c->wire) && !c->blocked) {
        ssize_t w = send(c->fd, c->wire.p + c->wire.off, buf_used(&c->wire), MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                c->blocked = true;
                break;
            }
            if (errno == EINTR)
                continue;
            net_close(c, strerror(errno));
            return false;
        }
        c->wire.off += (size_t)w;
    }
    if (!buf_used(&c->wire)) {
        c->wire.off = c->wire.len = 0;
        if (c->wire.cap > (256u << 10)) { /* give back a burst's memory */
            free(c->wire.p);
            c->wire.p = NULL;
            c->wire.cap = 0;
        }
    }
    return true;
}

void net_start_tls(struct conn *c, SSL_CTX *ctx, bool server, const char *sni, SSL_SESSION *sess,
                   void *app)
{
    c->ssl = SSL_new(ctx);
    c->rbio = BIO_new(BIO_s_mem());
    c->wbio = BIO_new(BIO_s_mem());
    if (!c->ssl || !c->rbio || !c->wbio)
        die("SSL_new failed");
    BIO_set_mem_eof_return(c->rbio, -1); /* empty means "wait", not EOF */
    SSL_set_bio(c->ssl, c->rbio, c->wbio);
    SSL_set_app_data(c->ssl, app);
    if (server) {
        SSL_set_accept_state(c->ssl);
    } else {
        SSL_set_connect_state(c->ssl);
        if (sni)
            SSL_set_tlsext_host_name(c->ssl, sni);
        if (sess && SSL_set_session(c->ssl, sess) != 1)
            die("SSL_set_session failed");
    }
    /* clear text queued before (<proceed/>) goes out first */
    if (buf_used(&c->out)) {
        buf_put(&c->wire, c->out.p + c->out.off, buf_used(&c->out));
        c->out.off = c->out.len = 0;
    }
    c->tls = 1;
    if (!server) { /* the client speaks first */
        ERR_clear_error();
        int r = SSL_do_handshake(c->ssl);
        if (r <= 0 && SSL_get_error(c->ssl, r) != SSL_ERROR_WANT_READ) {
            net_close(c, tls_error());
            return;
        }
        pump_wbio(c);
    }
    if (buf_used(&c->wire))
        net_dirty(c);
}

void net_dirty(struct conn *c)
{
    if (!c->dirty && !c->closed) {
        c->dirty = true;
        c->next_dirty = DIRTY;
        DIRTY = c;
    }
}

void net_send(struct conn *c, const void *d, size_t n)
{
    buf_put(&c->out, d, n);
    net_dirty(c);
}

void net_sends(struct conn *c, const char *s) { net_send(c, s, strlen(s)); }

void net_close(struct conn *c, const char *why)
{
    if (c->closed)
        return;
    c->closed = true;
    epoll_ctl(EP, EPOLL_CTL_DEL, c->fd, NULL);
    if (c->ssl && c->tls == 2) {
        /* close_notify, as clients send it; without it OpenSSL also marks
         * the session not resumable (ssl_clear_bad_session). */
        ERR_clear_error();
        SSL_shutdown(c->ssl);
        pump_wbio(c);
        if (buf_used(&c->wire))
            (void)!send(c->fd, c->wire.p + c->wire.off, buf_used(&c->wire), MSG_NOSIGNAL | MSG_DONTWAIT);
    }
    if (c->ssl) {
        SSL_free(c->ssl); /* frees the BIOs too */
        c->ssl = NULL;
        c->rbio = c->wbio = NULL;
    }
    close(c->fd);
    NCONNS--;
    c->next_dead = DEAD;
    DEAD = c;
    if (c->ops->closed)
        c->ops->closed(c, why);
}

void net_stream_reset(struct conn *c) { c->depth = 0; }

/* Drives the handshake with what rbio holds; returns false if closed. */
static bool handshake(struct conn *c)
{
    ERR_clear_error();
    int r = SSL_do_handshake(c->ssl);
    pump_wbio(c);
    if (r == 1) {
        c->tls = 2;
        c->ops->tls_up(c);
        return !c->closed;
    }
    if (SSL_get_error(c->ssl, r) != SSL_ERROR_WANT_READ) {
        send_wire(c); /* an alert, if any */
        if (!c->closed)
            net_close(c, tls_error());
        return false;
    }
    return true;
}

/* Splits c->in into stream events. */
static void scan(struct conn *c)
{
    char *b = c->in.p;
    size_t len = c->in.len, i = c->scan;

    while (i < len && !c->closed && c->tls != 1) {
        char *lt = memchr(b + i, '<', len - i);
        if (!lt) {
            i = len;
            break;
        }
        i = (size_t)(lt - b);
        if (i + 1 >= len)
            break;
        char t = b[i + 1];
        size_t end;
        if (t == '?' || t == '!') {
            const char *close = t == '?' ? "?>" : "-->";
            if (t == '!' && i + 3 < len && b[i + 2] == '[')
                close = "]]>";
            char *e = memmem(b + i + 2, len - i - 2, close, strlen(close));
            if (!e)
                break;
            i = (size_t)(e - b) + strlen(close);
            continue;
        }
        size_t j = i + 1;
        char q = 0;
        for (; j < len; j++) {
            char ch = b[j];
            if (q) {
                if (ch == q)
                    q = 0;
            } else if (ch == '\'' || ch == '"') {
                q = ch;
            } else if (ch == '>') {
                break;
            }
        }
        if (j >= len)
            break;
        end = j;
        size_t start = i;
        i = end + 1;
        if (t == '/') {
            c->depth--;
            if (c->depth == 1)
                c->ops->xml(c, XEV_STANZA, b + c->stanza_start, i - c->stanza_start);
            else if (c->depth <= 0) {
                c->depth = 0;
                c->ops->xml(c, XEV_CLOSE, b + start, i - start);
            }
        } else if (b[end - 1] == '/') {
            if (c->depth == 1)
                c->ops->xml(c, XEV_STANZA, b + start, i - start);
        } else {
            if (c->depth == 1)
                c->stanza_start = start;
            c->depth++;
            if (c->depth == 1)
                c->ops->xml(c, XEV_OPEN, b + start, i - start);
        }
    }
    if (c->closed)
        return;
    c->scan = i;
    size_t keep = c->depth >= 2 ? c->stanza_start : c->scan;
    if (keep > 0) {
        memmove(b, b + keep, len - keep);
        c->in.len = len - keep;
        c->scan -= keep;
        if (c->depth >= 2)
            c->stanza_start -= keep;
    }
}

/* Decrypts what rbio holds into c->in and splits it. */
static void tls_drain(struct conn *c)
{
    while (!c->closed && c->tls == 2) {
        char *p = buf_space(&c->in, 16384 + 512);
        size_t room = c->in.cap - c->in.len;
        ERR_clear_error();
        int r = SSL_read(c->ssl, p, (int)(room > (1u << 30) ? (1u << 30) : room));
        if (r <= 0) {
            int e = SSL_get_error(c->ssl, r);
            pump_wbio(c); /* post-handshake messages may want answers */
            if (e == SSL_ERROR_WANT_READ)
                return;
            net_close(c, e == SSL_ERROR_ZERO_RETURN ? "closed by peer (TLS)" : tls_error());
            return;
        }
        c->in.len += (size_t)r;
        scan(c);
        if (c->in.len > (8u << 20)) {
            net_close(c, "stanza over 8 MiB");
            return;
        }
    }
}

static void do_read(struct conn *c)
{
    for (;;) {
        ssize_t n;
        if (c->tls == 0) { /* clear text straight into c->in */
            char *p = buf_space(&c->in, RECV_CHUNK);
            n = recv(c->fd, p, RECV_CHUNK, 0);
            if (n > 0) {
                c->in.len += (size_t)n;
                scan(c);
                if (c->closed)
                    return;
            }
        } else {
            n = recv(c->fd, RECV_BUF, RECV_CHUNK, 0);
            if (n > 0) {
                BIO_write(c->rbio, RECV_BUF, (int)n);
                if (c->tls == 1 && !handshake(c))
                    return;
                if (c->tls == 2)
                    tls_drain(c);
                if (c->closed)
                    return;
            }
        }
        if (n == 0) {
            net_close(c, "closed by peer");
            return;
        }
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                net_close(c, strerror(errno));
            return;
        }
        if (n < RECV_CHUNK)
            return; /* drained: the next edge brings more */
    }
}

/* Encrypts c->out and sends everything pending: one send() per turn. */
static void flush(struct conn *c)
{
    if (c->closed || c->connecting)
        return;
    if (buf_used(&c->out) && c->tls != 1) { /* clear text waits for the handshake */
        if (c->tls == 2) {
            while (buf_used(&c->out)) {
                size_t n = buf_used(&c->out);
                if (n > WRITE_CHUNK)
                    n = WRITE_CHUNK;
                ERR_clear_error();
                int r = SSL_write(c->ssl, c->out.p + c->out.off, (int)n);
                if (r <= 0) {
                    net_close(c, tls_error());
                    return;
                }
                c->out.off += (size_t)r;
            }
            pump_wbio(c);
        } else {
            buf_put(&c->wire, c->out.p + c->out.off, buf_used(&c->out));
        }
        c->out.off = c->out.len = 0;
        if (c->out.cap > (256u << 10)) {
            free(c->out.p);
            c->out.p = NULL;
            c->out.cap = 0;
        }
    }
    if (!send_wire(c))
        return;
    if (c->close_after_flush && !buf_used(&c->wire))
        net_close(c, "closed after flush");
}

static void conn_io(struct conn *c, uint32_t events)
{
    if (events & EPOLLOUT) {
        c->blocked = false;
        if (c->connecting) {
            int err = 0;
            socklen_t len = sizeof err;
            getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
            if (err) {
                net_close(c, strerror(err));
                return;
            }
            c->connecting = false;
            c->ops->connected(c);
            if (c->closed)
                return;
        }
        if (buf_used(&c->wire))
            net_dirty(c);
    }
    if (c->connecting) {
        if (events & (EPOLLERR | EPOLLHUP)) {
            int err = 0;
            socklen_t len = sizeof err;
            getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
            net_close(c, err ? strerror(err) : "connect failed");
        }
        return;
    }
    if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
        do_read(c);
    if (!c->closed && buf_used(&c->wire) && !c->blocked)
        net_dirty(c); /* sent with what this turn adds */
}

static void listener_io(struct listener *l)
{
    for (int k = 0; k < 64; k++) {
        int fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0)
            return;
        tune_socket(fd);
        l->accept_fn(fd, l->arg);
    }
}

/* Used by the sink: registers an accepted socket. */
void net_adopt(struct conn *c, int fd);
void net_adopt(struct conn *c, int fd)
{
    c->fd = fd;
    add_conn(c);
}

void net_listen(int port, void (*accept_fn)(int fd, void *arg), void *arg)
{
    struct listener *l = xcalloc(1, sizeof *l);
    l->kind = KIND_LISTENER;
    l->accept_fn = accept_fn;
    l->arg = arg;
    l->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(l->fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(l->fd, 4096) < 0)
        die("listen on 127.0.0.1:%d: %s", port, strerror(errno));
    struct epoll_event e = {.events = EPOLLIN, .data.ptr = l};
    epoll_ctl(EP, EPOLL_CTL_ADD, l->fd, &e); /* level-triggered: accept a batch per turn */
}

void net_flush_all(void)
{
    while (DIRTY) {
        struct conn *c = DIRTY;
        DIRTY = c->next_dirty;
        c->dirty = false;
        flush(c);
    }
}

void net_turn(int timeout_ms) { net_turn_ns((int64_t)timeout_ms * 1000000); }

void net_turn_ns(int64_t timeout_ns)
{
    struct epoll_event ev[1024];
    int max = NET_BATCH > 0 && NET_BATCH <= 1024 ? NET_BATCH : 64;
    struct timespec ts = {.tv_sec = timeout_ns / 1000000000, .tv_nsec = timeout_ns % 1000000000};
    int n = epoll_pwait2(EP, ev, max, timeout_ns < 0 ? NULL : &ts, NULL);
    for (int i = 0; i < n; i++) {
        uint8_t kind = *(uint8_t *)ev[i].data.ptr;
        if (kind == KIND_LISTENER) {
            listener_io(ev[i].data.ptr);
        } else {
            struct conn *c = ev[i].data.ptr;
            if (!c->closed)
                conn_io(c, ev[i].events);
        }
    }
    net_flush_all();
    /* Closed connections may still sit on the dirty list: unlink them. */
    while (DEAD) {
        struct conn *c = DEAD;
        DEAD = c->next_dead;
        buf_free(&c->in);
        buf_free(&c->out);
        buf_free(&c->wire);
        if (c->free_fn)
            c->free_fn(c);
    }
}

SSL_CTX *tls_client_ctx(const char *groups, bool release_buffers)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx)
        die("SSL_CTX_new failed");
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    long mode = SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER;
    if (release_buffers)
        mode |= SSL_MODE_RELEASE_BUFFERS;
    SSL_CTX_set_mode(ctx, mode);
    if (groups && !SSL_CTX_set1_groups_list(ctx, groups))
        die("unknown TLS groups %s", groups);
    /* The order of Android's and Chrome's BoringSSL: AES-128 first. Its
     * SHA-256 runs on the CPU's SHA extensions, SHA-384 does not. */
    if (!SSL_CTX_set_ciphersuites(ctx, O.tls_ciphersuites))
        die("unknown TLS 1.3 cipher suites %s", O.tls_ciphersuites);
    return ctx;
}

SSL_CTX *tls_server_ctx(const char *cert, const char *key)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx)
        die("SSL_CTX_new failed");
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_num_tickets(ctx, 0);
    if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1)
        die("cannot load %s / %s", cert, key);
    return ctx;
}
