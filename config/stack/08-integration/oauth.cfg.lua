-- =============================================================================
-- Layer 08, integration: oauth.cfg.lua -- OAuth 2.0 and OpenID Connect
-- =============================================================================
--
-- This file makes Strata an OAuth 2.0 authorization server and OpenID
-- Connect provider: web apps and third-party tools get a token, with the
-- user's consent, instead of their password; XMPP clients log in with such
-- tokens over SASL OAUTHBEARER.
--
-- Modules configured here (code in src/modules/08-integration/):
--   oauth2   beta   RFC 6749, RFC 7636, RFC 7628, OIDC   token endpoint, OAUTHBEARER, OIDC login
--
-- It runs on the HTTP server (07-interfaces/http.cfg.lua) and needs HTTPS:
-- tokens and passwords cross the login pages. Prosody's community module
-- is called http_oauth2; that name is accepted too.
--
-- Secure by default: PKCE (RFC 7636) is required, and the "password" grant
-- (the app sees the user's password) and the implicit "token" response are
-- off unless listed.
--
-- How to read this file:
--   * Every option comes with a comment: what it does, its unit, its default
--     and the specification behind it. All options here are those of
--     Prosody's mod_http_oauth2 and mean the same.
--   * A line without "--" in front is a setting in force. A line starting
--     with "-- " is an example (usually the default): remove the "-- " to use it.
--   * env("NAME", default) reads STRATA_NAME, then PROSODY_NAME (or the file
--     named by STRATA_NAME_FILE, for Docker secrets).
--   * config/strata.cfg.lua reads the layer files first, then domains,
--     environments and policies, which may override what is set here. Run
--     "strata config show --provenance" to see which file set a value.
--   * Durations: 30 or "30s", "5m", "1h", "1d", "1w".
--
-- State in this version: oauth2 is planned, declared with all its options
-- but not implemented yet ("strata modules" shows its state). Listing a
-- planned module, or setting an option of a module that is not enabled,
-- makes "strata check" warn; so the list below names it in a comment and
-- its options are commented out.

-- Modules of layer 08 enabled by this file (each assignment adds to the set).
-- planned in this version (see "strata modules"): "oauth2"
-- integration_modules = { "oauth2" }

-- -----------------------------------------------------------------------------
-- oauth2: tokens
-- -----------------------------------------------------------------------------

-- Lifetime of an access token. Duration, 1m to 30d; default "1h".
-- oauth2_access_token_ttl = "1h"

-- Lifetime of a refresh token, with which an app gets new access tokens
-- without asking the user again. Duration, 1m to 1y; default "1w".
-- oauth2_refresh_token_ttl = "1w"

-- -----------------------------------------------------------------------------
-- oauth2: flows
-- -----------------------------------------------------------------------------

-- Require PKCE (RFC 7636) in the authorization code flow, which stops a
-- stolen code from being redeemed. true or false; default true.
-- oauth2_require_code_challenge = true

-- Grant types the token endpoint accepts: "authorization_code",
-- "refresh_token", "device_code" (RFC 8628, for devices without a browser)
-- and "password" (the app handles the password; avoid). List; default
-- { "authorization_code", "refresh_token" }.
-- allowed_oauth2_grant_types = { "authorization_code", "refresh_token" }

-- Response types the authorization endpoint accepts: "code" and "token"
-- (the implicit flow, deprecated by OAuth 2.1). List; default { "code" }.
-- allowed_oauth2_response_types = { "code" }

-- -----------------------------------------------------------------------------
-- oauth2: client registration and pages
-- -----------------------------------------------------------------------------

-- Secret key enabling dynamic client registration (RFC 7591): apps register
-- themselves and get credentials signed with this key. Text; default: none
-- (registration off). A long random value, kept out of the file.
-- oauth2_registration_key = env("OAUTH2_REGISTRATION_KEY", nil)

-- How long a dynamically registered client stays valid. Duration, 1h to
-- 10y; default: forever.
-- oauth2_registration_ttl = "90d"

-- Folder with your own login and consent page templates. Path; default:
-- the built-in pages.
-- oauth2_template_path = "/etc/strata/oauth2-templates"
