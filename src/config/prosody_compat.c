/*
 * What Strata says about Prosody modules and options it does not have, so a
 * migrated prosody.cfg.lua gets an explanation instead of "unknown".
 */
#include <string.h>

#include "config/check.h"

struct note {
    const char *name;
    const char *text;
};

static const struct note module_notes[] = {
    {"posix", "Strata runs in the foreground; use systemd or Docker to supervise it, and `pidfile` for a pid file"},
    {"invites", "account invitations are planned as part of the register module"},
    {"invites_adhoc", "account invitations are planned as part of the register module"},
    {"invites_register", "account invitations are planned as part of the register module"},
    {"legacyauth", "XEP-0078 is obsolete; Strata offers SASL only"},
    {"announce", "server-wide announcements are not in Strata yet"},
    {"motd", "messages of the day are not in Strata yet"},
    {"welcome", "welcome messages are not in Strata yet"},
    {"watchregistrations", "registration notices to admins are not in Strata yet"},
    {"groups", "shared roster groups are not in Strata yet"},
    {"privacy", "XEP-0016 privacy lists are obsolete; Strata has blocklist (XEP-0191)"},
    {"vcard", "use vcard_legacy, which serves vcard-temp from PEP"},
    {"auth_internal_plain", "Strata never stores plaintext passwords; use authentication = \"internal_hashed\""},
    {"auth_anonymous", "anonymous login is not in Strata yet"},
    {"s2s_bidi", "bidirectional s2s (XEP-0288) is part of Strata's s2s module"},
    {"http_upload", "use http_file_share (XEP-0363)"},
    {"tombstones", "account tombstones are not in Strata yet"},
    {"register_ibr", "in-band registration (XEP-0077) is part of Strata's register module"},
    {"register_limits", "registration limits are options of Strata's register module"},
    {"user_account_management", "password changes are part of the register module"},
    {"mimicking", "not in Strata yet"},
    {"lastlog", "use log_auth for login records"},
    {"net_multiplex", "Strata listens on each configured port for its own protocol"},
    {"statistics", "use http_openmetrics for metrics"},
    {"account_activity", "not in Strata yet"},
    {NULL, NULL},
};

static const struct note option_notes[] = {
    {"daemonize", "Strata runs in the foreground; supervise it with systemd or Docker"},
    {"use_libevent", "Strata always runs on libuv"},
    {"network_backend", "Strata always runs on libuv"},
    {"prosody_user", "start Strata as the user it should run as"},
    {"prosody_group", "start Strata as the user it should run as"},
    {"umask", "set the umask in the service manager"},
    {NULL, NULL},
};

static const char *lookup(const struct note *notes, const char *name)
{
    for (const struct note *n = notes; n->name; n++) {
        if (strcmp(n->name, name) == 0) {
            return n->text;
        }
    }
    return NULL;
}

const char *prosody_module_note(const char *name)
{
    return lookup(module_notes, name);
}

const char *prosody_option_note(const char *name)
{
    return lookup(option_notes, name);
}
