-- Meant to switch federation off.
s2s_ports = false

VirtualHost "example.org"
