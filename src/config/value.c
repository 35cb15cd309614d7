/*
 * Configuration values: copying, freeing, lookup and Lua-literal rendering.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strata/config.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

const struct cfg_value *cfg_table_get(const struct cfg_value *v, const char *key)
{
    if (!v || v->kind != CFG_TABLE) {
        return NULL;
    }
    for (size_t i = 0; i < v->u.table->npairs; i++) {
        if (strcmp(v->u.table->pairs[i].key, key) == 0) {
            return &v->u.table->pairs[i].value;
        }
    }
    return NULL;
}

bool cfg_is_list(const struct cfg_value *v)
{
    return v && v->kind == CFG_TABLE && v->u.table->npairs == 0;
}

void cfg_value_copy(struct cfg_value *dst, const struct cfg_value *src)
{
    *dst = *src;
    if (src->kind == CFG_STRING) {
        dst->u.str.ptr = xmalloc(src->u.str.len + 1);
        memcpy(dst->u.str.ptr, src->u.str.ptr, src->u.str.len + 1);
    } else if (src->kind == CFG_TABLE) {
        const struct cfg_table *s = src->u.table;
        struct cfg_table *t = xcalloc(1, sizeof *t);
        t->narray = s->narray;
        t->array = xcalloc(s->narray, sizeof *t->array);
        for (size_t i = 0; i < s->narray; i++) {
            cfg_value_copy(&t->array[i], &s->array[i]);
        }
        t->npairs = s->npairs;
        t->pairs = xcalloc(s->npairs, sizeof *t->pairs);
        for (size_t i = 0; i < s->npairs; i++) {
            t->pairs[i].key = xstrdup(s->pairs[i].key);
            cfg_value_copy(&t->pairs[i].value, &s->pairs[i].value);
        }
        dst->u.table = t;
    }
}

void cfg_value_clear(struct cfg_value *v)
{
    if (v->kind == CFG_STRING) {
        free(v->u.str.ptr);
    } else if (v->kind == CFG_TABLE) {
        struct cfg_table *t = v->u.table;
        for (size_t i = 0; i < t->narray; i++) {
            cfg_value_clear(&t->array[i]);
        }
        for (size_t i = 0; i < t->npairs; i++) {
            free(t->pairs[i].key);
            cfg_value_clear(&t->pairs[i].value);
        }
        free(t->array);
        free(t->pairs);
        free(t);
    }
    v->kind = CFG_NIL;
}

static void add_quoted(struct strbuf *b, const char *s, size_t len)
{
    strbuf_adds(b, "\"");
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            strbuf_addf(b, "\\%c", c);
        } else if (c == '\n') {
            strbuf_adds(b, "\\n");
        } else if (c < 0x20 || c == 0x7f) {
            strbuf_addf(b, "\\%03u", c);
        } else {
            strbuf_add(b, &s[i], 1);
        }
    }
    strbuf_adds(b, "\"");
}

static bool is_identifier(const char *s)
{
    if (!*s || (*s >= '0' && *s <= '9')) {
        return false;
    }
    for (; *s; s++) {
        if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9'))) {
            return false;
        }
    }
    return true;
}

static void render(struct strbuf *b, const struct cfg_value *v)
{
    switch (v->kind) {
    case CFG_NIL:
        strbuf_adds(b, "nil");
        break;
    case CFG_BOOL:
        strbuf_adds(b, v->u.b ? "true" : "false");
        break;
    case CFG_NUMBER:
        if (v->is_integer && fabs(v->u.n) < 9.007199254740992e15) {
            strbuf_addf(b, "%lld", (long long)v->u.n);
        } else {
            strbuf_addf(b, "%.14g", v->u.n);
        }
        break;
    case CFG_STRING:
        add_quoted(b, v->u.str.ptr, v->u.str.len);
        break;
    case CFG_TABLE: {
        const struct cfg_table *t = v->u.table;
        if (t->narray + t->npairs == 0) {
            strbuf_adds(b, "{ }");
            break;
        }
        strbuf_adds(b, "{ ");
        for (size_t i = 0; i < t->narray; i++) {
            render(b, &t->array[i]);
            strbuf_adds(b, i + 1 < t->narray || t->npairs ? ", " : " ");
        }
        for (size_t i = 0; i < t->npairs; i++) {
            if (is_identifier(t->pairs[i].key)) {
                strbuf_addf(b, "%s = ", t->pairs[i].key);
            } else {
                strbuf_adds(b, "[");
                add_quoted(b, t->pairs[i].key, strlen(t->pairs[i].key));
                strbuf_adds(b, "] = ");
            }
            render(b, &t->pairs[i].value);
            strbuf_adds(b, i + 1 < t->npairs ? ", " : " ");
        }
        strbuf_adds(b, "}");
        break;
    }
    }
}

char *cfg_value_to_lua(const struct cfg_value *v)
{
    struct strbuf b = STRBUF_INIT;
    render(&b, v);
    return strbuf_take(&b);
}
