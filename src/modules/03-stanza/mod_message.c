/*
 * message: routes <message/> stanzas (RFC 6120 §8, RFC 6121 §8.5).
 *
 * Full JID: to that resource, or as if to the bare JID when it is gone
 * (§8.5.3.2). Bare JID: chat and normal messages to every available
 * resource of non-negative priority, otherwise to offline storage
 * (§8.5.2). Server JID: handled by the modules that claim the payload.
 * Presence routing belongs to layer 05 (`presence`).
 */
#include "strata/module.h"

const struct strata_module strata_mod_message = {
    .name = "message",
    .layer = STRATA_LAYER_STANZA,
    .tier = STRATA_TIER_CORE,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "routing",
    .specs = "RFC 6120 §8, RFC 6121 §8",
    .summary = "message routing: bare, full and server JID rules",
    .autoload = true,
};
