/* xmpp_load: time, buffers, histograms, CPU and memory readings, tiny XML helpers. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "lg.h"
#include "util/base64.h"

nsec_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (nsec_t)ts.tv_sec * 1000000000u + (nsec_t)ts.tv_nsec;
}

void die(const char *fmt, ...)
{
    va_list ap;
    fputs("xmpp_load: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(2);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die("out of memory");
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        die("out of memory");
    return p;
}

uint64_t rnd64(void)
{
    static uint64_t s;
    if (!s)
        s = now_ns() ^ ((uint64_t)getpid() << 32) ^ 0x9e3779b97f4a7c15ull;
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
}

char *buf_space(struct buf *b, size_t n)
{
    if (b->off && b->off == b->len)
        b->off = b->len = 0;
    if (b->cap - b->len < n) {
        if (b->off) { /* slide down before growing */
            memmove(b->p, b->p + b->off, b->len - b->off);
            b->len -= b->off;
            b->off = 0;
        }
        if (b->cap - b->len < n) {
            size_t cap = b->cap ? b->cap : 1024;
            while (cap - b->len < n)
                cap *= 2;
            char *p = realloc(b->p, cap);
            if (!p)
                die("out of memory");
            b->p = p;
            b->cap = cap;
        }
    }
    return b->p + b->len;
}

void buf_put(struct buf *b, const void *d, size_t n)
{
    memcpy(buf_space(b, n), d, n);
    b->len += n;
}

void buf_puts(struct buf *b, const char *s) { buf_put(b, s, strlen(s)); }

void buf_free(struct buf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

size_t u64_to_dec(uint64_t v, char *p)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        p[i] = tmp[n - 1 - i];
    return n;
}

static int hist_bucket(uint64_t us)
{
    if (us < 256)
        return (int)us;
    int e = 63 - __builtin_clzll(us); /* >= 8 */
    int b = 256 + (e - 8) * 128 + (int)((us >> (e - 7)) & 127);
    return b < HIST_BUCKETS ? b : HIST_BUCKETS - 1;
}

static double hist_value_us(int b)
{
    if (b < 256)
        return b + 0.5;
    int e = (b - 256) / 128 + 8, off = (b - 256) % 128;
    double lo = (double)((uint64_t)(128 + off) << (e - 7));
    return lo + (double)(1ull << (e - 7)) / 2;
}

void hist_add(struct hist *h, nsec_t d)
{
    uint64_t us = d / 1000;
    h->b[hist_bucket(us)]++;
    h->n++;
    if (us > h->max_us)
        h->max_us = us;
}

double hist_q_ms(const struct hist *h, double q)
{
    if (!h->n)
        return 0;
    uint64_t want = (uint64_t)(q * (double)h->n);
    if (want >= h->n)
        want = h->n - 1;
    uint64_t seen = 0;
    for (int i = 0; i < HIST_BUCKETS; i++) {
        seen += h->b[i];
        if (seen > want)
            return hist_value_us(i) / 1000.0;
    }
    return (double)h->max_us / 1000.0;
}

void hist_merge(struct hist *into, const struct hist *from)
{
    for (int i = 0; i < HIST_BUCKETS; i++)
        into->b[i] += from->b[i];
    into->n += from->n;
    if (from->max_us > into->max_us)
        into->max_us = from->max_us;
}

double self_cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static long status_field_kib(const char *path, const char *field)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[256];
    long v = -1;
    size_t fl = strlen(field);
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, field, fl) && line[fl] == ':') {
            v = strtol(line + fl + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return v;
}

long self_rss_kib(void) { return status_field_kib("/proc/self/status", "VmRSS"); }

long proc_rss_kib(int pid)
{
    char path[64];
    if (pid <= 0)
        return -1;
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    return status_field_kib(path, "VmRSS");
}

double proc_cpu_s(int pid)
{
    char path[64], data[1024];
    if (pid <= 0)
        return -1;
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(data, 1, sizeof data - 1, f);
    fclose(f);
    data[n] = 0;
    char *p = strrchr(data, ')'); /* the command name may hold spaces */
    if (!p)
        return -1;
    /* after ")": state(3) ppid ... utime is field 14, stime 15 */
    unsigned long long ut = 0, st = 0;
    int field = 2;
    for (char *t = p + 1; *t && field < 15; t++) {
        if (*t == ' ') {
            field++;
            if (field == 14)
                ut = strtoull(t + 1, NULL, 10);
            else if (field == 15)
                st = strtoull(t + 1, NULL, 10);
        }
    }
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

double machine_busy_s(void)
{
    FILE *f = fopen("/proc/stat", "r");
    if (!f)
        return -1;
    unsigned long long v[8] = {0};
    int n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
                   &v[4], &v[5], &v[6], &v[7]);
    fclose(f);
    if (n < 5)
        return -1;
    /* user nice system idle iowait irq softirq steal: all but idle, iowait */
    unsigned long long busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
    return (double)busy / (double)sysconf(_SC_CLK_TCK);
}

void meter_start(struct meter *m)
{
    memset(m, 0, sizeof *m);
    m->t0 = now_ns();
    m->cpu0 = self_cpu_s();
    m->srv0 = proc_cpu_s(O.server_pid);
    m->busy0 = machine_busy_s();
}

void meter_stop(struct meter *m)
{
    m->wall = (double)(now_ns() - m->t0) / 1e9;
    if (m->wall <= 0)
        m->wall = 1e-9;
    m->gen_pct = 100.0 * (self_cpu_s() - m->cpu0) / m->wall;
    double s = proc_cpu_s(O.server_pid);
    m->srv_pct = (m->srv0 >= 0 && s >= 0) ? 100.0 * (s - m->srv0) / m->wall : -1;
    double b = machine_busy_s();
    m->other_pct = m->busy0 >= 0 && b >= 0
                       ? 100.0 * (b - m->busy0) / m->wall - m->gen_pct - (m->srv_pct > 0 ? m->srv_pct : 0)
                       : -1;
    if (m->other_pct < 0 && m->other_pct > -15)
        m->other_pct = 0; /* clock-tick rounding */
}

const char *meter_fields(const struct meter *m)
{
    static char out[128];
    snprintf(out, sizeof out, " gen_cpu=%.1f srv_cpu=%.1f other_cpu=%.1f lower_bound=%d",
             m->gen_pct, m->srv_pct, m->other_pct, m->gen_pct > 70.0 ? 1 : 0);
    return out;
}

size_t b64_enc(const void *in, size_t n, char *out)
{
    base64_encode(in, n, out);
    return base64_encoded_len(n);
}

int b64_dec(const char *in, size_t n, void *out, size_t cap, size_t *out_len)
{
    return base64_decode(in, n, out, cap, out_len);
}

bool xml_attr(const char *s, size_t n, const char *name, const char **v, size_t *vn)
{
    size_t nl = strlen(name);
    const char *end = memchr(s, '>', n);
    if (!end)
        end = s + n;
    for (const char *p = s + 1; p + nl + 2 < end; p++) {
        if (p[-1] == ' ' && !memcmp(p, name, nl) && p[nl] == '=' &&
            (p[nl + 1] == '\'' || p[nl + 1] == '"')) {
            char q = p[nl + 1];
            const char *b = p + nl + 2;
            const char *e = memchr(b, q, (size_t)(end - b));
            if (!e)
                return false;
            *v = b;
            *vn = (size_t)(e - b);
            return true;
        }
    }
    return false;
}

bool xml_is(const char *s, size_t n, const char *name)
{
    size_t nl = strlen(name);
    return n > nl + 1 && s[0] == '<' && !memcmp(s + 1, name, nl) &&
           (s[nl + 1] == ' ' || s[nl + 1] == '>' || s[nl + 1] == '/' || s[nl + 1] == '\t' ||
            s[nl + 1] == '\n' || s[nl + 1] == '\r');
}

bool xml_leaf_text(const char *s, size_t n, const char **t, size_t *tn)
{
    const char *gt = memchr(s, '>', n);
    if (!gt || gt[-1] == '/') {
        *t = "";
        *tn = 0;
        return gt != NULL;
    }
    const char *lt = memchr(gt + 1, '<', (size_t)(s + n - gt - 1));
    if (!lt)
        return false;
    *t = gt + 1;
    *tn = (size_t)(lt - gt - 1);
    return true;
}

void print_opts(const struct optdef *t)
{
    for (; t->name; t++) {
        char def[64] = "";
        switch (t->type) {
        case 'i': snprintf(def, sizeof def, " (%d)", *(int *)t->p); break;
        case 'd': snprintf(def, sizeof def, " (%g)", *(double *)t->p); break;
        case 's': snprintf(def, sizeof def, " (%s)", *(const char **)t->p ? *(const char **)t->p : "none"); break;
        default: break;
        }
        fprintf(stderr, "  --%-16s %s%s\n", t->name, t->help, def);
    }
}

void parse_opts(int argc, char **argv, const struct optdef *t, const char *what)
{
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const struct optdef *d = NULL;
        if (a[0] == '-' && a[1] == '-')
            for (d = t; d->name && strcmp(d->name, a + 2); d++)
                ;
        if (!d || !d->name) {
            fprintf(stderr, "xmpp_load %s: unknown option %s; options:\n", what, a);
            print_opts(t);
            exit(2);
        }
        if (d->type == 'b') {
            *(int *)d->p = 1;
            continue;
        }
        if (i + 1 >= argc)
            die("%s needs a value", a);
        const char *v = argv[++i];
        char *end;
        switch (d->type) {
        case 'i':
            *(int *)d->p = (int)strtol(v, &end, 10);
            if (*end)
                die("%s wants a number, not %s", a, v);
            break;
        case 'd':
            *(double *)d->p = strtod(v, &end);
            if (*end)
                die("%s wants a number, not %s", a, v);
            break;
        default:
            *(const char **)d->p = v;
        }
    }
}
