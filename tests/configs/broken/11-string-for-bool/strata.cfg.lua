c2s_require_encryption = "yes"

VirtualHost "example.org"
