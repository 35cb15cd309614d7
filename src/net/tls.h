/*
 * TLS contexts: one OpenSSL SSL_CTX per host certificate, chosen by SNI or
 * by the stream's `to`, with versions and ciphers from the security level's
 * TLS profile (RFC 9325; Mozilla's server-side TLS profiles), and the
 * channel-binding data SCRAM -PLUS needs (RFC 9266, RFC 5929).
 */
#ifndef STRATA_NET_TLS_H
#define STRATA_NET_TLS_H

#include <openssl/ssl.h>
#include <stdbool.h>
#include <stddef.h>

struct tls_policy {
    int min_version; /* TLS1_2_VERSION or TLS1_3_VERSION; never lower */
    int max_version; /* 0: the newest OpenSSL has; TLS1_2_VERSION for "tlsv1_2" */
    const char *ciphers;      /* TLS 1.2 cipher list (OpenSSL syntax) */
    const char *ciphersuites; /* TLS 1.3 suites */
    const char *groups;       /* key exchange groups */
};

/* The policy of a tls_profile ("modern", "intermediate", "old", "legacy"),
 * narrowed by an ssl.protocol ("tlsv1_3+" ...) and overridden by explicit
 * ciphers when given (NULL keeps the profile's). Returns 0 or STRATA_EINVAL. */
int tls_policy_for(const char *profile, const char *protocol, const char *ciphers,
                   const char *ciphersuites, struct tls_policy *out);

/* A server context for one certificate chain and key. `alpn` is the
 * protocol accepted on direct TLS ("xmpp-client"), NULL for STARTTLS.
 * Returns NULL with a message in `err` when the files cannot be used. */
SSL_CTX *tls_context_new(const char *cert_path, const char *key_path, const struct tls_policy *p,
                         const char *alpn, char *err, size_t errlen);

/* Host name -> context, for SNI and for the `to` of a stream. */
struct tls_hosts;

struct tls_hosts *tls_hosts_new(void);
void tls_hosts_free(struct tls_hosts *t);

/* Registers `ctx` (taken) for `host` (copied). The first one added is the
 * default for clients that send no SNI. */
void tls_hosts_add(struct tls_hosts *t, const char *host, SSL_CTX *ctx);

/* The context for `host`, or for its parent domain when that certificate
 * serves subdomains; NULL when none. Borrowed. */
SSL_CTX *tls_hosts_find(const struct tls_hosts *t, const char *host);

/* The default context, with an SNI callback that switches to the host's
 * context; NULL when no host has one. Borrowed. */
SSL_CTX *tls_hosts_front(struct tls_hosts *t);

/* Channel binding data for `type` ("tls-exporter" or "tls-server-end-point")
 * of an established connection. Writes up to `cap` bytes to `out` and the
 * length to `*len`. Returns 0, or STRATA_EINVAL when the type is unknown or
 * not available (tls-exporter needs TLS 1.3, RFC 9266 §3). */
int tls_channel_binding(SSL *ssl, const char *type, unsigned char *out, size_t cap, size_t *len);

/* "TLSv1.3", for logs. Borrowed. */
const char *tls_version_name(SSL *ssl);

#endif
