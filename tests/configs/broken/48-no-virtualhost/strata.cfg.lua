admins = { "admin@example.org" }
c2s_require_encryption = true
