/*
 * xmpp_load: the load generator of bench/ (see bench/README.md).
 *
 * One process, one thread, one epoll loop, many connections. Raw XMPP over
 * TCP, STARTTLS or direct TLS (OpenSSL on the socket), SCRAM-SHA-1/256 or
 * PLAIN, a stanza splitter instead of a full XML parser (the server's
 * output is well-formed; the generator only needs stanza boundaries and a
 * few attributes). Stanzas queued for one connection in one loop turn go
 * out in one SSL_write, hence one TLS record (up to 16 KiB) and one
 * syscall: that is what lets one core of it drive 100,000 messages/s.
 *
 * This header is shared by the files of bench/loadgen/ only.
 */
#ifndef XMPP_LOAD_LG_H
#define XMPP_LOAD_LG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netinet/in.h>
#include <openssl/ssl.h>

typedef uint64_t nsec_t;

/* ---- util.c ------------------------------------------------------------ */

nsec_t now_ns(void);                    /* CLOCK_MONOTONIC */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
uint64_t rnd64(void);                   /* xorshift; not for secrets */

/* A growable byte buffer; the data is p[off..len). */
struct buf {
    char *p;
    size_t off, len, cap;
};
char *buf_space(struct buf *b, size_t n); /* room for n more bytes at p + len */
void buf_put(struct buf *b, const void *d, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_free(struct buf *b);
static inline size_t buf_used(const struct buf *b) { return b->len - b->off; }

/* Writes the decimal digits of v at p; returns how many. */
size_t u64_to_dec(uint64_t v, char *p);

/* Latency histogram: 1 µs resolution below 256 µs, then 128 steps per
 * power of two (under 1% error), up to 2^40 µs. */
#define HIST_BUCKETS (256 + 33 * 128)
struct hist {
    uint64_t n, max_us;
    uint32_t b[HIST_BUCKETS];
};
void hist_add(struct hist *h, nsec_t d);
double hist_q_ms(const struct hist *h, double q); /* q in [0,1] */
void hist_merge(struct hist *into, const struct hist *from);

/* CPU and memory. */
double self_cpu_s(void);                /* getrusage: user + system */
long self_rss_kib(void);
double proc_cpu_s(int pid);             /* /proc/pid/stat, all threads; <0 unknown */
long proc_rss_kib(int pid);             /* VmRSS from /proc/pid/status; <0 unknown */

/* A meter over one measured interval: wall time, own CPU, server CPU. */
struct meter {
    nsec_t t0;
    double cpu0, srv0, busy0;
    double wall, gen_pct, srv_pct;      /* filled by meter_stop() */
    double other_pct;                   /* the rest of the machine, % of one core */
};
double machine_busy_s(void);            /* /proc/stat: CPU seconds not idle, all cores */
void meter_start(struct meter *m);
void meter_stop(struct meter *m);
/* " gen_cpu=37.5 srv_cpu=99.1 lower_bound=0", as RESULT lines print it. */
const char *meter_fields(const struct meter *m);

/* base64 (the server's src/util/base64). */
size_t b64_enc(const void *in, size_t n, char *out); /* NUL-terminates */
int b64_dec(const char *in, size_t n, void *out, size_t cap, size_t *out_len);

/* Finds attribute `name` (e.g. "type") in the start tag at s[0..n); sets
 * *v and *vn to its value (not unescaped). Returns false if absent. */
bool xml_attr(const char *s, size_t n, const char *name, const char **v, size_t *vn);
/* Does the stanza's element name equal `name` ("message", "stream:features")? */
bool xml_is(const char *s, size_t n, const char *name);
/* Text between the first '>' and the next '<' of s (a leaf's content). */
bool xml_leaf_text(const char *s, size_t n, const char **t, size_t *tn);

/* Options of the form --name value (or --name alone for 'b'). */
struct optdef {
    const char *name;
    char type;                          /* 'i' int, 'd' double, 's' string, 'b' flag */
    void *p;
    const char *help;
};
/* Parses argv[0..argc) against `t`; exits with usage on anything unknown. */
void parse_opts(int argc, char **argv, const struct optdef *t, const char *what);
void print_opts(const struct optdef *t);

/* ---- net.c ------------------------------------------------------------- */

enum xev { XEV_OPEN, XEV_STANZA, XEV_CLOSE };

struct conn;
struct conn_ops {
    void (*connected)(struct conn *c);  /* TCP connect completed */
    void (*tls_up)(struct conn *c);     /* TLS handshake completed */
    void (*xml)(struct conn *c, enum xev ev, const char *p, size_t n);
    void (*closed)(struct conn *c, const char *why); /* then freed */
};

struct conn {
    uint8_t kind;                       /* KIND_CONN: first, as in struct listener */
    uint8_t tls;                        /* 0 clear, 1 handshaking, 2 up */
    bool connecting, closed, dirty, close_after_flush, blocked;
    int fd;
    SSL *ssl;                           /* on memory BIOs: we do the socket I/O */
    BIO *rbio, *wbio;
    const struct conn_ops *ops;
    struct buf in;                      /* clear text received, not yet split */
    struct buf out;                     /* clear text to send */
    struct buf wire;                    /* bytes for the socket (TLS records) */
    int depth;                          /* XML nesting: 1 inside the stream */
    size_t scan, stanza_start;          /* splitter position in `in` */
    struct conn *next_dirty, *next_dead;
    void (*free_fn)(struct conn *c);    /* frees the enclosing object */
};

enum { KIND_CONN = 1, KIND_LISTENER = 2 };

extern int NET_BATCH;                /* epoll events per turn */
void net_init(void);
/* Starts a non-blocking connect of `c` (already zeroed and given ops). */
int net_connect(struct conn *c, const struct sockaddr_in *sa);
/* `sess`: a client session to resume (or NULL); `app`: SSL_set_app_data. */
void net_start_tls(struct conn *c, SSL_CTX *ctx, bool server, const char *sni, SSL_SESSION *sess,
                   void *app);
void net_dirty(struct conn *c);         /* call after appending to c->out */
void net_send(struct conn *c, const void *d, size_t n);
void net_sends(struct conn *c, const char *s);
void net_close(struct conn *c, const char *why);
void net_stream_reset(struct conn *c);  /* a new stream starts (after TLS, SASL) */
/* One turn: waits up to timeout_ms, handles events, flushes, frees. */
void net_turn(int timeout_ms);
void net_turn_ns(int64_t timeout_ns); /* epoll_pwait2: sub-millisecond waits */
void net_flush_all(void);
int net_conns(void);                    /* open connections */
/* Listens on 127.0.0.1:port; `accept_fn` is given each new socket. */
void net_listen(int port, void (*accept_fn)(int fd, void *arg), void *arg);
SSL_CTX *tls_client_ctx(const char *groups, bool release_buffers);
SSL_CTX *tls_server_ctx(const char *cert, const char *key);
int tls_fast_cert_parse(void);       /* tls_fast.c */

/* ---- client.c ---------------------------------------------------------- */

enum mech { MECH_SCRAM_SHA_1, MECH_SCRAM_SHA_256, MECH_PLAIN };
enum tls_mode { TLS_STARTTLS, TLS_DIRECT, TLS_NONE };

struct opts {
    const char *host;
    int port, tls_port;
    const char *domain;
    enum tls_mode tls_mode;
    enum mech mech;
    int server_pid;
    const char *scram_cache;
    const char *user_fmt, *pass_fmt;    /* "u%d", "pw%d" */
    int first_user, users;              /* accounts first_user .. first_user+users-1 */
    const char *tls_groups;
    const char *tls_ciphersuites;
    double timeout_s;                   /* a login not done by then fails */
    int verbose;
    int no_fast_cert;
    const char *tag;                    /* RESULT name instead of the scenario's */
    int resume;                         /* offer TLS session resumption */
};
extern struct opts O;

/* After bind, a client may fetch its roster and send initial presence. */
enum { CF_ROSTER = 1, CF_PRESENCE = 2, CF_RELEASE = 4 };

enum cstate {
    CS_TCP, CS_FEAT0, CS_PROCEED, CS_TLS, CS_FEAT1, CS_AUTH, CS_FEAT2, CS_BIND,
    CS_ROSTER, CS_READY, CS_CLOSING
};

struct client {
    struct conn c;
    int acct, res, idx;
    uint8_t st, flags;
    bool counted_ready;
    nsec_t t_start, t_deadline;
    char *auth_msg;                     /* SCRAM AuthMessage, during auth */
    unsigned char server_sig[64];
    char cnonce[28];
    uint64_t sent, recvd, nextid;
    char *msg_prefix;                   /* chat: "<message to='peer' type='chat'><body>T" */
    size_t msg_prefix_len;
    int peer;
    uint8_t name_len;
    char name[31];                      /* the account's local part */
    int subs_in;                        /* presence: 'subscribed' received */
    int contacts;                       /* presence: roster items with subscription both */
};

/* What a scenario is told about its clients. */
struct scenario {
    void (*ready)(struct client *cl);   /* bound (and roster, presence sent per flags) */
    void (*failed)(struct client *cl, const char *why); /* before ready */
    void (*lost)(struct client *cl, const char *why);   /* after ready */
    void (*message)(struct client *cl, const char *s, size_t n);
    void (*presence)(struct client *cl, const char *s, size_t n);
    void (*roster)(struct client *cl, const char *s, size_t n, bool ok);
    void (*closed)(struct client *cl);  /* any end, just before it is freed */
};
extern const struct scenario *SC;

void client_global_init(void);
struct client *client_start(int acct, int res, uint8_t flags, int idx);
void client_close(struct client *cl);   /* sends </stream:stream>, closes on reply */
void client_check_timeouts(nsec_t now);
void scram_cache_save(void);
extern SSL_CTX *CLIENT_CTX;
extern char TLS_INFO[96];              /* version/cipher of the first handshake */
extern long PBKDF2_RUNS, PBKDF2_CACHED, TLS_RESUMED, TLS_FULL;
/* The account's name and password. */
void acct_name(int acct, char *out, size_t cap);
void acct_pass(int acct, char *out, size_t cap);

/* ---- scenarios.c, sink.c ----------------------------------------------- */

int run_login(int argc, char **argv);
int run_idle(int argc, char **argv);
int run_chat(int argc, char **argv);
int run_presence(int argc, char **argv);
int run_sink(int argc, char **argv);

#endif
