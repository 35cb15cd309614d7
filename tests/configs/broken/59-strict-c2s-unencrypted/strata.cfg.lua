security_level = "strict"
-- Everything else strict asks for is set as it should be.
tls_profile = "modern"
s2s_secure_auth = true
sasl_mechanisms = { "SCRAM-SHA-256", "SCRAM-SHA-256-PLUS" }
-- The mistake: clients may skip STARTTLS.
c2s_require_encryption = false

VirtualHost "example.org"
