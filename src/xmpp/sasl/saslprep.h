/*
 * SASLprep (RFC 4013), the stringprep profile SCRAM (RFC 5802 §2.2) and
 * PLAIN (RFC 4616 §2) apply to user names and passwords, done by libidn's
 * "SASLprep" profile.
 */
#ifndef STRATA_XMPP_SASL_SASLPREP_H
#define STRATA_XMPP_SASL_SASLPREP_H

#include <stdbool.h>
#include <stddef.h>

/* Whether unassigned code points are refused (RFC 3454 §7): a "stored
 * string" (a password being set) refuses them, a "query" (a login) allows. */
enum saslprep_mode {
    SASLPREP_QUERY,
    SASLPREP_STORED,
};

/* Prepares `len` bytes of UTF-8 at `in` (no NUL needed, none allowed).
 * On success returns 0 and stores in `*out` a new NUL-terminated string
 * the caller frees. Returns STRATA_EINVAL for input that is not UTF-8,
 * holds a NUL, or that SASLprep refuses (prohibited characters, bad
 * bidirectional text, unassigned code points in stored mode) or maps to
 * nothing, and STRATA_ELIMIT past SASL_MAX_MESSAGE bytes. Borrows `in`. */
int saslprep(const char *in, size_t len, enum saslprep_mode mode, char **out);

#endif
