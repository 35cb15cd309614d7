-- =============================================================================
-- Layer 08, integration: webhooks.cfg.lua -- events sent to other services
-- =============================================================================
--
-- This file tells Strata which HTTP endpoints to notify when something
-- happens on the server (an account is created, a user logs in, a room is
-- created...), so that other systems (billing, provisioning, chat-ops) can
-- react without polling.
--
-- Modules configured here (code in src/modules/08-integration/):
--   webhooks   beta   --   signed JSON events POSTed to other services, with retries
--
-- Each event is POSTed as a JSON object. When webhook_secret is set, the
-- request carries X-Strata-Signature: sha256=<hex HMAC-SHA256 of the body
-- with the secret>; the receiver should recompute it and refuse requests
-- that do not match. Failed deliveries are retried with growing delays;
-- a slow endpoint never delays the server.
--
-- How to read this file:
--   * Every option comes with a comment: what it does, its unit, its default
--     and the specification behind it. Prosody has no webhooks module: all
--     options here are Strata's own.
--   * A line without "--" in front is a setting in force. A line starting
--     with "-- " is an example (usually the default): remove the "-- " to use it.
--   * env("NAME", default) reads STRATA_NAME, then PROSODY_NAME (or the file
--     named by STRATA_NAME_FILE, for Docker secrets).
--   * config/strata.cfg.lua reads the layer files first, then domains,
--     environments and policies, which may override what is set here. Run
--     "strata config show --provenance" to see which file set a value.
--   * Durations: 30 or "30s", "5m", "1h".
--
-- State in this version: webhooks is planned, declared with all its options
-- but not implemented yet ("strata modules" shows its state). Listing a
-- planned module, or setting an option of a module that is not enabled,
-- makes "strata check" warn; so the list below names it in a comment and
-- its options are commented out.

-- Modules of layer 08 enabled by this file (each assignment adds to the set).
-- planned in this version (see "strata modules"): "webhooks"
-- integration_modules = { "webhooks" }

-- -----------------------------------------------------------------------------
-- webhooks: endpoints
-- -----------------------------------------------------------------------------

-- The endpoints, each a table with a url and the events it wants (all
-- events when `events` is left out). Use https:// for anything that leaves
-- the machine. List of tables; default: none (nothing is sent). Strata only.
-- webhooks = {
--     { url = "https://ops.example.org/hooks/xmpp", events = { "user-registered", "user-deleted" } },
--     { url = "http://127.0.0.1:8080/audit" },
-- }

-- Key for the HMAC-SHA256 signature of each request. Text; default: none
-- (requests are unsigned). A long random value, kept out of the file.
-- Strata only.
-- webhook_secret = env("WEBHOOK_SECRET", nil)

-- -----------------------------------------------------------------------------
-- webhooks: delivery
-- -----------------------------------------------------------------------------

-- Further attempts after a failed delivery (a network error or a 5xx
-- answer); then the event is logged and dropped. Whole number, 0 to 20;
-- default 3. Strata only.
-- webhook_retries = 3

-- Wait before the first retry; each next retry waits twice as long.
-- Duration, 1s to 1d; default "30s". Strata only.
-- webhook_retry_delay = "30s"

-- How long one delivery may take before it counts as failed. Duration,
-- 1s to 5m; default "10s". Strata only.
-- webhook_timeout = "10s"
