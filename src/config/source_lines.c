/*
 * Finding where a value was written; see source_lines.h.
 */
#include "config/source_lines.h"

#include <ctype.h>
#include <string.h>

enum { LOOK_BACK = 500 };

/* Offset of the start of line `line` (1-based); len when past the end. */
static size_t line_start(const struct source_text *src, int line)
{
    size_t off = 0;
    for (int n = 1; n < line && off < src->len; off++) {
        n += src->text[off] == '\n';
    }
    return off;
}

static size_t line_end(const struct source_text *src, size_t off)
{
    while (off < src->len && src->text[off] != '\n') {
        off++;
    }
    return off;
}

static bool is_word(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* Is `name` written at `p` as the target of an assignment? */
static bool assigns(const struct source_text *src, size_t p, const char *name, size_t n)
{
    if (p + n > src->len || memcmp(src->text + p, name, n) != 0) {
        return false;
    }
    if ((p > 0 && is_word(src->text[p - 1])) || (p + n < src->len && is_word(src->text[p + n]))) {
        return false;
    }
    size_t q = p + n;
    while (q < src->len && (src->text[q] == ' ' || src->text[q] == '\t')) {
        q++;
    }
    return q < src->len && src->text[q] == '=' && (q + 1 >= src->len || src->text[q + 1] != '=');
}

int source_assignment_line(const struct source_text *src, int line, const char *name)
{
    size_t n = strlen(name);
    for (int l = line; l > 0 && l > line - LOOK_BACK; l--) {
        size_t start = line_start(src, l), end = line_end(src, start);
        for (size_t p = start; p < end; p++) {
            if (assigns(src, p, name, n)) {
                return l;
            }
        }
    }
    return line;
}

/* Finds `needle` from *off onwards before `end`; moves *off past it and
 * returns true when found. `quoted` wants "needle" or 'needle'. */
static bool find_next(const struct source_text *src, size_t *off, size_t end, const char *needle,
                      bool quoted)
{
    size_t n = strlen(needle);
    for (size_t p = *off; p + n <= end; p++) {
        if (memcmp(src->text + p, needle, n) != 0) {
            continue;
        }
        bool ok = quoted ? p > 0 && (src->text[p - 1] == '"' || src->text[p - 1] == '\'') &&
                               p + n < end && src->text[p + n] == src->text[p - 1]
                         : assigns(src, p, needle, n);
        if (ok) {
            *off = p + n;
            return true;
        }
    }
    return false;
}

static int line_of(const struct source_text *src, size_t off)
{
    int line = 1;
    for (size_t i = 0; i < off && i < src->len; i++) {
        line += src->text[i] == '\n';
    }
    return line;
}

void source_place_items(const struct source_text *src, int first, int last, struct cfg_value *v)
{
    if (v->kind != CFG_TABLE || first <= 0 || last < first) {
        return;
    }
    size_t off = line_start(src, first), end = line_end(src, line_start(src, last));
    struct cfg_table *t = v->u.table;
    for (size_t i = 0; i < t->narray; i++) {
        size_t at = off;
        if (t->array[i].kind == CFG_STRING && find_next(src, &at, end, t->array[i].u.str.ptr, true)) {
            t->array[i].line = line_of(src, at);
            off = at;
        }
    }
    for (size_t i = 0; i < t->npairs; i++) { /* pairs are sorted by key: search from the start */
        size_t at = line_start(src, first);
        if (find_next(src, &at, end, t->pairs[i].key, false)) {
            t->pairs[i].value.line = line_of(src, at);
        }
    }
}
