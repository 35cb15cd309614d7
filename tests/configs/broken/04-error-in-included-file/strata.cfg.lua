VirtualHost "example.org"

Include "conf.d/history.cfg.lua"
