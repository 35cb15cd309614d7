ssl_compression = true

VirtualHost "example.org"
