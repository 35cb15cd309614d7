/*
 * TLS contexts and channel binding; see tls.h.
 *
 * Profiles follow Mozilla's server-side TLS recommendations (version 5.7),
 * with one deviation: "old" never goes below TLS 1.2 (RFC 8996 deprecated
 * 1.0 and 1.1). Compression and renegotiation are always off (RFC 9325
 * §3.3, §3.5).
 */
#include "net/tls.h"

#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strata/errors.h"
#include "util/xalloc.h"

static const char INTERMEDIATE_CIPHERS[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305";
static const char OLD_CIPHERS[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305:"
    "ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA:"
    "ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:"
    "ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES256-SHA:AES128-GCM-SHA256:AES256-GCM-SHA384:"
    "AES128-SHA256:AES256-SHA256:AES128-SHA:AES256-SHA";
static const char SUITES[] =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
static const char GROUPS[] = "X25519:P-256:P-384";

int tls_policy_for(const char *profile, const char *protocol, const char *ciphers,
                   const char *ciphersuites, struct tls_policy *out)
{
    *out = (struct tls_policy){TLS1_2_VERSION, 0, INTERMEDIATE_CIPHERS, SUITES, GROUPS};
    if (!profile || strcmp(profile, "intermediate") == 0) {
        /* the default */
    } else if (strcmp(profile, "modern") == 0) {
        out->min_version = TLS1_3_VERSION;
    } else if (strcmp(profile, "old") == 0 || strcmp(profile, "legacy") == 0) {
        out->ciphers = OLD_CIPHERS;
    } else {
        return STRATA_EINVAL;
    }
    if (protocol && strncmp(protocol, "tlsv1_3", 7) == 0) {
        out->min_version = TLS1_3_VERSION;
    } else if (protocol && strcmp(protocol, "tlsv1_2") == 0) {
        out->max_version = TLS1_2_VERSION; /* LuaSec: without "+", exactly that version */
    }
    out->ciphers = ciphers ? ciphers : out->ciphers;
    out->ciphersuites = ciphersuites ? ciphersuites : out->ciphersuites;
    return 0;
}

static void openssl_error(char *err, size_t errlen, const char *what)
{
    unsigned long e = ERR_get_error();
    char reason[160] = "unknown reason";
    if (e) {
        ERR_error_string_n(e, reason, sizeof reason);
    }
    ERR_clear_error();
    snprintf(err, errlen, "%s: %s", what, reason);
}

static int select_alpn(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                       const unsigned char *in, unsigned inlen, void *arg)
{
    const char *want = arg;
    size_t n = strlen(want);
    for (unsigned i = 0; i < inlen;) {
        unsigned len = in[i];
        if (len == n && i + 1 + len <= inlen && memcmp(in + i + 1, want, n) == 0) {
            *out = in + i + 1;
            *outlen = (unsigned char)len;
            return SSL_TLSEXT_ERR_OK;
        }
        i += 1 + len;
    }
    /* XEP-0368: a client that offers ALPN without xmpp-client is not ours. */
    return SSL_TLSEXT_ERR_ALERT_FATAL;
}

static bool apply_policy(SSL_CTX *ctx, const struct tls_policy *p)
{
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                                 SSL_OP_IGNORE_UNEXPECTED_EOF);
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
    return SSL_CTX_set_min_proto_version(ctx, p->min_version) == 1 &&
           SSL_CTX_set_max_proto_version(ctx, p->max_version) == 1 &&
           SSL_CTX_set_cipher_list(ctx, p->ciphers) == 1 &&
           SSL_CTX_set_ciphersuites(ctx, p->ciphersuites) == 1 &&
           SSL_CTX_set1_groups_list(ctx, p->groups) == 1;
}

SSL_CTX *tls_context_new(const char *cert_path, const char *key_path, const struct tls_policy *p,
                         const char *alpn, char *err, size_t errlen)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx) {
        openssl_error(err, errlen, "cannot create a TLS context");
        return NULL;
    }
    if (!apply_policy(ctx, p)) {
        openssl_error(err, errlen, "the TLS versions or ciphers are not usable");
        goto fail;
    }
    if (SSL_CTX_use_certificate_chain_file(ctx, cert_path) != 1) {
        openssl_error(err, errlen, cert_path);
        goto fail;
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, key_path ? key_path : cert_path, SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(ctx) != 1) {
        openssl_error(err, errlen, key_path ? key_path : cert_path);
        goto fail;
    }
    if (alpn) {
        SSL_CTX_set_alpn_select_cb(ctx, select_alpn, (void *)alpn);
    }
    return ctx;
fail:
    SSL_CTX_free(ctx);
    return NULL;
}

/* ---- hosts and SNI --------------------------------------------------- */

struct tls_host {
    char *name;
    SSL_CTX *ctx;
};

struct tls_hosts {
    struct tls_host *items;
    size_t count;
    size_t cap;
};

struct tls_hosts *tls_hosts_new(void)
{
    return xcalloc(1, sizeof(struct tls_hosts));
}

void tls_hosts_free(struct tls_hosts *t)
{
    if (!t) {
        return;
    }
    for (size_t i = 0; i < t->count; i++) {
        free(t->items[i].name);
        SSL_CTX_free(t->items[i].ctx);
    }
    free(t->items);
    free(t);
}

void tls_hosts_add(struct tls_hosts *t, const char *host, SSL_CTX *ctx)
{
    t->items = xgrow(t->items, &t->cap, t->count + 1, sizeof *t->items);
    t->items[t->count++] = (struct tls_host){xstrdup(host), ctx};
}

static SSL_CTX *find_exact(const struct tls_hosts *t, const char *host)
{
    for (size_t i = 0; i < t->count; i++) {
        if (strcasecmp(t->items[i].name, host) == 0) {
            return t->items[i].ctx;
        }
    }
    return NULL;
}

/* A parent's certificate serves a subdomain only when it covers it. */
static bool covers(SSL_CTX *ctx, const char *host)
{
    X509 *cert = SSL_CTX_get0_certificate(ctx);
    return cert && X509_check_host(cert, host, 0, 0, NULL) == 1;
}

SSL_CTX *tls_hosts_find(const struct tls_hosts *t, const char *host)
{
    SSL_CTX *ctx = find_exact(t, host);
    for (const char *dot = strchr(host, '.'); !ctx && dot; dot = strchr(dot + 1, '.')) {
        SSL_CTX *parent = find_exact(t, dot + 1);
        ctx = parent && covers(parent, host) ? parent : NULL;
    }
    return ctx;
}

static int on_servername(SSL *ssl, int *alert, void *arg)
{
    const char *name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    SSL_CTX *ctx = name ? tls_hosts_find(arg, name) : NULL;
    if (ctx && ctx != SSL_get_SSL_CTX(ssl)) {
        SSL_set_SSL_CTX(ssl, ctx);
    }
    return SSL_TLSEXT_ERR_OK; /* unknown names get the default; the stream says host-unknown */
}

SSL_CTX *tls_hosts_front(struct tls_hosts *t)
{
    if (t->count == 0) {
        return NULL;
    }
    SSL_CTX *front = t->items[0].ctx;
    SSL_CTX_set_tlsext_servername_callback(front, on_servername);
    SSL_CTX_set_tlsext_servername_arg(front, t);
    return front;
}

/* ---- channel binding ------------------------------------------------- */

/* RFC 5929 §4.1: the certificate's signature hash, SHA-256 for MD5/SHA-1. */
static const EVP_MD *end_point_hash(X509 *cert)
{
    int md_nid;
    if (!OBJ_find_sigid_algs(X509_get_signature_nid(cert), &md_nid, NULL)) {
        return EVP_sha256();
    }
    const EVP_MD *md = EVP_get_digestbynid(md_nid);
    if (!md || md_nid == NID_md5 || md_nid == NID_sha1) {
        return EVP_sha256();
    }
    return md;
}

int tls_channel_binding(SSL *ssl, const char *type, unsigned char *out, size_t cap, size_t *len)
{
    if (strcmp(type, "tls-exporter") == 0) {
        if (SSL_version(ssl) < TLS1_3_VERSION || cap < 32) {
            return STRATA_EINVAL;
        }
        static const char label[] = "EXPORTER-Channel-Binding";
        if (SSL_export_keying_material(ssl, out, 32, label, sizeof label - 1, NULL, 0, 0) != 1) {
            return STRATA_EINVAL;
        }
        *len = 32;
        return 0;
    }
    if (strcmp(type, "tls-server-end-point") == 0) {
        X509 *cert = SSL_get_certificate(ssl);
        unsigned n = 0;
        if (!cert || cap < EVP_MAX_MD_SIZE || X509_digest(cert, end_point_hash(cert), out, &n) != 1) {
            return STRATA_EINVAL;
        }
        *len = n;
        return 0;
    }
    return STRATA_EINVAL;
}

const char *tls_version_name(SSL *ssl)
{
    return SSL_get_version(ssl);
}
