VirtualHost "example.org"

-- Site-local overrides; there are none on a fresh install.
Include "conf.d/*.cfg.lua"
