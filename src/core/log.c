/*
 * Logging through a writer thread; see log.h.
 *
 * The loop formats a line and appends it to each matching sink's buffer
 * under a mutex; the writer thread swaps the buffers out and writes them.
 * PERF: one lock per line, never held across I/O. The buffers are bounded:
 * beyond MAX_QUEUED bytes lines are counted and dropped rather than letting
 * a stuck disk grow memory without end.
 */
#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "strata/errors.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

enum { MAX_SINKS = 8, MAX_MODULES = 64, MAX_QUEUED = 8 << 20 };

enum sink_kind { SINK_STDOUT, SINK_STDERR, SINK_SYSLOG, SINK_FILE };

struct sink {
    enum sink_kind kind;
    unsigned levels; /* bit per enum log_level */
    char *path;
    int fd;
    struct strbuf queued;
};

struct module_level {
    char name[32];
    enum log_level level;
};

static struct {
    struct sink sinks[MAX_SINKS];
    size_t nsinks;
    struct module_level modules[MAX_MODULES];
    size_t nmodules;
    enum log_level min_level;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
    bool running;
    bool stopping;
    bool reopen;
    size_t queued;
    unsigned long dropped;
} L = {.lock = PTHREAD_MUTEX_INITIALIZER,
       .wake = PTHREAD_COND_INITIALIZER,
       .min_level = STRATA_LOG_INFO};

static const char *const level_names[] = {"debug", "info", "warn", "error"};

static int parse_level(const char *s)
{
    for (int i = 0; i < 4; i++) {
        if (strcmp(level_names[i], s) == 0) {
            return i;
        }
    }
    return strcmp(s, "warning") == 0 ? STRATA_LOG_WARN : -1;
}

static unsigned from_level(int level)
{
    return level < 0 ? 0 : (0xfu << level) & 0xfu;
}

/* ---- sinks from the configuration ------------------------------------ */

static const char *sink_base_dir;

static int add_sink(const char *target, enum sink_kind kind, unsigned levels)
{
    if (L.nsinks == MAX_SINKS || !levels) {
        return 0;
    }
    struct sink *s = &L.sinks[L.nsinks++];
    *s = (struct sink){.kind = kind, .levels = levels, .fd = -1};
    if (kind == SINK_FILE) {
        s->path = target[0] == '/' || !sink_base_dir ? xstrdup(target)
                                                     : xasprintf("%s/%s", sink_base_dir, target);
    }
    return 0;
}

static enum sink_kind kind_of(const char *target)
{
    if (strcmp(target, "*console") == 0 || strcmp(target, "*stdout") == 0) {
        return SINK_STDOUT;
    }
    if (strcmp(target, "*stderr") == 0) {
        return SINK_STDERR;
    }
    return strcmp(target, "*syslog") == 0 ? SINK_SYSLOG : SINK_FILE;
}

static unsigned levels_of(const struct cfg_value *levels)
{
    if (!levels) {
        return from_level(STRATA_LOG_INFO);
    }
    const struct cfg_value *min = cfg_table_get(levels, "min");
    if (min && min->kind == CFG_STRING) {
        return from_level(parse_level(min->u.str.ptr));
    }
    unsigned mask = 0;
    for (size_t i = 0; levels->kind == CFG_TABLE && i < levels->u.table->narray; i++) {
        const struct cfg_value *l = &levels->u.table->array[i];
        int n = l->kind == CFG_STRING ? parse_level(l->u.str.ptr) : -1;
        mask |= n >= 0 ? 1u << n : 0;
    }
    return mask;
}

/* { levels = ..., to = "file"|"console"|"syslog", filename = ... } */
static void add_entry(const struct cfg_value *e)
{
    const struct cfg_value *to = cfg_table_get(e, "to");
    const struct cfg_value *file = cfg_table_get(e, "filename");
    unsigned levels = levels_of(cfg_table_get(e, "levels"));
    const char *dest = to && to->kind == CFG_STRING ? to->u.str.ptr : "console";
    if (strcmp(dest, "file") == 0 && file && file->kind == CFG_STRING) {
        add_sink(file->u.str.ptr, SINK_FILE, levels);
    } else if (strcmp(dest, "syslog") == 0) {
        add_sink(NULL, SINK_SYSLOG, levels);
    } else {
        add_sink(NULL, strcmp(dest, "stderr") == 0 ? SINK_STDERR : SINK_STDOUT, levels);
    }
}

static void configure_sinks(const struct cfg_value *log)
{
    if (!log || log->kind == CFG_NIL) {
        add_sink(NULL, SINK_STDOUT, from_level(STRATA_LOG_INFO));
    } else if (log->kind == CFG_STRING) {
        add_sink(log->u.str.ptr, kind_of(log->u.str.ptr), from_level(STRATA_LOG_INFO));
    } else if (log->kind == CFG_TABLE) {
        for (size_t i = 0; i < log->u.table->npairs; i++) { /* Prosody: { info = "file" } */
            const struct cfg_pair *p = &log->u.table->pairs[i];
            if (p->value.kind == CFG_STRING) {
                add_sink(p->value.u.str.ptr, kind_of(p->value.u.str.ptr),
                         from_level(parse_level(p->key)));
            }
        }
        for (size_t i = 0; i < log->u.table->narray; i++) {
            add_entry(&log->u.table->array[i]);
        }
    }
    L.min_level = STRATA_LOG_ERROR;
    for (size_t i = 0; i < L.nsinks; i++) {
        for (int l = 0; l < 4; l++) {
            if ((L.sinks[i].levels & (1u << l)) && l < (int)L.min_level) {
                L.min_level = (enum log_level)l;
            }
        }
    }
}

static void configure_modules(const struct cfg_value *levels)
{
    for (size_t i = 0; levels && levels->kind == CFG_TABLE && i < levels->u.table->npairs; i++) {
        const struct cfg_pair *p = &levels->u.table->pairs[i];
        int l = p->value.kind == CFG_STRING ? parse_level(p->value.u.str.ptr) : -1;
        if (l >= 0 && L.nmodules < MAX_MODULES) {
            struct module_level *m = &L.modules[L.nmodules++];
            snprintf(m->name, sizeof m->name, "%s", p->key);
            m->level = (enum log_level)l;
        }
    }
}

static int open_files(char *err, size_t errlen)
{
    for (size_t i = 0; i < L.nsinks; i++) {
        struct sink *s = &L.sinks[i];
        if (s->kind != SINK_FILE) {
            continue;
        }
        int fd = open(s->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
        if (fd < 0) {
            snprintf(err, errlen, "cannot open log file %s: %s", s->path, strerror(errno));
            return STRATA_EIO;
        }
        if (s->fd >= 0) {
            close(s->fd);
        }
        s->fd = fd;
    }
    return 0;
}

/* ---- the writer thread ------------------------------------------------- */

static void write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return; /* nowhere left to report it */
        }
        p += w;
        n -= (size_t)w;
    }
}

static void emit(struct sink *s, const struct strbuf *b)
{
    switch (s->kind) {
    case SINK_STDOUT:
        write_all(STDOUT_FILENO, b->ptr, b->len);
        break;
    case SINK_STDERR:
        write_all(STDERR_FILENO, b->ptr, b->len);
        break;
    case SINK_FILE:
        write_all(s->fd, b->ptr, b->len);
        break;
    case SINK_SYSLOG:
        for (char *line = b->ptr; line && *line;) {
            char *nl = strchr(line, '\n');
            syslog(LOG_INFO, "%.*s", (int)(nl ? nl - line : (long)strlen(line)), line);
            line = nl ? nl + 1 : NULL;
        }
        break;
    }
}

static void *writer_main(void *arg)
{
    struct strbuf taken[MAX_SINKS];
    pthread_mutex_lock(&L.lock);
    for (;;) {
        while (!L.queued && !L.stopping && !L.reopen) {
            pthread_cond_wait(&L.wake, &L.lock);
        }
        bool reopen = L.reopen, stop = L.stopping && !L.queued;
        for (size_t i = 0; i < L.nsinks; i++) {
            taken[i] = L.sinks[i].queued;
            L.sinks[i].queued = (struct strbuf)STRBUF_INIT;
        }
        L.queued = 0;
        L.reopen = false;
        pthread_mutex_unlock(&L.lock);
        if (reopen) {
            char err[256];
            open_files(err, sizeof err);
        }
        for (size_t i = 0; i < L.nsinks; i++) {
            if (taken[i].len) {
                emit(&L.sinks[i], &taken[i]);
            }
            strbuf_release(&taken[i]);
        }
        pthread_mutex_lock(&L.lock);
        if (stop) {
            break;
        }
    }
    pthread_mutex_unlock(&L.lock);
    return NULL;
}

static void forget_config(void)
{
    for (size_t i = 0; i < L.nsinks; i++) {
        if (L.sinks[i].fd >= 0) {
            close(L.sinks[i].fd);
        }
        free(L.sinks[i].path);
        strbuf_release(&L.sinks[i].queued);
    }
    L.nsinks = L.nmodules = 0;
    L.min_level = STRATA_LOG_INFO;
}

int log_start(const struct cfg_value *log, const struct cfg_value *levels, const char *base_dir,
              char *err, size_t errlen)
{
    forget_config();
    sink_base_dir = base_dir;
    configure_sinks(log);
    configure_modules(levels);
    int rc = open_files(err, errlen);
    if (rc == 0 && pthread_create(&L.thread, NULL, writer_main, NULL) != 0) {
        snprintf(err, errlen, "cannot start the log writer thread");
        rc = STRATA_EIO;
    }
    if (rc < 0) {
        forget_config();
        return rc;
    }
    L.running = true;
    return 0;
}

void log_reopen(void)
{
    pthread_mutex_lock(&L.lock);
    L.reopen = true;
    pthread_cond_signal(&L.wake);
    pthread_mutex_unlock(&L.lock);
}

void log_stop(void)
{
    if (!L.running) {
        return;
    }
    pthread_mutex_lock(&L.lock);
    L.stopping = true;
    pthread_cond_signal(&L.wake);
    pthread_mutex_unlock(&L.lock);
    pthread_join(L.thread, NULL);
    forget_config();
    L.running = L.stopping = false;
}

/* ---- writing a line ---------------------------------------------------- */

static enum log_level module_level(const char *module)
{
    for (size_t i = 0; module && i < L.nmodules; i++) {
        if (strcmp(L.modules[i].name, module) == 0) {
            return L.modules[i].level;
        }
    }
    return L.min_level;
}

bool log_enabled(enum log_level level, const char *module)
{
    return level >= module_level(module);
}

static void format_line(struct strbuf *b, enum log_level level, const char *module,
                        const struct log_ctx *ctx, const char *fmt, va_list ap)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    strbuf_addf(b, "%s.%03dZ %-5s %s", stamp, (int)(tv.tv_usec / 1000), level_names[level],
                module ? module : "strata");
    if (ctx && (ctx->session || ctx->peer || ctx->jid)) {
        const char *parts[] = {ctx->session, ctx->peer, ctx->jid};
        const char *sep = " [";
        for (size_t i = 0; i < 3; i++) {
            if (parts[i]) {
                strbuf_addf(b, "%s%s", sep, parts[i]);
                sep = " ";
            }
        }
        strbuf_adds(b, "]");
    }
    strbuf_adds(b, " ");
    strbuf_vaddf(b, fmt, ap);
    strbuf_adds(b, "\n");
}

void log_write(enum log_level level, const char *module, const struct log_ctx *ctx, const char *fmt,
               ...)
{
    struct strbuf line = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    format_line(&line, level, module, ctx, fmt, ap);
    va_end(ap);
    if (!L.running) { /* before start and after stop: straight to stderr */
        write_all(STDERR_FILENO, line.ptr, line.len);
        strbuf_release(&line);
        return;
    }
    pthread_mutex_lock(&L.lock);
    if (L.queued + line.len > MAX_QUEUED) {
        L.dropped++;
    } else {
        /* A module's own level (log_levels) is the administrator asking for
         * that module's lines: they reach every sink, whatever its levels. */
        bool forced = level < L.min_level;
        for (size_t i = 0; i < L.nsinks; i++) {
            if (forced || (L.sinks[i].levels & (1u << level))) {
                strbuf_add(&L.sinks[i].queued, line.ptr, line.len);
            }
        }
        L.queued += line.len;
        pthread_cond_signal(&L.wake);
    }
    pthread_mutex_unlock(&L.lock);
    strbuf_release(&line);
}

unsigned long log_dropped(void)
{
    pthread_mutex_lock(&L.lock);
    unsigned long n = L.dropped;
    pthread_mutex_unlock(&L.lock);
    return n;
}
