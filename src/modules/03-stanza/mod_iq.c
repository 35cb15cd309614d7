/*
 * iq: routes <iq/> stanzas (RFC 6120 §8.2.3, §10.5).
 *
 * Requests to a full JID go to that resource, to a bare JID or the server
 * to the handler registered for the payload's namespace
 * ("iq-get/host/urn:xmpp:ping:ping"). A request nobody handles is answered
 * with service-unavailable, so every get or set gets exactly one reply.
 */
#include "strata/module.h"

const struct strata_module strata_mod_iq = {
    .name = "iq",
    .layer = STRATA_LAYER_STANZA,
    .tier = STRATA_TIER_CORE,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "routing",
    .specs = "RFC 6120 §8.2.3, RFC 6120 §10.5",
    .summary = "iq routing: one handler per namespace, service-unavailable for the rest",
    .autoload = true,
};
