/*
 * The module catalogue: every module Strata has or will have, in layer order.
 *
 * Each layer folder lists its modules in modules.def as STRATA_MODULE(name);
 * each module file defines `const struct strata_module strata_mod_<name>`.
 * Adding a module is one line there and one file beside it.
 */
#include <string.h>

#include "strata/module.h"

#define STRATA_MODULE(name) extern const struct strata_module strata_mod_##name;
#include "01-transport/modules.def"
#include "02-stream/modules.def"
#include "03-stanza/modules.def"
#include "04-protocol/modules.def"
#include "05-services/modules.def"
#include "06-storage/modules.def"
#include "07-interfaces/modules.def"
#include "08-integration/modules.def"
#undef STRATA_MODULE

#define STRATA_MODULE(name) &strata_mod_##name,
static const struct strata_module *const catalogue[] = {
#include "01-transport/modules.def"
#include "02-stream/modules.def"
#include "03-stanza/modules.def"
#include "04-protocol/modules.def"
#include "05-services/modules.def"
#include "06-storage/modules.def"
#include "07-interfaces/modules.def"
#include "08-integration/modules.def"
    NULL,
};
#undef STRATA_MODULE

const struct strata_module *const *strata_modules_all(size_t *count)
{
    *count = sizeof catalogue / sizeof catalogue[0] - 1;
    return catalogue;
}

static bool has_alias(const struct strata_module *m, const char *name)
{
    for (const char *const *a = m->aliases; a && *a; a++) {
        if (strcmp(*a, name) == 0) {
            return true;
        }
    }
    return false;
}

const struct strata_module *strata_module_find(const char *name)
{
    for (const struct strata_module *const *m = catalogue; *m; m++) {
        if (strcmp((*m)->name, name) == 0 || has_alias(*m, name)) {
            return *m;
        }
    }
    return NULL;
}

static const char *const layer_dirs[] = {
    NULL, "01-transport", "02-stream", "03-stanza", "04-protocol",
    "05-services", "06-storage", "07-interfaces", "08-integration",
};

static const char *const layer_prefixes[] = {
    NULL, "transport", "stream", "stanza", "protocol",
    "services", "storage", "interfaces", "integration",
};

const char *strata_layer_dir(enum strata_layer layer)
{
    return layer >= 1 && layer <= STRATA_LAYER_COUNT ? layer_dirs[layer] : NULL;
}

const char *strata_layer_list_prefix(enum strata_layer layer)
{
    return layer >= 1 && layer <= STRATA_LAYER_COUNT ? layer_prefixes[layer] : NULL;
}

static const char *const layer_files[][5] = {
    {NULL},
    {"ports", "tls", "compression", "connections", NULL},
    {"authentication", "encryption", "management", "negotiation", NULL},
    {"routing", "filtering", "validation", "processing", NULL},
    {"core", "extensions", "legacy", "experimental", NULL},
    {"messaging", "presence", "groupchat", "pubsub", NULL},
    {"backends", "archiving", "caching", "migration", NULL},
    {"http", "websocket", "bosh", "components", NULL},
    {"ldap", "oauth", "webhooks", "apis", NULL},
};

const char *const *strata_layer_files(enum strata_layer layer)
{
    return layer >= 1 && layer <= STRATA_LAYER_COUNT ? layer_files[layer] : NULL;
}

static const char *const tier_names[] = {"core", "official", "stable", "beta", "alpha", "none"};

const char *strata_tier_name(enum strata_tier tier)
{
    return tier <= STRATA_TIER_NONE ? tier_names[tier] : "none";
}

int strata_tier_parse(const char *name)
{
    for (int t = 0; t < STRATA_TIER_COUNT; t++) {
        if (strcmp(tier_names[t], name) == 0) {
            return t;
        }
    }
    return -1;
}

const char *strata_module_state_name(enum strata_module_state state)
{
    switch (state) {
    case STRATA_MODULE_IMPLEMENTED:
        return "implemented";
    case STRATA_MODULE_REFUSED:
        return "refused";
    case STRATA_MODULE_PLANNED:
        break;
    }
    return "planned";
}
