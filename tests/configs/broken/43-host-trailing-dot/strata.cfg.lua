VirtualHost "example.org."
