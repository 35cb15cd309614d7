VirtualHost "example.org "
