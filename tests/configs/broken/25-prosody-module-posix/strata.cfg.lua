modules_enabled = { "posix" }

VirtualHost "example.org"
