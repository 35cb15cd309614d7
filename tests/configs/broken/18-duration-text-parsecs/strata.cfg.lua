c2s_timeout = "5 parsecs"

VirtualHost "example.org"
