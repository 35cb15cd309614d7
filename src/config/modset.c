/*
 * Module sets: which modules each section runs, and why.
 *
 * As in Prosody, a host runs the global set (autoloaded modules plus the
 * global modules_enabled) plus its own modules_enabled, minus
 * modules_disabled. Strata adds the layer lists (`stream_modules = {...}` in
 * each layer file, collected in layer order), the stability tiers
 * (enable_tiers) and disabled_layers, and pulls in hard dependencies as
 * Prosody's module:depends() does. A Component runs its own module.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/check.h"
#include "config/schema.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

const struct modset_entry *modset_find(const struct modset *s, const struct strata_module *m)
{
    for (size_t i = 0; i < s->count; i++) {
        if (s->items[i].module == m) {
            return &s->items[i];
        }
    }
    return NULL;
}

static void modset_add(struct modset *s, const struct modset_entry *e)
{
    struct modset_entry *old = (struct modset_entry *)modset_find(s, e->module);
    if (old) {
        /* The first mention keeps its place (layer order, no duplicates), but
         * the administrator's own listing is the origin worth reporting. */
        if (!old->listed && e->listed) {
            *old = *e;
        }
        return;
    }
    s->items = xgrow(s->items, &s->cap, s->count + 1, sizeof *s->items);
    s->items[s->count++] = *e;
}

static void modset_remove(struct modset *s, size_t i)
{
    memmove(&s->items[i], &s->items[i + 1], (s->count - i - 1) * sizeof *s->items);
    s->count--;
}

/* The list each layer file adds its modules with, by layer number. */
static const char *const layer_lists[STRATA_LAYER_COUNT + 1] = {
    NULL, "transport_modules", "stream_modules", "stanza_modules", "protocol_modules",
    "services_modules", "storage_modules", "interfaces_modules", "integration_modules",
};

bool cfg_key_is_layer_list(const char *key)
{
    for (int layer = 1; layer <= STRATA_LAYER_COUNT; layer++) {
        if (strcmp(key, layer_lists[layer]) == 0) {
            return true;
        }
    }
    return false;
}

static struct diag_list *diags(struct cfg_check *c)
{
    return &c->tree->diags;
}

/* ---- reading names --------------------------------------------------- */

static const char *suggest_module(const char *name)
{
    size_t n;
    const struct strata_module *const *all = strata_modules_all(&n);
    const char **names = xcalloc(n + 1, sizeof *names);
    for (size_t i = 0; i < n; i++) {
        names[i] = all[i]->name;
    }
    const char *best = schema_closest(name, names);
    free(names);
    return best;
}

/* Resolves a listed name, reporting unknown and Prosody-only modules. */
static const struct strata_module *resolve(struct cfg_check *c, const struct cfg_value *item,
                                           const char *via)
{
    if (item->kind != CFG_STRING) {
        return NULL; /* the schema check reports the type */
    }
    const char *name = item->u.str.ptr;
    const struct strata_module *m = strata_module_find(name);
    if (m) {
        return m;
    }
    const char *note = prosody_module_note(name);
    if (note) {
        diag_add(diags(c), DIAG_WARNING, item->file, item->line, "prosody-module",
                 "module '%s' (in %s) is Prosody's and Strata has no equivalent: %s", name, via,
                 note);
        return NULL;
    }
    const char *near = suggest_module(name);
    diag_add(diags(c), DIAG_ERROR, item->file, item->line, "unknown-module",
             "unknown module '%s' in %s%s%s%s", name, via, near ? " (did you mean '" : "",
             near ? near : "", near ? "'?)" : "");
    return NULL;
}

/* Calls `fn` on each item of a string-or-list value. */
static void each_item(const struct cfg_value *v, void (*fn)(const struct cfg_value *, void *),
                      void *ud)
{
    if (v->kind == CFG_STRING) {
        fn(v, ud);
    } else if (cfg_is_list(v)) {
        for (size_t i = 0; i < v->u.table->narray; i++) {
            fn(&v->u.table->array[i], ud);
        }
    }
}

struct list_ctx {
    struct cfg_check *c;
    struct modset *set;
    const char *via;
    int layer; /* the layer a layer list belongs to; 0 for modules_enabled */
};

static void add_listed(const struct cfg_value *item, void *ud)
{
    struct list_ctx *l = ud;
    const struct strata_module *m = resolve(l->c, item, l->via);
    if (!m) {
        return;
    }
    if (l->layer && (int)m->layer != l->layer) {
        diag_add(diags(l->c), DIAG_WARNING, item->file, item->line, "wrong-layer",
                 "module '%s' belongs to layer %s (%s), not %s", m->name,
                 strata_layer_dir(m->layer), layer_lists[m->layer], l->via);
    }
    modset_add(l->set, &(struct modset_entry){m, l->via, NULL, item->file, item->line, true});
}

/* A setting and everything it overrode, oldest first: layer lists add up. */
static void each_contribution(const struct cfg_setting *s, struct list_ctx *l)
{
    if (!s) {
        return;
    }
    each_contribution(s->overridden, l);
    each_item(&s->value, add_listed, l);
}

static void add_lists(struct cfg_check *c, const struct cfg_section *sec, struct modset *set)
{
    const struct cfg_setting *enabled = cfg_section_find(sec, "modules_enabled");
    if (enabled) {
        struct list_ctx l = {c, set, "modules_enabled", 0};
        each_item(&enabled->value, add_listed, &l);
    }
    for (int layer = 1; layer <= STRATA_LAYER_COUNT; layer++) {
        struct list_ctx l = {c, set, layer_lists[layer], layer};
        each_contribution(cfg_section_find(sec, layer_lists[layer]), &l);
    }
}

/* ---- modules implied by authentication and storage --------------------- */

/* A driver or provider named by `storage` or `authentication`. Choosing the
 * default (sqlite, internal_hashed) is not a request for a specific module,
 * so only a different choice counts as the administrator's listing. */
static void add_implied(struct modset *set, const char *name, const struct cfg_setting *s,
                        const char *via)
{
    const struct strata_module *m = strata_module_find(name);
    if (!m) {
        return;
    }
    struct schema_entry e;
    struct cfg_value def = {0};
    bool chosen = s && s->value.kind != CFG_NIL;
    if (chosen && schema_find(via, &e) && schema_default(e.option, &def) == 0 &&
        def.kind == CFG_STRING && s->value.kind == CFG_STRING) {
        chosen = strcmp(def.u.str.ptr, s->value.u.str.ptr) != 0;
    }
    cfg_value_clear(&def);
    modset_add(set, &(struct modset_entry){m, via, NULL, s ? s->value.file : NULL,
                                           s ? s->value.line : 0, chosen});
}

static const char *driver_module(const char *driver, const struct cfg_value *sql)
{
    if (strcmp(driver, "sql") == 0) {
        const struct cfg_value *d = cfg_table_get(sql, "driver");
        bool pg = d && d->kind == CFG_STRING &&
                  (strcmp(d->u.str.ptr, "PostgreSQL") == 0 || strcmp(d->u.str.ptr, "postgres") == 0);
        return pg ? "storage_postgres" : "storage_sqlite";
    }
    if (strcmp(driver, "internal") == 0) {
        return "storage_sqlite"; /* COMPAT(prosody): "internal" means the embedded default */
    }
    static char name[64];
    snprintf(name, sizeof name, "storage_%s", driver);
    return name;
}

static void add_storage(struct cfg_check *c, size_t si, struct modset *set, bool own_only)
{
    const struct cfg_setting *s;
    struct cfg_value scratch, sql_scratch;
    const struct cfg_value *v = check_value(c, si, "storage", &scratch, &s);
    const struct cfg_value *sql = check_value(c, si, "sql", &sql_scratch, NULL);
    if (v && (!own_only || (s && cfg_section_find(c->tree->sections[si], "storage")))) {
        if (v->kind == CFG_STRING) {
            add_implied(set, driver_module(v->u.str.ptr, sql), s, "storage");
        } else if (v->kind == CFG_TABLE) {
            for (size_t i = 0; i < v->u.table->npairs; i++) {
                const struct cfg_value *d = &v->u.table->pairs[i].value;
                if (d->kind == CFG_STRING) {
                    add_implied(set, driver_module(d->u.str.ptr, sql), s, "storage");
                }
            }
        }
    }
    cfg_value_clear(&scratch);
    cfg_value_clear(&sql_scratch);
}

static void add_authentication(struct cfg_check *c, size_t si, struct modset *set, bool own_only)
{
    const struct cfg_setting *s;
    struct cfg_value scratch;
    const struct cfg_value *v = check_value(c, si, "authentication", &scratch, &s);
    if (v && v->kind == CFG_STRING &&
        (!own_only || cfg_section_find(c->tree->sections[si], "authentication"))) {
        const char *name = strcmp(v->u.str.ptr, "internal_hashed") == 0 ? "auth_internal_hashed"
                           : strcmp(v->u.str.ptr, "ldap") == 0       ? "auth_ldap"
                                                                     : v->u.str.ptr;
        add_implied(set, name, s, "authentication");
    }
    cfg_value_clear(&scratch);
}

/* ---- filters ---------------------------------------------------------- */

static void remove_disabled(struct cfg_check *c, const struct cfg_section *sec, struct modset *set)
{
    const struct cfg_setting *d = cfg_section_find(sec, "modules_disabled");
    if (!d) {
        return;
    }
    const struct cfg_value *v = &d->value;
    size_t n = v->kind == CFG_STRING ? 1 : cfg_is_list(v) ? v->u.table->narray : 0;
    for (size_t i = 0; i < n; i++) {
        const struct cfg_value *item = v->kind == CFG_STRING ? v : &v->u.table->array[i];
        const struct strata_module *m = resolve(c, item, "modules_disabled");
        for (size_t k = 0; m && k < set->count; k++) {
            if (set->items[k].module == m) {
                modset_remove(set, k);
                break;
            }
        }
    }
}

static bool blocked_by_tier(const struct cfg_check *c, const struct strata_module *m)
{
    return m->tier != STRATA_TIER_CORE && m->tier < STRATA_TIER_COUNT && !c->tier_enabled[m->tier];
}

static void apply_tiers_and_layers(struct cfg_check *c, struct modset *set)
{
    for (size_t i = 0; i < set->count;) {
        const struct modset_entry *e = &set->items[i];
        const struct strata_module *m = e->module;
        if (c->layer_disabled[m->layer] && m->tier == STRATA_TIER_CORE && e->listed) {
            diag_add(diags(c), DIAG_WARNING, e->file, e->line, "core-in-disabled-layer",
                     "layer %s is disabled, but '%s' is a core module and stays loaded",
                     strata_layer_dir(m->layer), m->name);
        } else if (c->layer_disabled[m->layer] && m->tier != STRATA_TIER_CORE) {
            modset_remove(set, i);
            continue;
        }
        if (blocked_by_tier(c, m)) {
            if (e->listed) {
                char var[64];
                check_tier_variable(m->tier, "STRATA_", var, sizeof var);
                diag_add(diags(c), strcmp(e->via, "modules_enabled") == 0 ? DIAG_WARNING : DIAG_INFO,
                         e->file, e->line, "tier-disabled",
                         "module '%s' is %s tier, and that tier is disabled (%s; %s=true enables "
                         "it); it will not load",
                         m->name, strata_tier_name(m->tier), c->tier_origin[m->tier], var);
            }
            modset_remove(set, i);
            continue;
        }
        i++;
    }
}

/* ---- dependencies ----------------------------------------------------- */

/* Why a required module cannot join the set; NULL when it can. */
static const char *why_blocked(const struct cfg_check *c, const struct cfg_section *sec,
                               const struct strata_module *m)
{
    if (m->state == STRATA_MODULE_REFUSED) {
        return "is refused by Strata";
    }
    if (blocked_by_tier(c, m)) {
        return "belongs to a disabled tier";
    }
    if (c->layer_disabled[m->layer] && m->tier != STRATA_TIER_CORE) {
        return "is in a disabled layer";
    }
    const struct cfg_section *scopes[] = {sec, sec == c->tree->sections[0] ? NULL : c->tree->sections[0]};
    for (size_t k = 0; k < 2 && scopes[k]; k++) {
        const struct cfg_setting *d = cfg_section_find(scopes[k], "modules_disabled");
        const struct cfg_value *v = d ? &d->value : NULL;
        size_t n = !v ? 0 : v->kind == CFG_STRING ? 1 : cfg_is_list(v) ? v->u.table->narray : 0;
        for (size_t i = 0; i < n; i++) {
            const struct cfg_value *item = v->kind == CFG_STRING ? v : &v->u.table->array[i];
            if (item->kind == CFG_STRING && strata_module_find(item->u.str.ptr) == m) {
                return "is listed in modules_disabled";
            }
        }
    }
    return NULL;
}

static void add_dependencies(struct cfg_check *c, const struct cfg_section *sec, struct modset *set)
{
    /* The set grows while we walk it, so dependencies of dependencies follow. */
    for (size_t i = 0; i < set->count; i++) {
        const struct strata_module *m = set->items[i].module;
        for (const char *const *r = m->requires; r && *r; r++) {
            const struct strata_module *dep = strata_module_find(*r);
            if (!dep || modset_find(set, dep)) {
                continue;
            }
            const char *why = why_blocked(c, sec, dep);
            if (why) {
                const struct modset_entry *e = &set->items[i];
                diag_add(diags(c), DIAG_ERROR, e->file, e->line, "missing-dependency",
                         "module '%s' requires '%s', which %s", m->name, dep->name, why);
                continue;
            }
            modset_add(set, &(struct modset_entry){dep, "dependency", m, NULL, 0, false});
        }
    }
}

/* Soft dependencies: a module the administrator listed works better with
 * another that is not enabled. A note, since the module still works. */
static void note_missing_wants(struct cfg_check *c, const struct modset *set)
{
    for (size_t i = 0; i < set->count; i++) {
        const struct modset_entry *e = &set->items[i];
        for (const char *const *w = e->module->wants; e->listed && w && *w; w++) {
            const struct strata_module *other = strata_module_find(*w);
            /* Suggesting a module that cannot load yet would help nobody. */
            bool available = other && other->state == STRATA_MODULE_IMPLEMENTED;
            if (available && !modset_find(set, other)) {
                diag_add(diags(c), DIAG_INFO, e->file, e->line, "wants-module",
                         "module '%s' works best with '%s', which is not enabled", e->module->name,
                         other->name);
            }
        }
    }
}

static void check_conflicts(struct cfg_check *c, struct modset *set)
{
    for (size_t i = 0; i < set->count; i++) {
        const struct modset_entry *e = &set->items[i];
        for (const char *const *k = e->module->conflicts; k && *k; k++) {
            const struct strata_module *other = strata_module_find(*k);
            const struct modset_entry *o = other ? modset_find(set, other) : NULL;
            if (o) {
                diag_add(diags(c), DIAG_ERROR, e->file, e->line, "module-conflict",
                         "modules '%s' and '%s' cannot both be enabled (%s is enabled by %s)",
                         e->module->name, other->name, other->name, o->via);
            }
        }
    }
}

static const char *specs_of(const struct strata_module *m)
{
    bool has_specs = m->specs && *m->specs && strcmp(m->specs, "-") != 0;
    return has_specs ? m->specs : m->summary ? m->summary : "";
}

/* One note for the planned modules nobody asked for by name: they come with
 * the server (autoload), as a dependency, or as the default driver. */
static void note_implied_planned(struct cfg_check *c, const struct modset *set)
{
    struct strbuf names = STRBUF_INIT;
    size_t n = 0;
    for (size_t i = 0; i < set->count; i++) {
        const struct modset_entry *e = &set->items[i];
        if (!e->listed && e->module->state == STRATA_MODULE_PLANNED) {
            strbuf_addf(&names, "%s%s", n++ ? ", " : "", e->module->name);
        }
    }
    if (n) {
        diag_add(diags(c), DIAG_INFO, NULL, 0, "planned-implied",
                 "%zu module%s that load without being listed %s planned in this version and will "
                 "not run yet: %s", n, n == 1 ? "" : "s", n == 1 ? "is" : "are", names.ptr);
    }
    strbuf_release(&names);
}

/* Refused and planned modules the administrator asked for, once each. */
static void report_states(struct cfg_check *c, const struct modset *set)
{
    for (size_t i = 0; i < set->count; i++) {
        const struct modset_entry *e = &set->items[i];
        const struct strata_module *m = e->module;
        if (m->state == STRATA_MODULE_REFUSED) {
            diag_add(diags(c), DIAG_ERROR, e->file, e->line, "refused-module",
                     "module '%s' is refused: %s", m->name, m->refusal ? m->refusal : "");
        } else if (m->state == STRATA_MODULE_PLANNED && e->listed) {
            diag_add(diags(c), DIAG_WARNING, e->file, e->line, "planned-module",
                     "module '%s' (%s) is planned: not available in this version, it will not load",
                     m->name, specs_of(m));
        }
    }
}

/* ---- sets per section --------------------------------------------------- */

static void finish_set(struct cfg_check *c, const struct cfg_section *sec, struct modset *set)
{
    remove_disabled(c, sec, set);
    apply_tiers_and_layers(c, set);
    add_dependencies(c, sec, set);
    check_conflicts(c, set);
    note_missing_wants(c, set);
}

static void global_set(struct cfg_check *c)
{
    struct modset *set = &c->sets[0];
    size_t n;
    const struct strata_module *const *all = strata_modules_all(&n);
    for (size_t i = 0; i < n; i++) {
        if (all[i]->autoload) {
            modset_add(set, &(struct modset_entry){all[i], "autoload", NULL, NULL, 0, false});
        }
    }
    add_lists(c, c->tree->sections[0], set);
    add_authentication(c, 0, set, false);
    add_storage(c, 0, set, false);
    finish_set(c, c->tree->sections[0], set);
    report_states(c, set);
    note_implied_planned(c, set);
}

static void host_set(struct cfg_check *c, size_t si)
{
    const struct cfg_section *sec = c->tree->sections[si];
    struct modset own = {0};
    add_lists(c, sec, &own);
    add_authentication(c, si, &own, true);
    add_storage(c, si, &own, true);
    report_states(c, &own);
    struct modset *set = &c->sets[si];
    for (size_t i = 0; i < c->sets[0].count; i++) {
        modset_add(set, &c->sets[0].items[i]);
    }
    for (size_t i = 0; i < own.count; i++) {
        modset_add(set, &own.items[i]);
    }
    free(own.items);
    finish_set(c, sec, set);
}

static void component_set(struct cfg_check *c, size_t si)
{
    const struct cfg_section *sec = c->tree->sections[si];
    const char *name = sec->component_module ? sec->component_module : "component";
    const struct strata_module *m = strata_module_find(name);
    struct modset *set = &c->sets[si];
    int line = sec->module_line ? sec->module_line : sec->line;
    const char *note = m ? NULL : prosody_module_note(name);
    if (note) {
        diag_add(diags(c), DIAG_ERROR, sec->file, line, "prosody-module",
                 "Component \"%s\" runs Prosody's module '%s', which Strata does not have: %s",
                 sec->name, name, note);
        return;
    }
    if (!m) {
        const char *near = suggest_module(name);
        diag_add(diags(c), DIAG_ERROR, sec->file, line, "unknown-module",
                 "Component \"%s\" names unknown module '%s'%s%s%s", sec->name, name,
                 near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
        return;
    }
    if (!(m->scope & STRATA_MODULE_COMPONENT) && strcmp(name, "component") != 0) {
        diag_add(diags(c), DIAG_ERROR, sec->file, sec->module_line, "not-a-component",
                 "module '%s' cannot run as a Component; it is loaded with modules_enabled", name);
        return;
    }
    modset_add(set, &(struct modset_entry){m, "Component", NULL, sec->file,
                                           sec->module_line ? sec->module_line : sec->line, true});
    add_lists(c, sec, set);
    report_states(c, set);
    finish_set(c, sec, set);
}

void check_modules(struct cfg_check *c)
{
    check_read_switches(c);
    global_set(c);
    for (size_t si = 1; si < c->tree->nsections; si++) {
        if (c->tree->sections[si]->kind == CFG_SECTION_HOST) {
            host_set(c, si);
        } else {
            component_set(c, si);
        }
    }
}
