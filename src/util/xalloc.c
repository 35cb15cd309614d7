/*
 * Allocation wrappers that abort on exhaustion; see xalloc.h.
 */
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *check(void *p)
{
    if (!p) {
        fputs("strata: out of memory\n", stderr);
        abort();
    }
    return p;
}

void *xmalloc(size_t size)
{
    return check(malloc(size ? size : 1));
}

void *xcalloc(size_t n, size_t size)
{
    return check(calloc(n ? n : 1, size ? size : 1));
}

void *xrealloc(void *ptr, size_t size)
{
    return check(realloc(ptr, size ? size : 1));
}

char *xstrdup(const char *s)
{
    return check(strdup(s));
}

char *xstrndup(const char *s, size_t n)
{
    return check(strndup(s, n));
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    char *s = NULL;
    va_start(ap, fmt);
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0) {
        check(NULL);
    }
    return s;
}

void *xgrow(void *ptr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) {
        return ptr;
    }
    size_t n = *cap ? *cap : 8;
    while (n < need) {
        n *= 2;
    }
    *cap = n;
    return xrealloc(ptr, n * size);
}
