/*
 * Logging: one line per event, with the session, peer and JID it concerns,
 * written by a thread of its own so the loop never waits on a disk or a
 * pipe.
 *
 * Relative file names resolve against `base_dir` (the configuration's
 * folder), as every other path of the configuration does.
 *
 * Sinks come from the `log` option in Prosody's forms: "*console" (stdout),
 * "*stderr", a file name, or a table { level = sink, ... } and
 * { levels = {...}, to = "file", filename = ... } entries. `log_levels`
 * raises or lowers the level per module ({ c2s = "debug" }).
 */
#ifndef STRATA_CORE_LOG_H
#define STRATA_CORE_LOG_H

#include <stdbool.h>

#include "strata/config.h"

/* STRATA_ prefixed: <syslog.h> defines LOG_INFO and friends. */
enum log_level {
    STRATA_LOG_DEBUG,
    STRATA_LOG_INFO,
    STRATA_LOG_WARN,
    STRATA_LOG_ERROR,
};

/* Who a line is about; every field may be NULL. */
struct log_ctx {
    const char *session; /* "c2s7" */
    const char *peer;    /* "203.0.113.5:41234" */
    const char *jid;
};

/* Starts the writer thread with sinks from the `log` value (NULL: console
 * at info) and module levels from `log_levels` (may be NULL). Returns 0, or
 * STRATA_EIO when a log file cannot be opened (with a message in `err`). */
int log_start(const struct cfg_value *log, const struct cfg_value *levels, const char *base_dir,
              char *err, size_t errlen);

/* Reopens log files (SIGHUP, after logrotate moved them). */
void log_reopen(void);

/* Writes what is queued and stops the writer thread. */
void log_stop(void);

/* Whether a line of `level` from `module` would be written: callers skip
 * formatting costly arguments when not. */
bool log_enabled(enum log_level level, const char *module);

void log_write(enum log_level level, const char *module, const struct log_ctx *ctx, const char *fmt,
               ...) __attribute__((format(printf, 4, 5)));

/* Lines dropped because the writer could not keep up (bounded queue). */
unsigned long log_dropped(void);

#define LOG(level, module, ctx, ...)                                                               \
    do {                                                                                           \
        if (log_enabled(level, module)) {                                                          \
            log_write(level, module, ctx, __VA_ARGS__);                                            \
        }                                                                                          \
    } while (0)

#endif
