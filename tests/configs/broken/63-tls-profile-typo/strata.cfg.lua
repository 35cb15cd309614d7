tls_profile = "moderne"

VirtualHost "example.org"
