-- =============================================================================
-- Layer 05, services: messaging.cfg.lua -- one-to-one messaging
-- =============================================================================
--
-- This file decides what happens to a user's messages beyond plain routing:
-- copies to their other devices, storage while they are offline, push
-- notifications to sleeping phones, and the proxy that relays file transfers.
--
-- Modules configured here (code in src/modules/05-services/):
--   carbons        core       XEP-0280   copies of messages to all of a user's clients
--   offline        official   XEP-0160   storage for offline users; loads automatically
--   cloud_notify   beta       XEP-0357   push notifications for hibernated and offline sessions
--   proxy65        official   XEP-0065   file transfer proxy, as a Component
--
-- How to read this file:
--   * Every option comes with a comment: what it does, its unit, its default
--     and the specification behind it. "Strata only" marks options Prosody
--     does not have; all others mean what they mean in Prosody.
--   * A line without "--" in front is a setting in force. A line starting
--     with "-- " is an example (usually the default): remove the "-- " to use it.
--   * env("NAME", default) reads STRATA_NAME, then PROSODY_NAME, and falls
--     back to the default.
--   * config/strata.cfg.lua reads the layer files first, then domains,
--     environments and policies, which may override what is set here. Run
--     "strata config show --provenance" to see which file set a value.
--   * Sizes: 4096, "10K", "10M" (powers of 1024). Durations: 30 or "30s",
--     "5m", "2h", "1d", "1w".
--
-- State in this version: offline is implemented and loads automatically;
-- its quota is set by config/policies/compliance.cfg.lua. carbons,
-- cloud_notify and proxy65 are planned, declared with all their options but
-- not implemented yet ("strata modules" shows each one's state). Listing a
-- planned module, or setting an option of a module that is not enabled,
-- makes "strata check" warn; so the list below names them in a comment and
-- their options are commented out. When a module is implemented, move its
-- name into the list and uncomment what you need.

-- Modules of layer 05 enabled by this file (each assignment adds to the set).
-- planned in this version (see "strata modules"): "carbons", "cloud_notify"
-- services_modules = { "carbons", "cloud_notify" }

-- -----------------------------------------------------------------------------
-- carbons: Message Carbons (XEP-0280)
-- -----------------------------------------------------------------------------
-- No options: a client asks for carbons, and from then on gets a copy of
-- every one-to-one message its user sends or receives on another device.

-- -----------------------------------------------------------------------------
-- offline: Offline Message Storage (XEP-0160)
-- -----------------------------------------------------------------------------
-- Loads automatically, as in Prosody. A chat or normal message with a body,
-- sent to an existing account that has no available resource, is stored
-- with a <delay/> stamp (XEP-0203) and delivered, oldest first, when one of
-- the user's clients next sends initial presence with a priority of 0 or
-- more; then it is deleted. Messages without a body (chat states, receipts)
-- and messages marked <no-store/> (XEP-0334) are not stored: the sender gets
-- <service-unavailable/>, as from a server without offline storage.
-- A message counts as accepted once its storage transaction is committed;
-- from then on it survives a restart or a crash of the server (see
-- "Durability of offline messages" in docs/operations.md). To turn offline
-- storage off, add "offline" to modules_disabled.

-- Most messages stored for one offline user; beyond it the sender gets
-- <resource-constraint/> (RFC 6120 §8.3.3.18) instead of the message
-- silently piling up. Whole number, 0 to 100000 (0 stores nothing); default
-- 1000. Strata only (ejabberd calls it max_user_offline_messages).
-- What is kept about users is a retention question, so the value in force
-- is set by config/policies/compliance.cfg.lua (STRATA_OFFLINE_MESSAGE_QUOTA).
-- offline_message_quota = 1000

-- -----------------------------------------------------------------------------
-- cloud_notify: Push Notifications (XEP-0357)
-- -----------------------------------------------------------------------------
-- Notifications travel through the app vendor's push service (Apple, Google),
-- so by default they say only "something arrived".

-- Include the message text in notifications. true or false; default false.
-- push_notification_with_body = false

-- Include the sender's address in notifications. true or false; default false.
-- push_notification_with_sender = false

-- Text sent in place of the body for messages worth a visible alert (when
-- bodies are withheld). Text; default "New Message!".
-- push_notification_important_body = "New Message!"

-- Errors from an app server before its registration is dropped. Whole
-- number, 1 to 1000; default 16.
-- push_max_errors = 16

-- Push registrations kept per account; a new one replaces the oldest. Whole
-- number, 1 to 100; default 5.
-- push_max_devices = 5

-- How long a hibernated session (stream management, XEP-0198) that has push
-- enabled is kept before it is closed; its messages then go to offline
-- storage. Duration, 0 to 30d; default "72h".
-- push_max_hibernation_timeout = "72h"

-- -----------------------------------------------------------------------------
-- proxy65: SOCKS5 Bytestreams proxy (XEP-0065)
-- -----------------------------------------------------------------------------
-- A Component, not listed in services_modules: it runs under a name of its
-- own, e.g. proxy.example.org (see the example at the end of this file).
-- Only users of this server's hosts may use it unless told otherwise.

-- Ports the proxy listens on; open them in the firewall. List of ports;
-- default { 5000 }. Server-wide.
-- proxy65_ports = { 5000 }

-- Addresses the proxy listens on. List of addresses; default: the
-- `interfaces` option ({ "*", "::" }). Server-wide.
-- proxy65_interfaces = { "*", "::" }

-- Host name or IP address clients are told to connect to, when the
-- component's name does not resolve to this machine. Text; default: the
-- component's name. Inside the Component section.
-- proxy65_address = "proxy.example.org"

-- JIDs and domains allowed to use the proxy besides users of this server.
-- List; default: none. Inside the Component section.
-- proxy65_acl = { "partner.example" }

-- Let anyone on the network relay through the proxy (an open relay: costs
-- bandwidth, invites abuse). true or false; default false.
-- proxy65_open_access = false

-- The proxy's Component section is in config/domains/main.cfg.lua,
-- commented out until proxy65 is implemented; it looks like this, and its
-- name needs a DNS record pointing at this machine:
-- Component "proxy.example.org" "proxy65"
--     proxy65_address = "proxy.example.org"
