-- environments/development.cfg.lua: a server on this machine, for trying
-- Strata and developing it. Selected by STRATA_ENVIRONMENT=development (the
-- default).
--
-- Everything stays on loopback and inside the source tree: data and
-- certificates in var/ (ignored by git), logs on the console at debug level.
-- `make run` generates a self-signed certificate for localhost there.

-- Listen on loopback only: nothing outside this machine can connect.
c2s_interfaces = env("C2S_INTERFACES", { "127.0.0.1", "::1" })
s2s_interfaces = env("S2S_INTERFACES", { "127.0.0.1", "::1" })

-- Paths are relative to the folder of strata.cfg.lua.
data_path = env("DATA_PATH", "../var/data")
certificates = env("CERTIFICATES", "../var/certs")

log = { debug = "*console" }
