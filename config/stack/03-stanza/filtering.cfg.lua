-- =============================================================================
-- Layer 03, stanza: filtering.cfg.lua -- blocking, rules, spam
-- =============================================================================
--
-- Filters that look at each stanza before it is delivered: what users block,
-- what the administrator's rules drop, and what looks like spam.
--
-- Modules configured here (code in src/modules/03-stanza/):
--   blocklist           core     XEP-0191             users block contacts
--                                                    and domains
--   firewall            stable   -                    rule sets on stanzas
--   spam_reporting      stable   XEP-0377             users' spam reports go
--                                                    to the administrators
--   anti_spam           alpha    XEP-0060 (RTBL)      filter strangers with
--                                                    real-time block lists
--   filter_chatstates   alpha    XEP-0085, XEP-0352   no "typing..." to
--                                                    inactive clients
--
-- How to read this file:
--   * Every option comes with a comment: what it does, its unit, its default
--     and the specification behind it.
--   * A line without "--" in front is a setting in force. A line starting with
--     "-- " is an example: remove the "-- " to use it.
--   * Options of a module that is not enabled are left as examples: setting
--     them makes "strata check" warn that nothing reads them.
--
-- Order: the blocklist runs first, then firewall rules, then anti_spam;
-- a stanza dropped by one is not seen by the next. Alpha modules load only
-- when the alpha tier is switched on (STRATA_ENABLE_ALPHA=true).

-- Modules of this layer enabled by this file (each assignment adds to the
-- enabled set). Move a module into the list once "strata modules" shows it
-- implemented:
-- planned in this version (see "strata modules"): "blocklist", "firewall",
--   "spam_reporting", "anti_spam", "filter_chatstates"
-- stanza_modules = { "blocklist", "firewall", "spam_reporting", "anti_spam", "filter_chatstates" }

-- -----------------------------------------------------------------------------
-- blocklist (XEP-0191)
-- -----------------------------------------------------------------------------
-- No options. Users block JIDs or whole domains from their client; blocked
-- senders' stanzas are dropped in both directions before anything else sees
-- them. A block may carry a spam report, handled by spam_reporting.

-- -----------------------------------------------------------------------------
-- firewall
-- -----------------------------------------------------------------------------

-- Rule files to load, in the syntax of Prosody's mod_firewall: conditions
-- on kind, type, from/to, roster relation and payload, then actions such as
-- DROP, BOUNCE, REDIRECT, LOG. Relative to the folder of
-- config/strata.cfg.lua. List of paths; default: none. A rule file that does
-- not compile is a "strata check" error.
-- firewall_scripts = { "firewall/block-strangers.pfw" }

-- -----------------------------------------------------------------------------
-- spam_reporting (XEP-0377)
-- -----------------------------------------------------------------------------

-- Who receives the reports users attach when they block someone: each is
-- forwarded with the reported JID, the reason and the quoted messages.
-- List of bare JIDs; default: the host's admins.
-- report_forward_to = { "abuse@example.org" }

-- -----------------------------------------------------------------------------
-- anti_spam
-- -----------------------------------------------------------------------------
-- Only messages from strangers (not in the recipient's roster) are checked.

-- Pubsub services publishing real-time block lists (RTBL) of spamming
-- domains and addresses, to subscribe to. List of JIDs; default: none.
-- anti_spam_services = { "xmppbl.org" }

-- Texts that mark a stranger's message as spam. List; default: none.
-- anti_spam_block_strings = { "buy followers" }

-- Lua patterns that mark a stranger's message as spam. List; default: none.
-- anti_spam_block_patterns = { "^https?://%S+$" }

-- -----------------------------------------------------------------------------
-- filter_chatstates (XEP-0085)
-- -----------------------------------------------------------------------------
-- No options. Needs csi_simple (02-stream/management.cfg.lua).
