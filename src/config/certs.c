/*
 * Certificates: every VirtualHost needs one that its clients can verify,
 * found through `ssl = { certificate = ..., key = ... }` or, as Prosody does,
 * in the `certificates` folder. Problems are reported at the option that led
 * to the file (or at the host's declaration when the folder was searched).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/check.h"
#include "net/tls_cert.h"
#include "util/xalloc.h"

/* RFC 9325 does not fix a number; two weeks leaves time to renew by hand. */
enum { EXPIRY_WARN_DAYS = TLS_CERT_WARN_DAYS };

struct cert_source {
    char *cert;
    char *key;
    const char *file; /* where to report */
    int line;
};

static char *resolve(const struct cfg_tree *t, const char *path)
{
    return path[0] == '/' ? xstrdup(path) : xasprintf("%s/%s", t->main_dir, path);
}

static bool from_ssl_option(struct cfg_check *c, size_t si, struct cert_source *src)
{
    const struct cfg_setting *s = cfg_tree_lookup(c->tree, c->tree->sections[si], "ssl");
    const struct cfg_value *crt = s ? cfg_table_get(&s->value, "certificate") : NULL;
    const struct cfg_value *key = s ? cfg_table_get(&s->value, "key") : NULL;
    if (!crt || crt->kind != CFG_STRING) {
        return false;
    }
    src->cert = resolve(c->tree, crt->u.str.ptr);
    src->key = key && key->kind == CFG_STRING ? resolve(c->tree, key->u.str.ptr) : NULL;
    src->file = s->value.file;
    src->line = s->value.line;
    return true;
}

static char *certificates_dir(struct cfg_check *c, size_t si, const struct cfg_setting **s)
{
    struct cfg_value scratch;
    const struct cfg_value *v = check_value(c, si, "certificates", &scratch, s);
    char *dir = v && v->kind == CFG_STRING ? resolve(c->tree, v->u.str.ptr) : NULL;
    cfg_value_clear(&scratch);
    return dir;
}

static void report_findings(struct cfg_check *c, const struct cfg_section *sec,
                            const struct cert_source *src, const struct tls_cert_findings *f)
{
    for (size_t i = 0; i < f->count; i++) {
        const struct tls_cert_finding *x = &f->items[i];
        diag_add(&c->tree->diags, x->level == TLS_CERT_ERROR ? DIAG_ERROR : DIAG_WARNING, src->file,
                 src->line, "certificate", "%s \"%s\": %s %s: %s",
                 sec->kind == CFG_SECTION_HOST ? "VirtualHost" : "Component", sec->name,
                 x->about_key ? "key" : "certificate", x->about_key && src->key ? src->key : src->cert,
                 x->message);
    }
}

static void report_missing(struct cfg_check *c, size_t si, const char *host, const char *dir,
                           const struct cfg_setting *dir_setting)
{
    const struct cfg_section *sec = c->tree->sections[si];
    /* Clients of a VirtualHost need TLS; a component only for s2s. */
    enum diag_level level = sec->kind == CFG_SECTION_HOST ? DIAG_ERROR : DIAG_WARNING;
    diag_add(&c->tree->diags, level, sec->file, sec->line, "certificate-missing",
             "%s \"%s\" has no certificate: none in %s%s (looked for %s.crt + %s.key, "
             "%s/fullchain.pem + privkey.pem and the other names Prosody uses; see "
             "docs/certificates.md); for development run: strata cert generate %s --dir %s",
             sec->kind == CFG_SECTION_HOST ? "VirtualHost" : "Component", sec->name, dir,
             dir_setting ? "" : " (the default folder)", host, host, host, host, dir);
}

static void check_host(struct cfg_check *c, size_t si, const char *host, time_t now);

static void check_section(struct cfg_check *c, size_t si, time_t now)
{
    const struct cfg_section *sec = c->tree->sections[si];
    char buf[256];
    if (check_host_problem(sec->name, buf, sizeof buf)) {
        return; /* an invalid name has no certificate to look for; hosts.c says why */
    }
    /* RFC 7622 §3.2: the trailing dot of a fully qualified name is not part of the JID. */
    char *host = xstrdup(sec->name);
    size_t n = strlen(host);
    if (n > 1 && host[n - 1] == '.') {
        host[n - 1] = '\0';
    }
    check_host(c, si, host, now);
    free(host);
}

static void check_host(struct cfg_check *c, size_t si, const char *host, time_t now)
{
    const struct cfg_section *sec = c->tree->sections[si];
    struct cert_source src = {0};
    const struct cfg_setting *dir_setting = NULL;
    char *dir = NULL;
    if (!from_ssl_option(c, si, &src)) {
        dir = certificates_dir(c, si, &dir_setting);
        if (!dir || tls_cert_locate(dir, host, now, &src.cert, &src.key) < 0) {
            report_missing(c, si, host, dir ? dir : "certs", dir_setting);
            free(dir);
            return;
        }
        src.file = sec->file;
        src.line = sec->line;
    }
    struct tls_cert_findings f;
    if (tls_cert_inspect(src.cert, src.key, host, now, EXPIRY_WARN_DAYS, &f) == 0) {
        report_findings(c, sec, &src, &f);
    }
    free(src.cert);
    free(src.key);
    free(dir);
}

static bool section_enabled(struct cfg_check *c, size_t si)
{
    const struct cfg_setting *s = cfg_section_find(c->tree->sections[si], "enabled");
    return !s || s->value.kind != CFG_BOOL || s->value.u.b;
}

void check_certificates(struct cfg_check *c)
{
    time_t now = time(NULL);
    for (size_t si = 1; si < c->tree->nsections; si++) {
        if (section_enabled(c, si)) {
            check_section(c, si, now);
        }
    }
}
