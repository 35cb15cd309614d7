/*
 * Host names: every VirtualHost and Component must be a domain a JID can
 * carry (RFC 7622 §3.2: IDNA2003 nameprep, labels of at most 63 octets,
 * at most 1023 octets in all), and external components need a secret.
 */
#include <idna.h>
#include <stdlib.h>
#include <string.h>

#include "config/check.h"

enum { MAX_DOMAIN_OCTETS = 1023 };

static const char *kind_word(const struct cfg_section *s)
{
    return s->kind == CFG_SECTION_HOST ? "VirtualHost" : "Component";
}

static void check_name(struct cfg_check *c, const struct cfg_section *s)
{
    struct diag_list *d = &c->tree->diags;
    if (strpbrk(s->name, "@/ ") || !*s->name) {
        diag_add(d, DIAG_ERROR, s->file, s->line, "invalid-host",
                 "%s \"%s\" is not a domain name (no '@', '/' or spaces; e.g. \"example.org\")",
                 kind_word(s), s->name);
        return;
    }
    char *ascii = NULL;
    int rc = idna_to_ascii_8z(s->name, &ascii, IDNA_USE_STD3_ASCII_RULES);
    if (rc != IDNA_SUCCESS) {
        diag_add(d, DIAG_ERROR, s->file, s->line, "invalid-host", "%s \"%s\" is not a valid domain name: %s",
                 kind_word(s), s->name, idna_strerror(rc));
    } else if (strlen(ascii) > MAX_DOMAIN_OCTETS) {
        diag_add(d, DIAG_ERROR, s->file, s->line, "invalid-host",
                 "%s \"%s\" is longer than the 1023 octets a JID domain may have", kind_word(s), s->name);
    } else if (s->name[strlen(s->name) - 1] == '.') {
        diag_add(d, DIAG_WARNING, s->file, s->line, "invalid-host",
                 "%s \"%s\" ends with a dot; JIDs carry the name without it (RFC 7622 §3.2)",
                 kind_word(s), s->name);
    }
    free(ascii);
}

static void check_component_secret(struct cfg_check *c, size_t si)
{
    const struct cfg_section *s = c->tree->sections[si];
    if (s->component_module && strcmp(s->component_module, "component") != 0) {
        return;
    }
    struct cfg_value scratch;
    const struct cfg_value *v = check_value(c, si, "component_secret", &scratch, NULL);
    if (!v || v->kind != CFG_STRING || v->u.str.len == 0) {
        diag_add(&c->tree->diags, DIAG_ERROR, s->file, s->line, "component-secret",
                 "Component \"%s\" is an external component (XEP-0114) but has no component_secret",
                 s->name);
    }
    cfg_value_clear(&scratch);
}

void check_hosts(struct cfg_check *c)
{
    size_t hosts = 0;
    for (size_t si = 1; si < c->tree->nsections; si++) {
        const struct cfg_section *s = c->tree->sections[si];
        check_name(c, s);
        hosts += s->kind == CFG_SECTION_HOST;
        if (s->kind == CFG_SECTION_COMPONENT) {
            check_component_secret(c, si);
        }
    }
    if (hosts == 0) {
        diag_add(&c->tree->diags, DIAG_WARNING, c->tree->main_path, 0, "no-host",
                 "no VirtualHost is declared: the server serves no domain");
    }
}
