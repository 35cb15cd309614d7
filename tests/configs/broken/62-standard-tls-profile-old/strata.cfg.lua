tls_profile = "old"

VirtualHost "example.org"
