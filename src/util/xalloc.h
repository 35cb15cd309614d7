/*
 * Allocation that aborts on exhaustion. Hostile input is defended by limits
 * checked before allocating, not by recovering from a failed malloc.
 */
#ifndef STRATA_UTIL_XALLOC_H
#define STRATA_UTIL_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grows an array of `*cap` elements of `size` bytes to hold at least `need`. */
void *xgrow(void *ptr, size_t *cap, size_t need, size_t size);

#endif
