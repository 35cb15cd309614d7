-- domains/main.cfg.lua: the primary domain and its components.
--
-- The domain comes from STRATA_DOMAIN (default "localhost", for trying
-- Strata on one machine). Its certificate is looked up in the `certificates`
-- folder as <domain>.crt + <domain>.key or <domain>/fullchain.pem +
-- privkey.pem; `strata cert generate <domain>` makes a self-signed one for
-- development. Settings below a VirtualHost line apply to that host only and
-- override the global ones; every other option is inherited.
--
-- More domains: add a file beside this one (domains/*.cfg.lua are all read),
-- each with its own VirtualHost line.

local domain = env("DOMAIN", "localhost")

VirtualHost(domain)

-- Components of the domain. Each runs one module on its own subdomain, which
-- the certificate must cover (the generated one covers *.<domain>). They are
-- not declared yet because their modules are planned in this version (see
-- `strata modules`); uncomment each when its module is implemented:
--
-- Multi-user chat (XEP-0045), options in stack/05-services/groupchat.cfg.lua:
-- Component("muc." .. domain) "muc"
--
-- File upload (XEP-0363), options in stack/07-interfaces/http.cfg.lua:
-- Component("upload." .. domain) "http_file_share"
--
-- Publish-subscribe service (XEP-0060), options in stack/05-services/pubsub.cfg.lua:
-- Component("pubsub." .. domain) "pubsub"
--
-- File transfer proxy (XEP-0065), options in stack/05-services/messaging.cfg.lua:
-- Component("proxy." .. domain) "proxy65"
