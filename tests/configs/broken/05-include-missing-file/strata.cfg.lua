VirtualHost "example.org"

Include "conf.d/uploads.cfg.lua"
