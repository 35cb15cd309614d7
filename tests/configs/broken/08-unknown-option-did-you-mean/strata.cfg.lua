VirtualHost "example.org"
    -- Prosody's option is allow_registration, without the s.
    allow_registrations = true
