VirtualHost "example.org"
    c2s_ports = { 5222, 15222 }
