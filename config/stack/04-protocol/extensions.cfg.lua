-- =============================================================================
-- Layer 04, protocol: extensions.cfg.lua -- profiles, contacts, calls
-- =============================================================================
--
-- Widely used extensions beyond the core: user profiles, last activity,
-- how to reach the server's operators, STUN/TURN for calls, and a self-test
-- against the XMPP compliance suites.
--
-- Modules configured here (code in src/modules/04-protocol/):
--   vcard4                core       XEP-0292   vCard4 profiles on PEP
--   lastactivity          official   XEP-0012   when a user was last online,
--                                               for their contacts
--   server_contact_info   official   XEP-0157   contact addresses in service
--                                               discovery
--   external_services     stable     XEP-0215   STUN/TURN discovery with
--                                               time-limited credentials
--   compliance_2023       beta       XEP-0479   which compliance suites the
--                                               running configuration meets
--
-- How to read this file:
--   * Every option comes with a comment: what it does, its unit, its default
--     and the specification behind it.
--   * A line without "--" in front is a setting in force. A line starting with
--     "-- " is an example: remove the "-- " to use it.
--   * Options of a module that is not enabled are left as examples: setting
--     them makes "strata check" warn that nothing reads them.
--   * env("NAME", default) reads STRATA_NAME, then PROSODY_NAME: keep secrets
--     such as the TURN secret out of this file (Docker: STRATA_NAME_FILE
--     names a file holding the value).

-- Modules of this layer enabled by this file (each assignment adds to the
-- enabled set). Move a module into the list once "strata modules" shows it
-- implemented:
-- planned in this version (see "strata modules"): "vcard4", "lastactivity",
--   "server_contact_info", "external_services", "compliance_2023"
-- protocol_modules = { "vcard4", "lastactivity", "server_contact_info", "external_services", "compliance_2023" }

-- -----------------------------------------------------------------------------
-- vcard4 (XEP-0292), lastactivity (XEP-0012)
-- -----------------------------------------------------------------------------
-- No options. vcard4 needs pep (05-services/pubsub.cfg.lua); old vcard-temp
-- clients are served by vcard_legacy (legacy.cfg.lua). lastactivity answers
-- only contacts subscribed to the user's presence.

-- -----------------------------------------------------------------------------
-- server_contact_info (XEP-0157)
-- -----------------------------------------------------------------------------

-- Contact addresses by role, shown to anyone who asks the server: abuse,
-- admin, feedback, sales, security, support, each a list of URIs (xmpp:,
-- mailto:, https:). Default: the admins as admin addresses. Publishing an
-- abuse address helps other operators reach you instead of blocking you.
-- contact_info = {
--     abuse = { "mailto:abuse@example.org", "xmpp:abuse@example.org" };
--     security = { "mailto:security@example.org" };
--     support = { "https://example.org/help" };
-- }

-- -----------------------------------------------------------------------------
-- external_services (XEP-0215)
-- -----------------------------------------------------------------------------
-- Audio and video calls need a STUN/TURN server (coturn, eturnal) that
-- relays media when clients cannot reach each other directly. Prosody's
-- module names turncredentials, extdisco and turn_external are accepted.

-- The short form, for one TURN server sharing a secret with Strata
-- (coturn's static-auth-secret): host name, port, secret, credential
-- lifetime, and whether to announce TCP too. Defaults: host unset (off),
-- port 3478, ttl "1d", tcp false.
-- turn_external_host = "turn.example.org"
-- turn_external_port = 3478
-- turn_external_secret = env("TURN_SECRET", nil)
-- turn_external_ttl = "1d"
-- turn_external_tcp = false

-- The general form: a list of services, each { type, transport, host, port,
-- username, password, secret, ttl, restricted }; secret = true uses
-- external_service_secret to make time-limited credentials. Default: none.
-- external_services = {
--     { type = "stun", transport = "udp", host = "turn.example.org", port = 3478 };
--     { type = "turn", transport = "udp", host = "turn.example.org", port = 3478, secret = true };
--     { type = "turns", transport = "tcp", host = "turn.example.org", port = 5349, secret = true };
-- }

-- Host and port for services that name none. Text and port; default: the
-- VirtualHost's name, no port.
-- external_service_host = "turn.example.org"
-- external_service_port = 3478

-- Secret shared with the TURN server for services with secret = true. Text;
-- default: unset.
-- external_service_secret = env("EXTERNAL_SERVICE_SECRET", nil)

-- Lifetime of generated credentials. Duration, 1m to 1w; default "1d".
-- external_service_ttl = "1d"

-- JIDs and domains allowed to ask for services. List; default: every user
-- of this server.
-- external_service_access = { "example.org" }

-- -----------------------------------------------------------------------------
-- compliance_2023 (XEP-0479)
-- -----------------------------------------------------------------------------
-- No options. Once enabled, "strata check" and the admins' adhoc commands
-- report which XMPP Compliance Suites 2023 the configuration meets.
