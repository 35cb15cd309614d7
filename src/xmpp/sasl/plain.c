/*
 * SASL PLAIN (RFC 4616); see plain.h.
 */
#include "xmpp/sasl/plain.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "strata/errors.h"
#include "util/xalloc.h"
#include "xmpp/sasl/mechanisms.h"
#include "xmpp/sasl/saslprep.h"

/* Finds the two NUL separators; returns 0 or STRATA_EINVAL when there are
 * not exactly two (RFC 4616 §2: no NUL inside a field). */
static int split(const char *m, size_t len, size_t *first, size_t *second)
{
    const char *a = memchr(m, '\0', len);
    if (a == NULL) {
        return STRATA_EINVAL;
    }
    size_t rest = len - (size_t)(a - m) - 1;
    const char *b = memchr(a + 1, '\0', rest);
    if (b == NULL || memchr(b + 1, '\0', len - (size_t)(b - m) - 1) != NULL) {
        return STRATA_EINVAL;
    }
    *first = (size_t)(a - m);
    *second = (size_t)(b - m);
    return 0;
}

int sasl_plain_parse(const void *msg, size_t len, struct sasl_plain *out, enum sasl_condition *cond)
{
    const char *m = msg;
    size_t a, b;
    char *checked = NULL;
    int rc = STRATA_EINVAL;
    memset(out, 0, sizeof(*out));
    *cond = SASL_COND_MALFORMED_REQUEST;
    if (len > SASL_MAX_MESSAGE) {
        return STRATA_ELIMIT;
    }
    if (len == 0 || split(m, len, &a, &b) < 0) {
        return STRATA_EINVAL;
    }
    size_t authcid_len = b - a - 1;
    size_t password_len = len - b - 1;
    if (a > SASL_PLAIN_AUTHZID_MAX || authcid_len > SASL_PLAIN_AUTHCID_MAX ||
        password_len > SASL_PLAIN_PASSWORD_MAX) {
        return STRATA_ELIMIT;
    }
    /* RFC 4616 §2: authcid and passwd are 1*SAFE; SASLprep refuses the
     * empty string, and anything that is not UTF-8. */
    if (saslprep(m + a + 1, authcid_len, SASLPREP_QUERY, &out->authcid) < 0) {
        goto fail;
    }
    if (saslprep(m + b + 1, password_len, SASLPREP_QUERY, &checked) < 0) {
        goto fail;
    }
    OPENSSL_cleanse(checked, strlen(checked));
    free(checked);
    out->password = xstrndup(m + b + 1, password_len);
    out->password_len = password_len;
    if (a > 0) {
        out->authzid = xstrndup(m, a);
    }
    *cond = SASL_COND_NONE;
    return 0;
fail:
    sasl_plain_release(out);
    return rc;
}

int sasl_plain_verify(const struct sasl_plain *p, const struct scram_credentials *creds)
{
    int rc = scram_credentials_verify_password(creds, p->password, p->password_len);
    return rc == 0 ? 0 : STRATA_EAUTH;
}

void sasl_plain_release(struct sasl_plain *p)
{
    if (p->password != NULL) {
        OPENSSL_cleanse(p->password, p->password_len);
    }
    free(p->password);
    free(p->authcid);
    free(p->authzid);
    memset(p, 0, sizeof(*p));
}
