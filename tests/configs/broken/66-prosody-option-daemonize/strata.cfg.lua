daemonize = true

VirtualHost "example.org"
