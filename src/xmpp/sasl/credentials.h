/*
 * SCRAM account credentials (RFC 5802 §3, RFC 7677): salt, iteration count,
 * StoredKey and ServerKey. An account keeps one set per hash (SHA-1 and
 * SHA-256) and never the password. Deriving credentials runs PBKDF2 and
 * blocks: callers run it on the libuv thread pool, never on the loop.
 */
#ifndef STRATA_XMPP_SASL_CREDENTIALS_H
#define STRATA_XMPP_SASL_CREDENTIALS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"
#include "xmpp/sasl/mechanisms.h"

/* Iteration counts. RFC 7677 §4 asks for at least 4096. The server runs
 * PBKDF2 only for PLAIN logins and password changes (a SCRAM login costs
 * it a few HMACs: the client does the PBKDF2), while every SCRAM client
 * without a cache of SaltedPassword pays it at each login, on phones too.
 * PERF: measured on the build machine (AMD EPYC with SHA extensions, one
 * core, OpenSSL 3.0): 4096 iterations take 0.95 ms for either hash, 10000
 * take 2.3 ms, 100000 take 22 ms. The default 10000 (Prosody's too) keeps
 * a PLAIN login near 2.3 ms of thread-pool time, about 430 logins/s per
 * core, and makes an offline guess against a stolen database cost 10000
 * HMAC pairs. The maximum bounds what stored data can make us spend. */
#define SCRAM_ITERATIONS_MIN 4096
#define SCRAM_ITERATIONS_DEFAULT 10000
#define SCRAM_ITERATIONS_MAX 1000000

/* Salt sizes: new credentials get 16 random bytes (RFC 5802 §5.1 leaves
 * the size open; 128 bits make every salt unique). Stored salts from 8 to
 * 64 bytes are accepted (COMPAT(prosody): its salts are 36-byte UUIDs). */
#define SCRAM_SALT_LEN 16
#define SCRAM_SALT_MIN 8
#define SCRAM_SALT_MAX 64

/* SECURITY: the longest password accepted, in bytes before SASLprep. */
#define SCRAM_PASSWORD_MAX 1024

/* The longest serialized form scram_credentials_format() produces. */
#define SCRAM_CREDENTIALS_TEXT_MAX 512

struct scram_credentials {
    enum scram_hash hash;
    unsigned iterations;
    size_t salt_len;
    unsigned char salt[SCRAM_SALT_MAX];
    unsigned char stored_key[SCRAM_HASH_MAX]; /* H(ClientKey), scram_hash_size() bytes */
    unsigned char server_key[SCRAM_HASH_MAX]; /* HMAC(SaltedPassword, "Server Key") */
    bool fake;                                /* stands in for an unknown user: never verifies */
};

/* Computes credentials from a password (`len` bytes of UTF-8, prepared
 * here with SASLprep as a stored string, RFC 4013) and a given salt and
 * iteration count. Returns 0, or STRATA_EINVAL (password refused by
 * SASLprep, salt or iterations out of bounds), STRATA_ELIMIT (password
 * longer than SCRAM_PASSWORD_MAX). Blocking (PBKDF2): run on the thread
 * pool. Borrows all; fills `*out`. */
int scram_credentials_derive(enum scram_hash hash, const char *password, size_t len,
                             const unsigned char *salt, size_t salt_len, unsigned iterations,
                             struct scram_credentials *out);

/* As scram_credentials_derive() with a new random salt of SCRAM_SALT_LEN
 * bytes: what setting a password stores. Also STRATA_EINTERNAL if the
 * random generator fails. Blocking: run on the thread pool. */
int scram_credentials_generate(enum scram_hash hash, const char *password, size_t len,
                               unsigned iterations, struct scram_credentials *out);

/* Generates the credentials of every hash, `out[SCRAM_SHA_1]` and
 * `out[SCRAM_SHA_256]`, each with its own salt: what an account stores.
 * Same returns as scram_credentials_generate(). Blocking: thread pool. */
int scram_credentials_generate_all(const char *password, size_t len, unsigned iterations,
                                   struct scram_credentials out[SCRAM_HASH_COUNT]);

/* Checks a password against credentials as SASL PLAIN needs (RFC 4616):
 * SASLprep as a query, PBKDF2 with the stored salt and iteration count,
 * then H(ClientKey) compared with StoredKey in constant time. Returns 0 on
 * a match, STRATA_EAUTH otherwise (always for fake credentials), or
 * STRATA_EINVAL for credentials out of bounds. Blocking: thread pool. */
int scram_credentials_verify_password(const struct scram_credentials *creds, const char *password,
                                      size_t len);

/* Fills `*out` with credentials for a user that does not exist, so that
 * the exchange looks the same as for a real one (RFC 5802 §9): the salt is
 * derived from `secret` and the user name, hence stable across attempts,
 * the keys are unguessable and `fake` is set so nothing verifies.
 * `secret` must be random, private and stable across restarts (otherwise
 * an unknown user's salt changes when the server restarts and a real
 * user's does not). `iterations` should be the count real accounts have
 * (SCRAM_ITERATIONS_DEFAULT). Cheap (HMACs); borrows all. */
void scram_credentials_fake(enum scram_hash hash, const unsigned char *secret, size_t secret_len,
                            const char *username, unsigned iterations,
                            struct scram_credentials *out);

/* Serializes for storage as
 *   "<scram-sha-1|scram-sha-256>$<iterations>$<salt>$<StoredKey>$<ServerKey>"
 * with the binary fields in base64. Appends to `out`; returns 0, or
 * STRATA_EINVAL for fake or out-of-bounds credentials. Borrows `creds`. */
int scram_credentials_format(const struct scram_credentials *creds, struct strbuf *out);

/* Parses what scram_credentials_format() wrote (`len` bytes). Returns 0,
 * STRATA_ELIMIT past SCRAM_CREDENTIALS_TEXT_MAX, or STRATA_EINVAL for any
 * malformed field, unknown hash, key of the wrong size, salt or iteration
 * count out of bounds. Borrows `text`; fills `*out`. */
int scram_credentials_parse(const char *text, size_t len, struct scram_credentials *out);

/* Overwrites the secret parts of `creds` (SECURITY: keys are
 * password-equivalent for SCRAM, RFC 5802 §9). */
void scram_credentials_wipe(struct scram_credentials *creds);

/* Internals shared with scram.c and plain.c: HMAC and H() of the
 * mechanism's hash. `out` holds scram_hash_size(hash) bytes. */
void scram__hmac(enum scram_hash hash, const void *key, size_t key_len, const void *data,
                 size_t len, unsigned char *out);
void scram__digest(enum scram_hash hash, const void *data, size_t len, unsigned char *out);

#endif
