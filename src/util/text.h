/*
 * Parsing of the small textual forms an administrator writes: booleans,
 * numbers, comma-separated lists, sizes ("256K"), durations ("1w") and
 * rates ("10kb/s"). Used for environment variables and option defaults.
 */
#ifndef STRATA_UTIL_TEXT_H
#define STRATA_UTIL_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* "true", "yes", "on", "1" and their opposites, any case. 0 or -1. */
int text_parse_bool(const char *s, bool *out);

/* A whole decimal or floating number with nothing around it but spaces.
 * `is_integer` tells whether it had no fraction or exponent. 0 or -1. */
int text_parse_number(const char *s, double *out, bool *is_integer);

/* Splits on commas, trimming spaces; empty text gives no items. Returns a
 * malloc'd NULL-terminated array of malloc'd strings and its length in `*n`. */
char **text_split_list(const char *s, size_t *n);
void text_free_list(char **items);

/* "4096", "256K", "10 MB", "1G" (K/M/G/T are powers of 1024; a trailing "B"
 * or "iB" is allowed). Bytes in `out`. 0 or -1. */
int text_parse_size(const char *s, double *out);

/* "30", "30s", "5m", "2h", "1d", "1w", "1y", "500ms"; also "30 seconds",
 * "2 hours", "1 week" as Prosody accepts. Seconds in `out`. 0 or -1. */
int text_parse_duration(const char *s, double *out);

/* "10kb/s", "1mb/s", "512b/s" or a plain number of bytes per second
 * (Prosody's mod_limits syntax: k and m are 1000 and 1000000 here, unlike
 * sizes). Bytes per second in `out`. 0 or -1. */
int text_parse_rate(const char *s, double *out);

/* Levenshtein distance between two short strings, capped at `cap`+1. */
size_t text_distance(const char *a, const char *b, size_t cap);

#endif
