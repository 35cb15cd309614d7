/*
 * Error codes: functions return 0 on success or a negative STRATA_E*.
 * Protocol-level conditions (stream, stanza and SASL errors) are not these:
 * they live in the XMPP error tables and travel to peers as XML.
 */
#ifndef STRATA_ERRORS_H
#define STRATA_ERRORS_H

enum strata_error {
    STRATA_OK = 0,
    STRATA_EINVAL = -1,    /* bad argument or malformed input */
    STRATA_ENOENT = -2,    /* not found */
    STRATA_EEXIST = -3,    /* already exists */
    STRATA_ELIMIT = -4,    /* a configured limit was exceeded */
    STRATA_EIO = -5,       /* file, socket or database failure */
    STRATA_ECLOSED = -6,   /* the object is closing or closed */
    STRATA_EAGAIN = -7,    /* not now: more input needed, or busy */
    STRATA_EAUTH = -8,     /* authentication failed */
    STRATA_ETLS = -9,      /* TLS failure */
    STRATA_EINTERNAL = -10, /* a bug: an invariant did not hold */
};

/* A short English phrase for a code: "a configured limit was exceeded". */
const char *strata_strerror(int code);

#endif
