/*
 * firewall: administrator rules on stanzas.
 *
 * Rule files in the syntax of Prosody's mod_firewall: conditions on kind,
 * type, from/to, roster relation and payload, actions such as DROP, BOUNCE,
 * REDIRECT, LOG. Rules are compiled at load into a table the router runs
 * before delivery; a rule file that does not compile is a check error.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "firewall_scripts", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_HOSTS,
     .help = "rule files to load, relative to the main configuration file's folder"},
    {0},
};

const struct strata_module strata_mod_firewall = {
    .name = "firewall",
    .layer = STRATA_LAYER_STANZA,
    .tier = STRATA_TIER_STABLE,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "filtering",
    .specs = "-",
    .summary = "rule sets on stanzas: kind, type, from/to, roster, payload",
    .options = options,
};
