-- =============================================================================
-- Layer 07, interfaces: http.cfg.lua -- the HTTP server and what it serves
-- =============================================================================
--
-- This file sets up Strata's built-in HTTP server, on which web clients
-- (WebSocket, BOSH), file upload, the web admin, the REST API and metrics
-- all run, and the modules that serve files over it.
--
-- Modules configured here (code in src/modules/07-interfaces/):
--   http              official   RFC 9112    HTTP server: 5280 loopback, 5281 HTTPS
--   http_files        official   --          static files, path-traversal safe
--   http_file_share   official   XEP-0363    file upload, as a Component
--   admin_web         stable     --          web administration over HTTPS
--
-- The ports: plain HTTP (5280) listens on loopback only, for a reverse proxy
-- on the same machine (nginx, Caddy) that terminates TLS; HTTPS (5281)
-- listens on every address with the hosts' certificates. Behind a proxy,
-- set http_external_url and trusted_proxies so links and client addresses
-- are right. Public addresses and URLs differ per deployment: set them in
-- your environment file (config/environments/*.cfg.lua) once the http
-- module is implemented.
--
-- The upload service is declared in config/domains/main.cfg.lua (e.g.
-- Component "upload.example.org" "http_file_share"); options set here, in
-- the global section, are inherited by it.
--
-- How to read this file:
--   * Every option comes with a comment: what it does, its unit, its default
--     and the specification behind it. "Strata only" marks options Prosody
--     does not have; all others mean what they mean in Prosody.
--   * A line without "--" in front is a setting in force. A line starting
--     with "-- " is an example (usually the default): remove the "-- " to use it.
--   * env("NAME", default) reads STRATA_NAME, then PROSODY_NAME, and falls
--     back to the default; a list is written with commas
--     (STRATA_HTTP_PORTS=5280,8080).
--   * config/strata.cfg.lua reads the layer files first, then domains,
--     environments and policies, which may override what is set here. Run
--     "strata config show --provenance" to see which file set a value.
--   * Sizes: 4096, "4K", "10M", "1G" (powers of 1024). Durations: 30 or
--     "30s", "5m", "2h", "1d", "1w".
--
-- State in this version: these modules are planned, declared with all their
-- options but not implemented yet ("strata modules" shows each one's state).
-- Listing a planned module, or setting an option of a module that is not
-- enabled, makes "strata check" warn; so the list below names them in a
-- comment and their options are commented out. When a module is
-- implemented, move its name into the list and uncomment what you need.

-- Modules of layer 07 enabled by this file (each assignment adds to the set).
-- http_file_share is the module of its Component section, not listed here.
-- planned in this version (see "strata modules"): "http", "http_files", "admin_web"
-- interfaces_modules = { "http", "http_files", "admin_web" }

-- -----------------------------------------------------------------------------
-- http: listeners
-- -----------------------------------------------------------------------------

-- Ports for plain HTTP. List of ports; default { 5280 }.
-- http_ports = env("HTTP_PORTS", { 5280 })

-- Addresses plain HTTP listens on. Loopback by default: unencrypted HTTP is
-- for a reverse proxy on the same machine. List; default { "127.0.0.1", "::1" }.
-- http_interfaces = { "127.0.0.1", "::1" }

-- Ports for HTTPS. List of ports; default { 5281 }.
-- https_ports = env("HTTPS_PORTS", { 5281 })

-- Addresses HTTPS listens on. List; default { "*", "::" } (every address).
-- https_interfaces = { "*", "::" }

-- -----------------------------------------------------------------------------
-- http: host names and URLs
-- -----------------------------------------------------------------------------

-- VirtualHost answering requests whose Host header matches none of them.
-- Text; default: none (such requests get 404). Server-wide.
-- http_default_host = "example.org"

-- HTTP name of a VirtualHost or Component when it differs from its XMPP
-- name. Text; default: the host's own name. Inside its section.
-- http_host = "www.example.org"

-- Public base URL used in links handed to clients (upload slots, BOSH and
-- WebSocket discovery) when a reverse proxy serves Strata under another
-- name, port or path. Text; default: derived from the HTTPS port.
-- http_external_url = "https://xmpp.example.org/"

-- URL path of each HTTP module. Table; defaults: bosh "/http-bind",
-- websocket "/xmpp-websocket", file_share "/file_share", metrics "/metrics".
-- http_paths = { file_share = "/upload" }

-- Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto headers are
-- believed, so logs, limits and bans see the real client address. List of
-- addresses or CIDR ranges; default { "127.0.0.1", "::1" }.
-- trusted_proxies = { "127.0.0.1", "::1" }

-- -----------------------------------------------------------------------------
-- http: cross-origin requests (CORS)
-- -----------------------------------------------------------------------------
-- Browsers let a web page call another origin only if the server agrees.
-- Web clients hosted elsewhere need it for BOSH, WebSocket and upload.

-- Answer CORS requests for modules that allow them. true or false; default true.
-- http_default_cors_enabled = true

-- CORS settings per module, overriding the rest. Table; default: none.
-- http_cors_override = { bosh = { enabled = false } }

-- Origins allowed to call. List; default: any origin.
-- access_control_allow_origins = { "https://chat.example.org" }

-- Methods announced in Access-Control-Allow-Methods. List; default
-- { "GET", "OPTIONS" } (modules add their own, e.g. POST for BOSH).
-- access_control_allow_methods = { "GET", "OPTIONS" }

-- Headers announced in Access-Control-Allow-Headers. List; default
-- { "Content-Type" }.
-- access_control_allow_headers = { "Content-Type" }

-- Let browsers send cookies and HTTP authentication cross-origin. true or
-- false; default false.
-- access_control_allow_credentials = false

-- How long browsers may cache a CORS answer. Duration, 0 to 1d; default "2h".
-- access_control_max_age = "2h"

-- -----------------------------------------------------------------------------
-- http: limits
-- -----------------------------------------------------------------------------

-- Largest request body accepted; uploads stream to disk and are limited by
-- http_file_share_size_limit instead. Size, 1K to 1G; default "10M".
-- http_max_content_size = "10M"

-- Most unprocessed input buffered for one connection. Size, 2K to 2G;
-- default "20M".
-- http_max_buffer_size = "20M"

-- -----------------------------------------------------------------------------
-- http_files: static files
-- -----------------------------------------------------------------------------
-- Requests are resolved inside http_files_dir only; ".." and links leading
-- out of it are refused.

-- Folder to serve (a web client, a landing page). Path; default: none,
-- nothing is served.
-- http_files_dir = "/var/www/xmpp"

-- Files served for a request naming a folder. List; default
-- { "index.html", "index.htm" }.
-- http_index_files = { "index.html", "index.htm" }

-- List the contents of folders without an index file. true or false;
-- default false.
-- http_dir_listing = false

-- Small files kept in memory (see 06-storage/caching.cfg.lua). Whole
-- number, 0 to 100000; default 128.
-- http_files_cache_size = 128

-- Largest file kept in that cache. Size, 0 to 16M; default "4K".
-- http_files_cache_max_file_size = "4K"

-- File mapping file extensions to Content-Type. Path; default
-- "/etc/mime.types" (Debian package media-types). Server-wide.
-- mime_types_file = "/etc/mime.types"

-- -----------------------------------------------------------------------------
-- http_file_share: HTTP File Upload (XEP-0363)
-- -----------------------------------------------------------------------------
-- Users of the parent host get signed upload slots; sizes and quotas are
-- checked before a byte is stored, and files expire.

-- Largest file one upload may be. Size, 1K to 16G; default "10M".
-- http_file_share_size_limit = "10M"

-- Files are deleted this long after upload. Duration, 1m to 10y; default "1w".
-- http_file_share_expires_after = "1w"

-- Bytes one user may upload per day. Size; default "100M".
-- http_file_share_daily_quota = "100M"

-- Total bytes stored for everyone; uploads are refused beyond it. Size;
-- default: none (up to the disk).
-- http_file_share_global_quota = "10G"

-- MIME types accepted; wildcards allowed. List; default: all types.
-- http_file_share_allowed_file_types = { "image/*", "video/*", "audio/*", "application/pdf" }

-- MIME types shown inline by browsers; others are served as downloads, so an
-- uploaded page cannot run scripts on the server's origin. List; default
-- { "image/*", "video/*", "audio/*", "text/plain" }.
-- http_file_share_safe_file_types = { "image/*", "video/*", "audio/*", "text/plain" }

-- JIDs and hosts allowed to upload besides users of the parent host. List;
-- default: none.
-- http_file_share_access = { "partner.example" }

-- Key signing upload slots. Text; default: random at each start, which is
-- fine for one node; several nodes behind one name need the same key.
-- http_file_share_secret = env("FILE_SHARE_SECRET", nil)

-- Public URL of the upload service, when a proxy or CDN serves it under
-- another name. Text; default: derived from http_external_url.
-- http_file_share_base_url = "https://upload.example.org/"

-- -----------------------------------------------------------------------------
-- admin_web: web administration
-- -----------------------------------------------------------------------------
-- Admins (the `admins` option) log in with their account's password. The
-- session cookie is Secure, HttpOnly and SameSite=Strict, and every form
-- that changes something carries a CSRF token.

-- An admin session idle this long must log in again. Duration, 1m to 1d;
-- default "30m". Strata only.
-- admin_web_session_timeout = "30m"

-- Also answer on plain HTTP, for a proxy that terminates TLS in front (plain
-- HTTP listens on loopback only). true or false; default false. Strata only.
-- admin_web_allow_http = false
