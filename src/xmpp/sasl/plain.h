/*
 * SASL PLAIN (RFC 4616): one message, authzid NUL authcid NUL passwd,
 * checked against the account's SCRAM credentials (the server keeps no
 * password). PLAIN is only offered over TLS (RFC 6120 §13.8.3); the
 * stream layer answers encryption-required otherwise.
 */
#ifndef STRATA_XMPP_SASL_PLAIN_H
#define STRATA_XMPP_SASL_PLAIN_H

#include <stddef.h>

#include "xmpp/sasl/conditions.h"
#include "xmpp/sasl/credentials.h"

/* SECURITY: field limits, in bytes as received. An authcid is a
 * localpart (RFC 7622 §3.3.1), an authzid a JID (RFC 7622 §3.1). */
#define SASL_PLAIN_AUTHZID_MAX 3071
#define SASL_PLAIN_AUTHCID_MAX 1023
#define SASL_PLAIN_PASSWORD_MAX SCRAM_PASSWORD_MAX

struct sasl_plain {
    char *authzid;  /* NULL when absent; not prepared (a JID: the caller's) */
    char *authcid;  /* SASLprep'd user name */
    char *password; /* as sent, NUL-terminated: SASLprep happens when checked */
    size_t password_len;
};

/* Parses the decoded message of <auth mechanism='PLAIN'> (`len` bytes):
 * exactly two NUL separators (RFC 4616 §2), a non-empty authcid and
 * password, every field within its limit and valid for SASLprep. Returns
 * 0 and fills `*out` (release with sasl_plain_release), or a negative
 * STRATA_E* and sets `*cond` (malformed-request). Borrows `msg`. */
int sasl_plain_parse(const void *msg, size_t len, struct sasl_plain *out,
                     enum sasl_condition *cond);

/* Checks the password against the user's credentials (either hash does;
 * pass fake ones from scram_credentials_fake() for an unknown user, so the
 * time taken is the same). Returns 0 when it matches, STRATA_EAUTH
 * otherwise (not-authorized). Blocking (PBKDF2): run on the thread pool.
 * Borrows both. */
int sasl_plain_verify(const struct sasl_plain *p, const struct scram_credentials *creds);

/* Frees the fields and wipes the password. */
void sasl_plain_release(struct sasl_plain *p);

#endif
