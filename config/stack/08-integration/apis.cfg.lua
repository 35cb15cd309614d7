-- =============================================================================
-- Layer 08, integration: apis.cfg.lua -- administration, metrics and logs
-- =============================================================================
--
-- This file covers the ways to run and watch the server from outside: the
-- REST API, ad-hoc commands and the console for administration; metrics and
-- health checks for monitoring; login, audit and JSON logs for operations.
--
-- Modules configured here (code in src/modules/08-integration/):
--   rest                    beta       --                   HTTP/JSON admin API: users, sessions, rooms, hosts
--   admin_adhoc             official   XEP-0050, XEP-0133   administration through ad-hoc commands
--   admin_shell             official   --                   console on a Unix socket (alias admin_telnet; no TCP)
--   http_openmetrics        official   OpenMetrics          /metrics for Prometheus
--   health                  official   --                   liveness and readiness over HTTP
--   log_auth                stable     --                   failed logins logged with the IP (fail2ban)
--   stanza_counter          stable     --                   per-kind stanza counters
--   measure_stanza_counts   alpha      --                   stanza counts by kind and type, for /metrics
--   audit                   alpha      --                   append-only security event log
--   json_logs               alpha      --                   one JSON object per log line
--
-- What is reachable from where: the REST API, /metrics and the health
-- endpoints run on the HTTP server (07-interfaces/http.cfg.lua) and answer
-- only loopback addresses unless their *_allow_ips options say otherwise;
-- the console has no network port at all. Who is an admin is the `admins`
-- option.
--
-- Alpha modules load only when the alpha tier is switched on
-- (STRATA_ENABLE_ALPHA=true, or enable_tiers in config/strata.cfg.lua).
--
-- How to read this file:
--   * Every option comes with a comment: what it does, its unit, its default
--     and the specification behind it. "Strata only" marks options Prosody
--     does not have; all others mean what they mean in Prosody (or in its
--     community modules).
--   * A line without "--" in front is a setting in force. A line starting
--     with "-- " is an example (usually the default): remove the "-- " to use it.
--   * env("NAME", default) reads STRATA_NAME, then PROSODY_NAME (or the file
--     named by STRATA_NAME_FILE, for Docker secrets).
--   * config/strata.cfg.lua reads the layer files first, then domains,
--     environments and policies, which may override what is set here. Run
--     "strata config show --provenance" to see which file set a value.
--   * Durations: 30 or "30s", "5m", "1d", "2w".
--
-- State in this version: these modules are planned, declared with all their
-- options but not implemented yet ("strata modules" shows each one's state).
-- Listing a planned module, or setting an option of a module that is not
-- enabled, makes "strata check" warn; so the list below names them in a
-- comment and their options are commented out. When a module is
-- implemented, move its name into the list and uncomment what you need.

-- Modules of layer 08 enabled by this file (each assignment adds to the set).
-- planned in this version (see "strata modules"): "rest", "admin_adhoc",
-- "admin_shell", "http_openmetrics", "health", "log_auth", "stanza_counter",
-- and in the alpha tier: "measure_stanza_counts", "audit", "json_logs"
-- integration_modules = { "rest", "admin_adhoc", "admin_shell", "http_openmetrics", "health",
--                         "log_auth", "stanza_counter", "measure_stanza_counts", "audit", "json_logs" }

-- -----------------------------------------------------------------------------
-- rest: HTTP/JSON administration API
-- -----------------------------------------------------------------------------
-- Every call needs a bearer token from rest_tokens. Reachable at
-- https://<host>:5281/rest (http_paths changes the path).

-- Tokens allowed to call the API, by name; the name appears in logs. Use
-- long random values kept out of the file. Table; default: none (the API
-- refuses every call). Strata only.
-- rest_tokens = { deploy = env("REST_TOKEN", nil) }

-- Addresses or CIDR ranges the API answers; others get 403. List; default
-- { "127.0.0.1", "::1" }. Strata only.
-- rest_allow_ips = { "127.0.0.1", "::1" }

-- HTTP authentication accepted: "Bearer" (a token) and "Basic" (an admin's
-- JID and password). List; default { "Bearer" }.
-- rest_auth_mechanisms = { "Bearer" }

-- -----------------------------------------------------------------------------
-- admin_adhoc: ad-hoc administration (XEP-0050, XEP-0133)
-- -----------------------------------------------------------------------------
-- No options. Admins see the commands (add user, change password, list
-- online users, announce, shut down...) in any client with ad-hoc support.

-- -----------------------------------------------------------------------------
-- admin_shell: the console (Unix socket only)
-- -----------------------------------------------------------------------------
-- Whoever can open the socket is root over the server: the file belongs to
-- the server's account, readable by it alone (and its group). A TCP console,
-- like Prosody's old telnet one, is not offered; Prosody configurations
-- naming admin_telnet get this module.

-- The console's socket; a relative name is inside data_path. Text; default
-- "strata.sock".
-- admin_socket = "strata.sock"

-- Text shown when the console opens. Text; default: a short greeting.
-- console_banner = "Production server: think twice."

-- -----------------------------------------------------------------------------
-- http_openmetrics: /metrics for Prometheus
-- -----------------------------------------------------------------------------

-- Addresses allowed to read /metrics. List; default { "::1", "127.0.0.1" }.
-- openmetrics_allow_ips = { "::1", "127.0.0.1" }

-- A network also allowed to read /metrics, e.g. the monitoring network.
-- CIDR text; default: none.
-- openmetrics_allow_cidr = "10.0.0.0/8"

-- Where statistics are collected: "internal" keeps them for /metrics.
-- Default "internal".
-- statistics = "internal"

-- Seconds between collections, or "manual" to collect when /metrics is
-- read (the right choice with Prometheus). Default "manual".
-- statistics_interval = "manual"

-- -----------------------------------------------------------------------------
-- health: liveness and readiness
-- -----------------------------------------------------------------------------
-- /health/live: 200 while the server runs. /health/ready: 200 once the
-- listeners are up and storage answers, 503 otherwise. For Docker
-- HEALTHCHECK and Kubernetes probes; the allowed addresses depend on the
-- deployment (config/environments/*.cfg.lua).

-- Addresses or CIDR ranges allowed to ask. List; default
-- { "127.0.0.1", "::1" }. Strata only.
-- health_allow_ips = { "127.0.0.1", "::1" }

-- Readiness includes a round trip to storage. true or false; default true.
-- Strata only.
-- health_check_storage = true

-- -----------------------------------------------------------------------------
-- log_auth: login records
-- -----------------------------------------------------------------------------

-- Which logins are logged with the client's IP address: "failure" (what
-- fail2ban needs), "success" or "all". Default "failure".
-- log_auth_ips = "failure"

-- -----------------------------------------------------------------------------
-- stanza_counter, measure_stanza_counts: counters
-- -----------------------------------------------------------------------------
-- No options. Counts appear in the console and, with http_openmetrics,
-- at /metrics.

-- -----------------------------------------------------------------------------
-- audit: security event log (alpha)
-- -----------------------------------------------------------------------------
-- Logins, password changes, account creation and deletion and admin actions,
-- stored per host. These records are personal data: how long they may be
-- kept is a legal question, settled in config/policies/compliance.cfg.lua.

-- How long events are kept. Duration, 1h to 10y; default "2w".
-- audit_log_expires_after = "2w"

-- Most events kept per user; the oldest go first. Whole number, 100 to
-- 100000000; default 10000.
-- audit_log_limit = 10000

-- Record the client's IP address with each event. true or false; default true.
-- audit_log_ips = true

-- Keep only this many leading bits of IPv4 addresses, for privacy (24 drops
-- the last byte). Whole number, 0 to 32; default: the full address.
-- audit_log_ipv4_prefix = 24

-- The same for IPv6 addresses. Whole number, 0 to 128; default: the full
-- address.
-- audit_log_ipv6_prefix = 56

-- -----------------------------------------------------------------------------
-- json_logs: JSON log lines (alpha)
-- -----------------------------------------------------------------------------

-- Fixed fields added to every line, for log collectors (Loki,
-- Elasticsearch). Table; default: none. Strata only.
-- json_logs_fields = { service = "xmpp", environment = "production" }
