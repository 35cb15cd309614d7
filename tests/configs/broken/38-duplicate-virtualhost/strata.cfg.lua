VirtualHost "example.org"
    admins = { "admin@example.org" }

VirtualHost "example.org"
    c2s_require_encryption = true
