-- ping belongs to 03-stanza: stanza_modules.
stream_modules = { "smacks", "ping" }

VirtualHost "example.org"
