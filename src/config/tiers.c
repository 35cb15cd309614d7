/*
 * The switches that take whole groups of modules out: stability tiers
 * (enable_tiers, or STRATA_ENABLE_<TIER> where the configuration does not
 * name a tier) and disabled_layers.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/check.h"
#include "util/text.h"

void check_tier_variable(enum strata_tier tier, const char *prefix, char *var, size_t len)
{
    int n = snprintf(var, len, "%sENABLE_", prefix);
    for (const char *p = strata_tier_name(tier); *p && n >= 0 && (size_t)n + 1 < len; p++) {
        var[n++] = (char)toupper((unsigned char)*p);
    }
    var[n] = '\0';
}

/* STRATA_ENABLE_<TIER>, then PROSODY_ENABLE_<TIER>: for configurations
 * (a migrated prosody.cfg.lua) whose enable_tiers does not name the tier. */
static void tier_from_environment(struct cfg_check *c, int t)
{
    static const char *const prefixes[] = {"STRATA_", "PROSODY_"};
    for (size_t i = 0; i < 2; i++) {
        char var[64];
        check_tier_variable(t, prefixes[i], var, sizeof var);
        const char *text = getenv(var);
        if (!text) {
            continue;
        }
        bool on;
        if (text_parse_bool(text, &on) < 0) {
            diag_add(&c->tree->diags, DIAG_ERROR, NULL, 0, "env-malformed",
                     "environment variable %s=\"%s\" is not a boolean (use true or false)", var, text);
            return;
        }
        c->tier_enabled[t] = on;
        snprintf(c->tier_origin[t], sizeof c->tier_origin[t], "%s=%s", var, text);
        return;
    }
}

static void read_tiers(struct cfg_check *c)
{
    const struct cfg_setting *s = cfg_section_find(c->tree->sections[0], "enable_tiers");
    for (int t = 0; t < STRATA_TIER_COUNT; t++) {
        c->tier_enabled[t] = t != STRATA_TIER_ALPHA;
        snprintf(c->tier_origin[t], sizeof c->tier_origin[t], "default");
        const struct cfg_value *f = s ? cfg_table_get(&s->value, strata_tier_name(t)) : NULL;
        if (f && f->kind == CFG_BOOL) {
            c->tier_enabled[t] = f->u.b;
            snprintf(c->tier_origin[t], sizeof c->tier_origin[t], "enable_tiers.%s at %s:%d",
                     strata_tier_name(t), f->file, f->line);
        } else {
            tier_from_environment(c, t);
        }
    }
    if (!c->tier_enabled[STRATA_TIER_CORE]) {
        const struct cfg_value *f = s ? cfg_table_get(&s->value, "core") : NULL;
        diag_add(&c->tree->diags, DIAG_WARNING, f ? f->file : NULL, f ? f->line : 0, "core-tier",
                 "the core tier cannot be switched off (%s); it stays enabled",
                 c->tier_origin[STRATA_TIER_CORE]);
        c->tier_enabled[STRATA_TIER_CORE] = true;
    }
}

static void read_layers(struct cfg_check *c)
{
    const struct cfg_setting *s = cfg_section_find(c->tree->sections[0], "disabled_layers");
    const struct cfg_value *v = s ? &s->value : NULL;
    size_t n = !v ? 0 : v->kind == CFG_STRING ? 1 : cfg_is_list(v) ? v->u.table->narray : 0;
    for (size_t i = 0; i < n; i++) {
        const struct cfg_value *item = v->kind == CFG_STRING ? v : &v->u.table->array[i];
        for (int layer = 1; item->kind == CFG_STRING && layer <= STRATA_LAYER_COUNT; layer++) {
            if (strcmp(item->u.str.ptr, strata_layer_dir(layer)) == 0) {
                c->layer_disabled[layer] = true;
            }
        }
    }
}

void check_read_switches(struct cfg_check *c)
{
    read_tiers(c);
    read_layers(c);
}
