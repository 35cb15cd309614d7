admins = { "admin@example.org/laptop" }

VirtualHost "example.org"
