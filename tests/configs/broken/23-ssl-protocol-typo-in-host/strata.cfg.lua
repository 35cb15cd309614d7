VirtualHost "example.org"
    ssl = { certificate = "certs/example.org.crt", key = "certs/example.org.key", protocl = "tlsv1_3+" }
