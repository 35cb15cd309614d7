c2s_ports = { 5222 }
-- Meant 5223.
c2s_direct_tls_ports = { 5222 }

VirtualHost "example.org"
