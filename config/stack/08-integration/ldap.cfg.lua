-- =============================================================================
-- Layer 08, integration: ldap.cfg.lua -- passwords from an LDAP directory
-- =============================================================================
--
-- This file connects Strata to a company directory (OpenLDAP, 389 DS,
-- Active Directory, FreeIPA), so users log in with their directory password
-- and admins are whoever the directory says.
--
-- Modules configured here (code in src/modules/08-integration/):
--   auth_ldap   official   RFC 4511, RFC 4513   LDAP authentication: search+bind or direct bind
--
-- auth_ldap is not listed in a module list: it is chosen with the server
-- option `authentication = "ldap"` (02-stream/authentication.cfg.lua, or
-- per VirtualHost). With LDAP, accounts and passwords live in the directory:
-- registration and password changes over XMPP are not possible.
--
-- How the password is checked (ldap_mode):
--   "bind"    Prosody's mode, a search+bind: Strata finds the user's entry
--             with ldap_filter under ldap_base (binding as ldap_rootdn, or
--             anonymously), then binds as that entry with the password given.
--   "direct"  Strata binds straight away as the DN built from ldap_user_dn
--             ("uid=$user,ou=people,..."); no search, no service account.
--   Prosody's third mode, "getpasswd", reads password hashes out of the
--   directory; Strata does not offer it.
--
-- The directory is always reached encrypted: "ldaps://" in ldap_server, or
-- StartTLS (ldap_tls, on by default, unlike Prosody). The directory's
-- certificate is checked against the system's trusted CAs.
--
-- How to read this file:
--   * Every option comes with a comment: what it does, its unit, its default
--     and the specification behind it. "Strata only" marks options Prosody
--     does not have; all others mean what they mean in Prosody.
--   * A line without "--" in front is a setting in force. A line starting
--     with "-- " is an example (usually the default): remove the "-- " to use it.
--   * env("NAME", default) reads STRATA_NAME, then PROSODY_NAME (or the file
--     named by STRATA_NAME_FILE, for Docker secrets).
--   * config/strata.cfg.lua reads the layer files first, then domains,
--     environments and policies, which may override what is set here. Run
--     "strata config show --provenance" to see which file set a value.
--
-- State in this version: auth_ldap is planned, declared with all its
-- options but not implemented yet ("strata modules" shows its state).
-- Setting an option of a module that is not in use makes "strata check"
-- warn, so its options are commented out.

-- Modules of layer 08 (integration_modules): none to list here; auth_ldap is
-- chosen with authentication = "ldap".
-- planned in this version (see "strata modules"): "auth_ldap"

-- -----------------------------------------------------------------------------
-- auth_ldap: connection
-- -----------------------------------------------------------------------------

-- The directory server: "host", "host:port", "ldap://host" or
-- "ldaps://host" (TLS from the start, port 636). Text; default "localhost".
-- ldap_server = env("LDAP_SERVER", "ldaps://ldap.example.org")

-- Require StartTLS on ldap:// connections (RFC 4513 §3). Switch off only for
-- a directory on the same machine. true or false; default true (Prosody's
-- default is false).
-- ldap_tls = true

-- How long a directory request may take before the login fails. Duration,
-- 1s to 2m; default "5s". Strata only.
-- ldap_timeout = "5s"

-- -----------------------------------------------------------------------------
-- auth_ldap: finding users
-- -----------------------------------------------------------------------------

-- How passwords are checked: "bind" (search, then bind as the entry found)
-- or "direct" (bind as ldap_user_dn). Default "bind".
-- ldap_mode = "bind"

-- DN the server binds as to search for users. Text; default "" (anonymous
-- search). Give it read access to user entries only.
-- ldap_rootdn = "cn=strata,ou=services,dc=example,dc=org"

-- Password of ldap_rootdn. Text; default "". Keep it out of the file.
-- ldap_password = env("LDAP_PASSWORD", nil)

-- DN under which users are searched. Text; required for "bind" mode.
-- ldap_base = "ou=people,dc=example,dc=org"

-- How deep under ldap_base to search: "subtree", "onelevel" or "base".
-- Default "subtree".
-- ldap_scope = "subtree"

-- Filter finding a user's entry; $user becomes the login name and $host the
-- domain, both escaped (RFC 4515). Text; default "(uid=$user)". For Active
-- Directory: "(sAMAccountName=$user)".
-- ldap_filter = "(uid=$user)"

-- DN template for "direct" mode; $user is replaced, escaped (RFC 4514).
-- Text; default: none. Strata only.
-- ldap_user_dn = "uid=$user,ou=people,dc=example,dc=org"

-- Filter matching the entries of users who are admins, in addition to the
-- `admins` option. Text; default: none.
-- ldap_admin_filter = "(memberOf=cn=xmpp-admins,ou=groups,dc=example,dc=org)"
