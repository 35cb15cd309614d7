VirtualHost "example.org"

Component "gateway.example.org"
