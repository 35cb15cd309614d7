/*
 * Connections: one TCP socket on the libuv loop, optionally TLS, with a
 * bounded output queue flushed once per loop turn.
 *
 * Reads land in one loop-wide buffer and are handed on at once (decrypted
 * first when TLS is on), so an idle connection holds no input buffer. Writes
 * are appended to a per-connection queue and written when the loop is about
 * to wait (uv_prepare), so the stanzas of one loop turn leave in one write
 * and, with TLS, in as few records as possible. A peer that leaves more than
 * `backlog_limit` bytes unread is disconnected: it cannot make the server
 * buffer without end, and nobody else is slowed by it.
 *
 * TLS runs through OpenSSL with a custom BIO over our own buffers (no
 * memory BIO copies, nothing allocated while idle; SSL_MODE_RELEASE_BUFFERS).
 */
#ifndef STRATA_NET_CONN_H
#define STRATA_NET_CONN_H

#include <openssl/ssl.h>
#include <stdbool.h>
#include <stddef.h>
#include <uv.h>

struct conn;

/* Why a connection ended, for logs and for the session's cleanup. */
enum conn_end {
    CONN_END_CLOSED,    /* we closed it (conn_close) */
    CONN_END_PEER,      /* the peer closed it (EOF) */
    CONN_END_ERROR,     /* a socket error */
    CONN_END_TLS,       /* a TLS failure (handshake or record) */
    CONN_END_BACKLOG,   /* the peer did not read its output */
};

struct conn_handler {
    /* Plaintext arrived. `data` is borrowed for the call. The handler may
     * write, start TLS or close from here. */
    void (*on_data)(struct conn *c, const char *data, size_t len, void *ud);
    /* The TLS handshake finished (after conn_start_tls or for a direct TLS
     * connection). May be NULL. */
    void (*on_tls_ready)(struct conn *c, void *ud);
    /* The connection is gone and `c` is about to be freed: the last call.
     * Free `ud` here. */
    void (*on_end)(struct conn *c, enum conn_end why, void *ud);
};

/* Creates a connection for a socket the listener accepted (takes `tcp`,
 * which must be initialised and connected; freed with the conn). When
 * `direct_tls` is set, the TLS handshake starts with the first byte.
 * Reading starts at once. Returns NULL when the socket cannot be read. */
struct conn *conn_new(uv_tcp_t *tcp, const struct conn_handler *h, void *ud, SSL_CTX *direct_tls,
                      size_t backlog_limit);

/* Queues plaintext for the peer. Returns 0, or STRATA_ECLOSED once the
 * connection is closing, or STRATA_ELIMIT when the backlog is exceeded
 * (the connection is then being closed with CONN_END_BACKLOG). */
int conn_write(struct conn *c, const void *data, size_t len);

/* Switches to TLS as the server (STARTTLS): what was queued so far leaves
 * in plaintext, everything after is encrypted. Returns 0 or STRATA_ETLS. */
int conn_start_tls(struct conn *c, SSL_CTX *ctx);

/* Closes after the queued output is written (bounded by a short timer).
 * Safe to call from inside any handler; on_end follows later. */
void conn_close(struct conn *c);

/* Closes at once, dropping queued output. */
void conn_abort(struct conn *c);

/* Stops or resumes reading (flow control). */
void conn_pause(struct conn *c, bool paused);

bool conn_is_tls(const struct conn *c);

/* The TLS state, for channel binding and SNI; NULL without TLS. Borrowed. */
SSL *conn_ssl(const struct conn *c);

/* "203.0.113.5:41234" or "[2001:db8::1]:41234". Borrowed, valid for the conn. */
const char *conn_peer(const struct conn *c);

/* Bytes queued but not yet accepted by the kernel. */
size_t conn_backlog(const struct conn *c);

/* Prepares the loop-wide state (the read buffer and the per-turn flusher).
 * Call once per loop before any conn_new. */
int conn_loop_init(uv_loop_t *loop);
void conn_loop_deinit(uv_loop_t *loop);

#endif
