VirtualHost "example.org"

Component "upload.example.org" "http_upload"
