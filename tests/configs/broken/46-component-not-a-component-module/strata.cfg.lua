VirtualHost "example.org"

-- pep is per user; the pubsub service is the "pubsub" module.
Component "pubsub.example.org" "pep"
