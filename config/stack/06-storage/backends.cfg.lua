-- =============================================================================
-- Layer 06, storage: backends.cfg.lua -- where data is stored
-- =============================================================================
--
-- This file chooses the storage driver that keeps accounts, rosters,
-- archives and everything else, and tells it how to reach its database.
-- The choice comes from the environment, so one configuration serves a
-- laptop (SQLite, nothing to set up) and a cluster (PostgreSQL).
--
-- Modules configured here (code in src/modules/06-storage/):
--   storage_sqlite       core       --         embedded SQLite in WAL mode, the default
--   storage_postgres     official   --         PostgreSQL, for multi-node deployments
--   storage_memory       official   --         in memory, lost at exit: tests and demos
--   storage_xmlarchive   stable     --         message archives as daily XML files
--   private              core       XEP-0049   private XML storage per account
--
-- The storage_* drivers are not listed anywhere: the `storage` option picks
-- one, and Strata loads it. `storage` and `sql` are server options (they
-- belong to no single module); the driver modules add their own.
--
-- Environment variables read here (STRATA_ first, then the seed's PROSODY_):
--   STRATA_DB_DRIVER          sqlite | postgres | memory        default sqlite
--   STRATA_DB_NAME            database name; for SQLite the file name,
--                             inside data_path                  default strata.sqlite / strata
--   STRATA_DB_HOST            PostgreSQL server                 default localhost
--   STRATA_DB_PORT            PostgreSQL port                   default 5432
--   STRATA_DB_USER            PostgreSQL role                   default strata
--   STRATA_DB_PASSWORD        PostgreSQL password               default: none
--   STRATA_DB_PASSWORD_FILE   file holding the password, read when
--                             STRATA_DB_PASSWORD is unset (Docker secrets)
--
-- How to read this file:
--   * Every option comes with a comment: what it does, its unit, its default
--     and the specification behind it. "Strata only" marks options Prosody
--     does not have; all others mean what they mean in Prosody.
--   * A line without "--" in front is a setting in force. A line starting
--     with "-- " is an example (usually the default): remove the "-- " to use it.
--   * env("NAME", default) reads STRATA_NAME, then PROSODY_NAME (or the file
--     named by STRATA_NAME_FILE), converted to the type of the default.
--   * config/strata.cfg.lua reads the layer files first, then domains,
--     environments and policies, which may override what is set here. Run
--     "strata config show --provenance" to see which file set a value.
--   * Sizes: 4096, "10K", "8M" (powers of 1024). Durations: 30 or "30s", "5m".
--
-- State in this version: every module of this file is planned, declared
-- with all its options but not implemented yet ("strata modules" shows each
-- one's state). The driver options below are commented out, since setting
-- an option of a module that is not in use makes "strata check" warn.

-- Modules of layer 06 enabled by this file (each assignment adds to the set).
-- planned in this version (see "strata modules"): "private"
-- storage_modules = { "private" }

-- -----------------------------------------------------------------------------
-- Storage choice (server options)
-- -----------------------------------------------------------------------------

local db_driver = env("DB_DRIVER", "sqlite")

-- The storage driver: "sqlite" (embedded, the default), "postgres" or
-- "memory"; or a table giving a driver per store, e.g.
-- { archive = "xmlarchive" }, with default_storage naming the driver of the
-- stores it does not list. Default "sqlite".
-- A wrong name here is reported by "strata check" at this line.
storage = db_driver

-- How the sqlite and postgres drivers reach their database (Prosody's table).
--   driver     "SQLite3" or "PostgreSQL", derived from STRATA_DB_DRIVER
--   database   SQLite: a file name, relative to data_path; PostgreSQL: the
--              database name
--   host, port, username, password: PostgreSQL only (SQLite ignores them)
--   sslmode    PostgreSQL only: "disable" to "verify-full"; the right value
--              depends on the network: set it in sql here or in your
--              environment file when the database is on another machine.
local is_postgres = db_driver == "postgres"
sql = {
    driver = is_postgres and "PostgreSQL" or "SQLite3",
    database = env("DB_NAME", is_postgres and "strata" or "strata.sqlite"),
    host = env("DB_HOST", "localhost"),
    port = env("DB_PORT", 5432),
    username = env("DB_USER", "strata"),
    password = env("DB_PASSWORD", nil),
}

-- -----------------------------------------------------------------------------
-- storage_sqlite: embedded SQLite (WAL)
-- -----------------------------------------------------------------------------
-- Readers never wait for the writer; queries run off the event loop.

-- What a commit waits for. "normal": WAL cannot be corrupted, but a power cut
-- may lose the last commits; "full": every commit reaches the disk first,
-- slower. Choice; default "normal". Strata only.
-- sqlite_synchronous = "normal"

-- Memory SQLite may use to cache database pages. Size, 1M to 4G; default
-- "8M". Strata only.
-- sqlite_cache_size = "8M"

-- -----------------------------------------------------------------------------
-- storage_postgres: PostgreSQL
-- -----------------------------------------------------------------------------
-- Several Strata nodes may share one database (DESIGN: scaling past one
-- machine). Create the role and database first; Strata creates its tables.

-- Create and upgrade tables at start. Set false when a DBA manages the
-- schema and Strata's role may not run DDL. true or false; default true.
-- sql_manage_tables = true

-- Connections each Strata node keeps open to the database. Whole number,
-- 1 to 100; default 4. Strata only.
-- sql_pool_size = 4

-- How long to wait for the database before reporting it unreachable.
-- Duration, 1s to 5m; default "10s". Strata only.
-- sql_connect_timeout = "10s"

-- -----------------------------------------------------------------------------
-- storage_memory: in memory (tests, demos)
-- -----------------------------------------------------------------------------
-- Everything is lost when the server stops. Chosen with STRATA_DB_DRIVER=memory.

-- Drop a user's data when their last session ends (for throw-away accounts).
-- true or false; default false.
-- storage_memory_temporary = false

-- Only these stores are dropped when the user's last session ends. List of
-- store names; default: none.
-- storage_memory_temporary_stores = { "roster" }

-- -----------------------------------------------------------------------------
-- storage_xmlarchive: archives as XML files
-- -----------------------------------------------------------------------------
-- No options. Use it for archives only, keeping the rest in the database:
-- storage = { archive = "xmlarchive", muc_log = "xmlarchive" }
-- Files are written inside data_path, one per user and day.

-- -----------------------------------------------------------------------------
-- private: Private XML Storage (XEP-0049)
-- -----------------------------------------------------------------------------
-- No options. Clients keep settings here; legacy bookmarks too (see
-- 05-services/pubsub.cfg.lua).
