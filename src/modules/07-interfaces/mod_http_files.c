/*
 * http_files: static files over HTTP, e.g. a web client or a landing page.
 *
 * Paths are resolved inside http_files_dir after normalisation; "..",
 * symbolic links leaving the folder and NUL bytes are refused (SECURITY:
 * the request path is hostile input).
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "http_files_dir", .type = STRATA_OPT_PATH, .scope = STRATA_SCOPE_HOSTS,
     .help = "folder to serve; nothing is served when unset"},
    {.name = "http_index_files", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_HOSTS,
     .def = "index.html, index.htm", .help = "files served for a request naming a folder"},
    {.name = "http_dir_listing", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_HOSTS,
     .def = "false", .help = "list the contents of folders that have no index file"},
    {.name = "http_files_cache_size", .type = STRATA_OPT_INT, .scope = STRATA_SCOPE_HOSTS,
     .def = "128", .min = 0, .max = 100000, .help = "small files kept in memory"},
    {.name = "http_files_cache_max_file_size", .type = STRATA_OPT_SIZE, .scope = STRATA_SCOPE_HOSTS,
     .def = "4K", .min = 0, .max = 16777216, .help = "largest file kept in the memory cache"},
    {.name = "mime_types_file", .type = STRATA_OPT_PATH, .scope = STRATA_SCOPE_GLOBAL,
     .def = "/etc/mime.types", .help = "file mapping extensions to Content-Type"},
    {0},
};

const struct strata_module strata_mod_http_files = {
    .name = "http_files",
    .layer = STRATA_LAYER_INTERFACES,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "http",
    .specs = "-",
    .summary = "static files, path-traversal safe",
    .requires = STRATA_NAMES("http"),
    .options = options,
};
