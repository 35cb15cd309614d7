VirtualHost = "example.org"
