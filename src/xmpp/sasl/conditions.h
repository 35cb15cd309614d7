/*
 * SASL failure conditions (RFC 6120 §6.5). Every mechanism reports why it
 * failed with one of these; the stream layer turns it into
 * <failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><name/></failure>.
 */
#ifndef STRATA_XMPP_SASL_CONDITIONS_H
#define STRATA_XMPP_SASL_CONDITIONS_H

enum sasl_condition {
    SASL_COND_NONE = 0,               /* no failure */
    SASL_COND_ABORTED,                /* §6.5.1: the client sent <abort/> */
    SASL_COND_ACCOUNT_DISABLED,       /* §6.5.2 */
    SASL_COND_CREDENTIALS_EXPIRED,    /* §6.5.3 */
    SASL_COND_ENCRYPTION_REQUIRED,    /* §6.5.4: mechanism needs TLS first */
    SASL_COND_INCORRECT_ENCODING,     /* §6.5.5: bad base64 */
    SASL_COND_INVALID_AUTHZID,        /* §6.5.6 */
    SASL_COND_INVALID_MECHANISM,      /* §6.5.7: not offered or unknown */
    SASL_COND_MALFORMED_REQUEST,      /* §6.5.8: violates the mechanism's syntax */
    SASL_COND_MECHANISM_TOO_WEAK,     /* §6.5.9 */
    SASL_COND_NOT_AUTHORIZED,         /* §6.5.10: wrong credentials, and any failure
                                         the server will not explain */
    SASL_COND_TEMPORARY_AUTH_FAILURE, /* §6.5.11: e.g. storage unavailable */
    SASL_COND_COUNT
};

/* The element name of a condition ("not-authorized"); a static string.
 * SASL_COND_NONE and values out of range give NULL. */
const char *sasl_condition_name(enum sasl_condition cond);

/* The condition named `name` (an element name as above); returns 0 and sets
 * `*out`, or STRATA_ENOENT. Borrows `name`. */
int sasl_condition_find(const char *name, enum sasl_condition *out);

#endif
