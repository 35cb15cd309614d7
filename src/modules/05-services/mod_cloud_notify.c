/*
 * cloud_notify: Push Notifications (XEP-0357).
 *
 * Wakes a mobile client through its app server when a message arrives for a
 * session that is hibernated (stream management) or offline. Notifications
 * carry no message text or sender unless the operator opts in, because they
 * cross third-party push services.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "push_notification_with_body", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_HOSTS,
     .def = "false", .help = "include the message text in notifications (it passes through the push service)"},
    {.name = "push_notification_with_sender", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_HOSTS,
     .def = "false", .help = "include the sender's address in notifications"},
    {.name = "push_notification_important_body", .type = STRATA_OPT_STRING, .scope = STRATA_SCOPE_HOSTS,
     .def = "New Message!", .help = "placeholder text sent for messages worth a visible alert when bodies are withheld"},
    {.name = "push_max_errors", .type = STRATA_OPT_INT, .scope = STRATA_SCOPE_HOSTS,
     .def = "16", .min = 1, .max = 1000, .help = "errors from an app server before its registration is dropped"},
    {.name = "push_max_devices", .type = STRATA_OPT_INT, .scope = STRATA_SCOPE_HOSTS,
     .def = "5", .min = 1, .max = 100, .help = "push registrations kept per account; the oldest is replaced"},
    {.name = "push_max_hibernation_timeout", .type = STRATA_OPT_DURATION, .scope = STRATA_SCOPE_HOSTS,
     .def = "72h", .min = 0, .max = 2592000,
     .help = "how long a hibernated session with push enabled is kept before it is closed"},
    {0},
};

const struct strata_module strata_mod_cloud_notify = {
    .name = "cloud_notify",
    .layer = STRATA_LAYER_SERVICES,
    .tier = STRATA_TIER_BETA,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "messaging",
    .specs = "XEP-0357",
    .summary = "push notifications for hibernated and offline sessions",
    /* Without hibernation or offline storage there is nothing to push for,
     * but each alone is already useful. */
    .wants = STRATA_NAMES("smacks", "offline"),
    .options = options,
};
