-- =============================================================================
-- Layer 01, transport: ports.cfg.lua -- where Strata listens
-- =============================================================================
--
-- This file decides on which ports and addresses clients and other servers
-- reach Strata, and how long a connection may take to get going.
--
-- Modules configured here (code in src/modules/01-transport/):
--   c2s   core   RFC 6120, XEP-0368   client connections; loads automatically
--   s2s   core   RFC 6120, XEP-0288   server federation; loads automatically
--
-- How to read this file:
--   * Every option comes with a comment: what it does, its unit, its default
--     and the specification behind it.
--   * A line without "--" in front is a setting in force. A line starting with
--     "-- " is an example (usually the default): remove the "-- " to use it.
--   * env("NAME", default) reads the environment variable STRATA_NAME, then
--     PROSODY_NAME, and falls back to the default; a list is written with
--     commas (STRATA_C2S_PORTS=5222,15222). This is how Docker sets ports.
--   * config/strata.cfg.lua reads the layer files first, then domains,
--     environments and policies, which may override what is set here. Run
--     "strata config show --provenance" to see which file set a value.
--   * Sizes: 4096, "10K", "256K", "1M" (powers of 1024). Durations: 30 or
--     "30s", "5m", "2h", "1d", "1w". Ports: a number or a list { 5222, 5223 }.
--
-- Encryption requirements (c2s_require_encryption, s2s_require_encryption,
-- s2s_secure_auth) depend on the security level and are set by
-- config/policies/security.cfg.lua. The development environment
-- (config/environments/development.cfg.lua) listens on loopback only.
--
-- Firewall: open 5222 and 5223 for clients, 5269 for other servers.

-- -----------------------------------------------------------------------------
-- c2s: client connections (RFC 6120)
-- -----------------------------------------------------------------------------

-- Ports where clients connect and then upgrade to TLS with STARTTLS
-- (RFC 6120 §5). List of ports; default 5222, the registered xmpp-client port.
c2s_ports = env("C2S_PORTS", { 5222 })

-- Ports where clients start with TLS straight away (XEP-0368, ALPN
-- "xmpp-client"); faster and passes networks that block STARTTLS. Publish
-- them with an _xmpps-client._tcp SRV record. List of ports; default 5223.
c2s_direct_tls_ports = env("C2S_DIRECT_TLS_PORTS", { 5223 })

-- Prosody's older name for c2s_direct_tls_ports, accepted so that old
-- configurations load. Use c2s_direct_tls_ports instead. Default: unset.
-- legacy_ssl_ports = { 5223 }

-- Addresses the client ports listen on. "*" is every IPv4 address, "::" every
-- IPv6 address; or give addresses such as "192.0.2.10". Default { "*", "::" }.
-- Development listens on loopback only (environments/development.cfg.lua).
c2s_interfaces = env("C2S_INTERFACES", { "*", "::" })

-- Refuse authentication and stanzas until the connection is encrypted
-- (RFC 6120 §5.3.1). true or false; default true. Set per security level by
-- policies/security.cfg.lua; Strata never offers a stream without TLS.
-- c2s_require_encryption = true

-- Largest stanza a logged-in client may send; a bigger one closes the stream
-- with <policy-violation/> (RFC 6120 §13.12). Size, 10K to 16M; default "256K".
-- c2s_stanza_size_limit = "256K"

-- Largest stanza before login, when nobody knows who is talking: keeps
-- unauthenticated floods cheap. Size, 1K to 1M; default "10K". Strata only.
-- c2s_preauth_stanza_size_limit = "10K"

-- How long a new connection may take to log in before it is closed with
-- <connection-timeout/>. Duration, 1s to 1h; default "90s".
-- c2s_timeout = "90s"

-- After Strata closes a stream, how long to wait for the client's closing
-- </stream:stream> (RFC 6120 §4.4). Duration, 0 to 5m; default "5s".
-- c2s_close_timeout = "5s"

-- Output a client may leave unread before its connection is closed, so a
-- stalled client cannot make the server buffer without end. Size, 64K to
-- 256M; default "1M". Strata only.
-- c2s_send_backlog = "1M"

-- TCP keepalives on client connections, to notice peers that vanished.
-- true or false; default: unset, follows tcp_keepalives.
-- c2s_tcp_keepalives = true

-- TCP keepalives on client and server connections (c2s_tcp_keepalives and
-- s2s_tcp_keepalives override it). true or false; default true.
-- tcp_keepalives = true

-- -----------------------------------------------------------------------------
-- s2s: server-to-server connections (RFC 6120, XEP-0288, XEP-0368)
-- -----------------------------------------------------------------------------
-- Peers are authenticated by certificate (s2s_auth_certs, tls.cfg.lua) or by
-- dialback (connections.cfg.lua). Dialback is planned in this version: until
-- it lands, only peers with a valid certificate can federate.

-- Ports where other servers connect (STARTTLS). List of ports; default 5269,
-- the registered xmpp-server port. Publish _xmpp-server._tcp SRV records when
-- the server's name differs from the domain.
s2s_ports = env("S2S_PORTS", { 5269 })

-- Ports where other servers connect with TLS straight away (XEP-0368, ALPN
-- "xmpp-server"), published with _xmpps-server._tcp. List of ports; default:
-- none, as few servers use it yet.
-- s2s_direct_tls_ports = { 5270 }

-- Addresses the server ports listen on; see c2s_interfaces. Default
-- { "*", "::" }.
s2s_interfaces = env("S2S_INTERFACES", { "*", "::" })

-- Refuse server connections that are not encrypted (RFC 7590). true or false;
-- default true. Set per security level by policies/security.cfg.lua.
-- s2s_require_encryption = true

-- Require every peer to present a valid certificate for its domain: no
-- dialback fallback (XEP-0178, RFC 9525). true or false; default false.
-- Set per security level by policies/security.cfg.lua.
-- s2s_secure_auth = false

-- Domains that must present a valid certificate even when s2s_secure_auth is
-- off. List of domains; default: none.
-- s2s_secure_domains = { "jabber.example" }

-- Domains allowed to authenticate by dialback even when s2s_secure_auth is on
-- (a partner with a self-signed certificate). List of domains; default: none.
-- s2s_insecure_domains = { "legacy.example" }

-- How long a server connection may take to connect and authenticate.
-- Duration, 1s to 1h; default "90s".
-- s2s_timeout = "90s"

-- How long to wait for a peer's closing </stream:stream>. Duration, 0 to 5m;
-- default "5s".
-- s2s_close_timeout = "5s"

-- Largest stanza a peer server may send (RFC 6120 §13.12). Size, 10K to 16M;
-- default "512K".
-- s2s_stanza_size_limit = "512K"

-- TCP keepalives on server connections. true or false; default: unset,
-- follows tcp_keepalives.
-- s2s_tcp_keepalives = true

-- Offer and use bidirectional server streams (XEP-0288): one connection per
-- peer instead of two. true or false; default true. Strata only.
-- s2s_bidi = true

-- Connect to other servers over IPv4 / IPv6. true or false; default true.
-- Switch one off only when this machine has no route of that kind.
-- use_ipv4 = true
-- use_ipv6 = true

-- Modules of this layer are enabled by transport_modules (each assignment
-- adds to the set). c2s and s2s need no listing: they load automatically.
