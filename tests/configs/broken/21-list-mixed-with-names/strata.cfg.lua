modules_enabled = {
    "ping",
    version = true,
}

VirtualHost "example.org"
