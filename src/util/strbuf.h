/*
 * A growable, always NUL-terminated byte buffer for owned text.
 * Out of memory aborts (STYLE.md): callers never check for NULL.
 */
#ifndef STRATA_UTIL_STRBUF_H
#define STRATA_UTIL_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
    char *ptr; /* NUL-terminated once anything was added; NULL when empty */
    size_t len;
    size_t cap;
};

#define STRBUF_INIT {NULL, 0, 0}

void strbuf_add(struct strbuf *b, const void *data, size_t len);
void strbuf_adds(struct strbuf *b, const char *s);
void strbuf_addf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *b, const char *fmt, va_list ap);

/* Returns the text (never NULL; "" when empty) and gives up ownership:
 * the caller frees it; `b` is empty afterwards. */
char *strbuf_take(struct strbuf *b);

/* Empties `b` and frees its memory. */
void strbuf_release(struct strbuf *b);

#endif
