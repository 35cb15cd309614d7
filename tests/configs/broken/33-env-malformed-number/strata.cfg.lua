c2s_stanza_size_limit = env("C2S_STANZA_SIZE_LIMIT", 262144)

VirtualHost "example.org"
