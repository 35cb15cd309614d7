-- =============================================================================
-- Layer 04, protocol: core.cfg.lua -- what every XMPP server answers
-- =============================================================================
--
-- The protocol basics every client expects: the contact list, service
-- discovery, and the small questions (what software, since when, what time).
--
-- Modules configured here (code in src/modules/04-protocol/):
--   roster    core       RFC 6121 §2-3                 contact lists: versioning,
--                                                      pre-approval, subscriptions
--   disco     core       XEP-0030, XEP-0115, XEP-0128  service discovery; server
--                                                      caps in stream features
--   version   official   XEP-0092                      software version; OS hidden
--   uptime    official   XEP-0012                      time since the server started
--   time      official   XEP-0202                      the server's time, in UTC
--
-- How to read this file:
--   * Every option comes with a comment: what it does, its unit, its default
--     and the specification behind it.
--   * A line without "--" in front is a setting in force. A line starting with
--     "-- " is an example: remove the "-- " to use it.
--   * Options of a module that is not enabled are left as examples: setting
--     them makes "strata check" warn that nothing reads them.

-- Modules of this layer enabled by this file (each assignment adds to the
-- enabled set). Move a module into the list once "strata modules" shows it
-- implemented:
protocol_modules = { "roster", "disco", "version", "uptime", "time" }

-- -----------------------------------------------------------------------------
-- roster (RFC 6121 §2-3)
-- -----------------------------------------------------------------------------

-- Rosters are stored per user (map store "roster", one value per contact)
-- and versioned (RFC 6121 §2.6, stream feature urn:xmpp:features:rosterver):
-- a client that cached the roster gets only what changed. Versions only
-- grow, across restarts too. Pre-approval (§3.4) is announced as well.
-- Names and group names are limited to 1024 bytes, and an item to 64
-- groups; more is refused with <not-acceptable/> (RFC 6121 §2.3.3).

-- Most contacts one account may have; adding more is refused with
-- <resource-constraint/>, so one account cannot grow without end. Pending
-- subscription requests from people not in the roster are bounded by the
-- same number. Whole number, 10 to 100000; default 1000. Strata only.
-- roster_max_items = 1000

-- -----------------------------------------------------------------------------
-- disco (XEP-0030, XEP-0115, XEP-0128)
-- -----------------------------------------------------------------------------

-- Name shown in service discovery for the server, or, set inside a
-- Component section, for that component. Text; default "Strata".
-- name = "Example Chat"

-- Extra items listed in the server's disco#items, such as services run
-- elsewhere. List of { "jid", "name" }; default: none (the server's own
-- components are listed automatically).
-- disco_items = { { "irc.example.net", "IRC gateway" } }

-- Leave this VirtualHost or Component out of its parent's disco#items.
-- true or false; default false. Set inside the section to hide.
-- disco_hidden = false

-- -----------------------------------------------------------------------------
-- version (XEP-0092)
-- -----------------------------------------------------------------------------

-- Leave the operating system out of version answers: it helps attackers more
-- than users. true or false; default true (Prosody's default is false).
-- hide_os_type = true

-- -----------------------------------------------------------------------------
-- uptime (XEP-0012), time (XEP-0202)
-- -----------------------------------------------------------------------------
-- No options. time answers in UTC, which says nothing about where the
-- machine stands.
