/*
 * Diagnostics list; see diag.h.
 */
#include "config/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

void diag_add(struct diag_list *l, enum diag_level level, const char *file, int line,
              const char *code, const char *fmt, ...)
{
    l->items = xgrow(l->items, &l->cap, l->count + 1, sizeof *l->items);
    struct diag *d = &l->items[l->count++];
    struct strbuf msg = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    strbuf_vaddf(&msg, fmt, ap);
    va_end(ap);
    d->level = level;
    d->seq = l->count;
    d->file = file ? xstrdup(file) : NULL;
    d->line = line;
    d->code = xstrdup(code);
    d->message = strbuf_take(&msg);
}

size_t diag_count(const struct diag_list *l, enum diag_level level)
{
    size_t n = 0;
    for (size_t i = 0; i < l->count; i++) {
        n += l->items[i].level == level;
    }
    return n;
}

/* qsort has no context argument; the file order lives here for one sort. */
static const char *const *sort_files;
static size_t sort_nfiles;

static size_t file_rank(const char *file)
{
    if (!file) {
        return 0; /* tree-wide problems first */
    }
    for (size_t i = 0; i < sort_nfiles; i++) {
        if (strcmp(sort_files[i], file) == 0) {
            return i + 1;
        }
    }
    return sort_nfiles + 1;
}

static int cmp_diag(const void *a, const void *b)
{
    const struct diag *x = a, *y = b;
    size_t rx = file_rank(x->file), ry = file_rank(y->file);
    if (rx != ry) {
        return rx < ry ? -1 : 1;
    }
    if (x->file && y->file && rx == sort_nfiles + 1) {
        int c = strcmp(x->file, y->file);
        if (c) {
            return c;
        }
    }
    if (x->line != y->line) {
        return x->line < y->line ? -1 : 1;
    }
    if (x->level != y->level) {
        return (int)y->level - (int)x->level;
    }
    return x->seq < y->seq ? -1 : 1;
}

void diag_sort(struct diag_list *l, const char *const *files, size_t nfiles)
{
    sort_files = files;
    sort_nfiles = nfiles;
    qsort(l->items, l->count, sizeof *l->items, cmp_diag);
}

void diag_list_free(struct diag_list *l)
{
    for (size_t i = 0; i < l->count; i++) {
        free(l->items[i].file);
        free(l->items[i].code);
        free(l->items[i].message);
    }
    free(l->items);
    l->items = NULL;
    l->count = l->cap = 0;
}

const char *diag_level_name(enum diag_level level)
{
    switch (level) {
    case DIAG_ERROR:
        return "error";
    case DIAG_WARNING:
        return "warning";
    case DIAG_INFO:
        break;
    }
    return "info";
}
