/*
 * Option schemas: how a module declares the configuration it reads.
 *
 * Every option Strata understands is declared once, in C, next to the code
 * that uses it: a name (spelled as Prosody spells it where Prosody has the
 * option), a type, where it may be set, a default written the way a user
 * writes it ("1w", "256K", "5222"), bounds or choices, and one line of help.
 * `strata check` validates a whole configuration tree against these tables,
 * and `strata config show` prints defaults from them.
 */
#ifndef STRATA_OPTION_H
#define STRATA_OPTION_H

#include <stdbool.h>
#include <stddef.h>

struct cfg_value;

enum strata_opt_type {
    STRATA_OPT_BOOL,     /* true / false */
    STRATA_OPT_INT,      /* whole number, within [min, max] when max > min */
    STRATA_OPT_NUMBER,   /* any number, within [min, max] when max > min */
    STRATA_OPT_STRING,   /* free text */
    STRATA_OPT_ENUM,     /* one of `choices` */
    STRATA_OPT_SIZE,     /* bytes: 4096 or "256K", "10M", "1G" (powers of 1024) */
    STRATA_OPT_DURATION, /* seconds: 30 or "30s", "5m", "2h", "1d", "1w", "1y" */
    STRATA_OPT_RATE,     /* bytes per second: "10kb/s", "1mb/s", or a number */
    STRATA_OPT_PATH,     /* a file or directory; relative to the main config's folder */
    STRATA_OPT_PORTS,    /* a port or a list of ports, 1..65535 */
    STRATA_OPT_STRINGS,  /* a string or a list of strings (items from `choices` if set) */
    STRATA_OPT_JIDS,     /* a list of bare JIDs, e.g. admins */
    STRATA_OPT_TABLE,    /* a table; keys checked against `fields` when set */
    STRATA_OPT_ANY,      /* anything; `check` decides */
};

/* Where an option may be set. A global option set inside a VirtualHost has no
 * effect and is reported; a host option set globally is inherited by hosts. */
enum strata_opt_scope {
    STRATA_SCOPE_GLOBAL = 1u << 0,
    STRATA_SCOPE_HOST = 1u << 1,
    STRATA_SCOPE_COMPONENT = 1u << 2,
    STRATA_SCOPE_ANY = STRATA_SCOPE_GLOBAL | STRATA_SCOPE_HOST | STRATA_SCOPE_COMPONENT,
    /* The usual case: settable globally and overridable per host. */
    STRATA_SCOPE_HOSTS = STRATA_SCOPE_GLOBAL | STRATA_SCOPE_HOST,
};

/* A custom validator for what the type alone cannot say. Returns NULL when
 * `v` is acceptable, else a static or thread-local message describing the
 * problem ("rate must look like 10kb/s"). Borrows `v`. */
typedef const char *(*strata_opt_check_fn)(const struct cfg_value *v);

struct strata_option {
    const char *name;
    enum strata_opt_type type;
    unsigned scope;       /* enum strata_opt_scope bits; 0 means STRATA_SCOPE_HOSTS */
    const char *def;      /* default as a user writes it; NULL when unset by default.
                             Lists are comma-separated: "5222" or "*, ::" */
    double min, max;      /* bounds for INT, NUMBER, SIZE, DURATION, RATE; none when min == max */
    /* ENUM choices; allowed STRINGS items; for SIZE, DURATION, RATE, INT and
     * NUMBER, words accepted besides a number ("never", "unlimited").
     * NULL-terminated. */
    const char *const *choices;
    const struct strata_option *fields;  /* TABLE: known keys, terminated by {0}; NULL = free-form */
    strata_opt_check_fn check;           /* extra validation, may be NULL */
    const char *help;                    /* one line, shown by `strata config show` and docs */
    /* Prosody spells it this way too, or it is ours. Shown in docs; informative only. */
    bool strata_only;
    /* Declared (so configurations validate) but not acted on yet by an
     * implemented module: `strata check` warns when it is set. */
    bool planned;
};

#define STRATA_CHOICES(...) ((const char *const[]){__VA_ARGS__, NULL})

#endif
