-- =============================================================================
-- Layer 03, stanza: routing.cfg.lua -- where stanzas go
-- =============================================================================
--
-- The router: every message and iq is delivered by the rules of RFC 6120 §8
-- and RFC 6121 §8 according to whether it is addressed to a full JID
-- (user@host/resource), a bare JID (user@host) or the server itself.
--
-- Modules configured here (code in src/modules/03-stanza/):
--   message   core       RFC 6120 §8, RFC 6121 §8   message routing; loads
--                                                   automatically
--   iq        core       RFC 6120 §8.2.3, §10.5     iq routing: one answer to
--                                                   every request; loads
--                                                   automatically
--   ping      official   XEP-0199                   answers pings, finds dead
--                                                   connections
--
-- How to read this file:
--   * Every option comes with a comment: what it does, its unit, its default
--     and the specification behind it.
--   * A line without "--" in front is a setting in force. A line starting with
--     "-- " is an example: remove the "-- " to use it.
--   * Options of a module that is not enabled are left as examples: setting
--     them makes "strata check" warn that nothing reads them.
--
-- message and iq have no options: the RFCs leave nothing to choose. The
-- third router, presence, lives with the rest of presence in
-- 05-services/presence.cfg.lua. Filters that run before delivery are in
-- filtering.cfg.lua; limits on what a stanza may contain in validation.cfg.lua.

-- Modules of this layer enabled by this file (each assignment adds to the
-- enabled set). message and iq need no listing. Move a module into the list
-- once "strata modules" shows it implemented:
stanza_modules = { "message", "iq", "ping" }

-- -----------------------------------------------------------------------------
-- ping (XEP-0199)
-- -----------------------------------------------------------------------------

-- Ping a client or server connection that has been idle this long, to find
-- peers that vanished without closing (a phone that lost signal). Duration,
-- 0 to 1d; default "5m"; 0 never pings. Strata only.
-- ping_interval = "5m"

-- Close a connection whose ping has no answer after this long (a resumable
-- session hibernates instead, see 02-stream/management.cfg.lua). Duration,
-- 1s to 1h; default "1m". Strata only.
-- ping_timeout = "1m"
