modules_enabled = { "e2e_policy" }

VirtualHost "example.org"
