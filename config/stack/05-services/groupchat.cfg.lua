-- =============================================================================
-- Layer 05, services: groupchat.cfg.lua -- group chat rooms (MUC)
-- =============================================================================
--
-- This file holds the defaults of the group chat service: what a new room
-- looks like, what room owners and users may do, the limits that keep a
-- busy service healthy, and how long room archives are kept.
--
-- Modules configured here (code in src/modules/05-services/):
--   muc       official   XEP-0045, XEP-0249, XEP-0410, XEP-0421   rooms, as a Component
--   muc_mam   official   XEP-0313                                 room archives, beside muc
--
-- Where the service is declared: the MUC Component section in
-- config/domains/main.cfg.lua (e.g. Component "muc.example.org" "muc", with
-- modules_enabled = { "muc_mam" } inside it). Options set here, in the
-- global section, are inherited by that Component; set one inside the
-- Component section instead to give one service a different value.
--
-- How to read this file:
--   * Every option comes with a comment: what it does, its unit, its default
--     and the specification behind it. "Strata only" marks options Prosody
--     does not have; all others mean what they mean in Prosody (or in its
--     community modules, like muc_max_nick_length).
--   * A line without "--" in front is a setting in force. A line starting
--     with "-- " is an example (usually the default): remove the "-- " to use it.
--   * config/strata.cfg.lua reads the layer files first, then domains,
--     environments and policies, which may override what is set here. Run
--     "strata config show --provenance" to see which file set a value.
--   * Durations: 30 or "30s", "5m", "2h", "1d", "1w", "1y".
--
-- State in this version: muc and muc_mam are planned, declared with all
-- their options but not implemented yet ("strata modules" shows each one's
-- state). Setting an option of a module that is not enabled makes "strata
-- check" warn, so every option below is commented out until they are.

-- Modules of layer 05 (services_modules): none to list here. muc is the
-- module of its Component section and muc_mam is enabled inside that
-- section (config/domains/main.cfg.lua); a module listed here would load on
-- every VirtualHost instead.
-- planned in this version (see "strata modules"): "muc", "muc_mam"

-- -----------------------------------------------------------------------------
-- muc: Multi-User Chat (XEP-0045) -- how new rooms are configured
-- -----------------------------------------------------------------------------
-- These set the configuration a room starts with; its owner may change it.

-- New rooms are listed in the room directory (disco#items). true or false;
-- default false.
-- muc_room_default_public = false

-- New rooms stay when the last occupant leaves. true or false; default false.
-- muc_room_default_persistent = false

-- New rooms admit members only. true or false; default false.
-- muc_room_default_members_only = false

-- In new rooms, only participants with voice may speak. true or false;
-- default false.
-- muc_room_default_moderated = false

-- New rooms show occupants' real JIDs to everyone instead of to moderators
-- only (non-anonymous rooms, XEP-0045 §4.2). true or false; default false.
-- muc_room_default_public_jids = false

-- Occupants of new rooms may change the subject. true or false; default false.
-- muc_room_default_change_subject = false

-- Members of new members-only rooms may invite others. true or false;
-- default false.
-- muc_room_default_allow_member_invites = false

-- Messages of history sent to someone joining a new room. Whole number,
-- 0 to 1000, at most max_history_messages; default 20.
-- muc_room_default_history_length = 20

-- Language of new rooms, as a language tag. Text; default: none.
-- muc_room_default_language = "en"

-- Roles whose presence new rooms broadcast to occupants; hiding visitors
-- keeps large moderated rooms quiet. Table; default: all three true.
-- muc_room_default_presence_broadcast = { moderator = true, participant = true, visitor = true }

-- -----------------------------------------------------------------------------
-- muc: what owners and users may do
-- -----------------------------------------------------------------------------

-- Who may create rooms: "local" (users of the parent host), true or "admin"
-- (admins only), or false (anyone, also accounts on other servers). Default
-- "local": Prosody's default is false, which lets the whole federation fill
-- the service with rooms.
-- restrict_room_creation = "local"

-- Owners may list their rooms publicly; false leaves that to admins. true or
-- false; default true.
-- muc_room_allow_public = true

-- Owners may make their rooms persistent; false leaves that to admins. true
-- or false; default true.
-- muc_room_allow_persistent = true

-- The component's admins (the `admins` option) are owners of every room.
-- true or false; default true.
-- component_admins_as_room_owners = true

-- A new room stays locked until its creator submits its configuration, so
-- nobody joins a half-made room (XEP-0045 §10.1.2). true or false; default true.
-- muc_room_locking = true

-- A locked room never configured is destroyed after this. Duration, 10s to
-- 1d; default "5m".
-- muc_room_lock_timeout = "5m"

-- A destroyed persistent room leaves a tombstone answering <gone/>, so its
-- address is not silently taken over by someone else. true or false;
-- default true.
-- muc_tombstones = true

-- How long a tombstone keeps the address. Duration, 0 to 1y; default "31d".
-- muc_tombstone_expiry = "31d"

-- Members who registered a nickname with a room must join with it. true or
-- false; default false.
-- enforce_registered_nickname = false

-- Users without an affiliation may register with a room, becoming members.
-- true or false; default false.
-- allow_unaffiliated_register = false

-- Give occupants stable anonymous ids (XEP-0421), which clients use for
-- moderation and reactions. true or false; default true.
-- muc_occupant_id = true

-- -----------------------------------------------------------------------------
-- muc: limits
-- -----------------------------------------------------------------------------
-- Limits that depend on the deployment (a small team server, a large public
-- service) may be set by config/policies/performance.cfg.lua.

-- Highest history length a room owner may configure. Whole number, 0 to
-- 1000; default 100 (Prosody's default has no ceiling).
-- max_history_messages = 100

-- Longest nickname an occupant may use, in characters. Whole number, 1 to
-- 1023; default 23 (the value of Prosody's mod_muc_limits).
-- muc_max_nick_length = 23

-- Most rooms the service holds. Whole number; default: unlimited.
-- muc_max_rooms = 10000

-- Idle persistent rooms kept in memory before being unloaded to storage.
-- Whole number, 1 to 1000000; default 100.
-- muc_room_cache_size = 100

-- -----------------------------------------------------------------------------
-- muc_mam: room archives (XEP-0313)
-- -----------------------------------------------------------------------------
-- Paging of queries (max_archive_query_results) is shared with user
-- archives and documented in 06-storage/archiving.cfg.lua.

-- New rooms have archiving on; owners may switch it off. true or false;
-- default true.
-- muc_log_by_default = true

-- Archive every room, whatever its owners configure. true or false;
-- default false.
-- muc_log_all_rooms = false

-- How long room messages are kept. Duration ("1w", "1y") or "never";
-- default "1w". Retention required by law or policy is set by
-- config/policies/compliance.cfg.lua.
-- muc_log_expires_after = "1w"

-- Also archive joins and leaves. true or false; default false.
-- muc_log_presences = false
