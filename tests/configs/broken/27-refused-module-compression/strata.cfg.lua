modules_enabled = { "compression" }

VirtualHost "example.org"
