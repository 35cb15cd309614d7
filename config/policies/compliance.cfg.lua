-- policies/compliance.cfg.lua: data retention and disclosure.
--
-- What the server keeps about its users, and for how long, is a legal
-- question as much as a technical one (GDPR art. 5(1)(e): keep personal
-- data no longer than necessary). This file gathers those choices.

-- Messages kept for a user who is offline (XEP-0160): at most this many per
-- user; beyond it the sender gets <resource-constraint/> (RFC 6120 §8.3.3.18)
-- and nothing is silently dropped.
offline_message_quota = env("OFFLINE_MESSAGE_QUOTA", 1000)

-- The version answer (XEP-0092) names the software; the operating system is
-- hidden by default (hide_os_type, module version, planned in this version).

-- Planned in this version, listed here for when their modules arrive:
-- archive_expires_after = "1w"      -- message archive retention (module mam)
-- contact_info = { abuse = { "mailto:abuse@example.org" } }  -- XEP-0157 (module server_contact_info)
