/*
 * The server side of SCRAM (RFC 5802) with SHA-1 and SHA-256 (RFC 7677),
 * and their -PLUS variants with channel binding (RFC 5929
 * tls-server-end-point, RFC 9266 tls-exporter), as a state machine with
 * no I/O. The stream layer feeds it decoded messages and sends what it
 * produces:
 *
 *   scram_server_new(params)                  on <auth mechanism='SCRAM-...'>
 *   scram_server_start(client-first)          -> username to look up
 *   (look the credentials up, asynchronously; none for an unknown user)
 *   scram_server_continue(creds or NULL)      -> server-first in <challenge/>
 *   scram_server_final(client-final)          -> server-final in <success/>
 *
 * On any failure the machine stops and scram_server_condition() names the
 * RFC 6120 §6.5 condition for <failure/>. An unknown user gets fake
 * credentials and fails at the proof, with the same condition, timing and
 * messages as a wrong password (RFC 5802 §9).
 */
#ifndef STRATA_XMPP_SASL_SCRAM_H
#define STRATA_XMPP_SASL_SCRAM_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"
#include "xmpp/sasl/conditions.h"
#include "xmpp/sasl/credentials.h"
#include "xmpp/sasl/mechanisms.h"

/* Client nonce length bounds (RFC 5802 §5.1 sets none; 8 refuses a
 * degenerate nonce, 256 is far above the 24-48 characters clients send). */
#define SCRAM_NONCE_MIN 8
#define SCRAM_NONCE_MAX 256

/* Channel-binding types a connection may offer, and their data size. */
#define SCRAM_CB_MAX 4
#define SCRAM_CB_DATA_MAX 64

/* The server secret for fake credentials: at least this many bytes. */
#define SCRAM_SECRET_MIN 16

struct scram_server_params {
    enum sasl_mech mech; /* one of the SCRAM mechanisms */
    /* Whether this stream advertised any -PLUS mechanism: a client that
     * says "y" (it could bind but thinks we cannot) is then being
     * downgraded and must fail (RFC 5802 §6). */
    bool plus_advertised;
    /* The channel-binding types this connection can prove, with their
     * data (from tls_channel_binding()). Copied. */
    const struct sasl_cb *cb;
    size_t n_cb;
    /* XEP-0474: the value of sasl_ssdp_hash() for this stream's
     * advertisement with this mechanism's hash, sent as "h" in
     * server-first; NULL to send none. Copied. */
    const char *ssdp_hash;
    /* Server secret for fake credentials (see scram_credentials_fake());
     * at least SCRAM_SECRET_MIN bytes. Copied. */
    const unsigned char *secret;
    size_t secret_len;
    /* Iteration count shown for unknown users; 0 means
     * SCRAM_ITERATIONS_DEFAULT. Should match what real accounts have. */
    unsigned fake_iterations;
};

struct scram_server;

/* Creates a machine for one exchange. Returns 0 and a new machine in `*out`
 * (free with scram_server_free), or STRATA_EINVAL for a mechanism that is
 * not SCRAM, a short secret, or too many or too large channel bindings.
 * Borrows `params` during the call only. */
int scram_server_new(const struct scram_server_params *params, struct scram_server **out);

/* Frees `s` and wipes its secrets. NULL is allowed. */
void scram_server_free(struct scram_server *s);

/* Reads client-first-message (`len` bytes, at most SASL_MAX_MESSAGE): the
 * GS2 header (RFC 5802 §7: "n", "y" or "p=<cb-name>", optional "a=" authzid)
 * and the bare message (user name, nonce, extensions). The user name is
 * unescaped (=2C, =3D) and prepared with SASLprep. Returns 0 when the
 * caller should now look the user up (scram_server_username) and call
 * scram_server_continue; otherwise a negative STRATA_E* with the condition
 * set. Borrows `msg`. */
int scram_server_start(struct scram_server *s, const void *msg, size_t len);

/* After a successful start: the SASLprep'd user name (the caller applies
 * nodeprep before looking it up, RFC 6120 §6.3.8 says it is the
 * localpart); the authorization identity, NULL when absent (check it with
 * sasl_authzid_is_self() and fail with SASL_COND_INVALID_AUTHZID if it is
 * not allowed); the channel-binding type in use, NULL without. Valid until
 * scram_server_free. */
const char *scram_server_username(const struct scram_server *s);
const char *scram_server_authzid(const struct scram_server *s);
const char *scram_server_cb_type(const struct scram_server *s);

/* Tests only: use `nonce` (printable ASCII without ',') as the server part
 * of the nonce instead of random bytes. Call before continue. Copied.
 * Returns 0 or STRATA_EINVAL. */
int scram_server_set_nonce(struct scram_server *s, const char *nonce);

/* Given the user's credentials for this mechanism's hash (NULL when the
 * user does not exist: fake ones are used), appends server-first-message
 * (RFC 5802 §5.1: nonce, salt, iteration count; "h" of XEP-0474) to `out`.
 * Returns 0, or a negative STRATA_E* with the condition set (credentials
 * of another hash or out of bounds: temporary-auth-failure). Borrows
 * `creds` during the call. */
int scram_server_continue(struct scram_server *s, const struct scram_credentials *creds,
                          struct strbuf *out);

/* Reads client-final-message: checks the channel binding (RFC 5802 §6),
 * the nonce and the proof (§3: H(ClientSignature XOR ClientProof) must be
 * StoredKey, compared in constant time). On success appends
 * server-final-message ("v=" ServerSignature) to `out` for <success/> and
 * returns 0; the user is authenticated. Otherwise returns a negative
 * STRATA_E* with the condition set. Borrows `msg`. */
int scram_server_final(struct scram_server *s, const void *msg, size_t len, struct strbuf *out);

/* Why the exchange failed (SASL_COND_NONE while it has not). */
enum sasl_condition scram_server_condition(const struct scram_server *s);

/* For logs only, never for the peer: the RFC 5802 §7 server-error-value
 * closest to the failure ("invalid-proof", "channel-bindings-dont-match",
 * ...), or NULL. A static string. */
const char *scram_server_error(const struct scram_server *s);

#endif
