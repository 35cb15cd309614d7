-- =============================================================================
-- Layer 05, services: pubsub.cfg.lua -- publish-subscribe, PEP, bookmarks
-- =============================================================================
--
-- This file covers publish-subscribe: the small service every account has
-- (PEP: avatars, OMEMO keys, nicknames, bookmarks) and the general pubsub
-- service for feeds and bots.
--
-- Modules configured here (code in src/modules/05-services/):
--   pep         core       XEP-0163, XEP-0060, XEP-0223   a pubsub service per account
--   bookmarks   beta       XEP-0402, XEP-0048             bookmarks in PEP, with #compat
--   pubsub      official   XEP-0060                       pubsub service, as a Component
--
-- The pubsub service is declared in config/domains/main.cfg.lua (e.g.
-- Component "pubsub.example.org" "pubsub"); options set here, in the global
-- section, are inherited by it.
--
-- How to read this file:
--   * Every option comes with a comment: what it does, its unit, its default
--     and the specification behind it. All options here are Prosody's and
--     mean what they mean in Prosody.
--   * A line without "--" in front is a setting in force. A line starting
--     with "-- " is an example (usually the default): remove the "-- " to use it.
--   * config/strata.cfg.lua reads the layer files first, then domains,
--     environments and policies, which may override what is set here. Run
--     "strata config show --provenance" to see which file set a value.
--
-- State in this version: these modules are planned, declared with all their
-- options but not implemented yet ("strata modules" shows each one's state).
-- Listing a planned module, or setting an option of a module that is not
-- enabled, makes "strata check" warn; so the list below names them in a
-- comment and their options are commented out. When a module is
-- implemented, move its name into the list and uncomment what you need.

-- Modules of layer 05 enabled by this file (each assignment adds to the set).
-- pubsub is the module of its Component section, not listed here.
-- planned in this version (see "strata modules"): "pep", "bookmarks"
-- services_modules = { "pep", "bookmarks" }

-- -----------------------------------------------------------------------------
-- pep: Personal Eventing Protocol (XEP-0163)
-- -----------------------------------------------------------------------------
-- Clients create their nodes with publish-options (XEP-0060 §7.1.5) to get
-- the access model they need; OMEMO and avatars depend on it.

-- Most items one PEP node may keep; a node configured for more gets this.
-- Whole number, 1 to 10000; default 256.
-- pep_max_items = 256

-- Users' PEP services kept in memory. Whole number, 1 to 1000000; default 1000.
-- pep_service_cache_size = 1000

-- Remembered client capabilities (XEP-0115), used to send each client the
-- items it asked for with +notify. Whole number, 1 to 1000000; default 10000.
-- pep_info_cache_size = 10000

-- -----------------------------------------------------------------------------
-- bookmarks: PEP Native Bookmarks (XEP-0402) and legacy bookmarks (XEP-0048)
-- -----------------------------------------------------------------------------
-- Bookmarks are kept both ways: a client using the old single-document
-- format (in PEP or in Private XML, XEP-0049) and one using the new format
-- see the same rooms. Needs pep.

-- Convert a user's XEP-0048 bookmarks to the new format the first time
-- they are read. true or false; default true.
-- upgrade_legacy_bookmarks = true

-- -----------------------------------------------------------------------------
-- pubsub: Publish-Subscribe service (XEP-0060)
-- -----------------------------------------------------------------------------

-- Publishing to a node that does not exist creates it. true or false;
-- default false.
-- autocreate_on_publish = false

-- Subscribing to a node that does not exist creates it. true or false;
-- default false.
-- autocreate_on_subscribe = false

-- Notifications name the JID that published each item. true or false;
-- default false.
-- expose_publisher = false

-- Most items one node may keep. Whole number, 1 to 100000; default 256.
-- pubsub_max_items = 256

-- Affiliation the service's admins have on every node: "owner",
-- "publisher", "member" or "none". Default "owner".
-- default_admin_affiliation = "owner"
