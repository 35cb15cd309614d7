-- =============================================================================
-- Layer 02, stream: encryption.cfg.lua -- end-to-end encryption policy
-- =============================================================================
--
-- End-to-end encryption (OMEMO, OpenPGP) happens between clients: the server
-- carries messages it cannot read. This file holds the server's policy
-- towards it. Encryption of the connections themselves (TLS) is in
-- 01-transport/tls.cfg.lua.
--
-- Modules configured here (code in src/modules/02-stream/):
--   e2e_policy         alpha   XEP-0380   warn about or bounce messages sent
--                                         without end-to-end encryption
--   omemo_all_access   alpha   XEP-0384   open access to OMEMO keys for old
--                                         clients without PEP publish-options
--
-- How to read this file:
--   * Every option comes with a comment: what it does, its unit, its default
--     and the specification behind it.
--   * A line without "--" in front is a setting in force. A line starting with
--     "-- " is an example: remove the "-- " to use it.
--   * Options of a module that is not enabled are left as examples: setting
--     them makes "strata check" warn that nothing reads them.
--
-- Both modules are alpha: even once implemented, they load only when the
-- alpha tier is switched on (STRATA_ENABLE_ALPHA=true or enable_tiers.alpha).
-- OMEMO itself needs no module here: PEP with publish-options (05-services,
-- pubsub.cfg.lua) is the real support.

-- Modules of this layer enabled by this file (each assignment adds to the
-- enabled set). Move a module into the list once "strata modules" shows it
-- implemented:
-- planned in this version (see "strata modules"): "e2e_policy", "omemo_all_access"
-- stream_modules = { "e2e_policy", "omemo_all_access" }

-- -----------------------------------------------------------------------------
-- e2e_policy (XEP-0380)
-- -----------------------------------------------------------------------------

-- One-to-one messages: "none" (no check), "optional" (deliver, and warn the
-- sender when a message is not end-to-end encrypted), "required" (bounce it).
-- Default "optional".
-- e2e_policy_chat = "optional"

-- The same for groupchat messages. Default "optional".
-- e2e_policy_muc = "optional"

-- JIDs and domains exempt from the policy: bots, bridges, public rooms.
-- List; default: none.
-- e2e_policy_whitelist = { "bot@example.org", "rooms.example.org" }

-- Texts sent to the user: the warning for an unencrypted message, and the
-- error of a bounced one, for chats and groupchats. Text; default: a short
-- English sentence each.
-- e2e_policy_message_optional_chat = "Your message was not end-to-end encrypted."
-- e2e_policy_message_required_chat = "This server only accepts end-to-end encrypted messages."
-- e2e_policy_message_optional_muc = "Your message to the room was not end-to-end encrypted."
-- e2e_policy_message_required_muc = "This server only accepts end-to-end encrypted messages in rooms."

-- -----------------------------------------------------------------------------
-- omemo_all_access (XEP-0384)
-- -----------------------------------------------------------------------------
-- No options. Makes OMEMO device lists and key bundles readable by anyone,
-- for old clients that publish them without the "open" access model. Only
-- worth enabling for users stuck on such clients.
