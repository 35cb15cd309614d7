/*
 * env(NAME, default): configuration values from the environment.
 *
 * Reads STRATA_<NAME>, then PROSODY_<NAME> (the seed's variable names keep
 * working), then the same names with _FILE appended, whose value names a
 * file to read (Docker secrets). The text is converted to the default's
 * type: boolean, number, or list (comma-separated; numbers when the
 * default's items are numbers); with a string or nil default it stays text.
 */
#ifndef STRATA_CONFIG_ENV_H
#define STRATA_CONFIG_ENV_H

#include <lua.h>
#include <stddef.h>

struct env_lookup {
    char var[128];   /* the variable that answered, or STRATA_<NAME> when none did */
    char *text;      /* its text (malloc'd), NULL when unset */
    const char *raw; /* the variable's own value (for _FILE: the file name); NULL when unset */
    const char *error; /* static message when the text does not fit the default */
};

/* Looks up NAME and pushes the converted value (or a copy of the default at
 * `default_idx` when unset or malformed). Fills `out`; the caller frees
 * out->text. */
void env_lookup_push(lua_State *L, const char *name, int default_idx, struct env_lookup *out);

#endif
