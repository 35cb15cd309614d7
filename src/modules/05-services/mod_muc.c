/*
 * muc: Multi-User Chat (XEP-0045) as a component, usually muc.<domain>.
 *
 * Rooms, occupants, affiliations and roles; mediated invitations
 * (XEP-0249), self-ping (XEP-0410) and occupant ids (XEP-0421). New rooms
 * are locked until configured (XEP-0045 §10.1.2) and destroyed rooms leave
 * a tombstone so their address is not silently reused.
 * The muc_room_default_* options set the configuration of new rooms; owners
 * may change it afterwards.
 */
#include <string.h>

#include "strata/config.h"
#include "strata/module.h"

/* Prosody accepts true (only admins), "admin", "local" (users of the parent
 * host) or false (anyone); a BOOL or ENUM type alone cannot say that. */
static const char *check_restrict(const struct cfg_value *v)
{
    if (v->kind == CFG_BOOL) {
        return NULL;
    }
    if (v->kind == CFG_STRING && (strcmp(v->u.str.ptr, "admin") == 0 || strcmp(v->u.str.ptr, "local") == 0)) {
        return NULL;
    }
    return "must be false, true, \"admin\" or \"local\"";
}

static const struct strata_option presence_broadcast_fields[] = {
    {.name = "moderator", .type = STRATA_OPT_BOOL, .def = "true"},
    {.name = "participant", .type = STRATA_OPT_BOOL, .def = "true"},
    {.name = "visitor", .type = STRATA_OPT_BOOL, .def = "true"},
    {0},
};

#define SCOPE STRATA_SCOPE_COMPONENT

static const struct strata_option options[] = {
    /* Defaults of new rooms. */
    {.name = "muc_room_default_public", .type = STRATA_OPT_BOOL, .scope = SCOPE, .def = "false",
     .help = "new rooms are listed in the room directory"},
    {.name = "muc_room_default_persistent", .type = STRATA_OPT_BOOL, .scope = SCOPE, .def = "false",
     .help = "new rooms survive when the last occupant leaves"},
    {.name = "muc_room_default_members_only", .type = STRATA_OPT_BOOL, .scope = SCOPE, .def = "false",
     .help = "new rooms admit members only"},
    {.name = "muc_room_default_moderated", .type = STRATA_OPT_BOOL, .scope = SCOPE, .def = "false",
     .help = "in new rooms only participants with voice may speak"},
    {.name = "muc_room_default_public_jids", .type = STRATA_OPT_BOOL, .scope = SCOPE, .def = "false",
     .help = "new rooms show occupants' real JIDs to everyone, not only to moderators"},
    {.name = "muc_room_default_change_subject", .type = STRATA_OPT_BOOL, .scope = SCOPE, .def = "false",
     .help = "occupants of new rooms may change the subject"},
    {.name = "muc_room_default_allow_member_invites", .type = STRATA_OPT_BOOL, .scope = SCOPE, .def = "false",
     .help = "members of new members-only rooms may invite others"},
    {.name = "muc_room_default_history_length", .type = STRATA_OPT_INT, .scope = SCOPE, .def = "20",
     .min = 0, .max = 1000, .help = "messages of history sent to someone joining a new room"},
    {.name = "muc_room_default_language", .type = STRATA_OPT_STRING, .scope = SCOPE,
     .help = "language tag of new rooms (e.g. \"en\"); none by default"},
    {.name = "muc_room_default_presence_broadcast", .type = STRATA_OPT_TABLE, .scope = SCOPE,
     .fields = presence_broadcast_fields, .help = "roles whose presence new rooms broadcast"},
    /* What owners and users may do. */
    /* SECURITY: "local", not Prosody's false, so that accounts anywhere on
     * the federation cannot fill the service with rooms. */
    {.name = "restrict_room_creation", .type = STRATA_OPT_ANY, .scope = SCOPE, .def = "local",
     .check = check_restrict,
     .help = "who may create rooms: \"local\" (the parent host's users), true or \"admin\", false (anyone)"},
    {.name = "muc_room_allow_public", .type = STRATA_OPT_BOOL, .scope = SCOPE, .def = "true",
     .help = "owners may list their rooms publicly (false: only admins may)"},
    {.name = "muc_room_allow_persistent", .type = STRATA_OPT_BOOL, .scope = SCOPE, .def = "true",
     .help = "owners may make their rooms persistent (false: only admins may)"},
    {.name = "component_admins_as_room_owners", .type = STRATA_OPT_BOOL, .scope = SCOPE, .def = "true",
     .help = "the component's admins are owners of every room"},
    {.name = "muc_room_locking", .type = STRATA_OPT_BOOL, .scope = SCOPE, .def = "true",
     .help = "a new room stays locked until its creator configures it (XEP-0045 §10.1.2)"},
    {.name = "muc_room_lock_timeout", .type = STRATA_OPT_DURATION, .scope = SCOPE, .def = "5m",
     .min = 10, .max = 86400, .help = "a locked room never configured is destroyed after this"},
    {.name = "muc_tombstones", .type = STRATA_OPT_BOOL, .scope = SCOPE, .def = "true",
     .help = "destroyed persistent rooms leave a tombstone that answers with <gone/>"},
    {.name = "muc_tombstone_expiry", .type = STRATA_OPT_DURATION, .scope = SCOPE, .def = "31d",
     .min = 0, .max = 31536000, .help = "how long a tombstone keeps a destroyed room's address"},
    {.name = "enforce_registered_nickname", .type = STRATA_OPT_BOOL, .scope = SCOPE, .def = "false",
     .help = "members who registered a nickname with a room must join with it"},
    {.name = "allow_unaffiliated_register", .type = STRATA_OPT_BOOL, .scope = SCOPE, .def = "false",
     .help = "users without an affiliation may register with a room and become members"},
    {.name = "muc_occupant_id", .type = STRATA_OPT_BOOL, .scope = SCOPE, .def = "true",
     .help = "stable anonymous occupant ids (XEP-0421)"},
    /* Limits: every room costs memory, history and nicknames are bounded. */
    {.name = "max_history_messages", .type = STRATA_OPT_INT, .scope = SCOPE, .def = "100",
     .min = 0, .max = 1000, .help = "highest history length a room owner may configure"},
    {.name = "muc_max_nick_length", .type = STRATA_OPT_INT, .scope = SCOPE, .def = "23",
     .min = 1, .max = 1023, .help = "longest nickname, in characters, an occupant may use"},
    {.name = "muc_max_rooms", .type = STRATA_OPT_INT, .scope = SCOPE, .min = 1, .max = 10000000,
     .help = "most rooms the service holds; unlimited when unset"},
    {.name = "muc_room_cache_size", .type = STRATA_OPT_INT, .scope = SCOPE, .def = "100",
     .min = 1, .max = 1000000, .help = "idle persistent rooms kept in memory before being unloaded to storage"},
    {0},
};

#undef SCOPE

const struct strata_module strata_mod_muc = {
    .name = "muc",
    .layer = STRATA_LAYER_SERVICES,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_COMPONENT,
    .config_file = "groupchat",
    .specs = "XEP-0045, XEP-0249, XEP-0410, XEP-0421",
    .summary = "group chat rooms, as a component (muc.<domain>)",
    .options = options,
};
