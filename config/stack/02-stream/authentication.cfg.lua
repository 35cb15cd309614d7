-- =============================================================================
-- Layer 02, stream: authentication.cfg.lua -- logging in and accounts
-- =============================================================================
--
-- How clients prove who they are (SASL), how passwords are stored, how
-- accounts are created, and how users manage their clients and passwords.
--
-- Modules configured here (code in src/modules/02-stream/):
--   saslauth               core      RFC 6120 §6, RFC 4616, RFC 5802, RFC 7677,
--                                    XEP-0440, XEP-0474   SASL: PLAIN over TLS,
--                                    SCRAM-SHA-1/-256 and -PLUS; loaded with c2s
--   auth_internal_hashed   core      RFC 5802   salted SCRAM credentials,
--                                    never the password itself
--   fast                   beta      XEP-0484   token login for returning clients
--   register               official  XEP-0077   password change; new accounts
--                                    only when allowed or invited
--   client_management      beta      XEP-0494   list and revoke clients
--   password_reset         beta      -          single-use expiring reset tokens
--
-- How to read this file:
--   * Every option comes with a comment: what it does, its unit, its default
--     and the specification behind it.
--   * A line without "--" in front is a setting in force. A line starting with
--     "-- " is an example: remove the "-- " to use it.
--   * Options of a module that is not enabled are left as examples: setting
--     them makes "strata check" warn that nothing reads them. saslauth is
--     always loaded (c2s requires it), so its options may be set.
--   * Durations: 30 or "30s", "5m", "1d", "1w".
--
-- Which SASL mechanisms are offered (sasl_mechanisms, tls_channel_binding)
-- depends on the security level and is set by config/policies/security.cfg.lua.
-- Where passwords are checked ("authentication": internal_hashed, ldap, oauth2)
-- is set in 06-storage/backends.cfg.lua.

-- Modules of this layer enabled by this file (each assignment adds to the
-- enabled set). Move a module into the list once "strata modules" shows it
-- implemented:
stream_modules = { "saslauth", "auth_internal_hashed" }
-- planned in this version (see "strata modules"): "fast", "register",
--   "client_management", "password_reset"
-- stream_modules = { "fast", "register", "client_management", "password_reset" }

-- -----------------------------------------------------------------------------
-- saslauth (RFC 6120 §6)
-- -----------------------------------------------------------------------------

-- SASL mechanisms offered, in order of preference. List of "PLAIN",
-- "SCRAM-SHA-1", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-256-PLUS";
-- default: all five, strongest first. The -PLUS variants bind the login to
-- the TLS connection, defeating a man in the middle (RFC 5802 §6). PLAIN is
-- needed by LDAP and OAuth back-ends and by old clients. Strata only; set per
-- security level by policies/security.cfg.lua.
-- sasl_mechanisms = { "SCRAM-SHA-256-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-1", "PLAIN" }

-- Channel bindings offered to the -PLUS mechanisms (advertised with
-- XEP-0440). List of "tls-exporter" (RFC 9266, TLS 1.3) and
-- "tls-server-end-point" (RFC 5929, works behind TLS proxies); default both.
-- tls-unique is never used: it is broken for TLS 1.3. Strata only; set per
-- security level by policies/security.cfg.lua.
-- tls_channel_binding = { "tls-exporter", "tls-server-end-point" }

-- When TLS ends at a proxy in front of Strata, tls-server-end-point needs the
-- hash of the proxy's certificate: hex text, or "auto" to hash the
-- certificate Strata itself uses. Default: unset.
-- tls_server_end_point_hash = "auto"

-- Mechanisms never offered, whatever else says. List; default
-- { "DIGEST-MD5" } (obsolete, RFC 6331).
-- disable_sasl_mechanisms = { "DIGEST-MD5" }

-- Mechanisms offered only on encrypted connections. List; default
-- { "PLAIN", "LOGIN" }.
-- insecure_sasl_mechanisms = { "PLAIN", "LOGIN" }

-- Prosody's switch to allow PLAIN without encryption. Accepted only as
-- false: a cleartext password on an unencrypted connection is readable by
-- anyone on the path. Default false; true is a check error.
-- allow_unencrypted_plain_auth = false

-- -----------------------------------------------------------------------------
-- auth_internal_hashed (RFC 5802)
-- -----------------------------------------------------------------------------
-- Chosen by authentication = "internal_hashed" (the default). Each account
-- keeps SCRAM-SHA-1 and SCRAM-SHA-256 credentials; the password is never
-- stored, so it cannot leak from a stolen database.

-- PBKDF2 iterations for credentials created from now on (existing ones keep
-- theirs until the password changes). Whole number, 4096 to 1000000;
-- default 10000. RFC 7677 asks at least 4096; more slows logins and guessing
-- alike.
-- default_iteration_count = 10000

-- -----------------------------------------------------------------------------
-- fast (XEP-0484)
-- -----------------------------------------------------------------------------
-- Needs sasl2 (negotiation.cfg.lua). All of an account's tokens are revoked
-- when its password changes.

-- How long a client may stay away and still log in with its token.
-- Duration, 1h to 1y; default "21d".
-- sasl2_fast_token_ttl = "21d"

-- Age after which a token used to log in is replaced by a fresh one.
-- Duration, 1m to 1y; default "1d".
-- sasl2_fast_token_min_ttl = "1d"

-- -----------------------------------------------------------------------------
-- register (XEP-0077)
-- -----------------------------------------------------------------------------
-- Logged-in users can always change their password. New accounts: closed by
-- default; the "strata user" command creates them from the shell.

-- Let anyone create an account from a client. true or false; default false.
-- allow_registration = false

-- When registration is open, require an invitation token. true or false;
-- default true.
-- registration_invite_only = true

-- Password rules, at registration and on password change. Table with
-- length (whole number, default 8) and exclude_username (default true).
-- password_policy = { length = 12; exclude_username = true; }

-- At most one new account per IP address in this time. Duration; default:
-- unset, no throttle (registration is closed by default anyway).
-- min_seconds_between_registrations = "5m"

-- The general form of the throttle: registration_throttle_max new accounts
-- per IP address per registration_throttle_period. Whole number and
-- duration; default: unset.
-- registration_throttle_max = 3
-- registration_throttle_period = "1h"

-- How many IP addresses the throttle tracks. Whole number; default 100.
-- registration_throttle_cache_size = 100

-- Block an address still over its limit when it drops out of the tracking
-- cache. true or false; default false.
-- blacklist_on_registration_throttle_overload = false

-- Addresses or CIDR ranges never throttled. List; default
-- { "127.0.0.1", "::1" }.
-- registration_whitelist = { "127.0.0.1", "::1" }

-- Accept registrations only from registration_whitelist. true or false;
-- default false.
-- whitelist_registration_only = false

-- Addresses or CIDR ranges that may not register. List; default: none.
-- registration_blacklist = { "198.51.100.0/24" }

-- Title and instructions of the registration form. Text; defaults
-- "Creating a new account" and "Choose a username and password for use with
-- this service."
-- registration_title = "Creating a new account"
-- registration_instructions = "Choose a username and password for use with this service."

-- Extra form fields: nick, name, first, last, email, address, city, state,
-- zip, phone, url, date; a trailing "+" makes one required. Default: none.
-- additional_registration_fields = { "email+" }

-- -----------------------------------------------------------------------------
-- client_management (XEP-0494)
-- -----------------------------------------------------------------------------
-- Needs fast. Users list the clients that logged in to their account and
-- revoke one (its tokens and sessions) if a device is lost.

-- Refuse logins from clients that do not identify themselves (SASL2
-- user-agent id), so every client can be listed and revoked. true or false;
-- default false (old clients do not send one).
-- enforce_client_ids = false

-- -----------------------------------------------------------------------------
-- password_reset
-- -----------------------------------------------------------------------------
-- An administrator issues a reset link or token for an account; it works
-- once, and using it revokes the account's FAST tokens.

-- How long a reset link or token stays usable. Duration, 5m to 1w; default
-- "1d". Strata only.
-- password_reset_validity = "1d"
