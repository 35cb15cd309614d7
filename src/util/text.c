/*
 * Parsing of administrator-written values; see text.h.
 */
#include "util/text.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xalloc.h"

int text_parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(s, yes[i]) == 0) {
            *out = true;
            return 0;
        }
        if (strcasecmp(s, no[i]) == 0) {
            *out = false;
            return 0;
        }
    }
    return -1;
}

static const char *skip_space(const char *s)
{
    while (isspace((unsigned char)*s)) {
        s++;
    }
    return s;
}

/* Reads a leading number; returns the rest of the text or NULL. */
static const char *lead_number(const char *s, double *out, bool *is_integer)
{
    s = skip_space(s);
    if (!*s || isspace((unsigned char)*s)) {
        return NULL;
    }
    char *end;
    errno = 0;
    double d = strtod(s, &end);
    if (end == s || errno == ERANGE || !isfinite(d)) {
        return NULL;
    }
    if (is_integer) {
        *is_integer = strcspn(s, ".eEnNxX") >= (size_t)(end - s) && fabs(d) < 9.007199254740992e15;
    }
    *out = d;
    return end;
}

int text_parse_number(const char *s, double *out, bool *is_integer)
{
    const char *rest = lead_number(s, out, is_integer);
    return rest && !*skip_space(rest) ? 0 : -1;
}

char **text_split_list(const char *s, size_t *n)
{
    size_t cap = 1;
    for (const char *p = s; *p; p++) {
        cap += *p == ',';
    }
    char **items = xcalloc(cap + 1, sizeof *items);
    *n = 0;
    const char *p = s;
    while (*p) {
        const char *comma = strchr(p, ',');
        const char *end = comma ? comma : p + strlen(p);
        const char *a = skip_space(p), *b = end;
        while (b > a && isspace((unsigned char)b[-1])) {
            b--;
        }
        if (b > a) {
            items[(*n)++] = xstrndup(a, (size_t)(b - a));
        }
        p = comma ? comma + 1 : end;
    }
    return items;
}

void text_free_list(char **items)
{
    for (char **i = items; i && *i; i++) {
        free(*i);
    }
    free(items);
}

struct unit {
    const char *name;
    double factor;
};

/* Matches the unit text (case-insensitive, trailing spaces allowed). */
static int apply_unit(const char *rest, const struct unit *units, double *value)
{
    rest = skip_space(rest);
    size_t len = strlen(rest);
    while (len && isspace((unsigned char)rest[len - 1])) {
        len--;
    }
    for (const struct unit *u = units; u->name; u++) {
        if (strlen(u->name) == len && strncasecmp(rest, u->name, len) == 0) {
            *value *= u->factor;
            return 0;
        }
    }
    return -1;
}

static const struct unit size_units[] = {
    {"", 1}, {"b", 1}, {"bytes", 1},
    {"k", 1024.0}, {"kb", 1024.0}, {"kib", 1024.0},
    {"m", 1048576.0}, {"mb", 1048576.0}, {"mib", 1048576.0},
    {"g", 1073741824.0}, {"gb", 1073741824.0}, {"gib", 1073741824.0},
    {"t", 1099511627776.0}, {"tb", 1099511627776.0}, {"tib", 1099511627776.0},
    {NULL, 0},
};

int text_parse_size(const char *s, double *out)
{
    const char *rest = lead_number(s, out, NULL);
    return rest && *out >= 0 && apply_unit(rest, size_units, out) == 0 ? 0 : -1;
}

static const struct unit duration_units[] = {
    {"", 1}, {"s", 1}, {"sec", 1}, {"second", 1}, {"seconds", 1},
    {"ms", 0.001}, {"millisecond", 0.001}, {"milliseconds", 0.001},
    {"m", 60}, {"min", 60}, {"minute", 60}, {"minutes", 60},
    {"h", 3600}, {"hour", 3600}, {"hours", 3600},
    {"d", 86400}, {"day", 86400}, {"days", 86400},
    {"w", 604800}, {"week", 604800}, {"weeks", 604800},
    {"mo", 2629800}, {"month", 2629800}, {"months", 2629800},
    {"y", 31557600}, {"year", 31557600}, {"years", 31557600},
    {NULL, 0},
};

int text_parse_duration(const char *s, double *out)
{
    const char *rest = lead_number(s, out, NULL);
    return rest && *out >= 0 && apply_unit(rest, duration_units, out) == 0 ? 0 : -1;
}

/* COMPAT(prosody): mod_limits counts rates in powers of 1000 ("10kb/s" is
 * 10000 bytes per second), unlike sizes. */
static const struct unit rate_units[] = {
    {"", 1}, {"b", 1}, {"k", 1e3}, {"kb", 1e3}, {"m", 1e6}, {"mb", 1e6}, {"g", 1e9}, {"gb", 1e9},
    {NULL, 0},
};

int text_parse_rate(const char *s, double *out)
{
    const char *slash = strchr(s, '/');
    if (!slash) {
        return text_parse_number(s, out, NULL) == 0 && *out >= 0 ? 0 : -1;
    }
    if (strcasecmp(skip_space(slash + 1), "s") != 0) {
        return -1;
    }
    char *amount = xstrndup(s, (size_t)(slash - s));
    const char *rest = lead_number(amount, out, NULL);
    int rc = rest && *out >= 0 && apply_unit(rest, rate_units, out) == 0 ? 0 : -1;
    free(amount);
    return rc;
}

size_t text_distance(const char *a, const char *b, size_t cap)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) {
        return cap + 1;
    }
    size_t row[65];
    for (size_t j = 0; j <= lb; j++) {
        row[j] = j;
    }
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0], best = row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            size_t v = diag + cost;
            v = up + 1 < v ? up + 1 : v;
            v = row[j - 1] + 1 < v ? row[j - 1] + 1 : v;
            row[j] = v;
            diag = up;
            best = v < best ? v : best;
        }
        if (best > cap) {
            return cap + 1;
        }
    }
    return row[lb] > cap ? cap + 1 : row[lb];
}
