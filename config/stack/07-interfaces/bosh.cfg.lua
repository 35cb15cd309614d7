-- =============================================================================
-- Layer 07, interfaces: bosh.cfg.lua -- XMPP over HTTP long polling
-- =============================================================================
--
-- This file covers BOSH, XMPP carried in ordinary HTTP requests that the
-- server holds open until it has something to say. Web clients use it where
-- WebSocket is blocked (some proxies and corporate networks).
--
-- Modules configured here (code in src/modules/07-interfaces/):
--   bosh   official   XEP-0124, XEP-0206   XMPP over BOSH
--
-- It runs on the HTTP server (http.cfg.lua): the URL is
-- https://<host>:5281/http-bind unless http_paths or a reverse proxy says
-- otherwise. A BOSH session is a client session: the same login,
-- encryption rules and stanza limits as on port 5222.
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
--   * Durations: 30 or "30s", "2m".
--
-- State in this version: bosh is planned, declared with all its options but
-- not implemented yet ("strata modules" shows its state). Listing a planned
-- module, or setting an option of a module that is not enabled, makes
-- "strata check" warn; so the list below names it in a comment and its
-- options are commented out.

-- Modules of layer 07 enabled by this file (each assignment adds to the set).
-- planned in this version (see "strata modules"): "bosh"
-- interfaces_modules = { "bosh" }

-- -----------------------------------------------------------------------------
-- bosh: BOSH sessions (XEP-0124, XEP-0206)
-- -----------------------------------------------------------------------------

-- A session that sends no request for this long is closed, as a client that
-- vanished. Duration, 10s to 1h; default "60s".
-- bosh_max_inactivity = "60s"

-- Shortest interval allowed between two empty polling requests (XEP-0124
-- "polling"). Duration, 1s to 5m; default "5s".
-- bosh_max_polling = "5s"

-- Longest a request is held open waiting for data (XEP-0124 "wait"; a
-- client may ask for less). Keep it below the idle timeout of any proxy in
-- front. Duration, 1s to 1h; default "120s".
-- bosh_max_wait = "120s"

-- Treat plain-HTTP BOSH requests as encrypted. Only true when a reverse proxy
-- in front terminates TLS and talks to Strata over loopback. Whether a proxy
-- is used depends on the deployment (config/environments/*.cfg.lua). true or
-- false; default false.
-- consider_bosh_secure = false

-- Deprecated: origins allowed to use BOSH from a web page. Use
-- http_cors_override (http.cfg.lua) instead. true or a list of origins;
-- default: unset.
-- cross_domain_bosh = { "https://chat.example.org" }
