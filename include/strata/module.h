/*
 * The module declaration: what every Strata feature says about itself.
 *
 * A module is one constant `struct strata_module` in
 * src/modules/<layer>/mod_<name>.c. The catalogue (src/modules/catalogue.c)
 * lists them all; the configuration checker, `strata modules` and the module
 * manager read nothing else. Modules that are not written yet are declared
 * too, with state STRATA_MODULE_PLANNED and their full option schema, so a
 * configuration can be validated today and enabling them is refused with a
 * clear message instead of being silently accepted.
 */
#ifndef STRATA_MODULE_H
#define STRATA_MODULE_H

#include <stdbool.h>
#include <stddef.h>

#include "strata/option.h"

struct strata_host;

/* The eight layers of the XMPP stack, in order; the number is the folder's. */
enum strata_layer {
    STRATA_LAYER_TRANSPORT = 1,   /* 01-transport */
    STRATA_LAYER_STREAM = 2,      /* 02-stream */
    STRATA_LAYER_STANZA = 3,      /* 03-stanza */
    STRATA_LAYER_PROTOCOL = 4,    /* 04-protocol */
    STRATA_LAYER_SERVICES = 5,    /* 05-services */
    STRATA_LAYER_STORAGE = 6,     /* 06-storage */
    STRATA_LAYER_INTERFACES = 7,  /* 07-interfaces */
    STRATA_LAYER_INTEGRATION = 8, /* 08-integration */
};
#define STRATA_LAYER_COUNT 8

/* Stability tiers, switched as a whole by STRATA_ENABLE_<TIER>. */
enum strata_tier {
    STRATA_TIER_CORE,     /* cannot be switched off */
    STRATA_TIER_OFFICIAL,
    STRATA_TIER_STABLE,
    STRATA_TIER_BETA,
    STRATA_TIER_ALPHA,    /* off by default */
    STRATA_TIER_NONE,     /* refused modules (compression) have no tier */
};
#define STRATA_TIER_COUNT 5

enum strata_module_state {
    STRATA_MODULE_PLANNED,     /* declared, schema known, not in this version */
    STRATA_MODULE_IMPLEMENTED, /* loads and works */
    STRATA_MODULE_REFUSED,     /* will never be implemented; `refusal` says why */
};

/* Where a module runs. Global modules run once for the server (c2s, http);
 * host modules once per VirtualHost; component modules are the module of a
 * `Component "name" "module"` section. */
enum strata_module_scope {
    STRATA_MODULE_GLOBAL = 1u << 0,
    STRATA_MODULE_HOST = 1u << 1,
    STRATA_MODULE_COMPONENT = 1u << 2,
};

struct strata_module {
    const char *name;            /* as Prosody names it where Prosody has it */
    enum strata_layer layer;
    enum strata_tier tier;
    enum strata_module_state state;
    unsigned scope;              /* enum strata_module_scope bits */
    const char *config_file;     /* file under config/stack/<layer>/, e.g. "ports" */
    const char *specs;           /* "RFC 6120, XEP-0368" */
    const char *summary;         /* one line for `strata modules` */
    const char *const *requires; /* hard dependencies, NULL-terminated (may be NULL) */
    const char *const *wants;    /* soft dependencies: a warning when missing */
    const char *const *conflicts;
    const char *const *aliases;  /* other names accepted in modules_enabled */
    const struct strata_option *options; /* terminated by {0}; may be NULL */
    bool autoload;               /* loaded without being listed, as Prosody's c2s, s2s... */
    const char *tested_with;     /* client the integration tests use, when implemented */
    /* Runs for each host the module is enabled on (IMPLEMENTED modules):
     * hooks events, announces features. 0, or a STRATA_E* that stops the
     * server from starting. Hooks are removed by owner on unload. */
    int (*load)(struct strata_host *host);
    const char *refusal;         /* STATE_REFUSED: why, for `strata check` */
};

#define STRATA_NAMES(...) ((const char *const[]){__VA_ARGS__, NULL})

/* The catalogue: every module Strata has or will have, in layer order.
 * Returns a borrowed array of `*count` pointers, valid for the process. */
const struct strata_module *const *strata_modules_all(size_t *count);

/* Finds a module by name or alias; NULL when there is none. Borrows `name`. */
const struct strata_module *strata_module_find(const char *name);

/* "01-transport" for layer 1; NULL outside 1..8. Static storage. */
const char *strata_layer_dir(enum strata_layer layer);

/* The `<name>_modules` list a layer file sets: "transport" for layer 1. */
const char *strata_layer_list_prefix(enum strata_layer layer);

/* The four configuration files of a layer (without ".cfg.lua"), as the
 * shipped tree has them under config/stack/<layer dir>/. NULL outside 1..8. */
const char *const *strata_layer_files(enum strata_layer layer);

/* "core", "official", ...; "none" for STRATA_TIER_NONE. */
const char *strata_tier_name(enum strata_tier tier);

/* Parses a tier name; returns -1 when `name` is not one. */
int strata_tier_parse(const char *name);

/* "implemented", "planned", "refused". */
const char *strata_module_state_name(enum strata_module_state state);

#endif
