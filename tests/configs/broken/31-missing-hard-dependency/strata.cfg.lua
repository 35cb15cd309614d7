modules_enabled = { "password_reset" }
modules_disabled = { "register" }

VirtualHost "example.org"
