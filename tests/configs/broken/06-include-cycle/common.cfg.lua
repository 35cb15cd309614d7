-- Settings shared by every environment.
c2s_require_encryption = true
Include "tls.cfg.lua"
