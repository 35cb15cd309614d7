c2s_stanza_size_limit = "lots"

VirtualHost "example.org"
