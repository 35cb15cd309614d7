/*
 * Certificate lookup, inspection and generation (src/net/tls_cert.c).
 *
 * A group set-up generates one example.org pair and one other.org pair into
 * a mkdtemp() directory; each test builds what else it needs beside them.
 * RSA key generation makes this the slow unit test (about a second).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "net/tls_cert.h"
#include "util/xalloc.h"

#define DAY 86400

struct fixture {
    char dir[64];
    char *cert;       /* <dir>/example.org.crt */
    char *key;        /* <dir>/example.org.key */
    char *other_cert; /* <dir>/other.org.crt */
    char *other_key;
};

static struct fixture fx;

static char *path_in(const char *dir, const char *name)
{
    return xasprintf("%s/%s", dir, name);
}

static void generate(const char *host, const char *cert, const char *key, int days)
{
    char err[256];
    int rc = tls_cert_generate(host, cert, key, days, false, err, sizeof(err));

    if (rc != 0) {
        fail_msg("tls_cert_generate(%s): %d %s", host, rc, err);
    }
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static void copy_file(const char *from, const char *to)
{
    char buf[16384];
    FILE *in = fopen(from, "rb");
    FILE *out = fopen(to, "wb");
    size_t n;

    assert_non_null(in);
    assert_non_null(out);
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0) {
        assert_int_equal(fwrite(buf, 1, n, out), n);
    }
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

/* A fresh directory under the fixture's, for tests that lay out files. */
static char *subdir(const char *name)
{
    char *d = path_in(fx.dir, name);

    assert_int_equal(mkdir(d, 0755), 0);
    return d;
}

static void rm_rf(const char *path)
{
    /* The path is our own mkdtemp() name: nothing in it needs quoting. */
    char *cmd = xasprintf("rm -rf '%s'", path);

    assert_int_equal(system(cmd), 0);
    free(cmd);
}

static int group_setup(void **state)
{
    (void)state;
    strcpy(fx.dir, "/tmp/strata-test-cert-XXXXXX");
    if (mkdtemp(fx.dir) == NULL) {
        return -1;
    }
    fx.cert = path_in(fx.dir, "example.org.crt");
    fx.key = path_in(fx.dir, "example.org.key");
    fx.other_cert = path_in(fx.dir, "other.org.crt");
    fx.other_key = path_in(fx.dir, "other.org.key");
    if (tls_cert_generate("example.org", fx.cert, fx.key, 365, false, NULL, 0) != 0 ||
        tls_cert_generate("other.org", fx.other_cert, fx.other_key, 365, false, NULL, 0) != 0) {
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    rm_rf(fx.dir);
    free(fx.cert);
    free(fx.key);
    free(fx.other_cert);
    free(fx.other_key);
    return 0;
}

static const struct tls_cert_finding *find_code(const struct tls_cert_findings *f,
                                                enum tls_cert_code code)
{
    for (size_t i = 0; i < f->count; i++) {
        if (f->items[i].code == code) {
            return &f->items[i];
        }
    }
    fail_msg("no finding with code %d among %zu", (int)code, f->count);
    return NULL;
}

static void print_findings(const struct tls_cert_findings *f)
{
    for (size_t i = 0; i < f->count; i++) {
        print_message("  %s: %s\n", tls_cert_level_name(f->items[i].level), f->items[i].message);
    }
}

/* Inspects and requires exactly one finding with `code` at `level`. */
static const struct tls_cert_finding *
expect_only(const struct tls_cert_findings *f, enum tls_cert_code code, enum tls_cert_level level)
{
    if (f->count != 1) {
        print_findings(f);
    }
    assert_int_equal(f->count, 1);
    assert_int_equal(f->items[0].code, code);
    assert_int_equal(f->items[0].level, level);
    return &f->items[0];
}

/* ---- generation and the clean case ------------------------------------- */

static void test_generated_pair_is_clean(void **state)
{
    struct tls_cert_findings f;
    struct stat st;

    (void)state;
    assert_int_equal(
        tls_cert_inspect(fx.cert, fx.key, "example.org", time(NULL), TLS_CERT_WARN_DAYS, &f), 0);
    print_findings(&f);
    assert_int_equal(f.count, 0);
    assert_int_equal(f.errors, 0);
    assert_int_equal(f.warnings, 0);
    assert_string_equal(f.names, "example.org, *.example.org");
    assert_in_range(f.not_after, time(NULL) + 364 * DAY, time(NULL) + 366 * DAY);

    assert_int_equal(stat(fx.key, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(stat(fx.cert, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
}

static void test_generated_certificate_fields(void **state)
{
    FILE *fp = fopen(fx.cert, "r");
    X509 *x;
    BASIC_CONSTRAINTS *bc;
    int crit = -1;

    (void)state;
    assert_non_null(fp);
    x = PEM_read_X509(fp, NULL, NULL, NULL);
    fclose(fp);
    assert_non_null(x);
    assert_int_equal(X509_get_version(x), X509_VERSION_3);
    assert_int_equal(X509_get_signature_nid(x), NID_sha256WithRSAEncryption);
    assert_int_equal(EVP_PKEY_get_bits(X509_get0_pubkey(x)), 2048);
    bc = X509_get_ext_d2i(x, NID_basic_constraints, &crit, NULL);
    assert_non_null(bc);
    assert_false(bc->ca);
    BASIC_CONSTRAINTS_free(bc);
    assert_true(X509_get_key_usage(x) & KU_DIGITAL_SIGNATURE);
    assert_true(X509_get_key_usage(x) & KU_KEY_ENCIPHERMENT);
    assert_true(X509_get_extended_key_usage(x) & XKU_SSL_SERVER);
    assert_true(X509_get_extended_key_usage(x) & XKU_SSL_CLIENT);
    assert_int_equal(X509_self_signed(x, 1), 1);
    X509_free(x);
}

static void test_generate_refuses_to_overwrite(void **state)
{
    char err[256];
    char *dir = subdir("overwrite");
    char *cert = path_in(dir, "a.example.crt");
    char *key = path_in(dir, "a.example.key");

    (void)state;
    generate("a.example", cert, key, 30);
    assert_int_equal(tls_cert_generate("a.example", cert, key, 30, false, err, sizeof(err)),
                     -EEXIST);
    assert_non_null(strstr(err, "already exists"));
    /* A key alone in the way is enough to refuse. */
    assert_int_equal(unlink(cert), 0);
    assert_int_equal(tls_cert_generate("a.example", cert, key, 30, false, err, sizeof(err)),
                     -EEXIST);
    assert_int_equal(tls_cert_generate("a.example", cert, key, 30, true, err, sizeof(err)), 0);
    free(cert);
    free(key);
    free(dir);
}

static void test_generate_creates_directories(void **state)
{
    char *dir = path_in(fx.dir, "deep/er/certs");
    char *cert = path_in(dir, "b.example.crt");
    char *key = path_in(dir, "b.example.key");
    struct tls_cert_findings f;

    (void)state;
    generate("b.example", cert, key, 30);
    assert_int_equal(tls_cert_inspect(cert, key, "b.example", time(NULL), 7, &f), 0);
    assert_int_equal(f.count, 0);
    free(cert);
    free(key);
    free(dir);
}

static void test_generate_rejects_bad_arguments(void **state)
{
    static const char *const bad_hosts[] = {
        "",           "exa,mple.org", "*.example.org", "example.org.", ".example.org", "a..b",
        "-a.example", "a-.example",   "127.0.0.1",     "exa mple.org", "../etc",
    };
    char err[256];
    char *cert = path_in(fx.dir, "never.crt");
    char *key = path_in(fx.dir, "never.key");

    (void)state;
    for (size_t i = 0; i < sizeof(bad_hosts) / sizeof(bad_hosts[0]); i++) {
        int rc = tls_cert_generate(bad_hosts[i], cert, key, 30, false, err, sizeof(err));
        if (rc != -EINVAL) {
            fail_msg("host \"%s\" gave %d", bad_hosts[i], rc);
        }
    }
    assert_int_equal(tls_cert_generate("ok.example", cert, key, 0, false, err, sizeof(err)),
                     -EINVAL);
    assert_non_null(strstr(err, "days"));
    assert_int_equal(tls_cert_generate("ok.example", cert, cert, 30, false, err, sizeof(err)),
                     -EINVAL);
    assert_int_equal(access(cert, F_OK), -1);
    assert_int_equal(access(key, F_OK), -1);
    free(cert);
    free(key);
}

/* ---- inspection ------------------------------------------------------- */

static void test_key_of_another_certificate(void **state)
{
    struct tls_cert_findings f;
    const struct tls_cert_finding *item;

    (void)state;
    tls_cert_inspect(fx.cert, fx.other_key, "example.org", time(NULL), 30, &f);
    item = expect_only(&f, TLS_CERT_KEY_MISMATCH, TLS_CERT_ERROR);
    assert_true(item->about_key);
    assert_non_null(strstr(item->message, "does not belong"));
}

static void test_host_not_covered(void **state)
{
    struct tls_cert_findings f;
    const struct tls_cert_finding *item;

    (void)state;
    tls_cert_inspect(fx.cert, fx.key, "example.net", time(NULL), 30, &f);
    item = expect_only(&f, TLS_CERT_HOST_MISMATCH, TLS_CERT_ERROR);
    assert_false(item->about_key);
    assert_string_equal(item->message,
                        "certificate does not cover example.net; it covers example.org, "
                        "*.example.org");
}

static void test_subdomain_covered_by_wildcard(void **state)
{
    struct tls_cert_findings f;

    (void)state;
    tls_cert_inspect(fx.cert, fx.key, "muc.example.org", time(NULL), 30, &f);
    assert_int_equal(f.count, 0);
    /* A wildcard stands for one label only (RFC 6125 §6.4.3). */
    tls_cert_inspect(fx.cert, fx.key, "rooms.muc.example.org", time(NULL), 30, &f);
    expect_only(&f, TLS_CERT_HOST_MISMATCH, TLS_CERT_ERROR);
    /* Nor does a certificate for example.org cover notexample.org. */
    tls_cert_inspect(fx.cert, fx.key, "notexample.org", time(NULL), 30, &f);
    expect_only(&f, TLS_CERT_HOST_MISMATCH, TLS_CERT_ERROR);
}

static void test_no_host_skips_coverage(void **state)
{
    struct tls_cert_findings f;

    (void)state;
    tls_cert_inspect(fx.cert, fx.key, NULL, time(NULL), 30, &f);
    assert_int_equal(f.count, 0);
}

static void test_expired(void **state)
{
    char *cert = path_in(fx.dir, "short.example.crt");
    char *key = path_in(fx.dir, "short.example.key");
    struct tls_cert_findings f;
    const struct tls_cert_finding *item;

    (void)state;
    generate("short.example", cert, key, 1);
    tls_cert_inspect(cert, key, "short.example", time(NULL) + 3 * DAY, 30, &f);
    item = expect_only(&f, TLS_CERT_EXPIRED, TLS_CERT_ERROR);
    assert_non_null(strstr(item->message, "expired on "));
    assert_non_null(strstr(item->message, "(2 days ago)"));
    free(cert);
    free(key);
}

static void test_expiring_soon(void **state)
{
    char *cert = path_in(fx.dir, "soon.example.crt");
    char *key = path_in(fx.dir, "soon.example.key");
    struct tls_cert_findings f;
    const struct tls_cert_finding *item;
    time_t now;

    (void)state;
    generate("soon.example", cert, key, 20);
    /* After generating: the certificate is not valid before that second. */
    now = time(NULL);
    /* Five and a half days before expiry. */
    tls_cert_inspect(cert, key, "soon.example", now + 14 * DAY + DAY / 2, 30, &f);
    item = expect_only(&f, TLS_CERT_EXPIRING, TLS_CERT_WARNING);
    assert_non_null(strstr(item->message, "expires in 5 days"));
    /* Outside the warning window: clean. */
    tls_cert_inspect(cert, key, "soon.example", now, 7, &f);
    assert_int_equal(f.count, 0);
    /* warn_days 0 disables the warning... */
    tls_cert_inspect(cert, key, "soon.example", now + 14 * DAY + DAY / 2, 0, &f);
    assert_int_equal(f.count, 0);
    /* ...but not the error on the last day. */
    tls_cert_inspect(cert, key, "soon.example", now + 20 * DAY - 3600, 0, &f);
    item = expect_only(&f, TLS_CERT_EXPIRING, TLS_CERT_ERROR);
    assert_non_null(strstr(item->message, "less than a day"));
    free(cert);
    free(key);
}

static void test_not_yet_valid(void **state)
{
    struct tls_cert_findings f;
    const struct tls_cert_finding *item;

    (void)state;
    tls_cert_inspect(fx.cert, fx.key, "example.org", time(NULL) - 2 * DAY - 60, 30, &f);
    item = expect_only(&f, TLS_CERT_NOT_YET_VALID, TLS_CERT_ERROR);
    assert_non_null(strstr(item->message, "clock"));
}

static void test_missing_files(void **state)
{
    char *nothing = path_in(fx.dir, "nothing.crt");
    struct tls_cert_findings f;

    (void)state;
    tls_cert_inspect(nothing, fx.key, "example.org", time(NULL), 30, &f);
    expect_only(&f, TLS_CERT_CERT_MISSING, TLS_CERT_ERROR);
    assert_string_equal(f.items[0].message, "certificate file does not exist");

    tls_cert_inspect(fx.cert, nothing, "example.org", time(NULL), 30, &f);
    expect_only(&f, TLS_CERT_KEY_MISSING, TLS_CERT_ERROR);
    assert_true(f.items[0].about_key);

    tls_cert_inspect(nothing, nothing, "example.org", time(NULL), 30, &f);
    assert_int_equal(f.count, 2);
    assert_int_equal(f.errors, 2);
    free(nothing);
}

static void test_unreadable_files(void **state)
{
    char *dir = subdir("a-directory.crt");
    char *locked = path_in(fx.dir, "locked.key");
    char *big = path_in(fx.dir, "big.crt");
    struct tls_cert_findings f;
    FILE *fp;

    (void)state;
    tls_cert_inspect(dir, fx.key, "example.org", time(NULL), 30, &f);
    expect_only(&f, TLS_CERT_CERT_UNREADABLE, TLS_CERT_ERROR);
    assert_non_null(strstr(f.items[0].message, "is a directory"));

    fp = fopen(big, "w");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, 2 * 1024 * 1024, SEEK_SET), 0);
    fputc('x', fp);
    fclose(fp);
    tls_cert_inspect(big, fx.key, "example.org", time(NULL), 30, &f);
    expect_only(&f, TLS_CERT_CERT_UNREADABLE, TLS_CERT_ERROR);

    /* Permissions do not stop root, who runs many test suites. */
    if (geteuid() != 0) {
        copy_file(fx.key, locked);
        assert_int_equal(chmod(locked, 0), 0);
        tls_cert_inspect(fx.cert, locked, "example.org", time(NULL), 30, &f);
        expect_only(&f, TLS_CERT_KEY_UNREADABLE, TLS_CERT_ERROR);
        assert_non_null(strstr(f.items[0].message, "permission denied"));
    }
    free(dir);
    free(locked);
    free(big);
}

static void test_garbage(void **state)
{
    char *junk = path_in(fx.dir, "junk.pem");
    char *broken = path_in(fx.dir, "broken.pem");
    struct tls_cert_findings f;

    (void)state;
    write_text(junk, "this is not a certificate\n");
    tls_cert_inspect(junk, fx.key, "example.org", time(NULL), 30, &f);
    expect_only(&f, TLS_CERT_CERT_INVALID, TLS_CERT_ERROR);
    assert_non_null(strstr(f.items[0].message, "not a PEM file"));

    tls_cert_inspect(fx.cert, junk, "example.org", time(NULL), 30, &f);
    expect_only(&f, TLS_CERT_KEY_INVALID, TLS_CERT_ERROR);

    write_text(broken,
               "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n");
    tls_cert_inspect(broken, fx.key, "example.org", time(NULL), 30, &f);
    expect_only(&f, TLS_CERT_CERT_INVALID, TLS_CERT_ERROR);
    assert_non_null(strstr(f.items[0].message, "cannot be parsed"));

    /* The files swapped: a key where the certificate goes and back. */
    tls_cert_inspect(fx.key, fx.cert, "example.org", time(NULL), 30, &f);
    assert_int_equal(f.count, 2);
    assert_non_null(strstr(find_code(&f, TLS_CERT_CERT_INVALID)->message,
                           "its first block is \"PRIVATE KEY\""));
    assert_non_null(
        strstr(find_code(&f, TLS_CERT_KEY_INVALID)->message, "its first block is \"CERTIFICATE\""));
    free(junk);
    free(broken);
}

static void test_der_certificate(void **state)
{
    char *der = path_in(fx.dir, "example.der");
    FILE *in = fopen(fx.cert, "r");
    FILE *out = fopen(der, "wb");
    X509 *x;
    struct tls_cert_findings f;

    (void)state;
    assert_non_null(in);
    assert_non_null(out);
    x = PEM_read_X509(in, NULL, NULL, NULL);
    assert_non_null(x);
    assert_int_equal(i2d_X509_fp(out, x), 1);
    fclose(in);
    fclose(out);
    X509_free(x);
    tls_cert_inspect(der, fx.key, "example.org", time(NULL), 30, &f);
    expect_only(&f, TLS_CERT_CERT_INVALID, TLS_CERT_ERROR);
    assert_non_null(strstr(f.items[0].message, "DER"));
    free(der);
}

static EVP_PKEY *read_key(const char *path)
{
    FILE *fp = fopen(path, "r");
    EVP_PKEY *key;

    assert_non_null(fp);
    key = PEM_read_PrivateKey(fp, NULL, NULL, NULL);
    fclose(fp);
    assert_non_null(key);
    return key;
}

static void test_encrypted_key(void **state)
{
    char *enc = path_in(fx.dir, "encrypted.key");
    EVP_PKEY *key = read_key(fx.key);
    FILE *fp = fopen(enc, "w");
    struct tls_cert_findings f;

    (void)state;
    assert_non_null(fp);
    assert_int_equal(
        PEM_write_PKCS8PrivateKey(fp, key, EVP_aes_256_cbc(), NULL, 0, NULL, (void *)"secret"), 1);
    fclose(fp);
    EVP_PKEY_free(key);
    tls_cert_inspect(fx.cert, enc, "example.org", time(NULL), 30, &f);
    expect_only(&f, TLS_CERT_KEY_ENCRYPTED, TLS_CERT_ERROR);
    assert_non_null(strstr(f.items[0].message, "passphrase"));
    free(enc);
}

static void test_world_readable_key(void **state)
{
    char *open_key = path_in(fx.dir, "open.key");
    struct tls_cert_findings f;

    (void)state;
    copy_file(fx.key, open_key);
    assert_int_equal(chmod(open_key, 0644), 0);
    tls_cert_inspect(fx.cert, open_key, "example.org", time(NULL), 30, &f);
    expect_only(&f, TLS_CERT_KEY_EXPOSED, TLS_CERT_WARNING);
    assert_non_null(strstr(f.items[0].message, "0644"));
    free(open_key);
}

/* Writes a certificate for CN=`cn` with a fresh RSA key of `bits`, signed
 * with SHA-256 under issuer CN=`issuer` (the subject when NULL), with a
 * subjectAltName in OpenSSL's configuration syntax when `san` is set. */
static void write_custom_cert_san(const char *cert_path, const char *key_path, const char *cn,
                                  const char *issuer, int bits, const char *san)
{
    EVP_PKEY *key = EVP_RSA_gen((unsigned)bits);
    X509 *x = X509_new();
    X509_NAME *subject = X509_NAME_new();
    X509_NAME *iss = X509_NAME_new();
    FILE *fp;

    assert_non_null(key);
    X509_set_version(x, X509_VERSION_3);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
    X509_gmtime_adj(X509_getm_notBefore(x), 0);
    X509_gmtime_adj(X509_getm_notAfter(x), 90L * DAY);
    X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0);
    X509_NAME_add_entry_by_txt(iss, "CN", MBSTRING_UTF8,
                               (const unsigned char *)(issuer != NULL ? issuer : cn), -1, -1, 0);
    X509_set_subject_name(x, subject);
    X509_set_issuer_name(x, iss);
    X509_set_pubkey(x, key);
    if (san != NULL) {
        X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, NULL, NID_subject_alt_name, san);
        assert_non_null(ext);
        assert_int_equal(X509_add_ext(x, ext, -1), 1);
        X509_EXTENSION_free(ext);
    }
    assert_true(X509_sign(x, key, EVP_sha256()) > 0);
    fp = fopen(cert_path, "w");
    PEM_write_X509(fp, x);
    fclose(fp);
    fp = fopen(key_path, "w");
    PEM_write_PrivateKey(fp, key, NULL, NULL, 0, NULL, NULL);
    fclose(fp);
    chmod(key_path, 0600);
    X509_NAME_free(subject);
    X509_NAME_free(iss);
    X509_free(x);
    EVP_PKEY_free(key);
}

static void write_custom_cert(const char *cert_path, const char *key_path, const char *cn,
                              const char *issuer, int bits)
{
    write_custom_cert_san(cert_path, key_path, cn, issuer, bits, NULL);
}

/* RFC 6120 §13.7.1.2: an XMPP peer also accepts id-on-xmppAddr and
 * SRVName identities, and the common name when there is no DNS name. */
static void test_xmpp_identities(void **state)
{
    char *cert = path_in(fx.dir, "xmpp-ids.crt");
    char *key = path_in(fx.dir, "xmpp-ids.key");
    struct tls_cert_findings f;

    (void)state;
    write_custom_cert_san(cert, key, "cn.example", NULL, 2048,
                          "otherName:1.3.6.1.5.5.7.8.5;UTF8:xmpp.example,"
                          "otherName:1.3.6.1.5.5.7.8.7;IA5:_xmpp-server.srv.example");
    tls_cert_inspect(cert, key, "xmpp.example", time(NULL), 30, &f);
    assert_int_equal(f.count, 0);
    tls_cert_inspect(cert, key, "srv.example", time(NULL), 30, &f);
    assert_int_equal(f.count, 0);
    tls_cert_inspect(cert, key, "cn.example", time(NULL), 30, &f);
    assert_int_equal(f.count, 0);
    tls_cert_inspect(cert, key, "other.example", time(NULL), 30, &f);
    expect_only(&f, TLS_CERT_HOST_MISMATCH, TLS_CERT_ERROR);
    assert_string_equal(f.names,
                        "xmppAddr:xmpp.example, SRVName:_xmpp-server.srv.example, cn.example");
    free(cert);
    free(key);
}

static void test_weak_key(void **state)
{
    char *cert = path_in(fx.dir, "weak.crt");
    char *key = path_in(fx.dir, "weak.key");
    struct tls_cert_findings f;

    (void)state;
    write_custom_cert(cert, key, "weak.example", NULL, 1024);
    tls_cert_inspect(cert, key, "weak.example", time(NULL), 30, &f);
    expect_only(&f, TLS_CERT_WEAK_KEY, TLS_CERT_WARNING);
    assert_non_null(strstr(f.items[0].message, "1024-bit RSA"));
    /* With no DNS names, the common name is what the certificate covers. */
    assert_string_equal(f.names, "weak.example");
    free(cert);
    free(key);
}

static void test_missing_chain(void **state)
{
    char *cert = path_in(fx.dir, "leaf.crt");
    char *key = path_in(fx.dir, "leaf.key");
    char *chain = path_in(fx.dir, "leaf-chain.crt");
    char *text = NULL;
    struct tls_cert_findings f;
    FILE *fp;
    long len;

    (void)state;
    write_custom_cert(cert, key, "leaf.example", "Example Issuing CA", 2048);
    tls_cert_inspect(cert, key, "leaf.example", time(NULL), 30, &f);
    expect_only(&f, TLS_CERT_CHAIN_INCOMPLETE, TLS_CERT_WARNING);
    assert_non_null(strstr(f.items[0].message, "Example Issuing CA"));

    /* The same certificate followed by another one is a chain. */
    fp = fopen(cert, "r");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    len = ftell(fp);
    rewind(fp);
    text = calloc(1, (size_t)len + 1);
    assert_int_equal(fread(text, 1, (size_t)len, fp), (size_t)len);
    fclose(fp);
    write_text(chain, text);
    fp = fopen(chain, "a");
    fputs(text, fp);
    fclose(fp);
    tls_cert_inspect(chain, key, "leaf.example", time(NULL), 30, &f);
    assert_int_equal(f.count, 0);
    free(text);
    free(cert);
    free(key);
    free(chain);
}

static void test_combined_pem(void **state)
{
    char *pem = path_in(fx.dir, "combined.pem");
    char *key_text = NULL;
    size_t n = 0;
    FILE *in;
    FILE *out;
    struct tls_cert_findings f;

    (void)state;
    copy_file(fx.cert, pem);
    in = fopen(fx.key, "r");
    out = fopen(pem, "a");
    assert_non_null(in);
    assert_non_null(out);
    assert_int_equal(getdelim(&key_text, &n, '\0', in) > 0, 1);
    fputs(key_text, out);
    fclose(in);
    fclose(out);
    chmod(pem, 0600);
    tls_cert_inspect(pem, NULL, "example.org", time(NULL), 30, &f);
    assert_int_equal(f.count, 0);
    free(key_text);
    free(pem);
}

static void test_inspect_bad_arguments(void **state)
{
    struct tls_cert_findings f;

    (void)state;
    assert_int_equal(tls_cert_inspect(NULL, fx.key, "example.org", time(NULL), 30, &f), -EINVAL);
    assert_int_equal(tls_cert_inspect(fx.cert, fx.key, "example.org", time(NULL), 30, NULL),
                     -EINVAL);
}

/* ---- lookup ----------------------------------------------------------- */

static void expect_located(const char *dir, const char *host, const char *cert_rel,
                           const char *key_rel)
{
    char *cert = NULL;
    char *key = NULL;
    char *want_cert = path_in(dir, cert_rel);
    char *want_key = path_in(dir, key_rel);
    int rc = tls_cert_locate(dir, host, time(NULL), &cert, &key);

    if (rc != 0) {
        fail_msg("locate %s in %s: %d, wanted %s", host, dir, rc, cert_rel);
    }
    assert_string_equal(cert, want_cert);
    assert_string_equal(key, want_key);
    free(cert);
    free(key);
    free(want_cert);
    free(want_key);
}

static void expect_not_located(const char *dir, const char *host)
{
    char *cert = NULL;
    char *key = NULL;
    int rc = tls_cert_locate(dir, host, time(NULL), &cert, &key);

    if (rc != -ENOENT) {
        fail_msg("locate %s in %s: %d (%s), wanted -ENOENT", host, dir, rc, cert ? cert : "-");
    }
    assert_null(cert);
    assert_null(key);
}

/* Puts the example.org pair at <dir>/<cert_rel> and <dir>/<key_rel>. */
static void place(const char *dir, const char *cert_rel, const char *key_rel)
{
    char *cert = path_in(dir, cert_rel);
    char *key = path_in(dir, key_rel);
    char *slash;

    /* mkdir -p of the certificate's folder, one level at a time. */
    for (slash = strchr(cert + strlen(dir) + 1, '/'); slash != NULL;
         slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        mkdir(cert, 0755);
        *slash = '/';
    }
    copy_file(fx.cert, cert);
    copy_file(fx.key, key);
    free(cert);
    free(key);
}

static void test_lookup_order(void **state)
{
    char *dir = subdir("order");
    char *p;

    (void)state;
    expect_not_located(dir, "example.org");

    place(dir, "live/example.org/fullchain.pem", "live/example.org/privkey.pem");
    expect_located(dir, "example.org", "live/example.org/fullchain.pem",
                   "live/example.org/privkey.pem");

    place(dir, "example.org/fullchain.pem", "example.org/privkey.pem");
    expect_located(dir, "example.org", "example.org/fullchain.pem", "example.org/privkey.pem");

    place(dir, "example.org.crt", "example.org.key");
    expect_located(dir, "example.org", "example.org.crt", "example.org.key");

    /* A certificate without its key is passed over. */
    p = path_in(dir, "example.org.key");
    assert_int_equal(unlink(p), 0);
    free(p);
    expect_located(dir, "example.org", "example.org/fullchain.pem", "example.org/privkey.pem");
    free(dir);
}

static void test_lookup_combined_pem(void **state)
{
    char *dir = subdir("combined");
    char *pem = path_in(dir, "example.org.pem");

    (void)state;
    copy_file(fx.cert, pem);
    expect_located(dir, "example.org", "example.org.pem", "example.org.pem");
    free(pem);
    free(dir);
}

static void test_lookup_parent_domain(void **state)
{
    char *dir = subdir("parent");

    (void)state;
    place(dir, "example.org.crt", "example.org.key");
    expect_located(dir, "muc.example.org", "example.org.crt", "example.org.key");
    /* The wildcard does not reach two labels down: not taken. */
    expect_not_located(dir, "a.muc.example.org");
    /* A component with a certificate of its own keeps it. */
    place(dir, "muc.example.org.crt", "muc.example.org.key");
    expect_located(dir, "muc.example.org", "muc.example.org.crt", "muc.example.org.key");
    free(dir);
}

static void test_lookup_scan(void **state)
{
    char *dir = subdir("scan");
    char *old_cert = path_in(fx.dir, "old.example.org.crt");
    char *old_key = path_in(fx.dir, "old.example.org.key");
    char *p;
    char *q;

    (void)state;
    /* Neither file is named after the host: found by what it covers. */
    place(dir, "wildcard/fullchain-2024.pem", "wildcard/privkey-2024.pem");
    expect_located(dir, "upload.example.org", "wildcard/fullchain-2024.pem",
                   "wildcard/privkey-2024.pem");
    /* An exact name beats a wildcard, even one that lasts longer and
     * sorts first. */
    p = path_in(dir, "zz-upload.crt");
    q = path_in(dir, "zz-upload.key");
    generate("upload.example.org", p, q, 30);
    free(p);
    free(q);
    expect_located(dir, "upload.example.org", "zz-upload.crt", "zz-upload.key");
    /* Other certificates are not taken for a host they do not cover. */
    expect_not_located(dir, "example.net");
    /* Hidden folders are not searched. */
    p = path_in(dir, ".hidden");
    mkdir(p, 0755);
    free(p);
    p = path_in(dir, ".hidden/other.crt");
    copy_file(fx.other_cert, p);
    free(p);
    p = path_in(dir, ".hidden/other.key");
    copy_file(fx.other_key, p);
    free(p);
    expect_not_located(dir, "other.org");
    /* Expired certificates are passed over. */
    generate("expired.example.net", old_cert, old_key, 1);
    p = path_in(dir, "x");
    mkdir(p, 0755);
    free(p);
    p = path_in(dir, "x/expired.crt");
    copy_file(old_cert, p);
    free(p);
    p = path_in(dir, "x/expired.key");
    copy_file(old_key, p);
    free(p);
    {
        char *cert = NULL;
        char *key = NULL;
        assert_int_equal(tls_cert_locate(dir, "expired.example.net", time(NULL), &cert, &key), 0);
        free(cert);
        free(key);
        assert_int_equal(
            tls_cert_locate(dir, "expired.example.net", time(NULL) + 3 * DAY, &cert, &key),
            -ENOENT);
    }
    free(old_cert);
    free(old_key);
    free(dir);
}

static void test_lookup_bad_arguments(void **state)
{
    char *cert = NULL;
    char *key = NULL;
    char *missing = path_in(fx.dir, "no-such-dir");

    (void)state;
    assert_int_equal(tls_cert_locate(fx.dir, "../example.org", time(NULL), &cert, &key), -EINVAL);
    assert_int_equal(tls_cert_locate(fx.dir, "a/b", time(NULL), &cert, &key), -EINVAL);
    assert_int_equal(tls_cert_locate(fx.dir, "", time(NULL), &cert, &key), -EINVAL);
    assert_int_equal(tls_cert_locate(NULL, "example.org", time(NULL), &cert, &key), -EINVAL);
    expect_not_located(missing, "example.org");
    free(missing);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generated_pair_is_clean),
        cmocka_unit_test(test_generated_certificate_fields),
        cmocka_unit_test(test_generate_refuses_to_overwrite),
        cmocka_unit_test(test_generate_creates_directories),
        cmocka_unit_test(test_generate_rejects_bad_arguments),
        cmocka_unit_test(test_key_of_another_certificate),
        cmocka_unit_test(test_host_not_covered),
        cmocka_unit_test(test_subdomain_covered_by_wildcard),
        cmocka_unit_test(test_no_host_skips_coverage),
        cmocka_unit_test(test_expired),
        cmocka_unit_test(test_expiring_soon),
        cmocka_unit_test(test_not_yet_valid),
        cmocka_unit_test(test_missing_files),
        cmocka_unit_test(test_unreadable_files),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_der_certificate),
        cmocka_unit_test(test_encrypted_key),
        cmocka_unit_test(test_world_readable_key),
        cmocka_unit_test(test_xmpp_identities),
        cmocka_unit_test(test_weak_key),
        cmocka_unit_test(test_missing_chain),
        cmocka_unit_test(test_combined_pem),
        cmocka_unit_test(test_inspect_bad_arguments),
        cmocka_unit_test(test_lookup_order),
        cmocka_unit_test(test_lookup_combined_pem),
        cmocka_unit_test(test_lookup_parent_domain),
        cmocka_unit_test(test_lookup_scan),
        cmocka_unit_test(test_lookup_bad_arguments),
    };

    return cmocka_run_group_tests_name("net/tls_cert", tests, group_setup, group_teardown);
}
