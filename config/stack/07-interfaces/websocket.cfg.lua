-- =============================================================================
-- Layer 07, interfaces: websocket.cfg.lua -- XMPP for web browsers
-- =============================================================================
--
-- This file covers XMPP over WebSocket, the way web clients (Converse.js,
-- Movim) connect, and the discovery file that tells them where to connect
-- knowing only the domain.
--
-- Modules configured here (code in src/modules/07-interfaces/):
--   websocket        official   RFC 7395    XMPP over WebSocket
--   http_host_meta   official   XEP-0156    /.well-known/host-meta (Prosody's http_altconnect)
--
-- Both run on the HTTP server (http.cfg.lua): the WebSocket URL is
-- wss://<host>:5281/xmpp-websocket unless http_paths or a reverse proxy
-- says otherwise. A WebSocket session is a client session: the same login,
-- encryption rules and stanza limits as on port 5222 (01-transport,
-- 02-stream).
--
-- How to read this file:
--   * Every option comes with a comment: what it does, its unit, its default
--     and the specification behind it. All options here are Prosody's and
--     mean what they mean in Prosody.
--   * A line without "--" in front is a setting in force. A line starting
--     with "-- " is an example (usually the default): remove the "-- " to use it.
--   * config/strata.cfg.lua reads the layer files first, then domains,
--     environments and policies, which may override what is set here. Run
--     "strata config show --provenance" to see which file set a value.
--   * Sizes: 4096, "64K", "512K" (powers of 1024).
--
-- State in this version: these modules are planned, declared with all their
-- options but not implemented yet ("strata modules" shows each one's state).
-- Listing a planned module, or setting an option of a module that is not
-- enabled, makes "strata check" warn; so the list below names them in a
-- comment and their options are commented out. When a module is
-- implemented, move its name into the list and uncomment what you need.

-- Modules of layer 07 enabled by this file (each assignment adds to the set).
-- planned in this version (see "strata modules"): "websocket", "http_host_meta"
-- interfaces_modules = { "websocket", "http_host_meta" }

-- -----------------------------------------------------------------------------
-- websocket: XMPP over WebSocket (RFC 7395)
-- -----------------------------------------------------------------------------

-- Treat plain ws:// connections as encrypted. Only true when a reverse proxy
-- in front terminates TLS and talks to Strata over loopback: otherwise
-- passwords would cross the network in clear. Whether a proxy is used
-- depends on the deployment (config/environments/*.cfg.lua). true or false;
-- default false.
-- consider_websocket_secure = false

-- Deprecated: origins allowed to open a WebSocket. Use http_cors_override
-- (http.cfg.lua) instead. true or a list of origins; default: unset.
-- cross_domain_websocket = { "https://chat.example.org" }

-- Most data buffered for one message still arriving in frames; the stanza
-- itself is limited by c2s_stanza_size_limit. Size, 10K to 32M; default "512K".
-- websocket_frame_buffer_limit = "512K"

-- Most fragments one message may be split into. Whole number, 1 to 1024;
-- default 8.
-- websocket_frame_fragment_limit = 8

-- -----------------------------------------------------------------------------
-- http_host_meta: connection discovery (XEP-0156)
-- -----------------------------------------------------------------------------
-- Serves https://<host>/.well-known/host-meta (XML) and host-meta.json. The
-- file must be reachable at the domain itself on port 443: if another web
-- server owns that, have it proxy /.well-known/host-meta* to Strata.

-- List the BOSH URL when bosh is loaded. true or false; default true.
-- advertise_bosh = true

-- List the WebSocket URL when websocket is loaded. true or false; default true.
-- advertise_websocket = true
