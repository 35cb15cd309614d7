/*
 * Server certificates on disk: lookup in the `certificates` directory,
 * inspection for `strata check`, and self-signed generation for
 * `strata cert generate`. See tls_cert.h for the contracts and
 * docs/certificates.md for what an administrator sees.
 *
 * Lookup follows Prosody's core/certmanager.lua (named files, then parent
 * domains, then a scan of the directory), with one deliberate difference:
 * files named after the host win over the scan, so the choice never
 * depends on what else lies in the directory.
 *
 * Host coverage is checked as an XMPP peer would (RFC 6120 §13.7.1.2,
 * RFC 6125): DNS names with one-label wildcards, the common name when there
 * are no DNS names, and the XMPP identifiers id-on-xmppAddr and SRVName.
 */
#include "net/tls_cert.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

/* A certificate chain is a few kilobytes; anything this large is the wrong
 * file, and reading it whole would be pointless. */
#define PEM_FILE_MAX (1024 * 1024)
/* Prosody's index descends this many levels (certs/live/<host>/). */
#define SCAN_DEPTH 3
#define DAY_SECONDS 86400
#define GEN_RSA_BITS 2048
#define SERIAL_BYTES 16

/* ---- small helpers ---------------------------------------------------- */

static bool is_file(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static const char *plural(long n)
{
    return n == 1 ? "" : "s";
}

/* Formats `t` as "2025-03-01 12:00 UTC" into `buf`. */
static void format_utc(time_t t, char *buf, size_t size)
{
    struct tm tm;

    if (gmtime_r(&t, &tm) == NULL || strftime(buf, size, "%Y-%m-%d %H:%M UTC", &tm) == 0) {
        snprintf(buf, size, "(unknown date)");
    }
}

static int asn1_to_time(const ASN1_TIME *a, time_t *out)
{
    struct tm tm;

    if (a == NULL || ASN1_TIME_to_tm(a, &tm) != 1) {
        return -EINVAL;
    }
    *out = timegm(&tm);
    return 0;
}

/*
 * Reads a whole small file into a new NUL-terminated buffer. Returns 0, or
 * -EISDIR for a directory, -EINVAL for another non-regular file (a FIFO is
 * opened non-blocking so it cannot hang us), -EFBIG past PEM_FILE_MAX, or
 * the errno of open/read.
 */
static int read_small_file(const char *path, char **data, size_t *len)
{
    struct stat st;
    char *buf = NULL;
    size_t got = 0;
    int rc;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

    if (fd < 0) {
        return -errno;
    }
    if (fstat(fd, &st) < 0) {
        rc = -errno;
        goto fail;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
        goto fail;
    }
    if (st.st_size > PEM_FILE_MAX) {
        rc = -EFBIG;
        goto fail;
    }
    buf = xmalloc((size_t)st.st_size + 1);
    /* The size from fstat bounds the read; a file growing meanwhile is cut. */
    while (got < (size_t)st.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            rc = -errno;
            goto fail;
        }
        if (n == 0) {
            break;
        }
        got += (size_t)n;
    }
    buf[got] = '\0';
    close(fd);
    *data = buf;
    *len = got;
    return 0;

fail:
    free(buf);
    close(fd);
    return rc;
}

/* Reads the first certificate in a PEM file. Returns NULL when there is none. */
static X509 *load_cert_file(const char *path)
{
    char *data = NULL;
    size_t len = 0;
    X509 *cert = NULL;

    if (read_small_file(path, &data, &len) == 0) {
        BIO *bio = BIO_new_mem_buf(data, (int)len);
        if (bio != NULL) {
            cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
            BIO_free(bio);
        }
    }
    free(data);
    ERR_clear_error();
    return cert;
}

/* ---- names a certificate covers --------------------------------------- */

/* The otherName a SAN entry carries when it is an XMPP identifier
 * (RFC 6120 §13.7.1.4: id-on-xmppAddr; RFC 4985: SRVName), else NULL. */
static const ASN1_STRING *xmpp_other_name(const GENERAL_NAME *gen, int nid)
{
    if (gen->type != GEN_OTHERNAME || OBJ_obj2nid(gen->d.otherName->type_id) != nid) {
        return NULL;
    }
    const ASN1_TYPE *value = gen->d.otherName->value;
    if (value == NULL) {
        return NULL;
    }
    if (nid == NID_XmppAddr && value->type == V_ASN1_UTF8STRING) {
        return value->value.utf8string;
    }
    if (nid == NID_SRVName && value->type == V_ASN1_IA5STRING) {
        return value->value.ia5string;
    }
    return NULL;
}

static bool asn1_equals(const ASN1_STRING *s, const char *text)
{
    size_t n = strlen(text);

    return s != NULL && (size_t)ASN1_STRING_length(s) == n &&
           strncasecmp((const char *)ASN1_STRING_get0_data(s), text, n) == 0;
}

/* An XMPP peer also accepts these (RFC 6120 §13.7.1.2), which
 * X509_check_host does not know: id-on-xmppAddr equal to the domain and
 * SRVName _xmpp-client.<domain> or _xmpp-server.<domain>. */
static bool covers_by_xmpp_id(X509 *cert, const char *host)
{
    GENERAL_NAMES *sans = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
    char *client = xasprintf("_xmpp-client.%s", host);
    char *server = xasprintf("_xmpp-server.%s", host);
    bool found = false;

    for (int i = 0; !found && i < sk_GENERAL_NAME_num(sans); i++) {
        const GENERAL_NAME *gen = sk_GENERAL_NAME_value(sans, i);
        const ASN1_STRING *srv = xmpp_other_name(gen, NID_SRVName);
        found = asn1_equals(xmpp_other_name(gen, NID_XmppAddr), host) || asn1_equals(srv, client) ||
                asn1_equals(srv, server);
    }
    GENERAL_NAMES_free(sans);
    free(client);
    free(server);
    return found;
}

/* Whether `cert` is valid for `host`. `flags` are X509_CHECK_FLAG_*; pass
 * X509_CHECK_FLAG_NO_WILDCARDS to ask for an exact name. */
static bool cert_covers(X509 *cert, const char *host, unsigned flags)
{
    flags |= X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS;
    if (X509_check_host(cert, host, strlen(host), flags, NULL) == 1) {
        return true;
    }
    return covers_by_xmpp_id(cert, host);
}

/* Appends ", name" to a list in `buf`, replacing bytes a terminal should
 * not see: the text comes from a file and is printed as is. */
static void append_name(char *buf, size_t size, const char *prefix, const unsigned char *name,
                        int len)
{
    size_t used = strlen(buf);

    if (used > 0 && used + 2 < size) {
        memcpy(buf + used, ", ", 3);
        used += 2;
    }
    used += (size_t)snprintf(buf + used, size > used ? size - used : 0, "%s", prefix);
    for (int i = 0; i < len && used + 1 < size; i++) {
        buf[used++] = isprint(name[i]) ? (char)name[i] : '?';
    }
    if (used < size) {
        buf[used] = '\0';
    }
}

/* Adds one SAN entry to the list; returns whether it was a DNS name. */
static bool describe_san(const GENERAL_NAME *gen, char *buf, size_t size)
{
    const ASN1_STRING *s;

    if (gen->type == GEN_DNS) {
        s = gen->d.dNSName;
        append_name(buf, size, "", ASN1_STRING_get0_data(s), ASN1_STRING_length(s));
        return true;
    }
    if ((s = xmpp_other_name(gen, NID_XmppAddr)) != NULL) {
        append_name(buf, size, "xmppAddr:", ASN1_STRING_get0_data(s), ASN1_STRING_length(s));
    } else if ((s = xmpp_other_name(gen, NID_SRVName)) != NULL) {
        append_name(buf, size, "SRVName:", ASN1_STRING_get0_data(s), ASN1_STRING_length(s));
    }
    return false;
}

/* Lists the names `cert` covers into `buf`: its subjectAltNames, or its
 * common name when it has no DNS names (as X509_check_host falls back). */
static void describe_names(X509 *cert, char *buf, size_t size)
{
    GENERAL_NAMES *sans = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
    bool any_dns = false;

    buf[0] = '\0';
    for (int i = 0; i < sk_GENERAL_NAME_num(sans); i++) {
        any_dns |= describe_san(sk_GENERAL_NAME_value(sans, i), buf, size);
    }
    GENERAL_NAMES_free(sans);
    if (!any_dns) {
        X509_NAME *subject = X509_get_subject_name(cert);
        int idx = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
        if (idx >= 0) {
            const ASN1_STRING *cn = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, idx));
            append_name(buf, size, "", ASN1_STRING_get0_data(cn), ASN1_STRING_length(cn));
        }
    }
    /* Certificates with a hundred names exist; say the list goes on. */
    size_t used = strlen(buf);
    if (size > 4 && used == size - 1) {
        memcpy(buf + size - 4, "...", 4);
    }
}

/* ---- lookup ------------------------------------------------------------ */

struct name_pattern {
    const char *prefix;
    const char *cert_suffix;
    const char *key_suffix;
};

/* Prosody's crt_try/key_try, plus certbot's live/ folder, which Prosody
 * reaches only through its directory scan. Named here, an expired certbot
 * certificate is still found, so `strata check` can say it expired. */
static const struct name_pattern name_patterns[] = {
    {"", ".crt", ".key"},
    {"", "/fullchain.pem", "/privkey.pem"},
    {"", ".pem", ".pem"},
    {"live/", "/fullchain.pem", "/privkey.pem"},
};

/* SECURITY: the host becomes part of a path; refuse anything that could
 * leave `dir` or name nothing. */
static bool usable_host(const char *host)
{
    size_t len = strlen(host);

    if (len == 0 || len > 253 || host[0] == '.' || host[len - 1] == '.') {
        return false;
    }
    for (const char *p = host; *p != '\0'; p++) {
        if (*p == '/' || (unsigned char)*p < 0x20 || (p[0] == '.' && p[1] == '.')) {
            return false;
        }
    }
    return true;
}

/* Tries the named patterns for `name`; when `must_cover` is set, a pair is
 * taken only if its certificate covers that host. */
static bool find_named(const char *dir, const char *name, const char *must_cover, char **cert_path,
                       char **key_path)
{
    size_t n = sizeof(name_patterns) / sizeof(name_patterns[0]);

    for (size_t i = 0; i < n; i++) {
        const struct name_pattern *p = &name_patterns[i];
        char *cert = xasprintf("%s/%s%s%s", dir, p->prefix, name, p->cert_suffix);
        char *key = xasprintf("%s/%s%s%s", dir, p->prefix, name, p->key_suffix);
        bool ok = is_file(cert) && is_file(key);
        if (ok && must_cover != NULL) {
            X509 *x = load_cert_file(cert);
            ok = x != NULL && cert_covers(x, must_cover, 0);
            X509_free(x);
        }
        if (ok) {
            *cert_path = cert;
            *key_path = key;
            return true;
        }
        free(cert);
        free(key);
    }
    return false;
}

/* Prosody's find_matching_key: foo.crt -> foo.key, fullchain -> privkey.
 * Returns a new string, or NULL when the name follows neither convention. */
static char *matching_key(const char *cert_path)
{
    size_t len = strlen(cert_path);
    const char *base = strrchr(cert_path, '/');
    const char *chain;

    if (len > 4 && strcmp(cert_path + len - 4, ".crt") == 0) {
        return xasprintf("%.*s.key", (int)(len - 4), cert_path);
    }
    chain = strstr(base != NULL ? base : cert_path, "fullchain");
    if (chain == NULL) {
        return NULL;
    }
    return xasprintf("%.*sprivkey%s", (int)(chain - cert_path), cert_path,
                     chain + strlen("fullchain"));
}

struct scan_best {
    char *cert_path;
    char *key_path;
    bool exact;
    time_t not_after;
};

static bool valid_at(X509 *cert, time_t now, time_t *not_after)
{
    time_t from;

    if (asn1_to_time(X509_get0_notBefore(cert), &from) < 0 ||
        asn1_to_time(X509_get0_notAfter(cert), not_after) < 0) {
        return false;
    }
    return from <= now && now < *not_after;
}

/* Takes the certificate at `path` as the new best when it has a key beside
 * it, is valid now, covers `host` and beats the current best. */
static void scan_consider(const char *path, const char *host, time_t now, struct scan_best *best)
{
    char *key = matching_key(path);
    X509 *cert = NULL;
    time_t not_after = 0;

    if (key == NULL || !is_file(key)) {
        goto fail;
    }
    cert = load_cert_file(path);
    if (cert == NULL || !valid_at(cert, now, &not_after) || !cert_covers(cert, host, 0)) {
        goto fail;
    }
    bool exact = cert_covers(cert, host, X509_CHECK_FLAG_NO_WILDCARDS);
    bool better = best->cert_path == NULL || (exact && !best->exact) ||
                  (exact == best->exact && not_after > best->not_after);
    if (better) {
        free(best->cert_path);
        free(best->key_path);
        best->cert_path = xstrdup(path);
        best->key_path = key;
        key = NULL;
        best->exact = exact;
        best->not_after = not_after;
    }

fail:
    X509_free(cert);
    free(key);
}

static bool looks_like_cert_name(const char *name)
{
    size_t len = strlen(name);

    return (len > 4 && strcmp(name + len - 4, ".crt") == 0) || strstr(name, "fullchain") != NULL;
}

/* Prosody's index_certs: walks `dir` in sorted order, `depth` levels deep,
 * skipping hidden entries. Symbolic links are followed (certbot's live/
 * holds links into archive/); the depth bounds any loop. */
static void scan_dir(const char *dir, int depth, const char *host, time_t now,
                     struct scan_best *best)
{
    struct dirent **entries = NULL;
    int n = scandir(dir, &entries, NULL, alphasort);

    for (int i = 0; i < n; i++) {
        const char *name = entries[i]->d_name;
        struct stat st;
        char *path = xasprintf("%s/%s", dir, name);
        if (name[0] != '.' && stat(path, &st) == 0) {
            if (S_ISDIR(st.st_mode) && depth > 1) {
                scan_dir(path, depth - 1, host, now, best);
            } else if (S_ISREG(st.st_mode) && looks_like_cert_name(name)) {
                scan_consider(path, host, now, best);
            }
        }
        free(path);
        free(entries[i]);
    }
    free(entries);
}

int tls_cert_locate(const char *dir, const char *host, time_t now, char **cert_path,
                    char **key_path)
{
    struct scan_best best = {0};

    if (dir == NULL || host == NULL || cert_path == NULL || key_path == NULL ||
        !usable_host(host)) {
        return -EINVAL;
    }
    if (find_named(dir, host, NULL, cert_path, key_path)) {
        return 0;
    }
    /* COMPAT(prosody): find_host_cert falls back to the parent domain's
     * files without asking whether they cover the host; we ask, so a
     * certificate that would fail every handshake is not picked. */
    for (const char *p = strchr(host, '.'); p != NULL; p = strchr(p + 1, '.')) {
        if (find_named(dir, p + 1, host, cert_path, key_path)) {
            return 0;
        }
    }
    scan_dir(dir, SCAN_DEPTH, host, now, &best);
    if (best.cert_path == NULL) {
        return -ENOENT;
    }
    *cert_path = best.cert_path;
    *key_path = best.key_path;
    return 0;
}

/* ---- findings ---------------------------------------------------------- */

const char *tls_cert_level_name(enum tls_cert_level level)
{
    return level == TLS_CERT_ERROR ? "error" : "warning";
}

static bool code_is_about_key(enum tls_cert_code code)
{
    switch (code) {
    case TLS_CERT_KEY_MISSING:
    case TLS_CERT_KEY_UNREADABLE:
    case TLS_CERT_KEY_INVALID:
    case TLS_CERT_KEY_ENCRYPTED:
    case TLS_CERT_KEY_EXPOSED:
    case TLS_CERT_KEY_MISMATCH:
        return true;
    default:
        return false;
    }
}

static void add_finding(struct tls_cert_findings *f, enum tls_cert_level level,
                        enum tls_cert_code code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add_finding(struct tls_cert_findings *f, enum tls_cert_level level,
                        enum tls_cert_code code, const char *fmt, ...)
{
    va_list ap;

    if (level == TLS_CERT_ERROR) {
        f->errors++;
    } else {
        f->warnings++;
    }
    if (f->count == TLS_CERT_MAX_FINDINGS) {
        return;
    }
    struct tls_cert_finding *item = &f->items[f->count++];
    item->level = level;
    item->code = code;
    item->about_key = code_is_about_key(code);
    va_start(ap, fmt);
    vsnprintf(item->message, sizeof(item->message), fmt, ap);
    va_end(ap);
}

/* Reports why the certificate or key file could not be read: `rc` is what
 * read_small_file returned. The caller shows the path. */
static void report_read_error(struct tls_cert_findings *f, bool is_key, int rc)
{
    const char *what = is_key ? "private key" : "certificate";
    enum tls_cert_code missing = is_key ? TLS_CERT_KEY_MISSING : TLS_CERT_CERT_MISSING;
    enum tls_cert_code unreadable = is_key ? TLS_CERT_KEY_UNREADABLE : TLS_CERT_CERT_UNREADABLE;

    if (rc == -ENOENT) {
        add_finding(f, TLS_CERT_ERROR, missing, "%s file does not exist", what);
    } else if (rc == -EACCES || rc == -EPERM) {
        add_finding(f, TLS_CERT_ERROR, unreadable,
                    "cannot read the %s file: permission denied; the user the server runs as "
                    "must be able to read it (check its owner, group and mode)",
                    what);
    } else if (rc == -EISDIR) {
        add_finding(f, TLS_CERT_ERROR, unreadable, "%s path is a directory, not a file", what);
    } else if (rc == -EINVAL) {
        add_finding(f, TLS_CERT_ERROR, unreadable, "%s path is not a regular file", what);
    } else if (rc == -EFBIG) {
        add_finding(f, TLS_CERT_ERROR, unreadable, "%s file is larger than %d KiB: not a %s file",
                    what, PEM_FILE_MAX / 1024, what);
    } else {
        add_finding(f, TLS_CERT_ERROR, unreadable, "cannot read the %s file: %s", what,
                    strerror(-rc));
    }
}

/* Copies the label of the first PEM block ("PRIVATE KEY") into `label`;
 * returns false when the data has no PEM block at all. */
static bool first_pem_label(const char *data, char *label, size_t size)
{
    const char *begin = strstr(data, "-----BEGIN ");
    const char *end;

    if (begin == NULL) {
        return false;
    }
    begin += strlen("-----BEGIN ");
    end = strstr(begin, "-----");
    if (end == NULL || end - begin >= (ptrdiff_t)size ||
        memchr(begin, '\n', (size_t)(end - begin)) != NULL) {
        snprintf(label, size, "(malformed)");
        return true;
    }
    memcpy(label, begin, (size_t)(end - begin));
    label[end - begin] = '\0';
    return true;
}

/* Explains why no certificate could be read from the bytes of `path`. */
static void explain_bad_cert(struct tls_cert_findings *f, const char *path, const char *data,
                             size_t len)
{
    char label[64];
    const unsigned char *der = (const unsigned char *)data;

    if (!first_pem_label(data, label, sizeof(label))) {
        X509 *x = d2i_X509(NULL, &der, (long)len);
        if (x != NULL) {
            X509_free(x);
            add_finding(f, TLS_CERT_ERROR, TLS_CERT_CERT_INVALID,
                        "certificate file is in DER (binary) form; Strata reads PEM: "
                        "openssl x509 -inform der -in %s -out %s.pem",
                        path, path);
            return;
        }
        add_finding(f, TLS_CERT_ERROR, TLS_CERT_CERT_INVALID,
                    "certificate file is not a PEM file (no \"-----BEGIN\" line)");
    } else if (strstr(data, "-----BEGIN CERTIFICATE-----") == NULL) {
        add_finding(f, TLS_CERT_ERROR, TLS_CERT_CERT_INVALID,
                    "certificate file holds no certificate (its first block is \"%s\")", label);
    } else {
        add_finding(f, TLS_CERT_ERROR, TLS_CERT_CERT_INVALID,
                    "certificate file holds a certificate that cannot be parsed "
                    "(truncated or corrupted)");
    }
}

/* Loads the first certificate of `path` and counts the certificates after
 * it (the chain). Returns NULL after adding a finding when it cannot. */
static X509 *load_cert_checked(struct tls_cert_findings *f, const char *path, int *chain_len)
{
    char *data = NULL;
    size_t len = 0;
    X509 *cert = NULL;
    BIO *bio;
    int rc = read_small_file(path, &data, &len);

    *chain_len = 0;
    if (rc < 0) {
        report_read_error(f, false, rc);
        return NULL;
    }
    bio = BIO_new_mem_buf(data, (int)len);
    cert = bio != NULL ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
    if (cert == NULL) {
        explain_bad_cert(f, path, data, len);
    }
    while (cert != NULL) {
        X509 *extra = PEM_read_bio_X509(bio, NULL, NULL, NULL);
        if (extra == NULL) {
            break;
        }
        (*chain_len)++;
        X509_free(extra);
    }
    BIO_free(bio);
    free(data);
    ERR_clear_error();
    return cert;
}

/* PEM password callback: records that a passphrase was wanted and gives
 * none, since a server starting unattended has nobody to ask. */
static int refuse_passphrase(char *buf, int size, int rwflag, void *asked)
{
    (void)buf;
    (void)size;
    (void)rwflag;
    *(bool *)asked = true;
    return -1;
}

static void explain_bad_key(struct tls_cert_findings *f, const char *path, const char *data,
                            bool asked)
{
    char label[64];

    if (asked) {
        add_finding(f, TLS_CERT_ERROR, TLS_CERT_KEY_ENCRYPTED,
                    "private key is encrypted with a passphrase, which the server cannot ask "
                    "for; decrypt it: openssl pkey -in %s -out %s.plain",
                    path, path);
    } else if (!first_pem_label(data, label, sizeof(label))) {
        add_finding(f, TLS_CERT_ERROR, TLS_CERT_KEY_INVALID,
                    "private key file is not a PEM file (no \"-----BEGIN\" line)");
    } else if (strstr(data, "PRIVATE KEY-----") == NULL) {
        add_finding(f, TLS_CERT_ERROR, TLS_CERT_KEY_INVALID,
                    "private key file holds no private key (its first block is \"%s\")", label);
    } else {
        add_finding(f, TLS_CERT_ERROR, TLS_CERT_KEY_INVALID,
                    "private key file holds a key that cannot be parsed "
                    "(truncated or corrupted)");
    }
}

/* A key anyone on the machine can read is a key anyone can impersonate the
 * server with. Group access is left alone: ssl-cert groups are common. */
static void check_key_mode(struct tls_cert_findings *f, const char *path)
{
    struct stat st;

    if (stat(path, &st) == 0 && (st.st_mode & S_IROTH)) {
        add_finding(f, TLS_CERT_WARNING, TLS_CERT_KEY_EXPOSED,
                    "private key is readable by every user (mode %04o): chmod o-rwx %s",
                    (unsigned)(st.st_mode & 07777), path);
    }
}

static EVP_PKEY *load_key_checked(struct tls_cert_findings *f, const char *path)
{
    char *data = NULL;
    size_t len = 0;
    EVP_PKEY *key = NULL;
    bool asked = false;
    BIO *bio;
    int rc = read_small_file(path, &data, &len);

    if (rc < 0) {
        report_read_error(f, true, rc);
        return NULL;
    }
    bio = BIO_new_mem_buf(data, (int)len);
    key = bio != NULL ? PEM_read_bio_PrivateKey(bio, NULL, refuse_passphrase, &asked) : NULL;
    if (key == NULL) {
        explain_bad_key(f, path, data, asked);
    } else {
        check_key_mode(f, path);
    }
    BIO_free(bio);
    free(data);
    ERR_clear_error();
    return key;
}

/* ---- checks on a loaded certificate ------------------------------------ */

static void check_expiry(struct tls_cert_findings *f, time_t not_after, time_t now, int warn_days)
{
    char when[40];
    long days;

    format_utc(not_after, when, sizeof(when));
    if (not_after <= now) {
        days = (long)((now - not_after) / DAY_SECONDS);
        add_finding(f, TLS_CERT_ERROR, TLS_CERT_EXPIRED,
                    "certificate expired on %s (%ld day%s ago)", when, days, plural(days));
        return;
    }
    days = (long)((not_after - now) / DAY_SECONDS);
    /* As prosodyctl check: a day from expiry, clients will fail before
     * anyone reads a warning. */
    if (days < 1) {
        add_finding(f, TLS_CERT_ERROR, TLS_CERT_EXPIRING,
                    "certificate expires in less than a day, on %s; renew it now", when);
    } else if (warn_days > 0 && days < warn_days) {
        add_finding(f, TLS_CERT_WARNING, TLS_CERT_EXPIRING,
                    "certificate expires in %ld day%s, on %s; renew it soon", days, plural(days),
                    when);
    }
}

static void check_dates(struct tls_cert_findings *f, X509 *cert, time_t now, int warn_days)
{
    time_t not_before;
    time_t not_after;
    char when[40];

    if (asn1_to_time(X509_get0_notBefore(cert), &not_before) < 0 ||
        asn1_to_time(X509_get0_notAfter(cert), &not_after) < 0) {
        add_finding(f, TLS_CERT_ERROR, TLS_CERT_CERT_INVALID,
                    "certificate has an unreadable validity period");
        return;
    }
    f->not_after = not_after;
    if (now < not_before) {
        long days = (long)((not_before - now) / DAY_SECONDS);
        format_utc(not_before, when, sizeof(when));
        add_finding(f, TLS_CERT_ERROR, TLS_CERT_NOT_YET_VALID,
                    "certificate is not valid before %s (%ld day%s from now); "
                    "check this machine's clock",
                    when, days, plural(days));
        return;
    }
    check_expiry(f, not_after, now, warn_days);
}

static void check_host(struct tls_cert_findings *f, X509 *cert, const char *host)
{
    if (cert_covers(cert, host, 0)) {
        return;
    }
    if (f->names[0] == '\0') {
        add_finding(f, TLS_CERT_ERROR, TLS_CERT_HOST_MISMATCH,
                    "certificate does not cover %s; it names no host at all", host);
        return;
    }
    add_finding(f, TLS_CERT_ERROR, TLS_CERT_HOST_MISMATCH,
                "certificate does not cover %s; it covers %s", host, f->names);
}

/* 2048-bit RSA and 224-bit curves are the floor of NIST SP 800-57 (112
 * bits of security); clients are starting to refuse less. */
static void check_key_strength(struct tls_cert_findings *f, X509 *cert)
{
    EVP_PKEY *pub = X509_get0_pubkey(cert);
    const char *alg;
    int min;

    if (pub == NULL) {
        return;
    }
    if (EVP_PKEY_is_a(pub, "RSA") || EVP_PKEY_is_a(pub, "RSA-PSS")) {
        alg = "RSA";
        min = 2048;
    } else if (EVP_PKEY_is_a(pub, "DSA")) {
        alg = "DSA";
        min = 2048;
    } else if (EVP_PKEY_is_a(pub, "EC")) {
        alg = "EC";
        min = 224;
    } else {
        return;
    }
    int bits = EVP_PKEY_get_bits(pub);
    if (bits > 0 && bits < min) {
        add_finding(f, TLS_CERT_WARNING, TLS_CERT_WEAK_KEY,
                    "certificate has a weak %d-bit %s key; use at least %d bits", bits, alg, min);
    }
}

/* Nobody verifies the signature on a self-signed certificate, so only a
 * CA-issued one is checked. */
static void check_signature(struct tls_cert_findings *f, X509 *cert, bool self_issued)
{
    int md = NID_undef;
    int secbits = 0;

    if (self_issued || X509_get_signature_info(cert, &md, NULL, &secbits, NULL) != 1) {
        return;
    }
    if (secbits > 0 && secbits < 112) {
        add_finding(f, TLS_CERT_WARNING, TLS_CERT_WEAK_SIGNATURE,
                    "certificate is signed with %s, which clients reject; have it reissued "
                    "with SHA-256",
                    md != NID_undef ? OBJ_nid2sn(md) : "a weak digest");
    }
}

/* A CA-issued certificate alone in its file: clients that do not already
 * hold the intermediate cannot build a path to their trusted roots. */
static void check_chain(struct tls_cert_findings *f, X509 *cert, bool self_issued, int chain_len)
{
    char issuer[128] = "";

    if (self_issued || chain_len > 0) {
        return;
    }
    X509_NAME_get_text_by_NID(X509_get_issuer_name(cert), NID_commonName, issuer, sizeof(issuer));
    add_finding(f, TLS_CERT_WARNING, TLS_CERT_CHAIN_INCOMPLETE,
                "certificate file holds only the server's certificate, issued by \"%s\", "
                "without the intermediate certificates most clients need; use the full "
                "chain (fullchain.pem)",
                issuer[0] != '\0' ? issuer : "another authority");
}

static void check_pair(struct tls_cert_findings *f, X509 *cert, EVP_PKEY *key)
{
    if (X509_check_private_key(cert, key) != 1) {
        add_finding(f, TLS_CERT_ERROR, TLS_CERT_KEY_MISMATCH,
                    "private key does not belong to this certificate; the certificate was "
                    "issued for another key");
    }
    ERR_clear_error();
}

int tls_cert_inspect(const char *cert_path, const char *key_path, const char *host, time_t now,
                     int warn_days, struct tls_cert_findings *out)
{
    X509 *cert;
    EVP_PKEY *key;
    int chain_len = 0;

    if (cert_path == NULL || out == NULL) {
        return -EINVAL;
    }
    memset(out, 0, sizeof(*out));
    if (key_path == NULL) {
        key_path = cert_path;
    }
    cert = load_cert_checked(out, cert_path, &chain_len);
    key = load_key_checked(out, key_path);
    if (cert != NULL) {
        bool self_issued = X509_self_signed(cert, 0) == 1;
        describe_names(cert, out->names, sizeof(out->names));
        check_dates(out, cert, now, warn_days);
        if (host != NULL) {
            check_host(out, cert, host);
        }
        check_key_strength(out, cert);
        check_signature(out, cert, self_issued);
        check_chain(out, cert, self_issued, chain_len);
    }
    if (cert != NULL && key != NULL) {
        check_pair(out, cert, key);
    }
    X509_free(cert);
    EVP_PKEY_free(key);
    ERR_clear_error();
    return 0;
}

/* ---- generation -------------------------------------------------------- */

static int gen_error(char *err, size_t errlen, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Writes the message into `err` and returns `rc`, so a failure is one line. */
static int gen_error(char *err, size_t errlen, int rc, const char *fmt, ...)
{
    va_list ap;

    if (err != NULL && errlen > 0) {
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return rc;
}

/* Like gen_error for OpenSSL failures, adding OpenSSL's reason. */
static int ssl_error(char *err, size_t errlen, const char *doing)
{
    const char *reason = ERR_reason_error_string(ERR_peek_last_error());
    int rc = gen_error(err, errlen, -EIO, "%s failed: %s", doing,
                       reason != NULL ? reason : "unknown OpenSSL error");

    ERR_clear_error();
    return rc;
}

/* A host we can put in a certificate: LDH labels of 1..63 characters
 * (RFC 1123 §2.1), 253 at most, and not an IP address. Rejecting commas
 * and other punctuation also keeps the name from being read as syntax by
 * anything that later formats it. */
static bool is_dns_name(const char *host)
{
    size_t len = strlen(host);
    size_t label = 0;
    bool numeric_label = true;

    if (len == 0 || len > 253 || host[len - 1] == '.') {
        return false;
    }
    for (const char *p = host;; p++) {
        if (*p == '.' || *p == '\0') {
            if (label == 0 || label > 63 || p[-1] == '-') {
                return false;
            }
            if (*p == '\0') {
                break;
            }
            label = 0;
            numeric_label = true;
            continue;
        }
        if (!isalnum((unsigned char)*p) && !(*p == '-' && label > 0)) {
            return false;
        }
        numeric_label &= isdigit((unsigned char)*p) != 0;
        label++;
    }
    /* A last label of digits is an IPv4 address, which needs an IP SAN. */
    return !numeric_label;
}

static int set_random_serial(X509 *x)
{
    unsigned char raw[SERIAL_BYTES];
    BIGNUM *bn = NULL;
    int rc = -EIO;

    if (RAND_bytes(raw, sizeof(raw)) != 1) {
        goto fail;
    }
    /* RFC 5280 §4.1.2.2: positive and non-zero. */
    raw[0] = (unsigned char)((raw[0] & 0x7f) | 0x01);
    bn = BN_bin2bn(raw, sizeof(raw), NULL);
    if (bn == NULL || BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) == NULL) {
        goto fail;
    }
    rc = 0;

fail:
    BN_free(bn);
    return rc;
}

static int push_dns_name(GENERAL_NAMES *names, const char *name)
{
    GENERAL_NAME *gen = GENERAL_NAME_new();
    ASN1_IA5STRING *s = ASN1_IA5STRING_new();

    if (gen == NULL || s == NULL || ASN1_STRING_set(s, name, -1) != 1) {
        GENERAL_NAME_free(gen);
        ASN1_IA5STRING_free(s);
        return -EIO;
    }
    GENERAL_NAME_set0_value(gen, GEN_DNS, s);
    if (sk_GENERAL_NAME_push(names, gen) <= 0) {
        GENERAL_NAME_free(gen);
        return -EIO;
    }
    return 0;
}

/* subjectAltName DNS:<host>, DNS:*.<host>: the wildcard makes the one
 * certificate serve the host's components (muc.<host>, upload.<host>). */
static int add_san(X509 *x, const char *host)
{
    GENERAL_NAMES *names = sk_GENERAL_NAME_new_null();
    char *wildcard = xasprintf("*.%s", host);
    int rc = -EIO;

    if (names == NULL || push_dns_name(names, host) < 0 || push_dns_name(names, wildcard) < 0) {
        goto fail;
    }
    if (X509_add1_ext_i2d(x, NID_subject_alt_name, names, 0, X509V3_ADD_DEFAULT) != 1) {
        goto fail;
    }
    rc = 0;

fail:
    GENERAL_NAMES_free(names);
    free(wildcard);
    return rc;
}

static int add_fixed_extensions(X509 *x)
{
    /* What a CA/Browser Forum leaf carries; clientAuth lets the same
     * certificate authenticate us to other servers over s2s (XEP-0178). */
    static const struct {
        int nid;
        const char *value;
    } exts[] = {
        {NID_basic_constraints, "critical,CA:FALSE"},
        {NID_key_usage, "critical,digitalSignature,keyEncipherment"},
        {NID_ext_key_usage, "serverAuth,clientAuth"},
        {NID_subject_key_identifier, "hash"},
    };
    X509V3_CTX ctx;

    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
    for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
        X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, exts[i].nid, exts[i].value);
        int ok = ext != NULL && X509_add_ext(x, ext, -1) == 1;
        X509_EXTENSION_free(ext);
        if (!ok) {
            return -EIO;
        }
    }
    return 0;
}

/* Builds and signs the certificate. Returns a new X509 or NULL. */
static X509 *build_cert(const char *host, EVP_PKEY *key, int days)
{
    X509 *x = X509_new();
    X509_NAME *name;

    if (x == NULL || X509_set_version(x, X509_VERSION_3) != 1 || set_random_serial(x) < 0) {
        goto fail;
    }
    if (X509_gmtime_adj(X509_getm_notBefore(x), 0) == NULL ||
        X509_time_adj_ex(X509_getm_notAfter(x), days, 0, NULL) == NULL) {
        goto fail;
    }
    name = X509_get_subject_name(x);
    if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)host, -1, -1,
                                   0) != 1 ||
        X509_set_issuer_name(x, name) != 1 || X509_set_pubkey(x, key) != 1) {
        goto fail;
    }
    if (add_san(x, host) < 0 || add_fixed_extensions(x) < 0 ||
        X509_sign(x, key, EVP_sha256()) <= 0) {
        goto fail;
    }
    return x;

fail:
    X509_free(x);
    return NULL;
}

/* Creates the directories leading to `path`, like mkdir -p on its dirname. */
static int make_parent_dirs(const char *path, char *err, size_t errlen)
{
    char *copy = xstrdup(path);
    int rc = 0;

    for (char *p = strchr(copy + 1, '/'); p != NULL; p = strchr(p + 1, '/')) {
        *p = '\0';
        if (mkdir(copy, 0755) < 0 && errno != EEXIST) {
            rc = gen_error(err, errlen, -errno, "cannot create directory %s: %s", copy,
                           strerror(errno));
            break;
        }
        *p = '/';
    }
    free(copy);
    return rc;
}

static int refuse_existing(const char *path, char *err, size_t errlen)
{
    struct stat st;

    /* lstat: a dangling symlink is still something we would replace. */
    if (lstat(path, &st) == 0) {
        return gen_error(err, errlen, -EEXIST, "%s already exists", path);
    }
    return 0;
}

static int write_key(BIO *bio, void *obj)
{
    return PEM_write_bio_PrivateKey(bio, obj, NULL, NULL, 0, NULL, NULL);
}

static int write_cert(BIO *bio, void *obj)
{
    return PEM_write_bio_X509(bio, obj);
}

/* Writes `obj` with `writer` into a new file beside `path`, with `mode`
 * set before any byte is written, and returns its name in *tmp_out (new
 * string) for the caller to rename into place or unlink. */
static int write_temp(const char *path, mode_t mode, int (*writer)(BIO *, void *), void *obj,
                      char **tmp_out, char *err, size_t errlen)
{
    char *tmp = xasprintf("%s.XXXXXX", path);
    BIO *bio = NULL;
    int rc;
    int fd = mkostemp(tmp, O_CLOEXEC);

    if (fd < 0) {
        rc = gen_error(err, errlen, -errno, "cannot create %s: %s", tmp, strerror(errno));
        free(tmp);
        return rc;
    }
    *tmp_out = tmp;
    if (fchmod(fd, mode) < 0) {
        rc = gen_error(err, errlen, -errno, "cannot set the mode of %s: %s", tmp, strerror(errno));
        goto fail;
    }
    bio = BIO_new_fd(fd, BIO_NOCLOSE);
    if (bio == NULL || writer(bio, obj) != 1 || BIO_flush(bio) != 1) {
        rc = ssl_error(err, errlen, "writing PEM");
        goto fail;
    }
    /* The rename must not publish a file whose bytes are still in flight. */
    if (fsync(fd) < 0) {
        rc = gen_error(err, errlen, -errno, "cannot write %s: %s", tmp, strerror(errno));
        goto fail;
    }
    rc = 0;

fail:
    BIO_free(bio);
    close(fd);
    return rc;
}

static int publish(const char *tmp, const char *path, char *err, size_t errlen)
{
    if (rename(tmp, path) < 0) {
        return gen_error(err, errlen, -errno, "cannot rename %s to %s: %s", tmp, path,
                         strerror(errno));
    }
    return 0;
}

/* Checks the arguments and the files in the way; 0 when generation may go on. */
static int generate_preflight(const char *host, const char *cert_path, const char *key_path,
                              int days, bool force, char *err, size_t errlen)
{
    int rc;

    if (!is_dns_name(host)) {
        return gen_error(err, errlen, -EINVAL,
                         "\"%s\" is not a DNS host name (letters, digits, hyphens and dots; "
                         "international names in their xn-- form)",
                         host);
    }
    if (strlen(host) > 64) {
        return gen_error(err, errlen, -EINVAL,
                         "\"%s\" is longer than the 64 characters a certificate's CN can hold",
                         host);
    }
    if (days < 1 || days > TLS_CERT_MAX_DAYS) {
        return gen_error(err, errlen, -EINVAL, "days must be between 1 and %d, not %d",
                         TLS_CERT_MAX_DAYS, days);
    }
    if (strcmp(cert_path, key_path) == 0) {
        return gen_error(err, errlen, -EINVAL, "the certificate and key paths must differ");
    }
    if (!force && ((rc = refuse_existing(cert_path, err, errlen)) < 0 ||
                   (rc = refuse_existing(key_path, err, errlen)) < 0)) {
        return rc;
    }
    return 0;
}

int tls_cert_generate(const char *host, const char *cert_path, const char *key_path, int days,
                      bool force, char *err, size_t errlen)
{
    EVP_PKEY *key = NULL;
    X509 *cert = NULL;
    char *key_tmp = NULL;
    char *cert_tmp = NULL;
    int rc;

    if (err != NULL && errlen > 0) {
        err[0] = '\0';
    }
    if (host == NULL || cert_path == NULL || key_path == NULL) {
        return gen_error(err, errlen, -EINVAL, "host, certificate and key paths are required");
    }
    if ((rc = generate_preflight(host, cert_path, key_path, days, force, err, errlen)) < 0 ||
        (rc = make_parent_dirs(cert_path, err, errlen)) < 0 ||
        (rc = make_parent_dirs(key_path, err, errlen)) < 0) {
        goto fail;
    }
    key = EVP_RSA_gen(GEN_RSA_BITS);
    if (key == NULL) {
        rc = ssl_error(err, errlen, "generating an RSA key");
        goto fail;
    }
    cert = build_cert(host, key, days);
    if (cert == NULL) {
        rc = ssl_error(err, errlen, "building the certificate");
        goto fail;
    }
    if ((rc = write_temp(key_path, 0600, write_key, key, &key_tmp, err, errlen)) < 0 ||
        (rc = write_temp(cert_path, 0644, write_cert, cert, &cert_tmp, err, errlen)) < 0) {
        goto fail;
    }
    /* Key first: a crash in between leaves the old certificate with a key
     * it does not match, which `strata check` names, rather than a new
     * certificate whose key is lost. */
    if ((rc = publish(key_tmp, key_path, err, errlen)) < 0) {
        goto fail;
    }
    free(key_tmp);
    key_tmp = NULL;
    if ((rc = publish(cert_tmp, cert_path, err, errlen)) < 0) {
        goto fail;
    }
    free(cert_tmp);
    cert_tmp = NULL;
    rc = 0;

fail:
    if (key_tmp != NULL) {
        unlink(key_tmp);
        free(key_tmp);
    }
    if (cert_tmp != NULL) {
        unlink(cert_tmp);
        free(cert_tmp);
    }
    X509_free(cert);
    EVP_PKEY_free(key);
    return rc;
}
