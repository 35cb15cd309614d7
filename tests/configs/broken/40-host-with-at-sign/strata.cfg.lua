VirtualHost "admin@example.org"
