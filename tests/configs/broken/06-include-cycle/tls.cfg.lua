tls_profile = "intermediate"
-- Meant to read the shared settings first, but common.cfg.lua includes this file.
Include "common.cfg.lua"
