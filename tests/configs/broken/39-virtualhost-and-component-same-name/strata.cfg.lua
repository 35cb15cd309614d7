VirtualHost "example.org"

-- Meant muc.example.org.
Component "example.org" "muc"
