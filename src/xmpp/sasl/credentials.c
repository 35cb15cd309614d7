/*
 * SCRAM credentials: derivation (RFC 5802 §3), fake credentials for
 * unknown users (RFC 5802 §9), storage form; see credentials.h.
 */
#include "xmpp/sasl/credentials.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "strata/errors.h"
#include "util/base64.h"
#include "xmpp/sasl/saslprep.h"

static const EVP_MD *md_of(enum scram_hash hash)
{
    return hash == SCRAM_SHA_1 ? EVP_sha1() : EVP_sha256();
}

void scram__hmac(enum scram_hash hash, const void *key, size_t key_len, const void *data,
                 size_t len, unsigned char *out)
{
    unsigned int out_len = 0;
    /* Failure here means OpenSSL itself is broken (no memory, no
     * provider): nothing sensible can continue. */
    if (HMAC(md_of(hash), key, (int)key_len, data, len, out, &out_len) == NULL) {
        abort();
    }
}

void scram__digest(enum scram_hash hash, const void *data, size_t len, unsigned char *out)
{
    if (EVP_Digest(data, len, out, NULL, md_of(hash), NULL) != 1) {
        abort();
    }
}

static bool bounds_ok(enum scram_hash hash, size_t salt_len, unsigned iterations)
{
    return (unsigned)hash < SCRAM_HASH_COUNT && salt_len >= SCRAM_SALT_MIN &&
           salt_len <= SCRAM_SALT_MAX && iterations >= SCRAM_ITERATIONS_MIN &&
           iterations <= SCRAM_ITERATIONS_MAX;
}

/* RFC 5802 §3: SaltedPassword := Hi(Normalize(password), salt, i), which is
 * PBKDF2 with HMAC (RFC 2898 §5.2) and one block of output; then
 * ClientKey := HMAC(SaltedPassword, "Client Key"), StoredKey := H(ClientKey),
 * ServerKey := HMAC(SaltedPassword, "Server Key"). `prepared` is already
 * through SASLprep. */
static int derive_prepared(enum scram_hash hash, const char *prepared, const unsigned char *salt,
                           size_t salt_len, unsigned iterations, struct scram_credentials *out)
{
    size_t n = scram_hash_size(hash);
    unsigned char salted[SCRAM_HASH_MAX];
    unsigned char client_key[SCRAM_HASH_MAX];
    int rc = STRATA_EINTERNAL;
    memset(out, 0, sizeof(*out));
    if (PKCS5_PBKDF2_HMAC(prepared, (int)strlen(prepared), salt, (int)salt_len, (int)iterations,
                          md_of(hash), (int)n, salted) != 1) {
        goto fail;
    }
    scram__hmac(hash, salted, n, "Client Key", 10, client_key);
    scram__digest(hash, client_key, n, out->stored_key);
    scram__hmac(hash, salted, n, "Server Key", 10, out->server_key);
    out->hash = hash;
    out->iterations = iterations;
    out->salt_len = salt_len;
    memcpy(out->salt, salt, salt_len);
    rc = 0;
fail:
    OPENSSL_cleanse(salted, sizeof(salted));
    OPENSSL_cleanse(client_key, sizeof(client_key));
    return rc;
}

/* SASLprep then derive; `mode` is STORED when setting, QUERY when checking. */
static int derive(enum scram_hash hash, const char *password, size_t len, enum saslprep_mode mode,
                  const unsigned char *salt, size_t salt_len, unsigned iterations,
                  struct scram_credentials *out)
{
    char *prepared = NULL;
    int rc;
    if (len > SCRAM_PASSWORD_MAX) {
        return STRATA_ELIMIT;
    }
    if (!bounds_ok(hash, salt_len, iterations)) {
        return STRATA_EINVAL;
    }
    rc = saslprep(password, len, mode, &prepared);
    if (rc < 0) {
        goto fail;
    }
    rc = derive_prepared(hash, prepared, salt, salt_len, iterations, out);
fail:
    if (prepared != NULL) {
        OPENSSL_cleanse(prepared, strlen(prepared));
        free(prepared);
    }
    return rc;
}

int scram_credentials_derive(enum scram_hash hash, const char *password, size_t len,
                             const unsigned char *salt, size_t salt_len, unsigned iterations,
                             struct scram_credentials *out)
{
    return derive(hash, password, len, SASLPREP_STORED, salt, salt_len, iterations, out);
}

int scram_credentials_generate(enum scram_hash hash, const char *password, size_t len,
                               unsigned iterations, struct scram_credentials *out)
{
    unsigned char salt[SCRAM_SALT_LEN];
    if (RAND_bytes(salt, sizeof(salt)) != 1) {
        return STRATA_EINTERNAL;
    }
    return derive(hash, password, len, SASLPREP_STORED, salt, sizeof(salt), iterations, out);
}

int scram_credentials_generate_all(const char *password, size_t len, unsigned iterations,
                                   struct scram_credentials out[SCRAM_HASH_COUNT])
{
    for (int h = 0; h < SCRAM_HASH_COUNT; h++) {
        int rc = scram_credentials_generate((enum scram_hash)h, password, len, iterations, &out[h]);
        if (rc < 0) {
            return rc;
        }
    }
    return 0;
}

int scram_credentials_verify_password(const struct scram_credentials *creds, const char *password,
                                      size_t len)
{
    struct scram_credentials tried;
    memset(&tried, 0, sizeof(tried));
    if (!bounds_ok(creds->hash, creds->salt_len, creds->iterations)) {
        return STRATA_EINVAL;
    }
    /* A password SASLprep refuses, or too long, cannot be the right one:
     * it could not have been set. */
    int rc = derive(creds->hash, password, len, SASLPREP_QUERY, creds->salt, creds->salt_len,
                    creds->iterations, &tried);
    if (rc < 0) {
        rc = STRATA_EAUTH;
        goto fail;
    }
    size_t n = scram_hash_size(creds->hash);
    /* SECURITY: constant time, so the response time says nothing about how
     * many leading bytes matched. */
    bool match = CRYPTO_memcmp(tried.stored_key, creds->stored_key, n) == 0;
    rc = match && !creds->fake ? 0 : STRATA_EAUTH;
fail:
    scram_credentials_wipe(&tried);
    return rc;
}

/* HMAC-SHA-256(secret, label NUL hash-name NUL username), cut to `n` bytes. */
static void fake_field(const unsigned char *secret, size_t secret_len, const char *label,
                       enum scram_hash hash, const char *username, unsigned char *out, size_t n)
{
    struct strbuf msg = STRBUF_INIT;
    unsigned char mac[32];
    strbuf_adds(&msg, label);
    strbuf_add(&msg, "", 1);
    strbuf_adds(&msg, scram_hash_name(hash));
    strbuf_add(&msg, "", 1);
    strbuf_adds(&msg, username);
    scram__hmac(SCRAM_SHA_256, secret, secret_len, msg.ptr, msg.len, mac);
    memcpy(out, mac, n < sizeof(mac) ? n : sizeof(mac));
    strbuf_release(&msg);
}

void scram_credentials_fake(enum scram_hash hash, const unsigned char *secret, size_t secret_len,
                            const char *username, unsigned iterations,
                            struct scram_credentials *out)
{
    size_t n = scram_hash_size(hash);
    memset(out, 0, sizeof(*out));
    out->hash = hash;
    out->iterations = iterations;
    out->salt_len = SCRAM_SALT_LEN;
    out->fake = true;
    fake_field(secret, secret_len, "salt", hash, username, out->salt, SCRAM_SALT_LEN);
    fake_field(secret, secret_len, "stored-key", hash, username, out->stored_key, n);
    fake_field(secret, secret_len, "server-key", hash, username, out->server_key, n);
}

static void add_base64(struct strbuf *out, const unsigned char *data, size_t len)
{
    char *text = base64_encode_new(data, len);
    strbuf_adds(out, text);
    free(text);
}

int scram_credentials_format(const struct scram_credentials *creds, struct strbuf *out)
{
    if (creds->fake || !bounds_ok(creds->hash, creds->salt_len, creds->iterations)) {
        return STRATA_EINVAL;
    }
    size_t n = scram_hash_size(creds->hash);
    strbuf_addf(out, "%s$%u$", scram_hash_name(creds->hash), creds->iterations);
    add_base64(out, creds->salt, creds->salt_len);
    strbuf_adds(out, "$");
    add_base64(out, creds->stored_key, n);
    strbuf_adds(out, "$");
    add_base64(out, creds->server_key, n);
    return 0;
}

/* Splits `text` at '$' into exactly `want` fields. */
static int split_fields(const char *text, size_t len, const char **field, size_t *flen, size_t want)
{
    size_t k = 0;
    const char *start = text;
    for (const char *p = text; p <= text + len; p++) {
        if (p == text + len || *p == '$') {
            if (k == want) {
                return STRATA_EINVAL;
            }
            field[k] = start;
            flen[k++] = (size_t)(p - start);
            start = p + 1;
        }
    }
    return k == want ? 0 : STRATA_EINVAL;
}

/* A decimal count without sign, leading zeros or trailing garbage. */
static int parse_iterations(const char *s, size_t len, unsigned *out)
{
    unsigned long v = 0;
    if (len == 0 || len > 7 || s[0] == '0') {
        return STRATA_EINVAL;
    }
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return STRATA_EINVAL;
        }
        v = v * 10 + (unsigned long)(s[i] - '0');
    }
    *out = (unsigned)v;
    return 0;
}

static int parse_hash(const char *s, size_t len, enum scram_hash *out)
{
    for (int h = 0; h < SCRAM_HASH_COUNT; h++) {
        const char *name = scram_hash_name((enum scram_hash)h);
        if (strlen(name) == len && memcmp(name, s, len) == 0) {
            *out = (enum scram_hash)h;
            return 0;
        }
    }
    return STRATA_EINVAL;
}

/* Decodes a base64 field that must be exactly `want` bytes. */
static int decode_exact(const char *s, size_t len, unsigned char *out, size_t want)
{
    size_t got = 0;
    if (base64_decode(s, len, out, want, &got) < 0 || got != want) {
        return STRATA_EINVAL;
    }
    return 0;
}

int scram_credentials_parse(const char *text, size_t len, struct scram_credentials *out)
{
    const char *f[5];
    size_t fl[5];
    struct scram_credentials c;
    int rc = STRATA_EINVAL;
    memset(&c, 0, sizeof(c));
    if (len > SCRAM_CREDENTIALS_TEXT_MAX) {
        return STRATA_ELIMIT;
    }
    if (split_fields(text, len, f, fl, 5) < 0 || parse_hash(f[0], fl[0], &c.hash) < 0 ||
        parse_iterations(f[1], fl[1], &c.iterations) < 0) {
        goto fail;
    }
    if (base64_decode(f[2], fl[2], c.salt, sizeof(c.salt), &c.salt_len) < 0) {
        goto fail;
    }
    if (!bounds_ok(c.hash, c.salt_len, c.iterations)) {
        goto fail;
    }
    size_t n = scram_hash_size(c.hash);
    if (decode_exact(f[3], fl[3], c.stored_key, n) < 0 ||
        decode_exact(f[4], fl[4], c.server_key, n) < 0) {
        goto fail;
    }
    *out = c;
    rc = 0;
fail:
    scram_credentials_wipe(&c);
    return rc;
}

void scram_credentials_wipe(struct scram_credentials *creds)
{
    OPENSSL_cleanse(creds->stored_key, sizeof(creds->stored_key));
    OPENSSL_cleanse(creds->server_key, sizeof(creds->server_key));
}
