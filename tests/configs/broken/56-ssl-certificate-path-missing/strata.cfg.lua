VirtualHost "example.org"
    ssl = { certificate = "/etc/ssl/strata-test/example.org.pem", key = "certs/example.org.key" }
