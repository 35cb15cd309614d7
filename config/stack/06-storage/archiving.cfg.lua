-- =============================================================================
-- Layer 06, storage: archiving.cfg.lua -- message archives (MAM)
-- =============================================================================
--
-- This file decides what is kept of users' one-to-one conversations, for
-- how long, and how clients page through it. With archives, every device
-- of a user shows the same history, even one that was off for a week.
--
-- Modules configured here (code in src/modules/06-storage/):
--   mam   core   XEP-0313, XEP-0059, XEP-0359   message archives per account
--
-- Room archives are muc_mam's (05-services/groupchat.cfg.lua).
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
--   * Durations: 30 or "30s", "5m", "2h", "1d", "1w", "1y".
--
-- Retention is a legal question as much as a technical one: periods required
-- by law or company policy belong in config/policies/compliance.cfg.lua,
-- which is read after this file and overrides it.
--
-- State in this version: mam is planned, declared with all its options but
-- not implemented yet ("strata modules" shows its state). Listing a planned
-- module, or setting an option of a module that is not enabled, makes
-- "strata check" warn; so the list below names it in a comment and its
-- options are commented out.

-- Modules of layer 06 enabled by this file (each assignment adds to the set).
-- planned in this version (see "strata modules"): "mam"
-- storage_modules = { "mam" }

-- -----------------------------------------------------------------------------
-- mam: Message Archive Management (XEP-0313)
-- -----------------------------------------------------------------------------

-- How long messages are kept; older ones are deleted once a day. Duration
-- ("1w", "1y") or "never"; default "1w".
-- archive_expires_after = "1w"

-- What is archived for users who set no preference of their own: true
-- (everything), false (nothing) or "roster" (only with contacts in their
-- roster). Default true.
-- default_archive_policy = true

-- Archive a user's messages only once one of their clients has used MAM,
-- so users of old clients leave no archive behind. true or false; default false.
-- mam_smart_enable = false

-- Most messages in one page of a query; clients page with RSM (XEP-0059).
-- Applies to room archives too. Whole number, 1 to 1000; default 50.
-- max_archive_query_results = 50

-- Tell clients how many messages match a query; costs one count per query.
-- true or false; default true.
-- mam_include_total = true

-- Payload namespaces removed before archiving; a message left with nothing
-- is not archived. List; default { "http://jabber.org/protocol/chatstates" }
-- (typing notifications are not worth keeping).
-- dont_archive_namespaces = { "http://jabber.org/protocol/chatstates" }

-- Name of the store holding archives, so a storage table can give it a
-- driver of its own (backends.cfg.lua). Text; default "archive".
-- archive_store = "archive"

-- Most messages kept per user; the oldest go first. Whole number; default:
-- no limit besides archive_expires_after.
-- storage_archive_item_limit = 100000
