/*
 * env(NAME, default); see env.h.
 */
#include "config/env.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/text.h"
#include "util/xalloc.h"

enum { MAX_SECRET_FILE = 65536 };

/* Reads a secret file whole, dropping one trailing newline as `echo` adds. */
static char *read_secret(const char *path, const char **error)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        *error = "the file it names cannot be read";
        return NULL;
    }
    char *buf = xmalloc(MAX_SECRET_FILE + 1);
    size_t n = fread(buf, 1, MAX_SECRET_FILE + 1, f);
    fclose(f);
    if (n > MAX_SECRET_FILE) {
        free(buf);
        *error = "the file it names is larger than 64 KiB";
        return NULL;
    }
    if (n && buf[n - 1] == '\n') {
        n--;
    }
    if (n && buf[n - 1] == '\r') {
        n--;
    }
    buf[n] = '\0';
    return buf;
}

static void find_text(const char *name, struct env_lookup *out)
{
    static const char *const prefixes[] = {"STRATA_", "PROSODY_"};
    for (int file = 0; file < 2; file++) {
        for (int p = 0; p < 2; p++) {
            int n = snprintf(out->var, sizeof out->var, "%s%s%s", prefixes[p], name,
                             file ? "_FILE" : "");
            const char *v = n > 0 && (size_t)n < sizeof out->var ? getenv(out->var) : NULL;
            if (!v) {
                continue;
            }
            out->raw = v;
            out->text = file ? read_secret(v, &out->error) : xstrdup(v);
            return;
        }
    }
    snprintf(out->var, sizeof out->var, "STRATA_%s", name);
}

static int push_number(lua_State *L, const char *text)
{
    double d;
    bool is_int;
    if (text_parse_number(text, &d, &is_int) < 0) {
        return -1;
    }
    if (is_int) {
        lua_pushinteger(L, (lua_Integer)d);
    } else {
        lua_pushnumber(L, d);
    }
    return 0;
}

/* A list default's first item decides whether items become numbers. */
static bool list_of_numbers(lua_State *L, int default_idx)
{
    lua_rawgeti(L, default_idx, 1);
    bool numbers = lua_type(L, -1) == LUA_TNUMBER;
    lua_pop(L, 1);
    return numbers;
}

static int push_list(lua_State *L, const char *text, bool numbers)
{
    size_t n;
    char **items = text_split_list(text, &n);
    lua_createtable(L, (int)n, 0);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (numbers) {
            rc = push_number(L, items[i]);
        } else {
            lua_pushstring(L, items[i]);
        }
        if (rc == 0) {
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
    }
    text_free_list(items);
    if (rc < 0) {
        lua_pop(L, 1);
    }
    return rc;
}

/* Pushes `text` converted to the type of the default; -1 leaves nothing. */
static int push_converted(lua_State *L, const char *text, int default_idx, const char **error)
{
    switch (lua_type(L, default_idx)) {
    case LUA_TBOOLEAN: {
        bool b;
        if (text_parse_bool(text, &b) < 0) {
            *error = "is not a boolean (use true or false)";
            return -1;
        }
        lua_pushboolean(L, b);
        return 0;
    }
    case LUA_TNUMBER:
        if (push_number(L, text) < 0) {
            *error = "is not a number";
            return -1;
        }
        return 0;
    case LUA_TTABLE:
        if (push_list(L, text, list_of_numbers(L, default_idx)) < 0) {
            *error = "is not a comma-separated list of numbers";
            return -1;
        }
        return 0;
    default:
        lua_pushstring(L, text);
        return 0;
    }
}

void env_lookup_push(lua_State *L, const char *name, int default_idx, struct env_lookup *out)
{
    default_idx = lua_absindex(L, default_idx);
    memset(out, 0, sizeof *out);
    find_text(name, out);
    if (!out->text || push_converted(L, out->text, default_idx, &out->error) < 0) {
        lua_pushvalue(L, default_idx);
    }
}
