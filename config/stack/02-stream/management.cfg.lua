-- =============================================================================
-- Layer 02, stream: management.cfg.lua -- reliable, frugal streams
-- =============================================================================
--
-- Keeping a session alive across flaky mobile networks without losing or
-- repeating anything, and sparing phones' batteries and data while the app
-- is in the background.
--
-- Modules configured here (code in src/modules/02-stream/):
--   smacks       core       XEP-0198   stream management: acks, resumption,
--                                      hibernation
--   csi_simple   official   XEP-0352   client state indication: hold back
--                                      unimportant traffic while inactive
--
-- How to read this file:
--   * Every option comes with a comment: what it does, its unit, its default
--     and the specification behind it.
--   * A line without "--" in front is a setting in force. A line starting with
--     "-- " is an example: remove the "-- " to use it.
--   * Options of a module that is not enabled are left as examples: setting
--     them makes "strata check" warn that nothing reads them.
--   * Durations: 30 or "30s", "5m", "1h".

-- Modules of this layer enabled by this file (each assignment adds to the
-- enabled set). Move a module into the list once "strata modules" shows it
-- implemented:
-- planned in this version (see "strata modules"): "smacks", "csi_simple"
-- stream_modules = { "smacks", "csi_simple" }

-- -----------------------------------------------------------------------------
-- smacks (XEP-0198)
-- -----------------------------------------------------------------------------

-- How long a session whose connection dropped waits to be resumed; the
-- client comes back within this time without losing anything. Duration,
-- 0 to 1d; default "10m"; 0 disables resumption.
-- smacks_hibernation_time = "10m"

-- Unacknowledged stanzas kept per session; beyond this the session can no
-- longer be resumed (what it held goes to offline storage). Whole number,
-- 1 to 100000; default 500.
-- smacks_max_queue_size = 500

-- Unacknowledged stanzas sent to an active client before the server asks
-- for an ack. Whole number; default 0 (ask after every batch).
-- smacks_max_unacked_stanzas = 0

-- The same for a client that said it is inactive (XEP-0352): fewer wake-ups.
-- Whole number; default 256.
-- smacks_max_inactive_unacked_stanzas = 256

-- Wait this long for an ack before reporting the client slow (push
-- notifications use this). Duration; default "30s".
-- smacks_max_ack_delay = "30s"

-- Hibernating sessions per account; the oldest ends beyond this. Whole
-- number; default 10.
-- smacks_max_hibernated_sessions = 10

-- Expired sessions per account whose counter is kept, so a client returning
-- too late learns exactly what it missed. Whole number; default 10.
-- smacks_max_old_sessions = 10

-- Use stream management on server-to-server connections too. true or false;
-- default true.
-- smacks_enabled_s2s = true

-- Resend unacknowledged stanzas over a new server connection instead of
-- bouncing them with an error. true or false; default false (a peer that
-- processed them without acking would see them twice).
-- smacks_s2s_resend = false

-- -----------------------------------------------------------------------------
-- csi_simple (XEP-0352)
-- -----------------------------------------------------------------------------

-- Stanzas held for an inactive client before they are sent anyway. Whole
-- number, 1 to 10000; default 256.
-- csi_queue_size = 256

-- Extra payloads that flush the queue at once, as "{namespace}element"
-- (messages with a body, calls and invitations always do). List; default:
-- none.
-- csi_important_payloads = { "{urn:xmpp:jingle-message:0}propose" }
