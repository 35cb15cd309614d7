/*
 * Lua <-> configuration value conversion; see lua_value.h.
 *
 * SECURITY: a configuration is trusted text, but it is also code; depth and
 * size limits keep a runaway table constructor from exhausting memory here.
 */
#include "config/lua_value.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

enum { MAX_DEPTH = 16, MAX_ITEMS = 100000 };

struct conv {
    const char *file;
    int line;
    size_t items;
    char *err;
    size_t errlen;
};

static int convert(lua_State *L, int idx, struct cfg_value *out, struct conv *c, int depth);

static int cmp_pairs(const void *a, const void *b)
{
    return strcmp(((const struct cfg_pair *)a)->key, ((const struct cfg_pair *)b)->key);
}

static int fail(struct conv *c, const char *msg, const char *detail)
{
    snprintf(c->err, c->errlen, msg, detail);
    return -1;
}

/* Counts the keyed part and checks every key is a name or a list position. */
static int scan_keys(lua_State *L, int idx, size_t n, size_t *npairs, struct conv *c)
{
    *npairs = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (lua_isinteger(L, -1)) {
            lua_Integer k = lua_tointeger(L, -1);
            if (k >= 1 && (lua_Unsigned)k <= n) {
                continue;
            }
            lua_pop(L, 1);
            return fail(c, "a table has a number key outside its list (%s); "
                           "use names or a plain list", "holes or [0]");
        }
        if (lua_type(L, -1) != LUA_TSTRING) {
            const char *t = luaL_typename(L, -1);
            lua_pop(L, 1);
            return fail(c, "a table has a key of type %s; keys must be names or list positions", t);
        }
        (*npairs)++;
    }
    return 0;
}

static int convert_table(lua_State *L, int idx, struct cfg_value *out, struct conv *c, int depth)
{
    if (depth >= MAX_DEPTH) {
        return fail(c, "tables nest too deeply (more than %s levels)", "16");
    }
    luaL_checkstack(L, 4, "configuration table");
    size_t n = lua_rawlen(L, idx), npairs;
    if (scan_keys(L, idx, n, &npairs, c) < 0) {
        return -1;
    }
    if ((c->items += n + npairs) > MAX_ITEMS) {
        return fail(c, "a value has more than %s items", "100000");
    }
    struct cfg_table *t = xcalloc(1, sizeof *t);
    out->kind = CFG_TABLE;
    out->u.table = t;
    t->array = xcalloc(n, sizeof *t->array);
    for (size_t i = 0; i < n; i++) {
        t->narray = i + 1; /* counted first, so a failure frees what it built */
        lua_rawgeti(L, idx, (lua_Integer)i + 1);
        int rc = convert(L, lua_gettop(L), &t->array[i], c, depth + 1);
        lua_pop(L, 1);
        if (rc < 0) {
            return -1;
        }
    }
    t->pairs = xcalloc(npairs, sizeof *t->pairs);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (lua_type(L, -2) == LUA_TSTRING) {
            struct cfg_pair *p = &t->pairs[t->npairs++];
            p->key = xstrdup(lua_tostring(L, -2));
            if (convert(L, lua_gettop(L), &p->value, c, depth + 1) < 0) {
                lua_pop(L, 2);
                return -1;
            }
        }
        lua_pop(L, 1);
    }
    qsort(t->pairs, t->npairs, sizeof *t->pairs, cmp_pairs);
    return 0;
}

static int convert(lua_State *L, int idx, struct cfg_value *out, struct conv *c, int depth)
{
    out->kind = CFG_NIL;
    out->is_integer = false;
    out->file = c->file;
    out->line = c->line;
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
        return 0;
    case LUA_TBOOLEAN:
        out->kind = CFG_BOOL;
        out->u.b = lua_toboolean(L, idx);
        return 0;
    case LUA_TNUMBER:
        out->kind = CFG_NUMBER;
        out->is_integer = lua_isinteger(L, idx);
        out->u.n = lua_tonumber(L, idx);
        return 0;
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        out->kind = CFG_STRING;
        out->u.str.ptr = xmalloc(len + 1);
        memcpy(out->u.str.ptr, s, len + 1);
        out->u.str.len = len;
        return 0;
    }
    case LUA_TTABLE:
        return convert_table(L, idx, out, c, depth);
    default:
        return fail(c, "a %s cannot be a configuration value", luaL_typename(L, idx));
    }
}

const char *cfg_from_lua(lua_State *L, int idx, struct cfg_value *out, const char *file, int line,
                         char *err, size_t errlen)
{
    struct conv c = {.file = file, .line = line, .err = err, .errlen = errlen};
    if (convert(L, lua_absindex(L, idx), out, &c, 0) < 0) {
        cfg_value_clear(out);
        return err;
    }
    return NULL;
}

void cfg_push_lua(lua_State *L, const struct cfg_value *v)
{
    luaL_checkstack(L, 3, "configuration value");
    switch (v->kind) {
    case CFG_NIL:
        lua_pushnil(L);
        break;
    case CFG_BOOL:
        lua_pushboolean(L, v->u.b);
        break;
    case CFG_NUMBER:
        if (v->is_integer) {
            lua_pushinteger(L, (lua_Integer)v->u.n);
        } else {
            lua_pushnumber(L, v->u.n);
        }
        break;
    case CFG_STRING:
        lua_pushlstring(L, v->u.str.ptr, v->u.str.len);
        break;
    case CFG_TABLE: {
        const struct cfg_table *t = v->u.table;
        lua_createtable(L, (int)t->narray, (int)t->npairs);
        for (size_t i = 0; i < t->narray; i++) {
            cfg_push_lua(L, &t->array[i]);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        for (size_t i = 0; i < t->npairs; i++) {
            cfg_push_lua(L, &t->pairs[i].value);
            lua_setfield(L, -2, t->pairs[i].key);
        }
        break;
    }
    }
}
