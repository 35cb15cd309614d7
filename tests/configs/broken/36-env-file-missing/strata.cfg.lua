sql = {
    driver = "PostgreSQL", host = "db.example.org", database = "strata",
    username = "strata", password = env("DB_PASSWORD", ""),
}

VirtualHost "example.org"
