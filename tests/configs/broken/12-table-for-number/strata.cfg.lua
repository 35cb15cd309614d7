stanza_depth_limit = { 32 }

VirtualHost "example.org"
