VirtualHost "example.org"

Component "muc.example.org" "mucc"
