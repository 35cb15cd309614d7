/*
 * Every setting against its schema: unknown options (with a did-you-mean),
 * options of modules that are not enabled, wrong types and ranges, and
 * server-wide options set inside a host.
 */
#include <stdio.h>
#include <string.h>

#include "config/check.h"
#include "config/schema.h"

static bool module_enabled_for(const struct cfg_check *c, size_t si, const struct strata_module *m)
{
    if (modset_find(&c->sets[si], m) || modset_find(&c->sets[0], m)) {
        return true;
    }
    if (si != 0) {
        return false;
    }
    for (size_t i = 1; i < c->tree->nsections; i++) { /* a global option serves every host */
        if (modset_find(&c->sets[i], m)) {
            return true;
        }
    }
    return false;
}

static void report_unknown(struct cfg_check *c, const struct cfg_setting *s)
{
    const char *note = prosody_option_note(s->key);
    if (note) {
        diag_add(&c->tree->diags, DIAG_WARNING, s->value.file, s->value.line, "prosody-option",
                 "option '%s' is Prosody's and has no effect in Strata: %s", s->key, note);
        return;
    }
    const char *near = schema_suggest(s->key);
    if (near) {
        diag_add(&c->tree->diags, DIAG_ERROR, s->value.file, s->value.line, "unknown-option",
                 "unknown option '%s' (did you mean '%s'?)", s->key, near);
    } else {
        diag_add(&c->tree->diags, DIAG_ERROR, s->value.file, s->value.line, "unknown-option",
                 "unknown option '%s': no part of Strata reads it", s->key);
    }
}

static void report_disabled_module(struct cfg_check *c, const struct cfg_setting *s,
                                   const struct strata_module *m)
{
    const char *state = m->state == STRATA_MODULE_PLANNED ? "; it is planned for a later version"
                        : m->state == STRATA_MODULE_REFUSED ? "; it is refused" : "";
    diag_add(&c->tree->diags, DIAG_WARNING, s->value.file, s->value.line, "option-module-disabled",
             "option '%s' belongs to module '%s', which is not enabled here%s, so it has no effect",
             s->key, m->name, state);
}

static void check_scope(struct cfg_check *c, const struct cfg_section *sec,
                        const struct cfg_setting *s, const struct strata_option *o)
{
    unsigned scope = o->scope ? o->scope : STRATA_SCOPE_HOSTS;
    if (sec->kind == CFG_SECTION_GLOBAL || scope != STRATA_SCOPE_GLOBAL) {
        return;
    }
    diag_add(&c->tree->diags, DIAG_WARNING, s->value.file, s->value.line, "global-option-in-section",
             "option '%s' is server-wide; set inside %s \"%s\" it has no effect (set it before "
             "any VirtualHost or Component line)",
             s->key, sec->kind == CFG_SECTION_HOST ? "VirtualHost" : "Component", sec->name);
}

static void check_value_of(struct cfg_check *c, const struct cfg_setting *s,
                           const struct strata_option *o)
{
    char msg[512];
    for (; s; s = s->overridden) { /* every contribution: a list may add in many files */
        const struct cfg_value *at;
        if (schema_validate_at(o, &s->value, msg, sizeof msg, &at)) {
            const struct cfg_value *place = at && at->file ? at : &s->value;
            diag_add(&c->tree->diags, DIAG_ERROR, place->file, place->line, "bad-value",
                     "option '%s': %s", s->key, msg);
        }
        if (!cfg_key_is_layer_list(s->key)) {
            return; /* only the latest value of an ordinary option matters */
        }
    }
}

/* An implemented module that does not act on an option yet says so, rather
 * than accepting it silently. Planned modules are reported as a whole. */
static void warn_planned(struct cfg_check *c, const struct cfg_setting *s,
                         const struct schema_entry *e)
{
    if (e->module && e->module->state != STRATA_MODULE_IMPLEMENTED) {
        return;
    }
    if (e->option->planned && s->value.kind != CFG_NIL) {
        diag_add(&c->tree->diags, DIAG_WARNING, s->value.file, s->value.line, "option-planned",
                 "option '%s' is not acted on in this version; it has no effect yet", s->key);
    }
    const struct cfg_value *v = &s->value;
    for (size_t i = 0; e->option->fields && v->kind == CFG_TABLE && i < v->u.table->npairs; i++) {
        const struct cfg_pair *p = &v->u.table->pairs[i];
        for (const struct strata_option *f = e->option->fields; f->name; f++) {
            if (f->planned && strcmp(f->name, p->key) == 0) {
                diag_add(&c->tree->diags, DIAG_WARNING, p->value.file, p->value.line,
                         "option-planned", "%s.%s is not acted on in this version; it has no "
                         "effect yet", s->key, p->key);
            }
        }
    }
}

static void check_setting(struct cfg_check *c, size_t si, const struct cfg_setting *s)
{
    struct schema_entry e;
    if (!schema_find(s->key, &e)) {
        report_unknown(c, s);
        return;
    }
    if (e.module && !module_enabled_for(c, si, e.module)) {
        report_disabled_module(c, s, e.module);
    }
    check_scope(c, c->tree->sections[si], s, e.option);
    check_value_of(c, s, e.option);
    warn_planned(c, s, &e);
}

void check_settings(struct cfg_check *c)
{
    for (size_t si = 0; si < c->tree->nsections; si++) {
        const struct cfg_section *sec = c->tree->sections[si];
        for (size_t i = 0; i < sec->nsettings; i++) {
            check_setting(c, si, sec->settings[i]);
        }
    }
}
