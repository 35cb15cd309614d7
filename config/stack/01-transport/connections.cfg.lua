-- =============================================================================
-- Layer 01, transport: connections.cfg.lua -- authenticating peers, limits
-- =============================================================================
--
-- How other servers prove who they are when their certificate does not, and
-- how much any one connection or address may take from the server.
--
-- Modules configured here (code in src/modules/01-transport/):
--   dialback   core     XEP-0220, XEP-0185   DNS-based fallback when a peer's
--                                            certificate does not authenticate it
--   limits     stable   XEP-0205             read rate per connection, connections
--                                            and failed logins per IP address
--
-- How to read this file:
--   * Every option comes with a comment: what it does, its unit, its default
--     and the specification behind it.
--   * A line without "--" in front is a setting in force. A line starting with
--     "-- " is an example: remove the "-- " to use it.
--   * Rates: "10kb/s" (kb = 1000 bytes), "1mb/s". Durations: 30 or "30s",
--     "5m", "1h".
--   * Options of a module that is not enabled are left as examples: setting
--     them makes "strata check" warn that nothing reads them.
--
-- Both modules are planned in this version (see "strata modules"). Until
-- dialback lands, only peers with a valid certificate can federate, as if
-- s2s_secure_auth were on. Until limits lands, stanza size limits
-- (ports.cfg.lua, validation.cfg.lua) are the only flood protection: put a
-- firewall rate limit in front of a public server.

-- Modules of this layer enabled by this file (each assignment adds to the
-- enabled set). Move a module into the list once "strata modules" shows it
-- implemented:
-- planned in this version (see "strata modules"): "dialback", "limits"
-- transport_modules = { "dialback", "limits" }

-- -----------------------------------------------------------------------------
-- dialback (XEP-0220)
-- -----------------------------------------------------------------------------

-- Secret behind dialback keys (HMAC-SHA256, XEP-0185). Text; default: a new
-- random secret at each start, which is right for one server. Set the same
-- long random value on every node when several nodes serve one domain.
-- dialback_secret = env("DIALBACK_SECRET", nil)

-- -----------------------------------------------------------------------------
-- limits (XEP-0205)
-- -----------------------------------------------------------------------------

-- Read rate per session type: c2s (clients), s2sin (servers connecting to
-- us), s2sout (our connections to servers). rate is the sustained bytes per
-- second, burst how many seconds of that rate may come at once. A connection
-- over its rate is paused, not dropped. Default: c2s 10kb/s with a 2s burst,
-- s2sin 30kb/s with a 2s burst, s2sout unlimited.
-- limits = {
--     c2s = { rate = "10kb/s", burst = "2s" };
--     s2sin = { rate = "30kb/s", burst = "2s" };
-- }

-- How often a paused connection is looked at again. Duration, 0.01s to 60s;
-- default "1s".
-- limits_resolution = "1s"

-- Accounts whose connections are never throttled (bots, bridges, gateways).
-- List of bare JIDs; default: none.
-- unlimited_jids = { "bot@example.org" }

-- Simultaneous connections from one IP address (XEP-0205 §4.1). Whole
-- number, 1 to 100000; default 64, generous because mobile carriers put many
-- users behind one address. Strata only.
-- limits_connections_per_ip = 64

-- Failed logins from one IP address within limit_auth_period, after which
-- that address must wait (XEP-0205 §4.2). Whole number, 1 to 1000; default 5.
-- limit_auth_max = 5

-- The window over which failed logins are counted. Duration, 1s to 1d;
-- default "30s".
-- limit_auth_period = "30s"
