c2s_require_encryption = env("C2S_REQUIRE_ENCRYPTION", true)

VirtualHost "example.org"
