VirtualHost "example.org"

-- "Component" misspelt.
Componet "muc.example.org" "muc"
