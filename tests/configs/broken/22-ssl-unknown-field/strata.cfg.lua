VirtualHost "example.org"
    ssl = {
        certifcate = "certs/example.org.crt",
        key = "certs/example.org.key",
    }
