/*
 * Diagnostics: what `strata check` reports. Each names a file and line (or
 * none, for problems of the whole tree), a level, a stable code for tools
 * and tests ("unknown-option"), and a message written for an administrator.
 */
#ifndef STRATA_CONFIG_DIAG_H
#define STRATA_CONFIG_DIAG_H

#include <stdbool.h>
#include <stddef.h>

enum diag_level {
    DIAG_INFO,
    DIAG_WARNING,
    DIAG_ERROR,
};

struct diag {
    enum diag_level level;
    char *file; /* owned; NULL when the problem has no place */
    int line;   /* 0 when unknown */
    char *code; /* owned, e.g. "unknown-option" */
    char *message; /* owned */
    size_t seq;    /* order of addition, to keep sorting stable */
};

struct diag_list {
    struct diag *items;
    size_t count;
    size_t cap;
};

/* Adds a diagnostic; copies `file`, `code` and the formatted message. */
void diag_add(struct diag_list *l, enum diag_level level, const char *file, int line,
              const char *code, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Number of diagnostics at `level`. */
size_t diag_count(const struct diag_list *l, enum diag_level level);

/* Sorts by file (first-seen order of `files`, then by name), then line. */
void diag_sort(struct diag_list *l, const char *const *files, size_t nfiles);

void diag_list_free(struct diag_list *l);

const char *diag_level_name(enum diag_level level);

#endif
