admins = { [0] = "root@example.org", [1] = "admin@example.org" }

VirtualHost "example.org"
