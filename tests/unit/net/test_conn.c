/*
 * Connections and listeners on a real loop over loopback: plaintext echo,
 * direct TLS and STARTTLS with a real OpenSSL client (in a thread, with
 * blocking sockets), channel binding agreement, close after flushing, and
 * the backlog limit against a client that never reads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/conn.h"
#include "net/listener.h"
#include "net/tls.h"
#include "net/tls_cert.h"
#include "tmpfiles.h"

struct server {
    uv_loop_t loop;
    struct listener *listener;
    SSL_CTX *ctx;
    bool direct_tls;
    bool starttls; /* "starttls\n" from the client switches to TLS */
    size_t backlog_limit;
    struct conn *conn;
    enum conn_end why;
    bool ended;
    bool tls_ready;
    unsigned char binding[64];
    size_t binding_len;
    char got[256];
    size_t got_len;
    uv_timer_t flood;
};

static struct server sv;
static char *certdir;

/* ---- server side ------------------------------------------------------ */

static void on_data(struct conn *c, const char *data, size_t len, void *ud)
{
    if (sv.starttls && !conn_is_tls(c) && len >= 9 && memcmp(data, "starttls\n", 9) == 0) {
        conn_write(c, "proceed\n", 8);
        assert_int_equal(conn_start_tls(c, sv.ctx), 0);
        return;
    }
    memcpy(sv.got + sv.got_len, data, len < sizeof sv.got - sv.got_len ? len : 0);
    sv.got_len += len;
    if (conn_is_tls(c) && sv.binding_len == 0) {
        tls_channel_binding(conn_ssl(c), "tls-exporter", sv.binding, sizeof sv.binding,
                            &sv.binding_len);
    }
    if (memmem(data, len, "bye\n", 4)) {
        conn_write(c, data, len);
        conn_write(c, "farewell\n", 9);
        conn_close(c);
        return;
    }
    conn_write(c, data, len); /* echo */
}

static void on_tls_ready(struct conn *c, void *ud)
{
    sv.tls_ready = true;
}

static void on_end(struct conn *c, enum conn_end why, void *ud)
{
    sv.ended = true;
    sv.why = why;
    sv.conn = NULL;
    uv_stop(&sv.loop);
}

static const struct conn_handler handler = {on_data, on_tls_ready, on_end};

static void on_accept(uv_tcp_t *tcp, void *ud)
{
    sv.conn = conn_new(tcp, &handler, NULL, sv.direct_tls ? sv.ctx : NULL, sv.backlog_limit);
    assert_non_null(sv.conn);
}

static int start_server(void)
{
    char err[256];
    uv_loop_init(&sv.loop);
    conn_loop_init(&sv.loop);
    if (!sv.backlog_limit) {
        sv.backlog_limit = 1 << 20;
    }
    assert_int_equal(listener_open(&sv.loop, "127.0.0.1", 0, on_accept, NULL, &sv.listener, err,
                                   sizeof err), 0);
    return listener_port(sv.listener);
}

static void close_walk(uv_handle_t *h, void *arg)
{
    if (!uv_is_closing(h)) {
        uv_close(h, NULL);
    }
}

static void stop_server(void)
{
    listener_close(sv.listener);
    conn_loop_deinit(&sv.loop);
    uv_run(&sv.loop, UV_RUN_DEFAULT);
    uv_walk(&sv.loop, close_walk, NULL);
    uv_run(&sv.loop, UV_RUN_DEFAULT);
    uv_loop_close(&sv.loop);
    SSL_CTX_free(sv.ctx);
}

/* ---- client side (blocking, in a thread) ------------------------------- */

struct client {
    int port;
    bool tls;
    bool starttls;
    const char *send;
    char reply[256];
    size_t reply_len;
    unsigned char binding[64];
    size_t binding_len;
    bool eof_after;
};

static int dial(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        abort();
    }
    return fd;
}

static void read_line_plain(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    while (n + 1 < cap && read(fd, buf + n, 1) == 1 && buf[n++] != '\n') {
    }
    buf[n] = '\0';
}

static void *client_main(void *arg)
{
    struct client *cl = arg;
    int fd = dial(cl->port);
    SSL_CTX *ctx = NULL;
    SSL *ssl = NULL;
    if (cl->starttls) {
        char line[32];
        write(fd, "starttls\n", 9);
        read_line_plain(fd, line, sizeof line);
        if (strcmp(line, "proceed\n") != 0) {
            abort();
        }
    }
    if (cl->tls || cl->starttls) {
        ctx = SSL_CTX_new(TLS_client_method());
        ssl = SSL_new(ctx);
        SSL_set_fd(ssl, fd);
        SSL_set_tlsext_host_name(ssl, "localhost");
        if (SSL_connect(ssl) != 1) {
            abort();
        }
    }
    size_t len = strlen(cl->send);
    if (ssl) {
        SSL_write(ssl, cl->send, (int)len);
        int n;
        while (cl->reply_len < sizeof cl->reply - 1 &&
               (n = SSL_read(ssl, cl->reply + cl->reply_len,
                             (int)(sizeof cl->reply - 1 - cl->reply_len))) > 0) {
            cl->reply_len += (size_t)n;
            if (cl->reply_len >= len && !cl->eof_after) {
                break;
            }
        }
        SSL_export_keying_material(ssl, cl->binding, 32, "EXPORTER-Channel-Binding", 24, NULL, 0, 0);
        cl->binding_len = 32;
        SSL_free(ssl);
        SSL_CTX_free(ctx);
    } else {
        write(fd, cl->send, len);
        ssize_t n;
        while ((n = read(fd, cl->reply + cl->reply_len, sizeof cl->reply - 1 - cl->reply_len)) > 0) {
            cl->reply_len += (size_t)n;
            if (cl->reply_len >= len && !cl->eof_after) {
                break;
            }
        }
    }
    close(fd);
    return NULL;
}

static void run_with_client(struct client *cl)
{
    pthread_t t;
    pthread_create(&t, NULL, client_main, cl);
    uv_run(&sv.loop, UV_RUN_DEFAULT); /* until the server conn ends */
    pthread_join(t, NULL);
}

/* ---- tests ------------------------------------------------------------- */

static int setup(void **state)
{
    memset(&sv, 0, sizeof sv);
    return 0;
}

static int group_setup(void **state)
{
    certdir = tmp_dir();
    char crt[512], key[512], err[256];
    snprintf(crt, sizeof crt, "%s/localhost.crt", certdir);
    snprintf(key, sizeof key, "%s/localhost.key", certdir);
    return tls_cert_generate("localhost", crt, key, 2, false, err, sizeof err);
}

static int group_teardown(void **state)
{
    tmp_remove(certdir);
    return 0;
}

static SSL_CTX *test_ctx(void)
{
    char crt[512], key[512], err[256];
    snprintf(crt, sizeof crt, "%s/localhost.crt", certdir);
    snprintf(key, sizeof key, "%s/localhost.key", certdir);
    struct tls_policy p;
    assert_int_equal(tls_policy_for("intermediate", NULL, NULL, NULL, &p), 0);
    SSL_CTX *ctx = tls_context_new(crt, key, &p, NULL, err, sizeof err);
    assert_non_null(ctx);
    return ctx;
}

static void test_plain_echo_and_close(void **state)
{
    struct client cl = {.port = start_server(), .send = "hello\nbye\n", .eof_after = true};
    run_with_client(&cl);
    assert_true(sv.ended);
    assert_int_equal(sv.why, CONN_END_CLOSED);
    cl.reply[cl.reply_len] = '\0';
    /* Everything queued before conn_close reached the client. */
    assert_non_null(strstr(cl.reply, "farewell\n"));
    stop_server();
}

static void test_direct_tls_and_channel_binding(void **state)
{
    sv.ctx = test_ctx();
    sv.direct_tls = true;
    struct client cl = {.port = start_server(), .tls = true, .send = "secret\nbye\n", .eof_after = true};
    run_with_client(&cl);
    assert_true(sv.tls_ready);
    assert_int_equal(sv.why, CONN_END_CLOSED);
    assert_non_null(strstr(cl.reply, "farewell\n"));
    assert_int_equal(sv.binding_len, 32);
    assert_memory_equal(sv.binding, cl.binding, 32); /* both ends agree (RFC 9266) */
    stop_server();
}

static void test_starttls(void **state)
{
    sv.ctx = test_ctx();
    sv.starttls = true;
    struct client cl = {.port = start_server(), .starttls = true, .send = "over tls\nbye\n",
                        .eof_after = true};
    run_with_client(&cl);
    assert_true(sv.tls_ready);
    assert_int_equal(sv.got_len, strlen("over tls\nbye\n"));
    assert_non_null(strstr(cl.reply, "over tls\n"));
    stop_server();
}

/* A client that connects and never reads: the server keeps writing. */
static void on_flood(uv_timer_t *t)
{
    static char chunk[256 * 1024];
    if (sv.conn) {
        conn_write(sv.conn, chunk, sizeof chunk);
    }
}

static void test_backlog_limit_cuts_a_client_that_never_reads(void **state)
{
    sv.backlog_limit = 1 << 20;
    int port = start_server();
    int fd = dial(port);
    int small = 4096;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    uv_timer_init(&sv.loop, &sv.flood);
    uv_timer_start(&sv.flood, on_flood, 1, 1);
    uv_run(&sv.loop, UV_RUN_DEFAULT);
    uv_timer_stop(&sv.flood);
    assert_true(sv.ended);
    assert_int_equal(sv.why, CONN_END_BACKLOG);
    close(fd);
    stop_server();
}

static void test_tls_garbage_ends_with_tls_error(void **state)
{
    sv.ctx = test_ctx();
    sv.direct_tls = true;
    struct client cl = {.port = start_server(), .send = "this is not a TLS ClientHello\n",
                        .eof_after = true};
    run_with_client(&cl);
    assert_int_equal(sv.why, CONN_END_TLS);
    stop_server();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_plain_echo_and_close, setup),
        cmocka_unit_test_setup(test_direct_tls_and_channel_binding, setup),
        cmocka_unit_test_setup(test_starttls, setup),
        cmocka_unit_test_setup(test_backlog_limit_cuts_a_client_that_never_reads, setup),
        cmocka_unit_test_setup(test_tls_garbage_ends_with_tls_error, setup),
    };
    return cmocka_run_group_tests_name("net/conn", tests, group_setup, group_teardown);
}
