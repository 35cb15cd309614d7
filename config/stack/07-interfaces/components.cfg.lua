-- =============================================================================
-- Layer 07, interfaces: components.cfg.lua -- external components (XEP-0114)
-- =============================================================================
--
-- This file covers external components: separate programs (gateways to
-- other networks, bots, bridges such as Slidge or Biboumi) that connect to
-- Strata and serve an XMPP domain of their own.
--
-- Modules configured here (code in src/modules/07-interfaces/):
--   component   official   XEP-0114   external components on 5347, loopback by default
--
-- The component module loads by itself for every Component section that
-- names no module, as in Prosody:
--     Component "gateway.example.org"        -- external: connects with a secret
--     Component "muc.example.org" "muc"      -- internal: a Strata module
-- Internal components (group chat, upload, pubsub) are declared in
-- config/domains/main.cfg.lua; add external ones there too, or at the end
-- of this file (see the example below).
--
-- Security: the XEP-0114 handshake is a shared secret over an unencrypted
-- stream, so the component port listens on loopback only. Run components on
-- the same machine, or reach it through an encrypted tunnel; do not open
-- 5347 to the network.
--
-- How to read this file:
--   * Every option comes with a comment: what it does, its unit, its default
--     and the specification behind it. All options here are Prosody's and
--     mean what they mean in Prosody.
--   * A line without "--" in front is a setting in force. A line starting
--     with "-- " is an example (usually the default): remove the "-- " to use it.
--   * env("NAME", default) reads STRATA_NAME, then PROSODY_NAME (or the file
--     named by STRATA_NAME_FILE, for Docker secrets).
--   * config/strata.cfg.lua reads the layer files first, then domains,
--     environments and policies, which may override what is set here. Run
--     "strata config show --provenance" to see which file set a value.
--   * Sizes: 4096, "10K", "512K" (powers of 1024).
--
-- State in this version: component is planned, declared with all its
-- options but not implemented yet ("strata modules" shows its state).
-- Setting an option of a module that is not enabled makes "strata check"
-- warn, so its options are commented out; it needs no listing.

-- Modules of layer 07 (interfaces_modules): none to list here; component
-- loads for each external Component section.
-- planned in this version (see "strata modules"): "component"

-- -----------------------------------------------------------------------------
-- component: listener (server-wide)
-- -----------------------------------------------------------------------------

-- Ports external components connect to. List of ports; default { 5347 }.
-- component_ports = { 5347 }

-- Addresses the component port listens on. List; default
-- { "127.0.0.1", "::1" } (loopback: the handshake is not encrypted).
-- component_interfaces = { "127.0.0.1", "::1" }

-- Largest stanza a component may send (RFC 6120 §13.12). Size, 10K to 16M;
-- default "512K".
-- component_stanza_size_limit = "512K"

-- TCP keepalives on component connections. true or false; default: unset,
-- follows tcp_keepalives (01-transport/ports.cfg.lua).
-- component_tcp_keepalives = true

-- -----------------------------------------------------------------------------
-- component: per component (inside each Component section)
-- -----------------------------------------------------------------------------

-- The secret the component proves it knows in its handshake. Text; no
-- default: a component without one cannot connect. Use a long random value
-- and keep it out of the file: env() reads STRATA_<NAME> or, for Docker
-- secrets, the file named by STRATA_<NAME>_FILE.
-- component_secret = env("GATEWAY_SECRET", nil)

-- When a component connects while already connected: "kick_new" refuses the
-- newcomer, "kick_old" replaces the old connection. Default "kick_new".
-- component_conflict_resolve = "kick_new"

-- Refuse stanzas from the component whose 'from' is outside its own domain.
-- true or false; default true.
-- validate_from_addresses = true

-- -----------------------------------------------------------------------------
-- Example: an external component (once component is implemented)
-- -----------------------------------------------------------------------------
-- Remove the "-- " on these lines, give the component the same secret, and
-- create a DNS record for the name if users of other servers should reach it.
-- Settings after a Component line belong to it, so keep this block last.
--
-- Component "gateway.example.org"
--     component_secret = env("GATEWAY_SECRET", nil)
--     component_conflict_resolve = "kick_old"
