/*
 * Server certificates on disk: finding a host's certificate and key in the
 * `certificates` directory the way Prosody does, inspecting them for the
 * problems an operator wants `strata check` to name, and generating a
 * self-signed pair for a new server (`strata cert generate`).
 *
 * Everything here reads the filesystem synchronously and generation creates
 * an RSA key (tens of milliseconds): call it from the command line or while
 * starting up, never on the event loop thread.
 *
 * Errors are negative errno values (-ENOENT, -EEXIST, -EINVAL, ...).
 */
#ifndef STRATA_NET_TLS_CERT_H
#define STRATA_NET_TLS_CERT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Warn when a certificate has fewer days left than this. Not Prosody's
 * month: certbot renews with 30 days left, so a month would warn about
 * healthy servers; two weeks left means renewal has been failing. */
#define TLS_CERT_WARN_DAYS 14
/* Lifetime of a generated certificate, as `prosodyctl cert generate`. */
#define TLS_CERT_DEFAULT_DAYS 365
/* Longest lifetime `tls_cert_generate` accepts. */
#define TLS_CERT_MAX_DAYS 36500

#define TLS_CERT_MSG_MAX 512
/* More than the number of distinct checks, so nothing is ever dropped. */
#define TLS_CERT_MAX_FINDINGS 24

enum tls_cert_level {
    TLS_CERT_WARNING = 1,
    TLS_CERT_ERROR = 2,
};

/* What a finding is about, so callers and tests need not parse messages. */
enum tls_cert_code {
    TLS_CERT_CERT_MISSING,     /* the certificate file does not exist */
    TLS_CERT_CERT_UNREADABLE,  /* exists but cannot be read: permissions, a directory, too large */
    TLS_CERT_CERT_INVALID,     /* not PEM, or holds no parsable certificate */
    TLS_CERT_CHAIN_INCOMPLETE, /* a CA-issued certificate without its intermediates */
    TLS_CERT_KEY_MISSING,
    TLS_CERT_KEY_UNREADABLE,
    TLS_CERT_KEY_INVALID,   /* holds no private key */
    TLS_CERT_KEY_ENCRYPTED, /* needs a passphrase nobody is there to type */
    TLS_CERT_KEY_EXPOSED,   /* readable by every user of the machine */
    TLS_CERT_KEY_MISMATCH,  /* the key is not the certificate's */
    TLS_CERT_EXPIRED,
    TLS_CERT_NOT_YET_VALID,
    TLS_CERT_EXPIRING,       /* within warn_days (a warning), or within a day (an error) */
    TLS_CERT_HOST_MISMATCH,  /* does not cover the host */
    TLS_CERT_WEAK_KEY,       /* RSA/DSA below 2048 bits, EC below 224 */
    TLS_CERT_WEAK_SIGNATURE, /* signed with SHA-1, MD5 or similar */
};

struct tls_cert_finding {
    enum tls_cert_level level;
    enum tls_cert_code code;
    /* The finding concerns the key file, so a checker can point at the
     * option that named the key rather than the certificate. */
    bool about_key;
    /* One sentence, without a location prefix and without the file's path
     * (the caller shows it; paths appear only inside suggested commands):
     * "certificate expired on 2024-03-01 12:00 UTC (40 days ago)". */
    char message[TLS_CERT_MSG_MAX];
};

struct tls_cert_findings {
    size_t count;
    unsigned errors;
    unsigned warnings;
    struct tls_cert_finding items[TLS_CERT_MAX_FINDINGS];
    /* Set when the certificate could be read, for a summary line. */
    time_t not_after;             /* 0 when unknown */
    char names[TLS_CERT_MSG_MAX]; /* the names it covers: "example.org, *.example.org" */
};

/*
 * Finds the certificate and key for `host` under `dir`, in this order:
 *   1. <dir>/<host>.crt + <dir>/<host>.key
 *      <dir>/<host>/fullchain.pem + <dir>/<host>/privkey.pem
 *      <dir>/<host>.pem (certificate and key in one file)
 *      <dir>/live/<host>/fullchain.pem + privkey.pem (certbot's layout)
 *      The first pair whose two files exist wins, whatever its contents, so
 *      that `strata check` can report what is wrong with it.
 *   2. The same names for each parent domain of `host` (example.org for
 *      muc.example.org), taken only when the certificate covers `host`
 *      (a wildcard or a subjectAltName).
 *   3. Any other *.crt or *fullchain* file up to three levels below `dir`
 *      with its key beside it (.crt -> .key, fullchain -> privkey) that
 *      covers `host` and is valid at `now`; an exact name beats a wildcard,
 *      then the latest expiry, then the first found (the walk is sorted).
 * Borrows `dir` and `host`. On success returns 0 and sets *cert_path and
 * *key_path to new strings the caller frees. Returns -ENOENT when nothing
 * is found (including when `dir` does not exist), -EINVAL on bad arguments.
 */
int tls_cert_locate(const char *dir, const char *host, time_t now, char **cert_path,
                    char **key_path);

/*
 * Inspects a certificate and its key as a server would use them for `host`
 * at time `now`, and records every problem in `out` (cleared first): the
 * files missing, unreadable, not PEM or encrypted; the key not matching the
 * certificate; expired, not yet valid or expiring within `warn_days` (0 or
 * less: no expiry warning); `host` not covered (skipped when `host` is NULL);
 * weak keys and signatures; a CA-issued certificate without its chain.
 * `key_path` NULL means the key is in the certificate file.
 * Borrows all pointers; writes only to `out`. Returns 0 when the inspection
 * ran (even if it found errors), -EINVAL on bad arguments.
 */
int tls_cert_inspect(const char *cert_path, const char *key_path, const char *host, time_t now,
                     int warn_days, struct tls_cert_findings *out);

/*
 * Writes an RSA-2048 key (mode 0600) to `key_path` and a self-signed X.509 v3
 * certificate (mode 0644) to `cert_path` for `host`, valid from now for
 * `days` days: SHA-256, random serial, CN=<host>, subjectAltName DNS:<host>
 * and DNS:*.<host> (so components such as muc.<host> are covered),
 * CA:FALSE, serverAuth and clientAuth. Missing parent directories are
 * created (mode 0755). Existing files are replaced only when `force` is set;
 * each file is written to a temporary name and renamed into place.
 * Borrows all pointers. Returns 0, or a negative errno with a message in
 * `err` (always NUL-terminated when errlen > 0): -EINVAL for a host that is
 * not a DNS name or days outside 1..TLS_CERT_MAX_DAYS, -EEXIST when a file
 * exists and `force` is false, -EIO when OpenSSL fails, or the errno of a
 * failed system call.
 */
int tls_cert_generate(const char *host, const char *cert_path, const char *key_path, int days,
                      bool force, char *err, size_t errlen);

/* "error" or "warning". Returns a static string. */
const char *tls_cert_level_name(enum tls_cert_level level);

#endif
