/*
 * Security levels: `security_level` (strict, standard, legacy) names what a
 * configuration promises; this check refuses settings that break the
 * promise. The values each level sets live in config/policies/security.cfg.lua;
 * the rules here hold whatever file set the options.
 */
#include <string.h>

#include "config/check.h"
#include "config/schema.h"

enum rule_kind {
    MUST_BE_TRUE,     /* a boolean option must be true */
    MUST_NOT_CONTAIN, /* a list option must not contain any of `values` */
    MUST_BE_ONE_OF,   /* a string option (or a table's `field`) must be one of `values` */
};

struct rule {
    const char *level;
    enum rule_kind kind;
    const char *option;
    const char *field; /* MUST_BE_ONE_OF on a table option */
    const char *const *values;
    enum diag_level severity;
    const char *why;
};

#define SSL_PROTOCOL_RULES(opt)                                                                  \
    {"strict", MUST_BE_ONE_OF, opt, "protocol", STRATA_CHOICES("tlsv1_3+", "tlsv1_3"),           \
     DIAG_ERROR, "strict accepts TLS 1.3 only"}

static const struct rule rules[] = {
    {"strict", MUST_BE_TRUE, "c2s_require_encryption", NULL, NULL, DIAG_ERROR,
     "strict never lets a client talk unencrypted"},
    {"strict", MUST_BE_TRUE, "s2s_require_encryption", NULL, NULL, DIAG_ERROR,
     "strict never lets a server talk unencrypted"},
    {"strict", MUST_BE_TRUE, "s2s_secure_auth", NULL, NULL, DIAG_ERROR,
     "strict authenticates every server by its certificate (no dialback)"},
    {"strict", MUST_NOT_CONTAIN, "sasl_mechanisms", NULL,
     STRATA_CHOICES("PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-1-PLUS"), DIAG_ERROR,
     "strict offers SCRAM-SHA-256 and SCRAM-SHA-256-PLUS only"},
    {"strict", MUST_BE_ONE_OF, "tls_profile", NULL, STRATA_CHOICES("modern"), DIAG_ERROR,
     "strict uses the modern TLS profile (TLS 1.3)"},
    SSL_PROTOCOL_RULES("ssl"),
    SSL_PROTOCOL_RULES("c2s_ssl"),
    SSL_PROTOCOL_RULES("s2s_ssl"),
    SSL_PROTOCOL_RULES("c2s_direct_tls_ssl"),
    SSL_PROTOCOL_RULES("s2s_direct_tls_ssl"),
    {"standard", MUST_BE_TRUE, "c2s_require_encryption", NULL, NULL, DIAG_ERROR,
     "standard requires encrypted client connections"},
    {"standard", MUST_BE_TRUE, "s2s_require_encryption", NULL, NULL, DIAG_ERROR,
     "standard requires encrypted server connections"},
    {"standard", MUST_BE_ONE_OF, "tls_profile", NULL, STRATA_CHOICES("modern", "intermediate"),
     DIAG_ERROR, "standard uses the modern or intermediate TLS profile"},
    {"legacy", MUST_BE_TRUE, "c2s_require_encryption", NULL, NULL, DIAG_WARNING,
     "even legacy clients should encrypt; passwords and messages cross the network in clear"},
};

static bool in_list(const char *s, const char *const *values)
{
    for (const char *const *v = values; *v; v++) {
        if (strcmp(*v, s) == 0) {
            return true;
        }
    }
    return false;
}

/* The offending text, or NULL when `v` keeps the rule. */
static const char *breach(const struct rule *r, const struct cfg_value *v)
{
    switch (r->kind) {
    case MUST_BE_TRUE:
        return v->kind == CFG_BOOL && !v->u.b ? "false" : NULL;
    case MUST_NOT_CONTAIN: {
        size_t n = v->kind == CFG_STRING ? 1 : cfg_is_list(v) ? v->u.table->narray : 0;
        for (size_t i = 0; i < n; i++) {
            const struct cfg_value *item = v->kind == CFG_STRING ? v : &v->u.table->array[i];
            if (item->kind == CFG_STRING && in_list(item->u.str.ptr, r->values)) {
                return item->u.str.ptr;
            }
        }
        return NULL;
    }
    case MUST_BE_ONE_OF: {
        const struct cfg_value *f = r->field ? cfg_table_get(v, r->field) : v;
        return f && f->kind == CFG_STRING && !in_list(f->u.str.ptr, r->values) ? f->u.str.ptr : NULL;
    }
    }
    return NULL;
}

static void apply(struct cfg_check *c, size_t si, const struct rule *r, const char *level,
                  const struct cfg_setting *level_setting)
{
    const struct cfg_section *sec = c->tree->sections[si];
    if (si != 0 && !cfg_section_find(sec, r->option)) {
        return; /* inherited: judged once, in the global section */
    }
    struct cfg_value scratch;
    const struct cfg_setting *s;
    const struct cfg_value *v = check_value(c, si, r->option, &scratch, &s);
    struct schema_entry e;
    char msg[256];
    if (v && schema_find(r->option, &e) && schema_validate(e.option, v, msg, sizeof msg)) {
        v = NULL; /* already reported as a bad value; judging it here would repeat that */
    }
    const char *bad = v ? breach(r, v) : NULL;
    if (bad) {
        const char *file = s ? s->value.file : level_setting ? level_setting->value.file : c->tree->main_path;
        int line = s ? s->value.line : level_setting ? level_setting->value.line : 0;
        const char *quote = r->kind == MUST_BE_TRUE ? "" : "\"";
        diag_add(&c->tree->diags, r->severity, file, line, "insecure-for-level",
                 "%s%s%s%s%s%s %s%s%s is not allowed at security_level \"%s\": %s%s", r->option,
                 r->field ? "." : "", r->field ? r->field : "", si ? " of " : "",
                 si ? sec->name : "", r->kind == MUST_NOT_CONTAIN ? " contains" : " =", quote, bad,
                 quote, level, r->why, s ? "" : " (this is the default; set it explicitly)");
    }
    cfg_value_clear(&scratch);
}

void check_security(struct cfg_check *c)
{
    struct cfg_value scratch;
    const struct cfg_setting *level_setting;
    const struct cfg_value *lv = check_value(c, 0, "security_level", &scratch, &level_setting);
    const char *level = lv && lv->kind == CFG_STRING ? lv->u.str.ptr : "standard";
    for (size_t si = 0; si < c->tree->nsections; si++) {
        if (c->tree->sections[si]->kind == CFG_SECTION_COMPONENT) {
            continue;
        }
        for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
            if (strcmp(rules[i].level, level) == 0) {
                apply(c, si, &rules[i], level, level_setting);
            }
        }
    }
    cfg_value_clear(&scratch);
}
