enable_tiers = {
    core = env("ENABLE_CORE", true),
    alpha = env("ENABLE_ALPHA", false),
}

VirtualHost "example.org"
