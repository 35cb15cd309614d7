/*
 * admin_shell: the administration console, on a Unix socket only.
 *
 * The console client connects to admin_socket; the socket file's permissions
 * (owner and group of the server) are the access control. There is no TCP
 * listener, unlike Prosody's old telnet console: a console on a network
 * port is a root shell for anyone who reaches it.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    /* STRING rather than PATH: a relative name is inside data_path, as in
     * Prosody, not next to the configuration. */
    {.name = "admin_socket", .type = STRATA_OPT_STRING, .scope = STRATA_SCOPE_GLOBAL,
     .def = "strata.sock", .help = "Unix socket of the console; a relative name is inside data_path"},
    {.name = "console_banner", .type = STRATA_OPT_STRING, .scope = STRATA_SCOPE_GLOBAL,
     .help = "text shown when the console opens; a short greeting when unset"},
    {0},
};

const struct strata_module strata_mod_admin_shell = {
    .name = "admin_shell",
    .layer = STRATA_LAYER_INTEGRATION,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_GLOBAL,
    .config_file = "apis",
    .specs = "-",
    .summary = "administration console on a Unix socket (no TCP)",
    /* COMPAT(prosody): configs written for Prosody 0.11 enable admin_telnet. */
    .aliases = STRATA_NAMES("admin_telnet"),
    .options = options,
};
