-- Strata: the orchestration file.
--
-- This file decides the order in which the configuration is read; the
-- settings themselves live in the files it includes:
--
--   stack/01-transport ... stack/08-integration   one folder per layer of the
--        XMPP stack, four files each; a layer file configures the modules of
--        its layer (the code of those modules is in src/modules/<layer>/)
--   domains/                the VirtualHosts and their Components
--   environments/<name>     what differs between production, development, docker
--   policies/               security level, performance and compliance choices
--
-- Later files override earlier ones, so an environment overrides a layer
-- default and a policy overrides both. `strata config show --provenance NAME`
-- tells where any value came from and what it overrode; `strata check`
-- validates the whole tree and names file and line of every problem.
--
-- The syntax is Prosody's (global options, VirtualHost, Component, Include),
-- and env("NAME", default) reads STRATA_NAME, then PROSODY_NAME, converted to
-- the type of the default. Every variable is listed in docs/configuration.md.

-- Deployment profile: production | development | docker.
-- Selects environments/<environment>.cfg.lua below.
environment = env("ENVIRONMENT", "development")

-- Security level: strict | standard | legacy. What each sets is in
-- policies/security.cfg.lua; `strata check` refuses settings that break it.
security_level = env("SECURITY_LEVEL", "standard")

-- Administrators: bare JIDs, e.g. STRATA_ADMINS="alice@example.org,bob@example.org".
admins = env("ADMINS", { })

-- Stability tiers. A module loads only if its tier is enabled. core cannot be
-- switched off; alpha is off unless STRATA_ENABLE_ALPHA=true.
enable_tiers = {
    core = env("ENABLE_CORE", true),
    official = env("ENABLE_OFFICIAL", true),
    stable = env("ENABLE_STABLE", true),
    beta = env("ENABLE_BETA", true),
    alpha = env("ENABLE_ALPHA", false),
}

-- Layer-by-layer debugging: the modules of these layers do not load (core
-- modules stay, with a warning), e.g. STRATA_DISABLE_LAYERS="03-stanza".
disabled_layers = env("DISABLE_LAYERS", { })

-- The eight layers, bottom to top. Each layer file may add modules to the
-- enabled set with its list (transport_modules, stream_modules, ...);
-- Strata collects them in this order, without duplicates.
Include "stack/01-transport/*.cfg.lua"
Include "stack/02-stream/*.cfg.lua"
Include "stack/03-stanza/*.cfg.lua"
Include "stack/04-protocol/*.cfg.lua"
Include "stack/05-services/*.cfg.lua"
Include "stack/06-storage/*.cfg.lua"
Include "stack/07-interfaces/*.cfg.lua"
Include "stack/08-integration/*.cfg.lua"

-- Domains served, with their components.
Include "domains/*.cfg.lua"

-- What differs between deployments.
Include("environments/" .. environment .. ".cfg.lua")

-- Policies last: they have the final word.
Include "policies/*.cfg.lua"
