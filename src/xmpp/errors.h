/*
 * The error tables of RFC 6120: stream errors (§4.9.3) and stanza errors
 * (§8.3.3), so nothing else builds error XML by hand.
 */
#ifndef STRATA_XMPP_ERRORS_H
#define STRATA_XMPP_ERRORS_H

#include "strata/stanza.h"

/* Stanza error conditions (RFC 6120 §8.3.3), each with its usual type. */
enum stanza_error {
    SE_BAD_REQUEST,
    SE_CONFLICT,
    SE_FEATURE_NOT_IMPLEMENTED,
    SE_FORBIDDEN,
    SE_GONE,
    SE_INTERNAL_SERVER_ERROR,
    SE_ITEM_NOT_FOUND,
    SE_JID_MALFORMED,
    SE_NOT_ACCEPTABLE,
    SE_NOT_ALLOWED,
    SE_NOT_AUTHORIZED,
    SE_POLICY_VIOLATION,
    SE_RECIPIENT_UNAVAILABLE,
    SE_REDIRECT,
    SE_REGISTRATION_REQUIRED,
    SE_REMOTE_SERVER_NOT_FOUND,
    SE_REMOTE_SERVER_TIMEOUT,
    SE_RESOURCE_CONSTRAINT,
    SE_SERVICE_UNAVAILABLE,
    SE_SUBSCRIPTION_REQUIRED,
    SE_UNDEFINED_CONDITION,
    SE_UNEXPECTED_REQUEST,
};

/* The condition named `name`; 0 or STRATA_ENOENT. */
int stanza_error_find(const char *name, enum stanza_error *out);

/* "service-unavailable". Static. */
const char *stanza_error_name(enum stanza_error e);

/* The error reply to `st` (RFC 6120 §8.3.1): same name and id, to and from
 * swapped, type "error", an <error/> with the condition's usual type and
 * the optional `text`. Returns a new stanza, or NULL when `st` is itself an
 * error (errors are never answered with errors, §8.3.1). Borrows `st`. */
struct strata_stanza *stanza_error_reply(const struct strata_stanza *st, enum stanza_error e,
                                         const char *text);

/* Stream error conditions (RFC 6120 §4.9.3) the server sends. */
enum stream_error {
    STREAM_BAD_FORMAT,
    STREAM_BAD_NAMESPACE_PREFIX,
    STREAM_CONFLICT,
    STREAM_CONNECTION_TIMEOUT,
    STREAM_HOST_GONE,
    STREAM_HOST_UNKNOWN,
    STREAM_IMPROPER_ADDRESSING,
    STREAM_INTERNAL_SERVER_ERROR,
    STREAM_INVALID_FROM,
    STREAM_INVALID_NAMESPACE,
    STREAM_INVALID_XML,
    STREAM_NOT_AUTHORIZED,
    STREAM_NOT_WELL_FORMED,
    STREAM_POLICY_VIOLATION,
    STREAM_REMOTE_CONNECTION_FAILED,
    STREAM_RESET,
    STREAM_RESOURCE_CONSTRAINT,
    STREAM_RESTRICTED_XML,
    STREAM_SEE_OTHER_HOST,
    STREAM_SYSTEM_SHUTDOWN,
    STREAM_UNDEFINED_CONDITION,
    STREAM_UNSUPPORTED_ENCODING,
    STREAM_UNSUPPORTED_FEATURE,
    STREAM_UNSUPPORTED_STANZA_TYPE,
    STREAM_UNSUPPORTED_VERSION,
};

const char *stream_error_name(enum stream_error e);

/* <stream:error><condition/><text/></stream:error> as a new stanza in the
 * streams namespace; `text` may be NULL. */
struct strata_stanza *stream_error_new(enum stream_error e, const char *text);

#endif
