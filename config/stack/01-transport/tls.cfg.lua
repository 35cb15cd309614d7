-- =============================================================================
-- Layer 01, transport: tls.cfg.lua -- certificates and TLS
-- =============================================================================
--
-- Every stream Strata serves is offered TLS (STARTTLS or direct TLS); this
-- file says where the certificates are and how TLS is negotiated, and how
-- other servers' certificates are checked.
--
-- Modules configured here (code in src/modules/01-transport/):
--   tls              core   RFC 7590, RFC 9325, XEP-0368   TLS 1.2+, forward
--                           secrecy, SNI per host, certificate reload;
--                           loads automatically
--   s2s_auth_certs   core   XEP-0178, RFC 9525   peers authenticated by
--                           certificate, SASL EXTERNAL; loads automatically
--
-- How to read this file:
--   * Every option comes with a comment: what it does, its unit, its default
--     and the specification behind it.
--   * A line without "--" in front is a setting in force. A line starting with
--     "-- " is an example: remove the "-- " to use it.
--   * env("NAME", default) reads STRATA_NAME, then PROSODY_NAME.
--   * Later files (domains, environments, policies) may override what is set
--     here; "strata config show --provenance" tells which file won.
--
-- TLS versions and ciphers depend on the security level and are set by
-- config/policies/security.cfg.lua (tls_profile, ssl.protocol, ssl.ciphers),
-- according to security_level. TLS older than 1.2 is never offered.
-- TLS compression is never enabled (see compression.cfg.lua).
--
-- Certificates: for each VirtualHost "example.org", Strata looks in the
-- certificates folder for example.org.crt + example.org.key, or
-- example.org/fullchain.pem + example.org/privkey.pem (certbot's layout),
-- and picks the right one by SNI. "strata cert" creates a self-signed one
-- for testing. Renewed files are picked up without a restart.

-- -----------------------------------------------------------------------------
-- tls
-- -----------------------------------------------------------------------------

-- Folder searched for certificates, relative to the folder of
-- config/strata.cfg.lua unless absolute. Path; default "certs".
certificates = env("CERTIFICATES", "certs")

-- TLS settings for every service of a host, as Prosody's ssl table: a
-- certificate and key in place of the automatic search, and the TLS
-- parameters. Table with fields certificate, key (paths, PEM), password,
-- cafile, capath, protocol ("tlsv1_2+", "tlsv1_3+", "tlsv1_2", "tlsv1_3"),
-- ciphers (TLS 1.2), ciphersuites (TLS 1.3), curve, curveslist, dhparam,
-- options, verify, verifyext, depth. Default: unset (automatic search,
-- parameters from tls_profile). Usually set inside a VirtualHost section.
-- ssl = {
--     certificate = "certs/example.org/fullchain.pem";
--     key = "certs/example.org/privkey.pem";
-- }

-- The same table for client STARTTLS only, overriding ssl. Default: unset.
-- c2s_ssl = { curveslist = { "X25519", "P-256" } }

-- The same table for server STARTTLS (incoming and outgoing), overriding ssl.
-- cafile sets the authorities trusted for peers (default: the system's).
-- Default: unset.
-- s2s_ssl = { cafile = "/etc/ssl/certs/ca-certificates.crt" }

-- The same table for the client direct TLS ports (XEP-0368). Default: unset.
-- c2s_direct_tls_ssl = { }

-- The same table for the server direct TLS ports (XEP-0368). Default: unset.
-- s2s_direct_tls_ssl = { }

-- Mozilla's server-side TLS profile behind versions and ciphers not set in
-- ssl: "modern" (TLS 1.3), "intermediate" (TLS 1.2+, forward secrecy), "old",
-- "legacy" (RFC 9325 advises against the last two). Default "intermediate".
-- Set per security level by policies/security.cfg.lua.
-- tls_profile = "intermediate"

-- TLS-level compression. Accepted only as false: compressing before
-- encrypting leaks secrets (CRIME). Default false; true is a check error.
-- ssl_compression = false

-- -----------------------------------------------------------------------------
-- s2s_auth_certs
-- -----------------------------------------------------------------------------
-- No options of its own. A peer's certificate chain is verified against the
-- system trust store (or s2s_ssl.cafile) and its identity against the domain
-- (SRV-ID, DNS-ID; RFC 9525), then SASL EXTERNAL authenticates it (XEP-0178).
-- Certificates with only the serverAuth purpose are accepted from connecting
-- peers: public authorities stopped issuing clientAuth in 2025. What happens
-- when a certificate does not authenticate a peer is s2s_secure_auth's
-- business (ports.cfg.lua).

-- tls and s2s_auth_certs load automatically; nothing to list in
-- transport_modules for this file.
