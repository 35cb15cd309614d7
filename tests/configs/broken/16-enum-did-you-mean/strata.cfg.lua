environment = "prodution"

VirtualHost "example.org"
