VirtualHost "example.org"
