/*
 * Option schemas at work; see schema.h.
 */
#include "config/schema.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/core_options.h"
#include "util/strbuf.h"
#include "util/strmap.h"
#include "util/text.h"
#include "util/xalloc.h"

/* ---- lookup ---------------------------------------------------------- */

void schema_each(void (*fn)(const struct schema_entry *e, void *ud), void *ud)
{
    for (const struct strata_core_option_group *g = strata_core_option_groups; g->file; g++) {
        for (const struct strata_option *o = g->options; o->name; o++) {
            fn(&(struct schema_entry){o, NULL, g->file}, ud);
        }
    }
    size_t n;
    const struct strata_module *const *mods = strata_modules_all(&n);
    for (size_t i = 0; i < n; i++) {
        for (const struct strata_option *o = mods[i]->options; o && o->name; o++) {
            fn(&(struct schema_entry){o, mods[i], mods[i]->config_file}, ud);
        }
    }
}

/* PERF: options are looked up by name on every check and, at run time, by
 * modules for each stream (the SASL offer alone reads a dozen); an index
 * built once replaces a scan of some 400 declarations per lookup. The
 * catalogue is constant, so the index never changes after it is built. */
static struct {
    struct strmap by_name;
    struct schema_entry *entries;
    size_t count;
    size_t cap;
} index_;

static void index_one(const struct schema_entry *e, void *ud)
{
    index_.entries = xgrow(index_.entries, &index_.cap, index_.count + 1, sizeof *index_.entries);
    index_.entries[index_.count++] = *e;
}

static void build_index(void)
{
    schema_each(index_one, NULL);
    for (size_t i = 0; i < index_.count; i++) {
        const char *name = index_.entries[i].option->name;
        if (!strmap_get(&index_.by_name, name)) { /* the first declaration wins */
            strmap_put(&index_.by_name, name, &index_.entries[i]);
        }
    }
}

bool schema_find(const char *name, struct schema_entry *out)
{
    if (!index_.count) {
        build_index();
    }
    const struct schema_entry *e = strmap_get(&index_.by_name, name);
    if (e) {
        *out = *e;
    }
    return e != NULL;
}

/* Edits allowed for a suggestion: about a quarter of the name, 1 to 3. */
static size_t allowed_edits(const char *name)
{
    size_t n = strlen(name) / 4;
    return n < 1 ? 1 : n > 3 ? 3 : n;
}

struct suggest_ctx {
    const char *name;
    const char *best;
    size_t best_distance;
};

static void consider(struct suggest_ctx *c, const char *candidate)
{
    size_t d = text_distance(c->name, candidate, c->best_distance);
    if (d < c->best_distance) {
        c->best = candidate;
        c->best_distance = d;
    }
}

static void suggest_one(const struct schema_entry *e, void *ud)
{
    consider(ud, e->option->name);
}

const char *schema_suggest(const char *name)
{
    struct suggest_ctx c = {name, NULL, allowed_edits(name) + 1};
    schema_each(suggest_one, &c);
    return c.best;
}

const char *schema_closest(const char *name, const char *const *candidates)
{
    struct suggest_ctx c = {name, NULL, allowed_edits(name) + 1};
    for (const char *const *k = candidates; k && *k; k++) {
        consider(&c, *k);
    }
    return c.best;
}

/* ---- validation ------------------------------------------------------ */

const char *schema_type_phrase(const struct strata_option *o)
{
    switch (o->type) {
    case STRATA_OPT_BOOL:
        return "true or false";
    case STRATA_OPT_INT:
        return "a whole number";
    case STRATA_OPT_NUMBER:
        return "a number";
    case STRATA_OPT_STRING:
        return "text in quotes";
    case STRATA_OPT_ENUM:
        return "one of the listed choices";
    case STRATA_OPT_SIZE:
        return "a size such as 4096 or \"256K\"";
    case STRATA_OPT_DURATION:
        return "a duration such as 30 or \"5m\", \"1w\"";
    case STRATA_OPT_RATE:
        return "a rate such as \"10kb/s\"";
    case STRATA_OPT_PATH:
        return "a file or folder name in quotes";
    case STRATA_OPT_PORTS:
        return "a port number or a list such as { 5222, 5223 }";
    case STRATA_OPT_STRINGS:
        return "text or a list of texts such as { \"a\", \"b\" }";
    case STRATA_OPT_JIDS:
        return "a list of JIDs such as { \"admin@example.org\" }";
    case STRATA_OPT_TABLE:
        return "a table { ... }";
    case STRATA_OPT_ANY:
        break;
    }
    return "a value";
}

static const char *got(const struct cfg_value *v, char *buf, size_t len)
{
    char *lua = cfg_value_to_lua(v);
    if (strlen(lua) > 60) {
        strcpy(lua + 56, "...");
    }
    snprintf(buf, len, "%s", lua);
    free(lua);
    return buf;
}

/* What validation found: the message, and the part of the value it is
 * about, so the diagnostic can name the line that part was written on. */
struct verdict {
    char *buf;
    size_t len;
    const struct cfg_value *at;
};

static const char *reject(struct verdict *vd, const struct cfg_value *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static const char *reject(struct verdict *vd, const struct cfg_value *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(vd->buf, vd->len, fmt, ap);
    va_end(ap);
    vd->at = at;
    return vd->buf;
}

static const char *mismatch(const struct strata_option *o, const struct cfg_value *v,
                            struct verdict *vd)
{
    char shown[64];
    bool keywords = o->choices && o->type != STRATA_OPT_ENUM && o->type != STRATA_OPT_STRINGS;
    return reject(vd, v, "expected %s%s%s%s, got %s", schema_type_phrase(o),
                  keywords ? " or \"" : "", keywords ? o->choices[0] : "", keywords ? "\"" : "",
                  got(v, shown, sizeof shown));
}

int schema_number(const struct strata_option *o, const struct cfg_value *v, double *out)
{
    if (v->kind == CFG_NUMBER) {
        *out = v->u.n;
        return 0;
    }
    if (v->kind != CFG_STRING) {
        return -1;
    }
    switch (o->type) {
    case STRATA_OPT_SIZE:
        return text_parse_size(v->u.str.ptr, out);
    case STRATA_OPT_DURATION:
        return text_parse_duration(v->u.str.ptr, out);
    case STRATA_OPT_RATE:
        return text_parse_rate(v->u.str.ptr, out);
    default:
        return -1;
    }
}

static void describe_number(const struct strata_option *o, double n, char *buf, size_t len)
{
    if (o->type == STRATA_OPT_SIZE || o->type == STRATA_OPT_RATE) {
        snprintf(buf, len, "%.0f bytes%s", n, o->type == STRATA_OPT_RATE ? "/s" : "");
    } else if (o->type == STRATA_OPT_DURATION) {
        snprintf(buf, len, "%g seconds", n);
    } else {
        snprintf(buf, len, "%g", n);
    }
}

static bool is_keyword(const struct strata_option *o, const struct cfg_value *v)
{
    for (const char *const *c = o->choices; v->kind == CFG_STRING && c && *c; c++) {
        if (strcmp(*c, v->u.str.ptr) == 0) {
            return true;
        }
    }
    return false;
}

static const char *check_number(const struct strata_option *o, const struct cfg_value *v,
                                struct verdict *vd)
{
    if (is_keyword(o, v)) {
        return NULL; /* e.g. archive_expires_after = "never" */
    }
    double n;
    if (schema_number(o, v, &n) < 0 ||
        (o->type == STRATA_OPT_INT && (v->kind != CFG_NUMBER || n != floor(n)))) {
        return mismatch(o, v, vd);
    }
    if (o->min == o->max || (n >= o->min && n <= o->max)) {
        return NULL;
    }
    char lo[48], hi[48], is[48];
    describe_number(o, o->min, lo, sizeof lo);
    describe_number(o, o->max, hi, sizeof hi);
    describe_number(o, n, is, sizeof is);
    return reject(vd, v, "%s is out of range: allowed from %s to %s", is, lo, hi);
}

static const char *check_choice(const struct strata_option *o, const struct cfg_value *v,
                                struct verdict *vd)
{
    const char *s = v->u.str.ptr;
    for (const char *const *c = o->choices; c && *c; c++) {
        if (strcmp(*c, s) == 0) {
            return NULL;
        }
    }
    struct strbuf msg = STRBUF_INIT;
    strbuf_addf(&msg, "\"%s\" is not one of: ", s);
    for (const char *const *c = o->choices; c && *c; c++) {
        strbuf_addf(&msg, "%s%s", *c, c[1] ? ", " : "");
    }
    const char *near = schema_closest(s, o->choices);
    if (near) {
        strbuf_addf(&msg, " (did you mean \"%s\"?)", near);
    }
    reject(vd, v, "%s", msg.ptr);
    strbuf_release(&msg);
    return vd->buf;
}

static bool is_port(const struct cfg_value *v)
{
    return v->kind == CFG_NUMBER && v->is_integer && v->u.n >= 1 && v->u.n <= 65535;
}

static const char *check_ports(const struct strata_option *o, const struct cfg_value *v,
                               struct verdict *vd)
{
    if (is_port(v)) {
        return NULL;
    }
    if (!cfg_is_list(v)) {
        return mismatch(o, v, vd);
    }
    for (size_t i = 0; i < v->u.table->narray; i++) {
        const struct cfg_value *p = &v->u.table->array[i];
        if (!is_port(p)) {
            char shown[64];
            return reject(vd, p, "%s is not a port number (1 to 65535)", got(p, shown, sizeof shown));
        }
    }
    return NULL;
}

/* A bare JID: localpart@domain or domain, no resource. The full RFC 7622
 * preparation happens where JIDs are used; this catches typos early. */
static bool looks_like_bare_jid(const char *s)
{
    const char *at = strchr(s, '@');
    if (!*s || strchr(s, '/') || strchr(s, ' ') || (at && strchr(at + 1, '@'))) {
        return false;
    }
    return !at || (at != s && at[1]);
}

/* A list with named entries: point at the first name, where the slip is. */
static const char *named_entry(const struct strata_option *o, const struct cfg_value *v,
                               struct verdict *vd)
{
    const struct cfg_pair *p = &v->u.table->pairs[0];
    char shown[64];
    return reject(vd, &p->value, "expected %s, got a named entry %s = %s", schema_type_phrase(o),
                  p->key, got(&p->value, shown, sizeof shown));
}

static const char *check_strings(const struct strata_option *o, const struct cfg_value *v,
                                 struct verdict *vd)
{
    if (v->kind == CFG_TABLE && !cfg_is_list(v)) {
        return named_entry(o, v, vd);
    }
    if (v->kind != CFG_STRING && v->kind != CFG_TABLE) {
        return mismatch(o, v, vd);
    }
    size_t n = v->kind == CFG_STRING ? 1 : v->u.table->narray;
    for (size_t i = 0; i < n; i++) {
        const struct cfg_value *item = v->kind == CFG_STRING ? v : &v->u.table->array[i];
        char shown[64];
        if (item->kind != CFG_STRING) {
            return reject(vd, item, "list item %s is not text", got(item, shown, sizeof shown));
        }
        if (o->type == STRATA_OPT_JIDS && !looks_like_bare_jid(item->u.str.ptr)) {
            return reject(vd, item, "\"%s\" is not a bare JID such as \"admin@example.org\"",
                          item->u.str.ptr);
        }
        if (o->choices && check_choice(o, item, vd)) {
            return vd->buf;
        }
    }
    return NULL;
}

static const struct strata_option *find_field(const struct strata_option *o, const char *key)
{
    for (const struct strata_option *f = o->fields; f->name; f++) {
        if (strcmp(f->name, key) == 0) {
            return f;
        }
    }
    return NULL;
}

static const char *unknown_field(const struct strata_option *o, const struct cfg_pair *p,
                                 struct verdict *vd)
{
    const char *names[64];
    size_t k = 0;
    for (const struct strata_option *f = o->fields; f->name && k < 63; f++) {
        names[k++] = f->name;
    }
    names[k] = NULL;
    const char *near = schema_closest(p->key, names);
    return reject(vd, &p->value, "unknown field '%s'%s%s%s", p->key, near ? " (did you mean '" : "",
                  near ? near : "", near ? "'?)" : "");
}

static const char *check_table(const struct strata_option *o, const struct cfg_value *v,
                               struct verdict *vd)
{
    if (v->kind != CFG_TABLE) {
        return mismatch(o, v, vd);
    }
    if (!o->fields) {
        return NULL;
    }
    const struct cfg_table *t = v->u.table;
    if (t->narray) {
        return reject(vd, &t->array[0], "expected named fields such as { %s = ... }, got a list",
                      o->fields[0].name);
    }
    for (size_t i = 0; i < t->npairs; i++) {
        const struct strata_option *f = find_field(o, t->pairs[i].key);
        if (!f) {
            return unknown_field(o, &t->pairs[i], vd);
        }
        char inner[256];
        const struct cfg_value *at = NULL;
        if (schema_validate_at(f, &t->pairs[i].value, inner, sizeof inner, &at)) {
            return reject(vd, at, "field '%s': %s", f->name, inner);
        }
    }
    return NULL;
}

static const char *check_type(const struct strata_option *o, const struct cfg_value *v,
                              struct verdict *vd)
{
    switch (o->type) {
    case STRATA_OPT_BOOL:
        return v->kind == CFG_BOOL ? NULL : mismatch(o, v, vd);
    case STRATA_OPT_INT:
    case STRATA_OPT_NUMBER:
    case STRATA_OPT_SIZE:
    case STRATA_OPT_DURATION:
    case STRATA_OPT_RATE:
        return check_number(o, v, vd);
    case STRATA_OPT_STRING:
        return v->kind == CFG_STRING ? NULL : mismatch(o, v, vd);
    case STRATA_OPT_PATH:
        return v->kind == CFG_STRING && v->u.str.len ? NULL : mismatch(o, v, vd);
    case STRATA_OPT_ENUM:
        return v->kind == CFG_STRING ? check_choice(o, v, vd) : mismatch(o, v, vd);
    case STRATA_OPT_PORTS:
        return check_ports(o, v, vd);
    case STRATA_OPT_STRINGS:
    case STRATA_OPT_JIDS:
        return check_strings(o, v, vd);
    case STRATA_OPT_TABLE:
        return check_table(o, v, vd);
    case STRATA_OPT_ANY:
        break;
    }
    return NULL;
}

const char *schema_validate_at(const struct strata_option *o, const struct cfg_value *v, char *buf,
                               size_t buflen, const struct cfg_value **at)
{
    struct verdict vd = {buf, buflen, v};
    const char *msg = v->kind == CFG_NIL ? NULL : check_type(o, v, &vd); /* nil: the default */
    if (!msg && v->kind != CFG_NIL && o->check) {
        msg = o->check(v);
        if (msg) {
            msg = reject(&vd, v, "%s", msg);
        }
    }
    if (at) {
        *at = msg ? vd.at : NULL;
    }
    return msg;
}

const char *schema_validate(const struct strata_option *o, const struct cfg_value *v, char *buf,
                            size_t buflen)
{
    return schema_validate_at(o, v, buf, buflen, NULL);
}

/* ---- defaults -------------------------------------------------------- */

static void set_string(struct cfg_value *v, const char *s)
{
    v->kind = CFG_STRING;
    v->u.str.ptr = xstrdup(s);
    v->u.str.len = strlen(s);
}

static int list_default(const struct strata_option *o, struct cfg_value *out)
{
    size_t n;
    char **items = text_split_list(o->def, &n);
    struct cfg_table *t = xcalloc(1, sizeof *t);
    t->array = xcalloc(n, sizeof *t->array);
    out->kind = CFG_TABLE;
    out->u.table = t;
    int rc = 0;
    for (size_t i = 0; i < n; i++, t->narray++) {
        struct cfg_value *item = &t->array[i];
        if (o->type != STRATA_OPT_PORTS) {
            set_string(item, items[i]);
            continue;
        }
        item->kind = CFG_NUMBER;
        rc |= text_parse_number(items[i], &item->u.n, &item->is_integer);
    }
    text_free_list(items);
    return rc;
}

static int table_default(const struct strata_option *o, struct cfg_value *out)
{
    size_t n = 0;
    for (const struct strata_option *f = o->fields; f && f->name; f++) {
        n += f->def != NULL;
    }
    if (!n) {
        return 0;
    }
    struct cfg_table *t = xcalloc(1, sizeof *t);
    t->pairs = xcalloc(n, sizeof *t->pairs);
    out->kind = CFG_TABLE;
    out->u.table = t;
    int rc = 0;
    for (const struct strata_option *f = o->fields; f->name; f++) {
        if (f->def) {
            struct cfg_pair *p = &t->pairs[t->npairs++];
            p->key = xstrdup(f->name);
            rc |= schema_default(f, &p->value);
        }
    }
    return rc;
}

int schema_default(const struct strata_option *o, struct cfg_value *out)
{
    memset(out, 0, sizeof *out);
    if (o->type == STRATA_OPT_TABLE) {
        return table_default(o, out);
    }
    if (!o->def) {
        return 0;
    }
    switch (o->type) {
    case STRATA_OPT_BOOL:
        out->kind = CFG_BOOL;
        return text_parse_bool(o->def, &out->u.b);
    case STRATA_OPT_INT:
    case STRATA_OPT_NUMBER:
        out->kind = CFG_NUMBER;
        return text_parse_number(o->def, &out->u.n, &out->is_integer);
    case STRATA_OPT_SIZE:
    case STRATA_OPT_DURATION:
    case STRATA_OPT_RATE:
        if (text_parse_number(o->def, &out->u.n, &out->is_integer) == 0) {
            out->kind = CFG_NUMBER;
            return 0;
        }
        set_string(out, o->def);
        return 0;
    case STRATA_OPT_PORTS:
    case STRATA_OPT_STRINGS:
    case STRATA_OPT_JIDS:
        return list_default(o, out);
    default:
        set_string(out, o->def);
        return 0;
    }
}
