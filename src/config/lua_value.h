/*
 * Conversion between Lua values and configuration values.
 */
#ifndef STRATA_CONFIG_LUA_VALUE_H
#define STRATA_CONFIG_LUA_VALUE_H

#include <lua.h>

#include "strata/config.h"

/* Converts the Lua value at `idx` into `out`, stamping every value with
 * `file`:`line` (file borrowed for the tree's life). Returns NULL on success,
 * else a message (in `err`, `errlen` bytes) and `out` is CFG_NIL. Functions,
 * userdata, threads, keys other than names and list positions, nesting past
 * 16 levels and more than 100000 items are refused. */
const char *cfg_from_lua(lua_State *L, int idx, struct cfg_value *out, const char *file, int line,
                         char *err, size_t errlen);

/* Pushes a Lua copy of `v`. */
void cfg_push_lua(lua_State *L, const struct cfg_value *v);

#endif
