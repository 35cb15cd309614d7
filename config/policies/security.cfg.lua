-- policies/security.cfg.lua: what each security level sets.
--
-- Chosen with STRATA_SECURITY_LEVEL (strict | standard | legacy; default
-- standard). This file is read last but one, so its values win over the
-- layer files and the environment. `strata check` also refuses any setting,
-- from whatever file, that breaks the chosen level's promise.
--
--                       strict               standard             legacy
-- TLS versions          1.3 only             1.2 and 1.3          1.2 and 1.3
-- TLS ciphers (1.2)     -                    Mozilla intermediate Mozilla old (wider)
--   (RFC 9325; TLS compression and versions before 1.2 are never offered)
-- SASL mechanisms       SCRAM-SHA-256(-PLUS) SCRAM-SHA-256/-1     as standard
--                                            (-PLUS), PLAIN on TLS
-- client encryption     required             required             required
-- server encryption     required             required             optional
-- server authentication certificates only    certificates, then   certificates, then
--                       (s2s_secure_auth)    dialback (XEP-0220)  dialback
--
-- Channel binding (SCRAM -PLUS) uses tls-exporter on TLS 1.3 and
-- tls-server-end-point otherwise, at every level.

if security_level == "strict" then
    tls_profile = "modern"
    ssl = { protocol = "tlsv1_3+" }
    sasl_mechanisms = { "SCRAM-SHA-256-PLUS", "SCRAM-SHA-256" }
    c2s_require_encryption = true
    s2s_require_encryption = true
    s2s_secure_auth = true
elseif security_level == "legacy" then
    tls_profile = "old"
    sasl_mechanisms = { "SCRAM-SHA-256-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-1", "PLAIN" }
    c2s_require_encryption = true
    s2s_require_encryption = false
    s2s_secure_auth = false
else -- standard
    tls_profile = "intermediate"
    sasl_mechanisms = { "SCRAM-SHA-256-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-1", "PLAIN" }
    c2s_require_encryption = true
    s2s_require_encryption = true
    s2s_secure_auth = false
end
