-- The closing brace of c2s_ports was forgotten.
c2s_ports = { 5222, 15222
VirtualHost "example.org"
