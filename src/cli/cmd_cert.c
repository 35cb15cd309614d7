/*
 * `strata cert`: make a self-signed certificate for a host, or check the
 * certificate the server would use for it, as `prosodyctl cert generate`
 * and `prosodyctl check certs` do.
 *
 *   strata cert generate HOST [--dir DIR] [--days N] [--force]
 *   strata cert check HOST [--dir DIR] [--warn-days N]
 *
 * Exit status: 0 clean, 1 warnings only, 2 errors or bad usage.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/load.h"
#include "net/tls_cert.h"
#include "util/xalloc.h"

#define EXIT_CLEAN 0
#define EXIT_WARNINGS 1
#define EXIT_ERRORS 2

/* 253 characters of DNS name and the NUL. */
#define HOST_MAX 254

struct cert_args {
    char host[HOST_MAX];
    const char *dir;
    const char *config; /* --config: where `certificates` is read when --dir is absent */
    char *config_dir;   /* owned: that folder, resolved */
    int days;
    int warn_days;
    bool force;
};

/* The certificate directory when --dir is not given: the configuration's
 * `certificates` folder (resolved against the main file's folder, as the
 * server resolves it), else ./certs when no configuration can be read. */
static const char *default_cert_dir(struct cert_args *a)
{
    a->config_dir = cli_config_path_option(a->config, "certificates");
    return a->config_dir ? a->config_dir : "certs";
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: strata cert generate HOST [--dir DIR | --config FILE] [--days N] [--force]\n"
            "       strata cert check HOST [--dir DIR | --config FILE] [--warn-days N]\n"
            "\n"
            "  generate  write DIR/HOST.crt and DIR/HOST.key: a self-signed certificate\n"
            "            for HOST and *.HOST (so muc.HOST is covered) and its RSA-2048 key\n"
            "  check     find HOST's certificate in DIR as the server does and report\n"
            "            problems: expiry, names, key mismatch, format, permissions\n"
            "\n"
            "  --dir DIR      certificate directory (default: %s)\n"
            "  --config FILE  the configuration whose `certificates` folder is used\n"
            "  --days N       validity of a generated certificate (default: %d)\n"
            "  --force        replace existing files\n"
            "  --warn-days N  warn when fewer days remain (default: %d)\n"
            "\n"
            "exit status: 0 ok, 1 warnings, 2 errors or bad usage\n",
            "the configuration's `certificates` folder", TLS_CERT_DEFAULT_DAYS, TLS_CERT_WARN_DAYS);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "strata cert: <message>" and the usage to stderr; returns -EINVAL. */
static int usage_error(const char *fmt, ...)
{
    va_list ap;

    fputs("strata cert: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\n\n", stderr);
    usage(stderr);
    return -EINVAL;
}

static int parse_days(const char *opt, const char *text, int *out)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v < 0 || v > TLS_CERT_MAX_DAYS) {
        return usage_error("%s wants a number of days from 0 to %d, not \"%s\"", opt,
                           TLS_CERT_MAX_DAYS, text);
    }
    *out = (int)v;
    return 0;
}

/* Host names are case-insensitive; files are looked up and written in
 * lower case, as Prosody's nameprep'd host names are. */
static int set_host(struct cert_args *a, const char *host)
{
    size_t len = strlen(host);

    if (a->host[0] != '\0') {
        return usage_error("one host at a time (got \"%s\" and \"%s\")", a->host, host);
    }
    if (len == 0 || len >= sizeof(a->host)) {
        return usage_error("\"%s\" is not a host name", host);
    }
    for (size_t i = 0; i <= len; i++) {
        char c = host[i];
        a->host[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    return 0;
}

/* Whether `arg` (up to an '=') is the option `name`. */
static bool is_option(const char *arg, size_t len, const char *name)
{
    return strlen(name) == len && strncmp(arg, name, len) == 0;
}

/* Whether `name` (its first `len` bytes) is an option of this action that
 * takes a value. */
static bool takes_value(bool generating, const char *name, size_t len)
{
    return is_option(name, len, "--dir") || is_option(name, len, "--config") || (generating && is_option(name, len, "--days")) ||
           (!generating && is_option(name, len, "--warn-days"));
}

static int set_option(struct cert_args *a, const char *name, size_t len, const char *value)
{
    if (is_option(name, len, "--dir")) {
        a->dir = value;
        return 0;
    }
    if (is_option(name, len, "--config")) {
        a->config = value;
        return 0;
    }
    if (is_option(name, len, "--days")) {
        return parse_days("--days", value, &a->days);
    }
    return parse_days("--warn-days", value, &a->warn_days);
}

/* Handles the option at argv[*i], which starts with '-', advancing *i past
 * a separate value. Returns 0, 1 for help (printed), or -EINVAL. */
static int parse_option(int argc, char **argv, int *i, bool generating, struct cert_args *a)
{
    const char *arg = argv[*i];
    const char *eq = strchr(arg, '=');
    size_t len = eq != NULL ? (size_t)(eq - arg) : strlen(arg);

    if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
        usage(stdout);
        return 1;
    }
    if (generating && strcmp(arg, "--force") == 0) {
        a->force = true;
        return 0;
    }
    if (!takes_value(generating, arg, len)) {
        return usage_error("unknown option %s for cert %s", arg, argv[0]);
    }
    if (eq != NULL) {
        return set_option(a, arg, len, eq + 1);
    }
    if (*i + 1 >= argc) {
        return usage_error("%s needs a value", arg);
    }
    (*i)++;
    return set_option(a, arg, len, argv[*i]);
}

/* Parses the words after the action (argv[0] is "generate" or "check").
 * Returns 0, 1 when help was asked for (and printed), or -EINVAL. */
static int parse_args(int argc, char **argv, bool generating, struct cert_args *a)
{
    memset(a, 0, sizeof(*a));
    a->days = TLS_CERT_DEFAULT_DAYS;
    a->warn_days = TLS_CERT_WARN_DAYS;
    for (int i = 1; i < argc; i++) {
        int rc =
            argv[i][0] == '-' ? parse_option(argc, argv, &i, generating, a) : set_host(a, argv[i]);
        if (rc != 0) {
            return rc;
        }
    }
    if (a->host[0] == '\0') {
        return usage_error("which host? e.g. strata cert %s example.org", argv[0]);
    }
    if (!a->dir) {
        a->dir = default_cert_dir(a);
    }
    if (a->dir[0] == '\0') {
        return usage_error("--dir is empty");
    }
    return 0;
}

static char *path_in(const char *dir, const char *host, const char *suffix)
{
    return xasprintf("%s/%s%s", dir, host, suffix);
}

/* Writes <dir>/<host>.crt and .key. Returns the exit status. */
static int generate_in_dir(const char *dir, const char *host, int days, bool force)
{
    char err[512];
    char *cert = path_in(dir, host, ".crt");
    char *key = path_in(dir, host, ".key");
    int rc = tls_cert_generate(host, cert, key, days, force, err, sizeof(err));

    if (rc == -EEXIST) {
        fprintf(stderr, "strata cert: %s; pass --force to replace it\n", err);
    } else if (rc < 0) {
        fprintf(stderr, "strata cert: %s\n", err);
    } else {
        printf("Wrote %s: self-signed, for %s and *.%s, valid %d day%s\n", cert, host, host, days,
               days == 1 ? "" : "s");
        printf("Wrote %s: its private key (mode 0600)\n", key);
        printf("Clients and other servers do not trust a self-signed certificate: for a\n"
               "public server, use one from a certificate authority such as Let's Encrypt\n"
               "(see docs/certificates.md).\n");
    }
    free(cert);
    free(key);
    return rc < 0 ? EXIT_ERRORS : EXIT_CLEAN;
}

static void explain_not_found(const char *dir, const char *host)
{
    struct stat st;

    if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "strata cert: certificate directory %s does not exist\n", dir);
    } else {
        fprintf(stderr,
                "strata cert: no certificate for %s in %s; looked for\n"
                "  %s/%s.crt with %s.key\n"
                "  %s/%s/fullchain.pem with privkey.pem\n"
                "  %s/%s.pem\n"
                "  %s/live/%s/fullchain.pem with privkey.pem\n"
                "  the same for each parent domain, if its certificate covers %s\n"
                "  any other valid *.crt or *fullchain* file, with its key, covering %s\n",
                host, dir, dir, host, host, dir, host, dir, host, dir, host, host, host);
    }
    fprintf(stderr, "  to make a self-signed one: strata cert generate %s --dir %s\n", host, dir);
}

static void print_summary(const struct tls_cert_findings *f, const char *host, time_t now)
{
    char when[32];
    struct tm tm;

    if (f->errors > 0 || f->warnings > 0) {
        printf("%u error%s, %u warning%s\n", f->errors, f->errors == 1 ? "" : "s", f->warnings,
               f->warnings == 1 ? "" : "s");
        return;
    }
    if (gmtime_r(&f->not_after, &tm) == NULL ||
        strftime(when, sizeof(when), "%Y-%m-%d", &tm) == 0) {
        snprintf(when, sizeof(when), "?");
    }
    printf("ok: valid for %s until %s (%ld days); covers %s\n", host, when,
           (long)((f->not_after - now) / 86400), f->names);
}

/* Locates and inspects <host>'s certificate. Returns the exit status. */
static int check_in_dir(const char *dir, const char *host, int warn_days)
{
    struct tls_cert_findings f;
    char *cert = NULL;
    char *key = NULL;
    time_t now = time(NULL);
    int rc = tls_cert_locate(dir, host, now, &cert, &key);

    if (rc == -ENOENT) {
        explain_not_found(dir, host);
        return EXIT_ERRORS;
    }
    if (rc < 0) {
        fprintf(stderr, "strata cert: \"%s\" is not a host name\n", host);
        return EXIT_ERRORS;
    }
    printf("certificate: %s\nkey:         %s\n", cert, key);
    tls_cert_inspect(cert, key, host, now, warn_days, &f);
    for (size_t i = 0; i < f.count; i++) {
        printf("%s: %s\n", tls_cert_level_name(f.items[i].level), f.items[i].message);
    }
    print_summary(&f, host, now);
    free(cert);
    free(key);
    if (f.errors > 0) {
        return EXIT_ERRORS;
    }
    return f.warnings > 0 ? EXIT_WARNINGS : EXIT_CLEAN;
}

int cmd_cert(int argc, char **argv)
{
    struct cert_args a;
    const char *action = argc > 1 ? argv[1] : NULL;

    if (action == NULL) {
        usage_error("generate or check?");
        return EXIT_ERRORS;
    }
    if (strcmp(action, "help") == 0 || strcmp(action, "--help") == 0 || strcmp(action, "-h") == 0) {
        usage(stdout);
        return EXIT_CLEAN;
    }
    if (strcmp(action, "generate") == 0) {
        int rc = parse_args(argc - 1, argv + 1, true, &a);
        if (rc != 0) {
            return rc > 0 ? EXIT_CLEAN : EXIT_ERRORS;
        }
        if (a.days < 1) {
            usage_error("--days must be at least 1");
            return EXIT_ERRORS;
        }
        rc = generate_in_dir(a.dir, a.host, a.days, a.force);
        free(a.config_dir);
        return rc;
    }
    if (strcmp(action, "check") == 0) {
        int rc = parse_args(argc - 1, argv + 1, false, &a);
        if (rc != 0) {
            return rc > 0 ? EXIT_CLEAN : EXIT_ERRORS;
        }
        rc = check_in_dir(a.dir, a.host, a.warn_days);
        free(a.config_dir);
        return rc;
    }
    usage_error("unknown action \"%s\"", action);
    return EXIT_ERRORS;
}
