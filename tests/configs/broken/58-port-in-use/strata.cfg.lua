-- Loopback only, and free ports for the other listeners, so that the test
-- touches nothing but the port it keeps busy.
interfaces = { "127.0.0.1" }
local_interfaces = { "127.0.0.1" }
c2s_interfaces = { "127.0.0.1" }
s2s_interfaces = { "127.0.0.1" }
c2s_direct_tls_ports = { @FREE_PORT_1@ }
s2s_ports = { @FREE_PORT_2@ }

-- The mistake: an old server still runs on the client port.
c2s_ports = { @BUSY_PORT@ }

VirtualHost "example.org"
