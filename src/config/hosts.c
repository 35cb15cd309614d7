/*
 * Host names: every VirtualHost and Component must be a domain a JID can
 * carry (RFC 7622 §3.2: IDNA2003 nameprep, labels of at most 63 octets,
 * at most 1023 octets in all), and external components need a secret.
 */
#include <idna.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/check.h"

enum { MAX_DOMAIN_OCTETS = 1023, MAX_LABEL_OCTETS = 63 };

static const char *kind_word(const struct cfg_section *s)
{
    return s->kind == CFG_SECTION_HOST ? "VirtualHost" : "Component";
}

/* Why `name` cannot be a JID domain, or NULL when it can. Writes into `buf`. */
const char *check_host_problem(const char *name, char *buf, size_t len)
{
    if (!*name || strpbrk(name, "@/ ")) {
        return "it is not a domain name (no '@', '/' or spaces; e.g. \"example.org\")";
    }
    for (const char *label = name; *label;) {
        size_t n = strcspn(label, ".");
        if (n > MAX_LABEL_OCTETS) {
            snprintf(buf, len, "its label \"%.*s...\" is %zu characters long; a DNS label has at "
                     "most 63", 20, label, n);
            return buf;
        }
        label += n + (label[n] == '.');
    }
    char *ascii = NULL;
    int rc = idna_to_ascii_8z(name, &ascii, IDNA_USE_STD3_ASCII_RULES);
    size_t octets = ascii ? strlen(ascii) : 0;
    free(ascii);
    if (rc != IDNA_SUCCESS) {
        snprintf(buf, len, "it is not a valid domain name (%s)", idna_strerror(rc));
        return buf;
    }
    return octets > MAX_DOMAIN_OCTETS ? "it is longer than the 1023 octets a JID domain may have"
                                      : NULL;
}

static void check_name(struct cfg_check *c, const struct cfg_section *s)
{
    char buf[256];
    const char *problem = check_host_problem(s->name, buf, sizeof buf);
    if (problem) {
        diag_add(&c->tree->diags, DIAG_ERROR, s->file, s->line, "invalid-host", "%s \"%s\": %s",
                 kind_word(s), s->name, problem);
    } else if (s->name[strlen(s->name) - 1] == '.') {
        diag_add(&c->tree->diags, DIAG_WARNING, s->file, s->line, "invalid-host",
                 "%s \"%s\" ends with a dot; JIDs carry the name without it (RFC 7622 §3.2)",
                 kind_word(s), s->name);
    }
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
    /* A file that did not run may well hold the VirtualHost. */
    if (hosts == 0 && !check_load_failed(c)) {
        diag_add(&c->tree->diags, DIAG_WARNING, c->tree->main_path, 0, "no-host",
                 "no VirtualHost is declared: the server serves no domain");
    }
}
