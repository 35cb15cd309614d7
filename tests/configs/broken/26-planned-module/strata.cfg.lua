modules_enabled = { "compliance_2023" }

VirtualHost "example.org"
