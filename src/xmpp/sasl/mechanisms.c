/*
 * Mechanism table, payload encoding, authzid check and the XEP-0474
 * downgrade-protection hash; see mechanisms.h.
 */
#include "xmpp/sasl/mechanisms.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "strata/errors.h"
#include "util/base64.h"
#include "util/xalloc.h"
#include "xmpp/sasl/credentials.h"

static const struct sasl_mech_info mechs[SASL_MECH_COUNT] = {
    [SASL_MECH_PLAIN] = {"PLAIN", false, SCRAM_SHA_1, false},
    [SASL_MECH_SCRAM_SHA_1] = {"SCRAM-SHA-1", true, SCRAM_SHA_1, false},
    [SASL_MECH_SCRAM_SHA_1_PLUS] = {"SCRAM-SHA-1-PLUS", true, SCRAM_SHA_1, true},
    [SASL_MECH_SCRAM_SHA_256] = {"SCRAM-SHA-256", true, SCRAM_SHA_256, false},
    [SASL_MECH_SCRAM_SHA_256_PLUS] = {"SCRAM-SHA-256-PLUS", true, SCRAM_SHA_256, true},
};

const struct sasl_mech_info *sasl_mech_info(enum sasl_mech mech)
{
    return &mechs[mech];
}

int sasl_mech_find(const char *name, size_t len, enum sasl_mech *out)
{
    for (int m = 0; m < SASL_MECH_COUNT; m++) {
        if (strlen(mechs[m].name) == len && memcmp(mechs[m].name, name, len) == 0) {
            *out = (enum sasl_mech)m;
            return 0;
        }
    }
    return STRATA_ENOENT;
}

size_t scram_hash_size(enum scram_hash hash)
{
    return hash == SCRAM_SHA_1 ? 20 : 32;
}

const char *scram_hash_name(enum scram_hash hash)
{
    return hash == SCRAM_SHA_1 ? "scram-sha-1" : "scram-sha-256";
}

static bool is_xml_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Copies `text` without XML whitespace. */
static void strip_space(const char *text, size_t len, struct strbuf *out)
{
    for (size_t i = 0; i < len; i++) {
        if (!is_xml_space(text[i])) {
            strbuf_add(out, &text[i], 1);
        }
    }
}

/* Decodes base64 `text` into `out`: 0, STRATA_EINVAL or STRATA_ELIMIT. */
static int decode_into(const struct strbuf *text, struct strbuf *out)
{
    size_t max = base64_decoded_max(text->len);
    size_t n = 0;
    if (max > SASL_MAX_MESSAGE + 2) {
        return STRATA_ELIMIT;
    }
    unsigned char *bytes = xmalloc(max + 1);
    int rc = base64_decode(text->ptr, text->len, bytes, max, &n);
    if (rc == 0 && n > SASL_MAX_MESSAGE) {
        rc = STRATA_ELIMIT;
    }
    if (rc == 0) {
        strbuf_add(out, bytes, n);
    }
    free(bytes);
    return rc;
}

int sasl_payload_decode(const char *text, size_t len, struct strbuf *out, enum sasl_condition *cond)
{
    struct strbuf packed = STRBUF_INIT;
    int rc = 0;
    strbuf_release(out);
    /* SECURITY: bound the text before copying it: base64 of the largest
     * message, with room for line breaks. */
    if (len > base64_encoded_len(SASL_MAX_MESSAGE) * 2) {
        rc = STRATA_ELIMIT;
        goto fail;
    }
    strip_space(text, len, &packed);
    /* RFC 6120 §6.4.2: a single "=" is a message of zero bytes. */
    if (!(packed.len == 1 && packed.ptr[0] == '=')) {
        rc = decode_into(&packed, out);
    }
fail:
    strbuf_release(&packed);
    *cond = rc == 0               ? SASL_COND_NONE
            : rc == STRATA_ELIMIT ? SASL_COND_MALFORMED_REQUEST
                                  : SASL_COND_INCORRECT_ENCODING;
    return rc;
}

char *sasl_payload_encode(const void *data, size_t len)
{
    if (len == 0) {
        return xstrdup("=");
    }
    return base64_encode_new(data, len);
}

bool sasl_authzid_is_self(const char *authzid, const char *username, const char *domain)
{
    if (authzid == NULL || authzid[0] == '\0') {
        return true;
    }
    size_t ulen = strlen(username);
    if (strncmp(authzid, username, ulen) != 0 || authzid[ulen] != '@') {
        return false;
    }
    /* Domains are case-insensitive (RFC 7622 §3.2 via IDNA); full
     * nameprep is the JID layer's job, ASCII case covers real clients. */
    return strcasecmp(authzid + ulen + 1, domain) == 0;
}

static int by_octets(const void *a, const void *b)
{
    /* strcmp compares as unsigned char: the "i;octet" collation. */
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Appends `names` sorted by octet and joined by 0x1E. */
static int add_sorted(struct strbuf *s, const char *const *names, size_t n)
{
    const char **sorted = xcalloc(n ? n : 1, sizeof(*sorted));
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (names[i][0] == '\0' || strpbrk(names[i], "\x1e\x1f") != NULL) {
            rc = STRATA_EINVAL;
            goto fail;
        }
        sorted[i] = names[i];
    }
    qsort(sorted, n, sizeof(*sorted), by_octets);
    for (size_t i = 0; i < n; i++) {
        if (i > 0) {
            strbuf_add(s, "\x1e", 1);
        }
        strbuf_adds(s, sorted[i]);
    }
fail:
    free(sorted);
    return rc;
}

int sasl_ssdp_hash(enum scram_hash hash, const char *const *mechs_list, size_t n_mechs,
                   const char *const *cb_types, size_t n_cb, char out[SASL_SSDP_HASH_SIZE])
{
    struct strbuf s = STRBUF_INIT;
    unsigned char digest[SCRAM_HASH_MAX];
    int rc = add_sorted(&s, mechs_list, n_mechs);
    if (rc < 0) {
        goto fail;
    }
    /* XEP-0474 §4.1 steps 3-4: the channel-binding part only exists when
     * XEP-0440 advertised the types. */
    if (cb_types != NULL) {
        strbuf_add(&s, "\x1f", 1);
        rc = add_sorted(&s, cb_types, n_cb);
        if (rc < 0) {
            goto fail;
        }
    }
    scram__digest(hash, s.ptr != NULL ? s.ptr : "", s.len, digest);
    base64_encode(digest, scram_hash_size(hash), out);
fail:
    strbuf_release(&s);
    return rc;
}
