security_level = "strict"
-- Everything else strict asks for is set as it should be.
tls_profile = "modern"
s2s_secure_auth = true
sasl_mechanisms = { "SCRAM-SHA-256", "SCRAM-SHA-256-PLUS" }
-- The mistake: TLS 1.2 allowed for an old client.
ssl = { protocol = "tlsv1_2+" }

VirtualHost "example.org"
