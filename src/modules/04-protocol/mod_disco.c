/*
 * disco: Service Discovery (XEP-0030) for the server and for accounts.
 *
 * The server's disco#info lists its identity (server/im, named by `name`)
 * and every feature the host's modules announced; disco#items lists
 * `disco_items`. An account answers its owner with account/registered
 * (XEP-0030 §3.1 for user accounts). Entity capabilities in stream
 * features (XEP-0115) and extended info forms (XEP-0128) come later.
 */
#include <string.h>

#include "core/server.h"
#include "strata/host.h"
#include "strata/module.h"

extern const struct strata_module strata_mod_disco;

static const struct strata_option options[] = {
    {.name = "name",
     .type = STRATA_OPT_STRING,
     .scope = STRATA_SCOPE_ANY,
     .def = "Strata",
     .help = "name shown in service discovery for the server or a component"},
    {.name = "disco_items",
     .type = STRATA_OPT_TABLE,
     .scope = STRATA_SCOPE_HOSTS,
     .help = "extra items listed for the server: { { \"jid\", \"name\" }, ... }"},
    {.name = "disco_hidden", .planned = true,
     .type = STRATA_OPT_BOOL,
     .scope = STRATA_SCOPE_HOST | STRATA_SCOPE_COMPONENT,
     .def = "false",
     .help = "leave this host or component out of its parent's disco items"},
    {0},
};

static const char NS_INFO[] = "http://jabber.org/protocol/disco#info";
static const char NS_ITEMS[] = "http://jabber.org/protocol/disco#items";

/* XEP-0030 §3.1: a node we do not know is item-not-found. */
static bool unknown_node(struct strata_event *ev)
{
    const struct strata_stanza *q = strata_stanza_first_element(ev->stanza);
    if (strata_stanza_attr(q, "node")) {
        strata_event_error(ev, "item-not-found", NULL);
        return true;
    }
    return false;
}

static void add_identity(struct strata_stanza *q, const char *category, const char *type,
                         const char *name)
{
    struct strata_stanza *id = strata_stanza_add_child(q, "identity", NULL);
    strata_stanza_set_attr(id, "category", category);
    strata_stanza_set_attr(id, "type", type);
    strata_stanza_set_attr(id, "name", name);
}

static void add_feature(struct strata_stanza *q, const char *var)
{
    strata_stanza_set_attr(strata_stanza_add_child(q, "feature", NULL), "var", var);
}

static int on_server_info(struct strata_event *ev, void *ud)
{
    if (unknown_node(ev)) {
        return STRATA_HANDLED;
    }
    struct cfg_value scratch;
    const struct cfg_value *name = strata_host_option(ev->host, "name", &scratch);
    struct strata_stanza *q = strata_stanza_new("query", NS_INFO);
    add_identity(q, "server", "im", name && name->kind == CFG_STRING ? name->u.str.ptr : "Strata");
    cfg_value_clear(&scratch);
    add_feature(q, NS_INFO);
    add_feature(q, NS_ITEMS);
    for (size_t i = 0; i < ev->host->nfeatures; i++) {
        add_feature(q, ev->host->features[i]);
    }
    strata_iq_answer(ev, q);
    strata_stanza_unref(q);
    return STRATA_HANDLED;
}

/* disco_items = { { "jid", "name" }, ... } */
static void add_configured_items(struct strata_host *h, struct strata_stanza *q)
{
    struct cfg_value scratch;
    const struct cfg_value *v = strata_host_option(h, "disco_items", &scratch);
    for (size_t i = 0; v && cfg_is_list(v) && i < v->u.table->narray; i++) {
        const struct cfg_value *row = &v->u.table->array[i];
        if (!cfg_is_list(row) || row->u.table->narray < 1 ||
            row->u.table->array[0].kind != CFG_STRING) {
            continue;
        }
        struct strata_stanza *item = strata_stanza_add_child(q, "item", NULL);
        strata_stanza_set_attr(item, "jid", row->u.table->array[0].u.str.ptr);
        if (row->u.table->narray > 1 && row->u.table->array[1].kind == CFG_STRING) {
            strata_stanza_set_attr(item, "name", row->u.table->array[1].u.str.ptr);
        }
    }
    cfg_value_clear(&scratch);
}

static int on_server_items(struct strata_event *ev, void *ud)
{
    if (unknown_node(ev)) {
        return STRATA_HANDLED;
    }
    struct strata_stanza *q = strata_stanza_new("query", NS_ITEMS);
    add_configured_items(ev->host, q);
    strata_iq_answer(ev, q);
    strata_stanza_unref(q);
    return STRATA_HANDLED;
}

static int on_account_info(struct strata_event *ev, void *ud)
{
    if (unknown_node(ev)) {
        return STRATA_HANDLED;
    }
    struct strata_stanza *q = strata_stanza_new("query", NS_INFO);
    add_identity(q, "account", "registered", NULL);
    add_feature(q, NS_INFO);
    add_feature(q, NS_ITEMS);
    strata_iq_answer(ev, q);
    strata_stanza_unref(q);
    return STRATA_HANDLED;
}

static int on_account_items(struct strata_event *ev, void *ud)
{
    if (unknown_node(ev)) {
        return STRATA_HANDLED;
    }
    struct strata_stanza *q = strata_stanza_new("query", NS_ITEMS);
    strata_iq_answer(ev, q);
    strata_stanza_unref(q);
    return STRATA_HANDLED;
}

static int load(struct strata_host *h)
{
    const struct strata_module *m = &strata_mod_disco;
    int rc = strata_host_hook(h, m, "iq-get/host/http://jabber.org/protocol/disco#info:query", 0,
                              on_server_info, NULL);
    rc = rc ? rc
            : strata_host_hook(h, m, "iq-get/host/http://jabber.org/protocol/disco#items:query", 0,
                               on_server_items, NULL);
    rc = rc ? rc
            : strata_host_hook(h, m, "iq-get/self/http://jabber.org/protocol/disco#info:query", 0,
                               on_account_info, NULL);
    rc = rc ? rc
            : strata_host_hook(h, m, "iq-get/self/http://jabber.org/protocol/disco#items:query", 0,
                               on_account_items, NULL);
    return rc;
}

const struct strata_module strata_mod_disco = {
    .name = "disco",
    .layer = STRATA_LAYER_PROTOCOL,
    .tier = STRATA_TIER_CORE,
    .state = STRATA_MODULE_IMPLEMENTED,
    .scope = STRATA_MODULE_HOST | STRATA_MODULE_COMPONENT,
    .config_file = "core",
    .specs = "XEP-0030",
    .summary = "service discovery of the server and of accounts",
    .options = options,
    .tested_with = "slixmpp",
    .load = load,
};
