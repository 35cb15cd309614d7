c2s_ports = { 5222, 70000 }

VirtualHost "example.org"
