security_level = "strict"
-- Everything else strict asks for is set as it should be.
tls_profile = "modern"
s2s_secure_auth = true
-- The mistake: PLAIN added for an old client.
sasl_mechanisms = { "SCRAM-SHA-256", "PLAIN" }

VirtualHost "example.org"
