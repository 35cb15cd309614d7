-- environments/production.cfg.lua: a server on the Internet, installed as a
-- system service. Selected by STRATA_ENVIRONMENT=production.
--
-- Listens on every address; data in /var/lib/strata; certificates in
-- /etc/strata/certs (for Let's Encrypt, point `certificates` at
-- /etc/letsencrypt/live or copy the files there with a renewal hook); logs
-- on the console for the service manager (journald) to keep.

c2s_interfaces = env("C2S_INTERFACES", { "*", "::" })
s2s_interfaces = env("S2S_INTERFACES", { "*", "::" })

data_path = env("DATA_PATH", "/var/lib/strata")
certificates = env("CERTIFICATES", "/etc/strata/certs")

log = { info = "*console" }
