-- environments/docker.cfg.lua: Strata in a container. Selected by
-- STRATA_ENVIRONMENT=docker.
--
-- The container's network is its own, so the server listens on every
-- address inside it and the ports are published by Docker. Everything worth
-- keeping is under /data (mount a volume there): the database and the
-- certificates (/data/certs/<domain>.crt and .key, or fullchain.pem and
-- privkey.pem in /data/certs/<domain>/). Logs go to the console, where
-- `docker logs` reads them. Every option here can be set with an environment
-- variable (docs/configuration.md lists them all), secrets through
-- STRATA_<NAME>_FILE pointing at a Docker secret.

c2s_interfaces = env("C2S_INTERFACES", { "*", "::" })
s2s_interfaces = env("S2S_INTERFACES", { "*", "::" })

data_path = env("DATA_PATH", "/data")
certificates = env("CERTIFICATES", "/data/certs")

log = { info = "*console" }
