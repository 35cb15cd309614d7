c2s_stanza_size_limit = 4096

VirtualHost "example.org"
