-- =============================================================================
-- Layer 06, storage: caching.cfg.lua -- what Strata keeps in memory
-- =============================================================================
--
-- Strata has no separate cache module and no external cache to run. Each
-- module keeps a bounded in-memory cache in front of storage, sized by its
-- own option, and evicts the least recently used entries when it is full.
-- This file gathers those options in one place, so that memory can be
-- traded against database reads without hunting through every layer.
--
-- Modules configured here: none of their own. The options below belong to
-- the modules named with each and are documented in full in their files;
-- they are repeated here, commented out, as a map. Set each in one place
-- only: the file read last wins, and "strata config show --provenance"
-- tells which one that was.
--
-- Sizing for a deployment (a small team server, a large public service) is
-- the job of config/policies/performance.cfg.lua, which is read after the
-- layer files and may override what is set here.
--
-- How to read this file:
--   * A line starting with "-- " is an example (the default): remove the
--     "-- " to use it. Counts are entries, not bytes, unless a size is shown.
--   * Sizes: 4096, "4K", "8M" (powers of 1024).
--
-- Several nodes share sessions and routing through Redis (and data through
-- PostgreSQL), never through these caches, which are private to each node.
--
-- State in this version: the modules owning these options are planned
-- ("strata modules" shows each one's state). Setting an option of a module
-- that is not enabled makes "strata check" warn, so everything here stays
-- commented out for now.

-- -----------------------------------------------------------------------------
-- Database page cache (storage_sqlite; 06-storage/backends.cfg.lua)
-- -----------------------------------------------------------------------------

-- Memory SQLite may use to cache database pages. Size, 1M to 4G; default
-- "8M". Strata only.
-- sqlite_cache_size = "8M"

-- -----------------------------------------------------------------------------
-- Group chat (muc; 05-services/groupchat.cfg.lua)
-- -----------------------------------------------------------------------------

-- Idle persistent rooms kept in memory before being unloaded to storage.
-- Whole number, 1 to 1000000; default 100.
-- muc_room_cache_size = 100

-- -----------------------------------------------------------------------------
-- Personal eventing (pep; 05-services/pubsub.cfg.lua)
-- -----------------------------------------------------------------------------

-- Users' PEP services kept in memory. Whole number; default 1000.
-- pep_service_cache_size = 1000

-- Remembered client capabilities (XEP-0115). Whole number; default 10000.
-- pep_info_cache_size = 10000

-- -----------------------------------------------------------------------------
-- Static files (http_files; 07-interfaces/http.cfg.lua)
-- -----------------------------------------------------------------------------

-- Small files kept in memory. Whole number, 0 to 100000; default 128.
-- http_files_cache_size = 128

-- Largest file kept in that cache. Size, 0 to 16M; default "4K".
-- http_files_cache_max_file_size = "4K"
