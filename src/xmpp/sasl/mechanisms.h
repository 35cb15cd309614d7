/*
 * What all SASL mechanisms share: their names (RFC 4616, RFC 5802,
 * RFC 7677), message limits, channel-binding data (RFC 5929, RFC 9266),
 * the base64 payload of RFC 6120 §6.4.2, the authorization identity
 * check of RFC 6120 §6.3.8 and the downgrade-protection hash of XEP-0474.
 * The mechanisms themselves are pure state machines with no I/O:
 * plain.h and scram.h.
 */
#ifndef STRATA_XMPP_SASL_MECHANISMS_H
#define STRATA_XMPP_SASL_MECHANISMS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"
#include "xmpp/sasl/conditions.h"

/* SECURITY: the largest SASL message (after base64 decoding) any mechanism
 * accepts. Real messages are under 300 bytes; the bound is checked before
 * anything is parsed or allocated. */
#define SASL_MAX_MESSAGE 4096

enum sasl_mech {
    SASL_MECH_PLAIN,
    SASL_MECH_SCRAM_SHA_1,
    SASL_MECH_SCRAM_SHA_1_PLUS,
    SASL_MECH_SCRAM_SHA_256,
    SASL_MECH_SCRAM_SHA_256_PLUS,
    SASL_MECH_COUNT
};

/* The hash a SCRAM mechanism is built on (RFC 5802 §4, RFC 7677 §3). */
enum scram_hash { SCRAM_SHA_1, SCRAM_SHA_256, SCRAM_HASH_COUNT };

/* Bytes of the largest digest a SCRAM hash produces (room for SHA-512). */
#define SCRAM_HASH_MAX 64

struct sasl_mech_info {
    const char *name;     /* as advertised: "SCRAM-SHA-256-PLUS" */
    bool scram;           /* false for PLAIN */
    enum scram_hash hash; /* meaningful when `scram` */
    bool plus;            /* needs channel binding, hence TLS */
};

/* The static description of `mech`. */
const struct sasl_mech_info *sasl_mech_info(enum sasl_mech mech);

/* The mechanism called `name` (`len` bytes, exact case, RFC 4422 §3.1).
 * Returns 0 and sets `*out`, or STRATA_ENOENT (invalid-mechanism). */
int sasl_mech_find(const char *name, size_t len, enum sasl_mech *out);

/* Digest size in bytes of `hash` (20 or 32). */
size_t scram_hash_size(enum scram_hash hash);

/* Lower-case name used in stored credentials: "scram-sha-1". */
const char *scram_hash_name(enum scram_hash hash);

/* Channel-binding types (RFC 5056 §2.1 names). tls-unique is not offered:
 * it is undefined for TLS 1.3 (RFC 9266 §1). */
#define SASL_CB_TLS_EXPORTER "tls-exporter"                 /* RFC 9266 */
#define SASL_CB_TLS_SERVER_END_POINT "tls-server-end-point" /* RFC 5929 §4 */

/* One channel-binding type the TLS layer can prove on this connection,
 * with its data: for tls-exporter the 32 bytes exported with the label
 * "EXPORTER-Channel-Binding" and no context (RFC 9266 §2); for
 * tls-server-end-point the hash of the server certificate (RFC 5929 §4.1).
 * All borrowed. */
struct sasl_cb {
    const char *type;
    const unsigned char *data;
    size_t len;
};

/* Decodes the character data of <auth/>, <response/> (RFC 6120 §6.4.2):
 * "=" is an empty message, otherwise base64; XML whitespace between the
 * characters is skipped (COMPAT(client): some wrap long lines). Appends the
 * bytes to `out` (emptied first) and returns 0; on failure returns
 * STRATA_EINVAL (incorrect-encoding) or STRATA_ELIMIT (more than
 * SASL_MAX_MESSAGE bytes: malformed-request) and sets `*cond`. For an
 * empty message `out->len` is 0 and `out->ptr` may be NULL. An absent
 * initial response (no text at all) is not this function's business.
 * Borrows `text`. */
int sasl_payload_decode(const char *text, size_t len, struct strbuf *out,
                        enum sasl_condition *cond);

/* Encodes a challenge or additional data for <challenge/> or <success/>:
 * base64, or "=" for an empty message (RFC 6120 §6.4.2). Returns a new
 * string the caller frees. Borrows `data`. */
char *sasl_payload_encode(const void *data, size_t len);

/* RFC 6120 §6.3.8: an authorization identity the client supplies must be
 * its own bare JID unless the server allows more (e.g. an admin acting for
 * a user, which is the caller's policy). True when `authzid` is NULL or
 * empty, or equals "<username>@<domain>" (the domain compared ignoring
 * ASCII case). The username is compared as given: the caller compares
 * prepared forms (nodeprep) when it has them. Borrows all. */
bool sasl_authzid_is_self(const char *authzid, const char *username, const char *domain);

/* Base64 size of a downgrade-protection hash, with its NUL. */
#define SASL_SSDP_HASH_SIZE (((SCRAM_HASH_MAX + 2) / 3) * 4 + 1)

/* XEP-0474 §4.1 (SASL SCRAM Downgrade Protection, v0.5): the hash of the
 * mechanisms this stream advertised and, when XEP-0440 advertised them
 * (`cb_types` not NULL, even with `n_cb` 0), the channel-binding types.
 * Each list is sorted by octet (RFC 4790 §9.3), joined with 0x1E, the lists
 * separated by 0x1F, hashed with the SCRAM mechanism's own hash and
 * base64-encoded into `out`. The SCRAM server sends it as the "h" attribute
 * of server-first-message (scram_server_params.ssdp_hash), where the client
 * checks it and the proof then covers it. Returns 0, or STRATA_EINVAL when a
 * name is empty or holds a separator. Borrows all. */
int sasl_ssdp_hash(enum scram_hash hash, const char *const *mechs, size_t n_mechs,
                   const char *const *cb_types, size_t n_cb, char out[SASL_SSDP_HASH_SIZE]);

#endif
