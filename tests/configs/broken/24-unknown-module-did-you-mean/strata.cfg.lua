modules_enabled = {
    "roster",
    "carbon",
    "smacks",
}

VirtualHost "example.org"
