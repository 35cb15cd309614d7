/*
 * SCRAM server state machine (RFC 5802 §5, §7; RFC 7677); see scram.h.
 * Messages are parsed in place as views over the caller's bytes; the parts
 * the AuthMessage needs later (RFC 5802 §3) are copied.
 */
#include "xmpp/sasl/scram.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "strata/errors.h"
#include "util/base64.h"
#include "util/xalloc.h"
#include "xmpp/sasl/saslprep.h"

/* Bytes of randomness in the server's part of the nonce (24 base64
 * characters); RFC 5802 §5.1 only asks that it be unpredictable. */
#define SERVER_NONCE_BYTES 18

/* SECURITY: a user name is a localpart, at most 1023 bytes (RFC 7622
 * §3.3.1); an authzid is a JID, at most 3071 (RFC 7622 §3.1). */
#define USERNAME_MAX 1023
#define AUTHZID_MAX 3071

enum state {
    WAIT_FIRST,
    WAIT_CREDENTIALS,
    WAIT_FINAL,
    DONE,
    FAILED,
};

struct cb_entry {
    char type[32];
    unsigned char data[SCRAM_CB_DATA_MAX];
    size_t len;
};

struct scram_server {
    enum state state;
    enum scram_hash hash;
    bool plus;
    bool plus_advertised;
    struct cb_entry cb[SCRAM_CB_MAX];
    size_t n_cb;
    const struct cb_entry *cb_used; /* NULL without channel binding */
    char *ssdp_hash;
    unsigned char secret[64];
    size_t secret_len;
    unsigned fake_iterations;

    char *username;
    char *authzid;
    struct strbuf gs2_header;   /* "n,," etc., for the c= check */
    struct strbuf client_first; /* client-first-message-bare */
    struct strbuf server_first;
    struct strbuf nonce; /* client nonce, then + server nonce */
    char *nonce_override;
    struct scram_credentials creds;

    enum sasl_condition cond;
    const char *error;
};

/* A borrowed piece of a message. */
struct view {
    const char *p;
    size_t len;
};

/* Stops the machine: every later call fails too. */
static int fail_with(struct scram_server *s, int rc, enum sasl_condition cond, const char *error)
{
    s->state = FAILED;
    s->cond = cond;
    s->error = error;
    return rc;
}

static int malformed(struct scram_server *s, const char *error)
{
    return fail_with(s, STRATA_EINVAL, SASL_COND_MALFORMED_REQUEST, error);
}

static int copy_cb(struct scram_server *s, const struct sasl_cb *cb, size_t n)
{
    if (n > SCRAM_CB_MAX) {
        return STRATA_EINVAL;
    }
    for (size_t i = 0; i < n; i++) {
        if (strlen(cb[i].type) >= sizeof(s->cb[i].type) || cb[i].len > SCRAM_CB_DATA_MAX) {
            return STRATA_EINVAL;
        }
        strcpy(s->cb[i].type, cb[i].type);
        if (cb[i].len > 0) {
            memcpy(s->cb[i].data, cb[i].data, cb[i].len);
        }
        s->cb[i].len = cb[i].len;
    }
    s->n_cb = n;
    return 0;
}

int scram_server_new(const struct scram_server_params *params, struct scram_server **out)
{
    const struct sasl_mech_info *info = NULL;
    struct scram_server *s = NULL;
    *out = NULL;
    if ((unsigned)params->mech >= SASL_MECH_COUNT) {
        return STRATA_EINVAL;
    }
    info = sasl_mech_info(params->mech);
    if (!info->scram || params->secret == NULL || params->secret_len < SCRAM_SECRET_MIN) {
        return STRATA_EINVAL;
    }
    s = xcalloc(1, sizeof(*s));
    s->hash = info->hash;
    s->plus = info->plus;
    s->plus_advertised = params->plus_advertised || info->plus;
    if (copy_cb(s, params->cb, params->n_cb) < 0) {
        goto fail;
    }
    /* A longer secret adds nothing to HMAC-SHA-256's 256-bit key. */
    s->secret_len = params->secret_len < sizeof(s->secret) ? params->secret_len : sizeof(s->secret);
    memcpy(s->secret, params->secret, s->secret_len);
    s->fake_iterations =
        params->fake_iterations ? params->fake_iterations : SCRAM_ITERATIONS_DEFAULT;
    s->ssdp_hash = params->ssdp_hash ? xstrdup(params->ssdp_hash) : NULL;
    *out = s;
    return 0;
fail:
    scram_server_free(s);
    return STRATA_EINVAL;
}

void scram_server_free(struct scram_server *s)
{
    if (s == NULL) {
        return;
    }
    scram_credentials_wipe(&s->creds);
    OPENSSL_cleanse(s->secret, sizeof(s->secret));
    free(s->ssdp_hash);
    free(s->username);
    free(s->authzid);
    free(s->nonce_override);
    strbuf_release(&s->gs2_header);
    strbuf_release(&s->client_first);
    strbuf_release(&s->server_first);
    strbuf_release(&s->nonce);
    free(s);
}

/* Takes the text up to the next ',' (or the end) off the front of `rest`
 * into `*f`. Returns whether a ',' ended it, i.e. another field follows. */
static bool take_field(struct view *rest, struct view *f)
{
    f->p = rest->p;
    f->len = 0;
    while (f->len < rest->len && rest->p[f->len] != ',') {
        f->len++;
    }
    bool comma = f->len < rest->len;
    rest->p += f->len + comma;
    rest->len -= f->len + comma;
    return comma;
}

/* Whether `f` is "<name>=<value>" with a one-letter name; the value goes
 * to `*value`. */
static bool attr(struct view f, char name, struct view *value)
{
    if (f.len < 2 || f.p[0] != name || f.p[1] != '=') {
        return false;
    }
    value->p = f.p + 2;
    value->len = f.len - 2;
    return true;
}

/* RFC 5802 §7: attr-val = ALPHA "=" value, value = 1*value-char. */
static bool is_extension(struct view f)
{
    char c = f.len > 0 ? f.p[0] : 0;
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    return alpha && f.len >= 3 && f.p[1] == '=';
}

/* RFC 5802 §7: printable = %x21-2B / %x2D-7E (no ','). */
static bool is_printable(struct view v)
{
    for (size_t i = 0; i < v.len; i++) {
        unsigned char c = (unsigned char)v.p[i];
        if (c < 0x21 || c > 0x7e || c == ',') {
            return false;
        }
    }
    return true;
}

/* RFC 5802 §5.1: in a saslname, ',' and '=' travel as "=2C" and "=3D";
 * any other '=' is an error. Returns a new string or NULL. */
static char *saslname_decode(struct view v, size_t max)
{
    struct strbuf out = STRBUF_INIT;
    if (v.len == 0 || v.len > max * 3) {
        return NULL;
    }
    for (size_t i = 0; i < v.len; i++) {
        char c = v.p[i];
        if (c == '\0') {
            goto fail;
        }
        if (c == '=') {
            if (v.len - i >= 3 && memcmp(v.p + i, "=2C", 3) == 0) {
                c = ',';
            } else if (v.len - i >= 3 && memcmp(v.p + i, "=3D", 3) == 0) {
                c = '=';
            } else {
                goto fail;
            }
            i += 2;
        }
        strbuf_add(&out, &c, 1);
    }
    if (out.len > max) {
        goto fail;
    }
    return strbuf_take(&out);
fail:
    strbuf_release(&out);
    return NULL;
}

/* Whether `s` (NUL-terminated) is well-formed UTF-8 (RFC 3629 §4): no
 * overlong forms, no surrogates, nothing above U+10FFFF. */
static bool utf8_valid(const char *str)
{
    const unsigned char *p = (const unsigned char *)str;
    while (*p != '\0') {
        unsigned char c = *p;
        size_t n = c < 0x80                 ? 0
                   : c >= 0xc2 && c <= 0xdf ? 1
                   : c >= 0xe0 && c <= 0xef ? 2
                   : c >= 0xf0 && c <= 0xf4 ? 3
                                            : 4;
        if (n == 4) {
            return false;
        }
        unsigned char lo = 0x80, hi = 0xbf;
        if (c == 0xe0) {
            lo = 0xa0;
        } else if (c == 0xed) {
            hi = 0x9f;
        } else if (c == 0xf0) {
            lo = 0x90;
        } else if (c == 0xf4) {
            hi = 0x8f;
        }
        for (size_t k = 1; k <= n; k++) {
            if (p[k] < (k == 1 ? lo : 0x80) || p[k] > (k == 1 ? hi : 0xbf)) {
                return false;
            }
        }
        p += n + 1;
    }
    return true;
}

static const struct cb_entry *find_cb(const struct scram_server *s, struct view name)
{
    for (size_t i = 0; i < s->n_cb; i++) {
        if (strlen(s->cb[i].type) == name.len && memcmp(s->cb[i].type, name.p, name.len) == 0) {
            return &s->cb[i];
        }
    }
    return NULL;
}

/* RFC 5802 §6 and §7: the gs2-cbind-flag against the mechanism chosen. */
static int check_cbind_flag(struct scram_server *s, struct view flag)
{
    struct view name;
    if (attr(flag, 'p', &name)) {
        /* "p" is only valid with a -PLUS mechanism, and only for a type
         * this connection can prove. */
        if (!s->plus) {
            return malformed(s, "channel-binding-not-supported");
        }
        s->cb_used = find_cb(s, name);
        if (s->cb_used == NULL) {
            return malformed(s, "unsupported-channel-binding-type");
        }
        return 0;
    }
    if (flag.len != 1 || (flag.p[0] != 'n' && flag.p[0] != 'y')) {
        return malformed(s, "invalid-encoding");
    }
    if (s->plus) {
        /* A -PLUS mechanism without binding is a contradiction. */
        return malformed(s, "channel-binding-not-supported");
    }
    if (flag.p[0] == 'y' && s->plus_advertised) {
        /* RFC 5802 §6: the client can bind and believes we cannot, yet we
         * advertised -PLUS: someone removed it from our feature list. */
        return fail_with(s, STRATA_EAUTH, SASL_COND_NOT_AUTHORIZED,
                         "server-does-support-channel-binding");
    }
    return 0;
}

/* The authzid field of the GS2 header: empty, or "a=" saslname. */
static int read_authzid(struct scram_server *s, struct view f)
{
    struct view v;
    if (f.len == 0) {
        return 0;
    }
    if (!attr(f, 'a', &v)) {
        return malformed(s, "invalid-encoding");
    }
    s->authzid = saslname_decode(v, AUTHZID_MAX);
    if (s->authzid == NULL || !utf8_valid(s->authzid)) {
        return fail_with(s, STRATA_EINVAL, SASL_COND_INVALID_AUTHZID, "invalid-encoding");
    }
    return 0;
}

/* "n=" saslname, unescaped then SASLprep'd (RFC 5802 §5.1). */
static int read_username(struct scram_server *s, struct view f)
{
    struct view v;
    char *raw = NULL;
    int rc;
    if (!attr(f, 'n', &v)) {
        return malformed(s, "invalid-encoding");
    }
    raw = saslname_decode(v, USERNAME_MAX);
    if (raw == NULL) {
        return malformed(s, "invalid-username-encoding");
    }
    rc = saslprep(raw, strlen(raw), SASLPREP_QUERY, &s->username);
    free(raw);
    if (rc < 0) {
        return malformed(s, "invalid-username-encoding");
    }
    return 0;
}

static int read_client_nonce(struct scram_server *s, struct view f)
{
    struct view v;
    if (!attr(f, 'r', &v) || !is_printable(v)) {
        return malformed(s, "invalid-encoding");
    }
    if (v.len < SCRAM_NONCE_MIN || v.len > SCRAM_NONCE_MAX) {
        return malformed(s, "invalid-encoding");
    }
    strbuf_add(&s->nonce, v.p, v.len);
    return 0;
}

/* client-first-message-bare = [reserved-mext ","] username "," nonce
 * ["," extensions] (RFC 5802 §7). */
static int read_bare(struct scram_server *s, struct view rest)
{
    struct view f, v;
    bool more = take_field(&rest, &f);
    int rc;
    if (attr(f, 'm', &v)) {
        /* RFC 5802 §5.1: "m" is reserved; its presence MUST fail. */
        return malformed(s, "extensions-not-supported");
    }
    if (!more) {
        return malformed(s, "invalid-encoding");
    }
    rc = read_username(s, f);
    if (rc < 0) {
        return rc;
    }
    more = take_field(&rest, &f);
    rc = read_client_nonce(s, f);
    if (rc < 0) {
        return rc;
    }
    /* Unknown extensions are ignored, but must be well-formed. */
    while (more) {
        more = take_field(&rest, &f);
        if (!is_extension(f)) {
            return malformed(s, "invalid-encoding");
        }
    }
    return 0;
}

int scram_server_start(struct scram_server *s, const void *msg, size_t len)
{
    struct view rest = {msg, len};
    int rc;
    if (s->state != WAIT_FIRST) {
        return malformed(s, "other-error");
    }
    /* SECURITY: bound and screen the whole message before parsing. */
    if (len > SASL_MAX_MESSAGE) {
        return fail_with(s, STRATA_ELIMIT, SASL_COND_MALFORMED_REQUEST, "other-error");
    }
    if (len == 0 || memchr(msg, '\0', len) != NULL) {
        return malformed(s, "invalid-encoding");
    }
    /* RFC 5802 §7: gs2-header = gs2-cbind-flag "," [authzid] "," */
    struct view flag, authzid;
    if (!take_field(&rest, &flag) || !take_field(&rest, &authzid)) {
        return malformed(s, "invalid-encoding");
    }
    size_t header_len = len - rest.len;
    rc = check_cbind_flag(s, flag);
    if (rc == 0) {
        rc = read_authzid(s, authzid);
    }
    if (rc == 0) {
        rc = read_bare(s, rest);
    }
    if (rc < 0) {
        return rc;
    }
    strbuf_add(&s->gs2_header, msg, header_len);
    strbuf_add(&s->client_first, rest.p, rest.len);
    s->state = WAIT_CREDENTIALS;
    return 0;
}

const char *scram_server_username(const struct scram_server *s)
{
    return s->username;
}

const char *scram_server_authzid(const struct scram_server *s)
{
    return s->authzid;
}

const char *scram_server_cb_type(const struct scram_server *s)
{
    return s->cb_used != NULL ? s->cb_used->type : NULL;
}

int scram_server_set_nonce(struct scram_server *s, const char *nonce)
{
    struct view v = {nonce, strlen(nonce)};
    if (v.len == 0 || v.len > SCRAM_NONCE_MAX || !is_printable(v)) {
        return STRATA_EINVAL;
    }
    free(s->nonce_override);
    s->nonce_override = xstrdup(nonce);
    return 0;
}

/* Appends the server's part of the nonce to the client's. */
static int add_server_nonce(struct scram_server *s)
{
    unsigned char bytes[SERVER_NONCE_BYTES];
    char text[sizeof(bytes) / 3 * 4 + 1];
    if (s->nonce_override != NULL) {
        strbuf_adds(&s->nonce, s->nonce_override);
        return 0;
    }
    if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
        return STRATA_EINTERNAL;
    }
    /* Base64 has no ',' and only printable characters (RFC 5802 §7). */
    base64_encode(bytes, sizeof(bytes), text);
    strbuf_adds(&s->nonce, text);
    return 0;
}

static bool creds_usable(const struct scram_server *s, const struct scram_credentials *c)
{
    return c->hash == s->hash && c->salt_len >= SCRAM_SALT_MIN && c->salt_len <= SCRAM_SALT_MAX &&
           c->iterations >= SCRAM_ITERATIONS_MIN && c->iterations <= SCRAM_ITERATIONS_MAX;
}

int scram_server_continue(struct scram_server *s, const struct scram_credentials *creds,
                          struct strbuf *out)
{
    if (s->state != WAIT_CREDENTIALS) {
        return malformed(s, "other-error");
    }
    if (creds == NULL) {
        /* RFC 5802 §9: do not reveal that the user does not exist. */
        scram_credentials_fake(s->hash, s->secret, s->secret_len, s->username, s->fake_iterations,
                               &s->creds);
    } else if (creds_usable(s, creds)) {
        s->creds = *creds;
    } else {
        return fail_with(s, STRATA_EINVAL, SASL_COND_TEMPORARY_AUTH_FAILURE, "other-error");
    }
    if (add_server_nonce(s) < 0) {
        return fail_with(s, STRATA_EINTERNAL, SASL_COND_TEMPORARY_AUTH_FAILURE, "other-error");
    }
    char *salt = base64_encode_new(s->creds.salt, s->creds.salt_len);
    strbuf_addf(&s->server_first, "r=%s,s=%s,i=%u", s->nonce.ptr, salt, s->creds.iterations);
    free(salt);
    if (s->ssdp_hash != NULL) {
        /* XEP-0474 §4.1: an extension attribute, so the client's proof
         * covers it through the AuthMessage. */
        strbuf_addf(&s->server_first, ",h=%s", s->ssdp_hash);
    }
    strbuf_add(out, s->server_first.ptr, s->server_first.len);
    s->state = WAIT_FINAL;
    return 0;
}

/* RFC 5802 §6: c= carries base64(gs2-header [cbind-data]); for "n" and "y"
 * that is "biws" and "eSws" (no authzid). Compared as decoded bytes. */
static int check_binding(struct scram_server *s, struct view c)
{
    struct strbuf want = STRBUF_INIT;
    unsigned char got[SASL_MAX_MESSAGE];
    size_t got_len = 0;
    int rc = 0;
    if (base64_decode(c.p, c.len, got, sizeof(got), &got_len) < 0) {
        rc = fail_with(s, STRATA_EINVAL, SASL_COND_INCORRECT_ENCODING, "invalid-encoding");
        goto fail;
    }
    strbuf_add(&want, s->gs2_header.ptr, s->gs2_header.len);
    if (s->cb_used != NULL) {
        strbuf_add(&want, s->cb_used->data, s->cb_used->len);
    }
    if (got_len != want.len || CRYPTO_memcmp(got, want.ptr, want.len) != 0) {
        rc = fail_with(s, STRATA_EAUTH, SASL_COND_NOT_AUTHORIZED, "channel-bindings-dont-match");
    }
fail:
    strbuf_release(&want);
    return rc;
}

/* Splits client-final-message into its fields; `*without_proof` is the
 * message up to the ",p=" (RFC 5802 §7). */
static int split_final(struct scram_server *s, struct view msg, struct view *c, struct view *r,
                       struct view *proof, struct view *without_proof)
{
    struct view rest = msg;
    struct view f;
    if (!take_field(&rest, &f) || !attr(f, 'c', c) || !take_field(&rest, &f) || !attr(f, 'r', r)) {
        return malformed(s, "invalid-encoding");
    }
    /* Extensions may sit between the nonce and the proof, which is last. */
    for (;;) {
        const char *start = rest.p;
        bool more = take_field(&rest, &f);
        if (attr(f, 'p', proof)) {
            if (more) {
                return malformed(s, "invalid-encoding");
            }
            without_proof->p = msg.p;
            without_proof->len = (size_t)(start - 1 - msg.p);
            return 0;
        }
        if (!more || !is_extension(f)) {
            return malformed(s, "invalid-encoding");
        }
    }
}

/* AuthMessage := client-first-message-bare "," server-first-message ","
 * client-final-message-without-proof (RFC 5802 §3). */
static void auth_message(const struct scram_server *s, struct view without_proof,
                         struct strbuf *out)
{
    strbuf_add(out, s->client_first.ptr, s->client_first.len);
    strbuf_add(out, ",", 1);
    strbuf_add(out, s->server_first.ptr, s->server_first.len);
    strbuf_add(out, ",", 1);
    strbuf_add(out, without_proof.p, without_proof.len);
}

/* RFC 5802 §3: ClientKey := ClientProof XOR HMAC(StoredKey, AuthMessage);
 * the proof holds when H(ClientKey) = StoredKey. Constant time, and the
 * same work for fake credentials. */
static bool proof_holds(const struct scram_server *s, const unsigned char *proof,
                        const struct strbuf *auth)
{
    size_t n = scram_hash_size(s->hash);
    unsigned char key[SCRAM_HASH_MAX];
    unsigned char stored[SCRAM_HASH_MAX];
    scram__hmac(s->hash, s->creds.stored_key, n, auth->ptr, auth->len, key);
    for (size_t i = 0; i < n; i++) {
        key[i] ^= proof[i];
    }
    scram__digest(s->hash, key, n, stored);
    bool ok = CRYPTO_memcmp(stored, s->creds.stored_key, n) == 0;
    OPENSSL_cleanse(key, sizeof(key));
    return ok && !s->creds.fake;
}

/* Checks the proof and, when it holds, appends "v=" ServerSignature. */
static int check_proof(struct scram_server *s, struct view p64, struct view without_proof,
                       struct strbuf *out)
{
    size_t n = scram_hash_size(s->hash);
    unsigned char proof[SCRAM_HASH_MAX];
    unsigned char sig[SCRAM_HASH_MAX];
    char sig64[SCRAM_HASH_MAX / 3 * 4 + 8];
    struct strbuf auth = STRBUF_INIT;
    size_t got = 0;
    int rc = 0;
    rc = base64_decode(p64.p, p64.len, proof, sizeof(proof), &got);
    if (rc == STRATA_EINVAL) {
        rc = fail_with(s, STRATA_EINVAL, SASL_COND_INCORRECT_ENCODING, "invalid-encoding");
        goto fail;
    }
    if (rc < 0 || got != n) {
        rc = malformed(s, "invalid-proof");
        goto fail;
    }
    auth_message(s, without_proof, &auth);
    if (!proof_holds(s, proof, &auth)) {
        rc = fail_with(s, STRATA_EAUTH, SASL_COND_NOT_AUTHORIZED,
                       s->creds.fake ? "unknown-user" : "invalid-proof");
        goto fail;
    }
    scram__hmac(s->hash, s->creds.server_key, n, auth.ptr, auth.len, sig);
    base64_encode(sig, n, sig64);
    strbuf_adds(out, "v=");
    strbuf_adds(out, sig64);
fail:
    strbuf_release(&auth);
    return rc;
}

int scram_server_final(struct scram_server *s, const void *msg, size_t len, struct strbuf *out)
{
    struct view c, r, proof, without_proof;
    int rc;
    if (s->state != WAIT_FINAL) {
        return malformed(s, "other-error");
    }
    if (len > SASL_MAX_MESSAGE) {
        return fail_with(s, STRATA_ELIMIT, SASL_COND_MALFORMED_REQUEST, "other-error");
    }
    if (len == 0 || memchr(msg, '\0', len) != NULL) {
        return malformed(s, "invalid-encoding");
    }
    rc = split_final(s, (struct view){msg, len}, &c, &r, &proof, &without_proof);
    if (rc < 0) {
        return rc;
    }
    rc = check_binding(s, c);
    if (rc < 0) {
        return rc;
    }
    /* The nonce must be exactly the combined one of server-first. */
    if (r.len != s->nonce.len || memcmp(r.p, s->nonce.ptr, r.len) != 0) {
        return fail_with(s, STRATA_EAUTH, SASL_COND_NOT_AUTHORIZED, "other-error");
    }
    rc = check_proof(s, proof, without_proof, out);
    if (rc < 0) {
        return rc;
    }
    s->state = DONE;
    return 0;
}

enum sasl_condition scram_server_condition(const struct scram_server *s)
{
    return s->cond;
}

const char *scram_server_error(const struct scram_server *s)
{
    return s->error;
}
