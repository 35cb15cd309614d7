c2s_ports = env("C2S_PORTS", { 5222 })

VirtualHost "example.org"
