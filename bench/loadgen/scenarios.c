/*
 * xmpp_load scenarios: login storm, idle hold, one-to-one chat at rising
 * rates, presence broadcast with 100-contact rosters.
 *
 * Every scenario prints human lines starting with "# " and machine lines
 * starting with "RESULT <scenario> key=value ...", which bench/compare.sh
 * reads. gen_cpu is this process's CPU over the measured interval in
 * percent of one core (getrusage), srv_cpu the server's (/proc/PID/stat)
 * when --server-pid is given; lower_bound=1 marks a figure taken while the
 * generator was above 70% of its core, so the server may be faster.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lg.h"

static volatile sig_atomic_t STOP;
static void on_signal(int sig) { STOP = sig; }

static void install_signals(void)
{
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGPIPE, SIG_IGN);
}

static double secs(nsec_t d) { return (double)d / 1e9; }

/* ---- the login phase every scenario starts with -------------------------- */

static struct {
    int total, concurrency, started, inflight, ready, failed, lost;
    uint8_t flags;
    bool keep;                          /* keep sessions open (else close at once) */
    struct client **cls;                /* by index, NULL when gone */
    struct hist lat;
    nsec_t t0, t_last;
    int errors_shown;
} LP;

static void show_error(const char *what, struct client *cl, const char *why)
{
    if (LP.errors_shown++ < 5)
        printf("# %s: %s (account %d): %s\n", what, cl->name, cl->acct, why);
    else if (LP.errors_shown == 6)
        printf("# (more errors not shown)\n");
}

static void lp_ready(struct client *cl)
{
    nsec_t now = now_ns();
    LP.ready++;
    LP.inflight--;
    LP.t_last = now;
    hist_add(&LP.lat, now - cl->t_start);
    if (!LP.keep)
        client_close(cl);
}

static void lp_failed(struct client *cl, const char *why)
{
    LP.failed++;
    LP.inflight--;
    show_error("login failed", cl, why);
    if (cl->idx >= 0 && cl->idx < LP.total && LP.cls[cl->idx] == cl)
        LP.cls[cl->idx] = NULL;
}

static void lp_lost(struct client *cl, const char *why)
{
    LP.lost++;
    show_error("session lost", cl, why);
}

static void lp_closed(struct client *cl)
{
    if (cl->idx >= 0 && cl->idx < LP.total && LP.cls[cl->idx] == cl)
        LP.cls[cl->idx] = NULL;
}

static int acct_for(int k) { return O.first_user + k % O.users; }
static int res_for(int k) { return k / O.users + 1; }

static void lp_launch(void)
{
    while (LP.inflight < LP.concurrency && LP.started < LP.total) {
        int k = LP.started++;
        LP.inflight++;
        struct client *cl = client_start(acct_for(k), res_for(k), LP.flags, k);
        if (cl)
            LP.cls[k] = cl;
    }
}

static void lp_init(int total, int concurrency, uint8_t flags, bool keep)
{
    memset(&LP, 0, sizeof LP);
    LP.total = total;
    LP.concurrency = concurrency;
    LP.flags = flags;
    LP.keep = keep;
    LP.cls = xcalloc((size_t)total, sizeof *LP.cls);
}

/* Runs the loop for `s` seconds (or until STOP). */
static void run_for(double s)
{
    nsec_t end = now_ns() + (nsec_t)(s * 1e9), next_check = 0;
    for (;;) {
        nsec_t now = now_ns();
        if (now >= end || STOP)
            return;
        if (now >= next_check) {
            client_check_timeouts(now);
            next_check = now + 100000000;
        }
        int ms = (int)((end - now) / 1000000) + 1;
        net_turn(ms > 100 ? 100 : ms);
    }
}

/* Logs in LP.total clients; returns the meter of the phase. */
static void lp_run(struct meter *m, double max_s)
{
    meter_start(m);
    LP.t0 = m->t0;
    nsec_t end = m->t0 + (nsec_t)(max_s * 1e9), next_check = 0;
    while (LP.ready + LP.failed < LP.total && !STOP) {
        nsec_t now = now_ns();
        if (now > end) {
            printf("# login phase stopped after %.0f s: %d of %d logged in\n", max_s, LP.ready,
                   LP.total);
            break;
        }
        lp_launch();
        if (now >= next_check) {
            client_check_timeouts(now);
            next_check = now + 100000000;
        }
        net_turn(20);
    }
    meter_stop(m);
    if (LP.t_last > LP.t0)
        m->wall = secs(LP.t_last - LP.t0);
}

/* Closes every session politely and waits (at most `max_s`) for the ends. */
static void close_all(double max_s)
{
    for (int i = 0; i < LP.total; i++)
        if (LP.cls[i])
            client_close(LP.cls[i]);
    net_flush_all();
    nsec_t end = now_ns() + (nsec_t)(max_s * 1e9);
    while (net_conns() > 0 && now_ns() < end && !STOP) {
        client_check_timeouts(now_ns());
        net_turn(50);
    }
}

static const char *tls_name(void)
{
    return O.tls_mode == TLS_DIRECT ? "direct" : O.tls_mode == TLS_STARTTLS ? "starttls" : "none";
}

static const char *mech_name(void)
{
    return O.mech == MECH_PLAIN ? "PLAIN" : O.mech == MECH_SCRAM_SHA_256 ? "SCRAM-SHA-256" : "SCRAM-SHA-1";
}

/* ---- login storm ---------------------------------------------------------- */

static const struct scenario LOGIN_SC = {
    .ready = lp_ready, .failed = lp_failed, .lost = lp_lost, .closed = lp_closed};

int run_login(int argc, char **argv)
{
    int count = O.users, conc = 200, warmup = 0;
    double max_s = 120;
    const struct optdef t[] = {
        {"count", 'i', &count, "logins (accounts are reused round-robin)"},
        {"concurrency", 'i', &conc, "logins in flight at once"},
        {"warmup", 'i', &warmup, "logins before the measured ones (e.g. to collect TLS tickets)"},
        {"max-time", 'd', &max_s, "give up after this many seconds"},
        {0, 0, 0, 0}};
    parse_opts(argc, argv, t, "login");
    install_signals();
    SC = &LOGIN_SC;
    if (warmup > 0) {
        struct meter mw;
        lp_init(warmup, conc, 0, false);
        lp_run(&mw, max_s);
        close_all(5);
        printf("# warm-up: %d logins (%d failed), %ld TLS sessions resumed, %ld full handshakes\n",
               LP.ready, LP.failed, TLS_RESUMED, TLS_FULL);
        free(LP.cls);
        TLS_RESUMED = TLS_FULL = 0;
    }
    lp_init(count, conc, 0, false);
    printf("# login storm: %d logins, %d in flight, TLS %s, %s\n", count, conc, tls_name(),
           mech_name());
    struct meter m;
    long pb0 = PBKDF2_RUNS;
    lp_run(&m, max_s);
    double rate = m.wall > 0 ? LP.ready / m.wall : 0;
    double per_core = m.gen_pct > 0 ? rate / (m.gen_pct / 100.0) : 0;
    printf("# %d logins in %.2f s: %.0f logins/s; %d failed; latency p50 %.1f ms p99 %.1f ms; "
           "generator %.0f%% of a core (one core of it: %.0f logins/s), server %.0f%%; "
           "PBKDF2 computed here %ld times\n",
           LP.ready, m.wall, rate, LP.failed, hist_q_ms(&LP.lat, .5), hist_q_ms(&LP.lat, .99),
           m.gen_pct, per_core, m.srv_pct, PBKDF2_RUNS - pb0);
    printf("RESULT %s logins=%d failed=%d seconds=%.3f logins_per_s=%.1f p50_ms=%.2f "
           "p99_ms=%.2f pbkdf2=%ld gen_per_core=%.0f tls=%s mech=%s tls_info=%s resumed=%ld%s\n",
           O.tag ? O.tag : "login", LP.ready, LP.failed, m.wall, rate, hist_q_ms(&LP.lat, .5),
           hist_q_ms(&LP.lat, .99), PBKDF2_RUNS - pb0, per_core, tls_name(), mech_name(),
           TLS_INFO[0] ? TLS_INFO : "-", TLS_RESUMED, meter_fields(&m));
    close_all(5);
    scram_cache_save();
    return LP.failed ? 1 : 0;
}

/* ---- idle hold ------------------------------------------------------------- */

int run_idle(int argc, char **argv)
{
    int sessions = O.users, conc = 200, no_presence = 0;
    double hold = 5, settle = 2, max_s = 300;
    const struct optdef t[] = {
        {"sessions", 'i', &sessions, "sessions to hold (accounts reused with new resources)"},
        {"concurrency", 'i', &conc, "logins in flight at once"},
        {"hold", 'd', &hold, "seconds to hold them after the settle time"},
        {"settle", 'd', &settle, "seconds between the last login and the RSS reading"},
        {"no-presence", 'b', &no_presence, "do not send initial presence"},
        {"max-time", 'd', &max_s, "give up logging in after this many seconds"},
        {0, 0, 0, 0}};
    parse_opts(argc, argv, t, "idle");
    install_signals();
    SC = &LOGIN_SC;
    lp_init(sessions, conc, (uint8_t)(CF_RELEASE | (no_presence ? 0 : CF_PRESENCE)), true);
    long rss0 = proc_rss_kib(O.server_pid);
    printf("# idle hold: %d sessions, TLS %s, %s, %s; server RSS before %ld KiB\n", sessions,
           tls_name(), mech_name(), no_presence ? "no presence" : "initial presence sent", rss0);
    struct meter m;
    lp_run(&m, max_s);
    double rate = m.wall > 0 ? LP.ready / m.wall : 0;
    printf("# %d sessions up in %.1f s (%.0f logins/s, generator %.0f%%, PBKDF2 here %ld); "
           "%d failed\n",
           LP.ready, m.wall, rate, m.gen_pct, PBKDF2_RUNS, LP.failed);
    run_for(settle);
    long rss1 = proc_rss_kib(O.server_pid);
    struct meter mh;
    meter_start(&mh);
    run_for(hold);
    meter_stop(&mh);
    long rss2 = proc_rss_kib(O.server_pid);
    int held = 0;
    for (int i = 0; i < LP.total; i++)
        held += LP.cls[i] != NULL;
    double per = held > 0 && rss0 >= 0 ? (double)(rss1 - rss0) / held : -1;
    printf("# server RSS: %ld KiB before, %ld KiB with %d sessions, %ld KiB after %.0f s more: "
           "%.1f KiB per session; %d sessions lost; server CPU while idle %.1f%%; "
           "generator RSS %ld KiB\n",
           rss0, rss1, held, rss2, hold, per, LP.lost, mh.srv_pct, self_rss_kib());
    printf("RESULT %s sessions=%d failed=%d lost=%d rss_before_kib=%ld rss_after_kib=%ld "
           "rss_end_kib=%ld kib_per_session=%.2f login_rate=%.1f idle_srv_cpu=%.1f tls=%s%s\n",
           O.tag ? O.tag : "idle", held, LP.failed, LP.lost, rss0, rss1, rss2, per, rate,
           mh.srv_pct, tls_name(),
           meter_fields(&m));
    fflush(stdout);
    scram_cache_save();
    close_all(20);
    return LP.failed || LP.lost ? 1 : 0;
}

/* ---- paced traffic: chat and presence updates ------------------------------ */

static struct {
    nsec_t win0, win1;                  /* measuring window */
    uint64_t recv_win, recv_all;
    struct hist h;
    bool presence;                      /* presence scenario: count presence, not messages */
} TR;

/* Reads the decimal after "T" at p (the send time); returns false if none. */
static bool read_stamp(const char *s, size_t n, const char *mark, nsec_t *t)
{
    const char *p = memmem(s, n, mark, strlen(mark));
    if (!p)
        return false;
    p += strlen(mark);
    const char *end = s + n;
    nsec_t v = 0;
    if (p >= end || *p < '0' || *p > '9')
        return false;
    while (p < end && *p >= '0' && *p <= '9')
        v = v * 10 + (nsec_t)(*p++ - '0');
    *t = v;
    return true;
}

static void tr_count(nsec_t sent)
{
    nsec_t now = now_ns();
    TR.recv_all++;
    if (now >= TR.win0 && now < TR.win1 && sent >= TR.win0) {
        TR.recv_win++;
        hist_add(&TR.h, now > sent ? now - sent : 0);
    }
}

static void chat_message(struct client *cl, const char *s, size_t n)
{
    nsec_t t;
    if (read_stamp(s, n, "<body>T", &t))
        tr_count(t);
}

/* One level of a rising-rate run. `gen` queues one unit of traffic on
 * client `cl` (returns false when it may not, e.g. its backlog is full);
 * `per_unit` is how many deliveries one unit should make. */
struct level {
    double rate, sent_ps, deliv_ps, expect_ps, p50, p99, p999, max;
    uint64_t throttled, undelivered;
    bool saturated;
    struct meter m;
};

static size_t BACKLOG = 256 * 1024;
static int BODY = 60;

static bool gen_message(struct client *cl, nsec_t t)
{
    struct conn *c = &cl->c;
    if (buf_used(&c->out) > BACKLOG)
        return false;
    char *p = buf_space(&c->out, cl->msg_prefix_len + 64 + (size_t)BODY);
    memcpy(p, cl->msg_prefix, cl->msg_prefix_len);
    size_t k = cl->msg_prefix_len;
    k += u64_to_dec(t, p + k);
    p[k++] = ' ';
    memset(p + k, 'x', (size_t)BODY);
    k += (size_t)BODY;
    memcpy(p + k, "</body></message>", 17);
    k += 17;
    c->out.len += k;
    net_dirty(c);
    cl->sent++;
    return true;
}

static bool gen_presence(struct client *cl, nsec_t t)
{
    struct conn *c = &cl->c;
    if (buf_used(&c->out) > BACKLOG)
        return false;
    char *p = buf_space(&c->out, 96);
    static const char pre[] = "<presence><status>T";
    memcpy(p, pre, sizeof pre - 1);
    size_t k = sizeof pre - 1;
    k += u64_to_dec(t, p + k);
    memcpy(p + k, "</status></presence>", 20);
    k += 20;
    c->out.len += k;
    net_dirty(c);
    cl->sent++;
    return true;
}

static void run_level(struct level *lv, int nclients, double step, double warm, int tick_ms,
                      bool (*gen)(struct client *, nsec_t), double per_unit, uint64_t *sent_all)
{
    memset(&TR.h, 0, sizeof TR.h);
    TR.recv_win = 0;
    nsec_t t0 = now_ns();
    TR.win0 = t0 + (nsec_t)(warm * 1e9);
    TR.win1 = t0 + (nsec_t)(step * 1e9);
    uint64_t due_total = 0, sent_win = 0;
    static int cursor;
    bool metering = false;
    nsec_t last_gen = 0, tick = (nsec_t)tick_ms * 1000000;
    nsec_t next_check = 0;
    for (;;) {
        nsec_t now = now_ns();
        if (!metering && now >= TR.win0) {
            meter_start(&lv->m);
            metering = true;
        }
        if (now >= TR.win1 || STOP)
            break;
        if (now - last_gen >= tick) {
            last_gen = now;
            uint64_t should = (uint64_t)(lv->rate * secs(now - t0));
            uint64_t due = should > due_total ? should - due_total : 0;
            due_total += due;
            for (uint64_t j = 0; j < due; j++) {
                struct client *cl = LP.cls[cursor++ % nclients];
                if (!cl || cl->c.closed || cl->st != CS_READY || !gen(cl, now)) {
                    lv->throttled++;
                    continue;
                }
                (*sent_all)++;
                if (now >= TR.win0)
                    sent_win++;
            }
            net_flush_all();
        }
        if (now >= next_check) {
            client_check_timeouts(now);
            next_check = now + 100000000;
        }
        nsec_t wait = last_gen + tick > now ? last_gen + tick - now : 0;
        net_turn_ns((int64_t)wait);
    }
    if (!metering)
        meter_start(&lv->m);
    meter_stop(&lv->m);
    double w = lv->m.wall;
    lv->sent_ps = sent_win / w;
    lv->deliv_ps = TR.recv_win / w;
    lv->expect_ps = lv->sent_ps * per_unit;
    lv->p50 = hist_q_ms(&TR.h, .5);
    lv->p99 = hist_q_ms(&TR.h, .99);
    lv->p999 = hist_q_ms(&TR.h, .999);
    lv->max = TR.h.max_us / 1000.0;
    lv->saturated = lv->deliv_ps < 0.95 * lv->rate * per_unit || lv->throttled > due_total / 100;
}

/* Waits until every unit sent was delivered (deliveries counted in
 * TR.recv_all), at most `max_s`; returns the deliveries still missing. */
static uint64_t drain(uint64_t expect, double max_s)
{
    nsec_t end = now_ns() + (nsec_t)(max_s * 1e9);
    while (TR.recv_all < expect && now_ns() < end && !STOP)
        net_turn(10);
    return TR.recv_all < expect ? expect - TR.recv_all : 0;
}

/* "1000,2000,5000" -> array; returns the count. */
static int parse_rates(const char *s, double *out, int max)
{
    int n = 0;
    while (*s && n < max) {
        char *end;
        out[n++] = strtod(s, &end);
        if (end == s)
            die("bad rate list at %s", s);
        s = *end == ',' ? end + 1 : end;
    }
    return n;
}

static void print_level(const char *name, const struct level *lv, const char *unit)
{
    printf("# %s: offered %.0f %s/s, sent %.0f/s, delivered %.0f/s (expected %.0f/s), "
           "latency p50 %.2f ms p99 %.2f ms p99.9 %.2f ms max %.1f ms, throttled %lu%s; "
           "generator %.0f%%, server %.0f%%\n",
           name, lv->rate, unit, lv->sent_ps, lv->deliv_ps, lv->expect_ps, lv->p50, lv->p99,
           lv->p999, lv->max, (unsigned long)lv->throttled, lv->saturated ? " SATURATED" : "",
           lv->m.gen_pct, lv->m.srv_pct);
    printf("RESULT %s rate=%.0f sent_per_s=%.1f delivered_per_s=%.1f expected_per_s=%.1f "
           "p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.2f throttled=%lu undelivered=%lu "
           "saturated=%d gen_per_core=%.0f%s\n",
           name, lv->rate, lv->sent_ps, lv->deliv_ps, lv->expect_ps, lv->p50, lv->p99, lv->p999,
           lv->max, (unsigned long)lv->throttled, (unsigned long)lv->undelivered, lv->saturated,
           lv->m.gen_pct > 0 ? lv->deliv_ps / (lv->m.gen_pct / 100.0) : 0, meter_fields(&lv->m));
    fflush(stdout);
}

/* Runs rising levels until one saturates (and `extra` more after it). */
static void rising(const char *name, const char *unit, const char *rates_s, int nclients,
                   double step, double warm, int tick_ms, bool (*gen)(struct client *, nsec_t),
                   double per_unit, int extra)
{
    if (O.tag)
        name = O.tag;
    double rates[64];
    int nr = parse_rates(rates_s, rates, 64);
    uint64_t sent_all = 0;
    double best = 0, best_rate = 0;
    int after = -1;
    for (int i = 0; i < nr && !STOP; i++) {
        struct level lv = {.rate = rates[i]};
        run_level(&lv, nclients, step, warm, tick_ms, gen, per_unit, &sent_all);
        lv.undelivered = drain((uint64_t)(sent_all * per_unit), lv.saturated ? 3 : 5);
        if (lv.undelivered && !lv.saturated)
            lv.saturated = lv.undelivered > (uint64_t)(lv.expect_ps * step / 100);
        print_level(name, &lv, unit);
        if (lv.deliv_ps > best) {
            best = lv.deliv_ps;
            best_rate = lv.rate;
        }
        if (after >= 0 && ++after > extra)
            break;
        if (lv.saturated && after < 0) {
            after = 0;
            if (extra == 0)
                break;
            /* resynchronise the counters: what was lost stays lost */
            TR.recv_all = (uint64_t)(sent_all * per_unit);
        }
        if (lv.undelivered)
            TR.recv_all = (uint64_t)(sent_all * per_unit);
    }
    printf("RESULT %s_summary max_delivered_per_s=%.1f at_offered=%.0f saturated=%d\n", name, best,
           best_rate, after >= 0);
}

/* ---- one-to-one chat --------------------------------------------------------- */

static void chat_ready(struct client *cl) { lp_ready(cl); }

static const struct scenario CHAT_SC = {.ready = chat_ready,
                                        .failed = lp_failed,
                                        .lost = lp_lost,
                                        .closed = lp_closed,
                                        .message = chat_message};

int run_chat(int argc, char **argv)
{
    int pairs = 50, conc = 200, tick = 2, backlog_kib = 256, extra = 0;
    double step = 5, warm = 1;
    const char *rates = "1000,2000,5000,10000,20000,40000,80000,160000";
    const struct optdef t[] = {
        {"pairs", 'i', &pairs, "pairs of sessions exchanging messages"},
        {"rates", 's', &rates, "offered messages/s, one level each"},
        {"step", 'd', &step, "seconds per level"},
        {"warm", 'd', &warm, "seconds at the start of a level not measured"},
        {"tick", 'i', &tick, "ms between batches"},
        {"body", 'i', &BODY, "filler characters per body"},
        {"backlog", 'i', &backlog_kib, "KiB queued on a connection before it skips messages"},
        {"extra-levels", 'i', &extra, "levels to run after the first saturated one"},
        {"concurrency", 'i', &conc, "logins in flight at once"},
        {0, 0, 0, 0}};
    parse_opts(argc, argv, t, "chat");
    BACKLOG = (size_t)backlog_kib * 1024;
    install_signals();
    SC = &CHAT_SC;
    int n = 2 * pairs;
    if (n > O.users)
        die("chat needs %d accounts, --users is %d", n, O.users);
    lp_init(n, conc, CF_PRESENCE, true);
    struct meter m;
    lp_run(&m, 120);
    if (LP.ready < n) {
        printf("RESULT chat error=login_failed ready=%d of=%d\n", LP.ready, n);
        close_all(5);
        return 1;
    }
    for (int i = 0; i < n; i++) {
        struct client *cl = LP.cls[i], *peer = LP.cls[i ^ 1];
        char pre[256];
        int k = snprintf(pre, sizeof pre, "<message to='%s@%s/r%d' type='chat'><body>T",
                         peer->name, O.domain, peer->res);
        cl->msg_prefix = strdup(pre);
        cl->msg_prefix_len = (size_t)k;
    }
    printf("# chat: %d pairs, TLS %s, %d-byte messages, %g s per level (first %g s not "
           "measured), batches every %d ms\n",
           pairs, tls_name(), (int)LP.cls[0]->msg_prefix_len + 19 + 18 + BODY, step, warm, tick);
    run_for(1);
    rising("chat", "msgs", rates, n, step, warm, tick, gen_message, 1.0, extra);
    scram_cache_save();
    close_all(5);
    return 0;
}

/* ---- presence broadcast --------------------------------------------------- */

static struct {
    int group, groups;
    bool setup;                          /* subscription dance running */
    int unsupported, roster_replies;
    nsec_t last_sub;
} PR;

static int group_of(int idx) { return idx / PR.group; }

/* The index of the client whose account is named by the JID at v. */
static int idx_of_jid(const char *v, size_t vn)
{
    const char *at = memchr(v, '@', vn);
    if (!at)
        return -1;
    /* accounts are named by O.user_fmt with a number: take the digits */
    const char *p = v;
    while (p < at && (*p < '0' || *p > '9'))
        p++;
    if (p == at)
        return -1;
    int acct = (int)strtol(p, NULL, 10);
    return acct - O.first_user;
}

static void count_contacts(struct client *cl, const char *s, size_t n)
{
    int k = 0;
    for (const char *p = s; (p = memmem(p, (size_t)(s + n - p), "subscription=", 13)); p += 13)
        if ((size_t)(s + n - p) > 18 && !memcmp(p + 14, "both", 4))
            k++;
    cl->contacts = k;
}

static void pr_roster(struct client *cl, const char *s, size_t n, bool ok)
{
    PR.roster_replies++;
    if (!ok) {
        PR.unsupported++;
        return;
    }
    count_contacts(cl, s, n);
}

static void subscribe_to(struct client *cl, int idx, const char *type)
{
    char st[160];
    snprintf(st, sizeof st, "<presence type='%s' to='", type);
    net_sends(&cl->c, st);
    char name[64];
    acct_name(O.first_user + idx, name, sizeof name);
    net_sends(&cl->c, name);
    net_sends(&cl->c, "@");
    net_sends(&cl->c, O.domain);
    net_sends(&cl->c, "'/>");
}

static void pr_presence(struct client *cl, const char *s, size_t n)
{
    const char *type, *from;
    size_t tn, fn;
    bool has_type = xml_attr(s, n, "type", &type, &tn);
    if (has_type) {
        if (tn == 9 && !memcmp(type, "subscribe", 9) && xml_attr(s, n, "from", &from, &fn)) {
            PR.last_sub = now_ns();
            int j = idx_of_jid(from, fn);
            if (j < 0 || j >= LP.total)
                return;
            subscribe_to(cl, j, "subscribed");
            if (j < cl->idx)
                subscribe_to(cl, j, "subscribe");
        } else if (tn == 10 && !memcmp(type, "subscribed", 10)) {
            PR.last_sub = now_ns();
            cl->subs_in++;
        }
        return;
    }
    if (!xml_attr(s, n, "from", &from, &fn))
        return;
    if (fn > cl->name_len && !memcmp(from, cl->name, cl->name_len) && from[cl->name_len] == '@')
        return; /* our own presence, reflected */
    nsec_t t;
    if (read_stamp(s, n, "<status>T", &t))
        tr_count(t);
}

static const struct scenario PRESENCE_SC = {.ready = lp_ready,
                                            .failed = lp_failed,
                                            .lost = lp_lost,
                                            .closed = lp_closed,
                                            .presence = pr_presence,
                                            .roster = pr_roster};

static int min_contacts(double *avg)
{
    int mn = 1 << 30;
    long sum = 0;
    for (int i = 0; i < LP.total; i++) {
        int k = LP.cls[i] ? LP.cls[i]->contacts : 0;
        if (k < mn)
            mn = k;
        sum += k;
    }
    *avg = LP.total ? (double)sum / LP.total : 0;
    return mn;
}

int run_presence(int argc, char **argv)
{
    int groups = 1, contacts = 100, conc = 100, tick = 5, extra = 0;
    double step = 5, warm = 1, setup_max = 240;
    const char *rates = "10,20,50,100,200,500,1000,2000,5000";
    const struct optdef t[] = {
        {"groups", 'i', &groups, "groups of mutual contacts (each contacts+1 accounts)"},
        {"contacts", 'i', &contacts, "roster size: everyone in a group has the others"},
        {"rates", 's', &rates, "offered presence updates/s, one level each"},
        {"step", 'd', &step, "seconds per level"},
        {"warm", 'd', &warm, "seconds at the start of a level not measured"},
        {"tick", 'i', &tick, "ms between batches"},
        {"extra-levels", 'i', &extra, "levels to run after the first saturated one"},
        {"setup-time", 'd', &setup_max, "most seconds the subscription set-up may take"},
        {"concurrency", 'i', &conc, "logins in flight at once"},
        {0, 0, 0, 0}};
    parse_opts(argc, argv, t, "presence");
    install_signals();
    SC = &PRESENCE_SC;
    PR.group = contacts + 1;
    PR.groups = groups;
    int n = PR.group * groups;
    if (n > O.users)
        die("presence needs %d accounts (%d groups of %d), --users is %d", n, groups, PR.group,
            O.users);
    lp_init(n, conc, CF_ROSTER | CF_PRESENCE, true);
    printf("# presence: %d groups of %d accounts, each with the other %d as contacts\n", groups,
           PR.group, contacts);
    struct meter m;
    lp_run(&m, 120);
    if (LP.ready < n) {
        printf("RESULT presence error=login_failed ready=%d of=%d\n", LP.ready, n);
        close_all(5);
        return 1;
    }
    if (PR.unsupported) {
        printf("# the server answered the roster request with an error: no roster support\n");
        printf("RESULT presence error=no_roster\n");
        close_all(5);
        return 3;
    }
    double avg;
    int mn = min_contacts(&avg);
    printf("# rosters at login: %.1f contacts with subscription both on average, min %d\n", avg,
           mn);
    if (mn < contacts) {
        /* The subscription dance (RFC 6121 §3): i asks every j > i in its
         * group; j approves and asks back; i approves. */
        printf("# setting up the rosters with subscription requests...\n");
        fflush(stdout);
        nsec_t t0 = now_ns(), end = t0 + (nsec_t)(setup_max * 1e9);
        PR.last_sub = t0;
        int next_i = 0;
        for (;;) {
            nsec_t now = now_ns();
            /* pace: one sender's requests per turn */
            if (next_i < n) {
                struct client *cl = LP.cls[next_i];
                int g = group_of(next_i);
                for (int j = next_i + 1; j < (g + 1) * PR.group && cl; j++)
                    subscribe_to(cl, j, "subscribe");
                next_i++;
                PR.last_sub = now;
            }
            net_flush_all();
            int done = 0;
            for (int i = 0; i < n; i++)
                done += LP.cls[i] && LP.cls[i]->subs_in >= contacts;
            if (done == n || now > end || STOP || (next_i >= n && now - PR.last_sub > 5000000000ull))
                break;
            client_check_timeouts(now);
            net_turn(next_i < n ? 5 : 50);
        }
        printf("# subscription requests answered in %.1f s\n", secs(now_ns() - t0));
        run_for(2);
        /* check what the server now says */
        PR.roster_replies = 0;
        for (int i = 0; i < n; i++)
            if (LP.cls[i])
                net_sends(&LP.cls[i]->c,
                          "<iq type='get' id='roster2'><query xmlns='jabber:iq:roster'/></iq>");
        net_flush_all();
        nsec_t end2 = now_ns() + 30000000000ull;
        while (PR.roster_replies < LP.ready && now_ns() < end2 && !STOP)
            net_turn(20);
        mn = min_contacts(&avg);
        printf("# rosters after set-up: %.1f contacts on average, min %d\n", avg, mn);
        run_for(1);
    }
    TR.presence = true;
    printf("RESULT presence_setup contacts_avg=%.1f contacts_min=%d\n", avg, mn);
    rising("presence", "updates", rates, n, step, warm, tick, gen_presence, avg, extra);
    close_all(10);
    scram_cache_save();
    return 0;
}
