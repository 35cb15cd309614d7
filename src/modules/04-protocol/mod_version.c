/*
 * version: Software Version (XEP-0092) for the server.
 *
 * The operating system is left out unless hide_os_type = false: it tells
 * an attacker which exploits to try and tells users nothing they need.
 */
#include <sys/utsname.h>

#include "strata/host.h"
#include "strata/module.h"
#include "strata_build.h"

extern const struct strata_module strata_mod_version;

static const struct strata_option options[] = {
    {.name = "hide_os_type",
     .type = STRATA_OPT_BOOL,
     .scope = STRATA_SCOPE_HOSTS,
     .def = "true",
     .help = "leave the operating system out of version answers"},
    {0},
};

static bool hide_os(struct strata_host *h)
{
    struct cfg_value scratch;
    const struct cfg_value *v = strata_host_option(h, "hide_os_type", &scratch);
    bool hide = !v || v->kind != CFG_BOOL || v->u.b;
    cfg_value_clear(&scratch);
    return hide;
}

static int on_version(struct strata_event *ev, void *ud)
{
    struct strata_stanza *q = strata_stanza_new("query", "jabber:iq:version");
    strata_stanza_add_text_child(q, "name", NULL, "Strata");
    strata_stanza_add_text_child(q, "version", NULL, STRATA_VERSION);
    struct utsname u;
    if (!hide_os(ev->host) && uname(&u) == 0) {
        strata_stanza_add_text_child(q, "os", NULL, u.sysname);
    }
    strata_iq_answer(ev, q);
    strata_stanza_unref(q);
    return STRATA_HANDLED;
}

static int load(struct strata_host *h)
{
    strata_host_add_feature(h, "jabber:iq:version");
    return strata_host_hook(h, &strata_mod_version, "iq-get/host/jabber:iq:version:query", 0,
                            on_version, NULL);
}

const struct strata_module strata_mod_version = {
    .name = "version",
    .layer = STRATA_LAYER_PROTOCOL,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_IMPLEMENTED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "core",
    .specs = "XEP-0092",
    .summary = "software version of the server; the OS is hidden by default",
    .options = options,
    .tested_with = "slixmpp",
    .load = load,
};
