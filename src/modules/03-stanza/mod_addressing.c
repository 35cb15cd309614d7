/*
 * addressing: Extended Stanza Addressing (XEP-0033).
 *
 * Fans one stanza out to the addresses it lists (to, cc, bcc), stripping
 * bcc as the XEP requires. The number of recipients is capped (XEP-0205
 * §4.6) so one stanza cannot become a flood.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "addressing_max_recipients", .type = STRATA_OPT_INT, .scope = STRATA_SCOPE_HOSTS,
     .def = "32", .min = 1, .max = 1000, .strata_only = true,
     .help = "most addresses one stanza may list; more is refused with policy-violation"},
    {0},
};

const struct strata_module strata_mod_addressing = {
    .name = "addressing",
    .layer = STRATA_LAYER_STANZA,
    .tier = STRATA_TIER_BETA,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "processing",
    .specs = "XEP-0033",
    .summary = "multicast addressing with a capped recipient count",
    .options = options,
};
