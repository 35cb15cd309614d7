Include "common.cfg.lua"

VirtualHost "example.org"
