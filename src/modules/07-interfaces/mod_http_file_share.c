/*
 * http_file_share: HTTP File Upload (XEP-0363) as a component, usually
 * upload.<domain>.
 *
 * Hands out signed, single-use upload slots to users of the parent host,
 * enforces size limits and per-user daily and global quotas before any byte
 * is stored, and deletes files after their expiry. Types not known to be
 * safe are served as attachments, so an upload cannot become a web page on
 * the server's origin.
 */
#include "strata/module.h"

#define SCOPE STRATA_SCOPE_COMPONENT

static const struct strata_option options[] = {
    {.name = "http_file_share_size_limit", .type = STRATA_OPT_SIZE, .scope = SCOPE, .def = "10M",
     .min = 1024, .max = 17179869184.0, .help = "largest file one upload may be"},
    {.name = "http_file_share_expires_after", .type = STRATA_OPT_DURATION, .scope = SCOPE, .def = "1w",
     .min = 60, .max = 315360000, .help = "files are deleted this long after upload"},
    {.name = "http_file_share_daily_quota", .type = STRATA_OPT_SIZE, .scope = SCOPE, .def = "100M",
     .min = 1024, .max = 1099511627776.0, .help = "bytes one user may upload per day"},
    {.name = "http_file_share_global_quota", .type = STRATA_OPT_SIZE, .scope = SCOPE,
     .min = 1048576, .max = 1125899906842624.0,
     .help = "total bytes stored for everyone; unlimited (up to the disk) when unset"},
    {.name = "http_file_share_allowed_file_types", .type = STRATA_OPT_STRINGS, .scope = SCOPE,
     .help = "MIME types accepted, wildcards allowed (\"image/*\"); all types when unset"},
    {.name = "http_file_share_safe_file_types", .type = STRATA_OPT_STRINGS, .scope = SCOPE,
     .def = "image/*, video/*, audio/*, text/plain",
     .help = "MIME types shown inline in browsers; others are served as downloads"},
    {.name = "http_file_share_access", .type = STRATA_OPT_STRINGS, .scope = SCOPE,
     .help = "JIDs and hosts allowed to upload besides users of the parent host"},
    {.name = "http_file_share_secret", .type = STRATA_OPT_STRING, .scope = SCOPE,
     .help = "key signing upload slots; random at each start when unset (set it for several nodes)"},
    {.name = "http_file_share_base_url", .type = STRATA_OPT_STRING, .scope = SCOPE,
     .help = "public URL of the upload service when a proxy or CDN serves it elsewhere"},
    {0},
};

#undef SCOPE

const struct strata_module strata_mod_http_file_share = {
    .name = "http_file_share",
    .layer = STRATA_LAYER_INTERFACES,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_COMPONENT,
    .config_file = "http",
    .specs = "XEP-0363",
    .summary = "file upload, as a component (upload.<domain>); quotas, expiry",
    .requires = STRATA_NAMES("http"),
    .options = options,
};
