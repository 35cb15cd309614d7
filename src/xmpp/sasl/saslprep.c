/*
 * SASLprep through libidn's stringprep profile; see saslprep.h.
 */
#include "xmpp/sasl/saslprep.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <stringprep.h>

#include "strata/errors.h"
#include "util/xalloc.h"
#include "xmpp/sasl/mechanisms.h"

int saslprep(const char *in, size_t len, enum saslprep_mode mode, char **out)
{
    char *text = NULL;
    char *prepped = NULL;
    int rc = STRATA_EINVAL;
    *out = NULL;
    if (len > SASL_MAX_MESSAGE) {
        return STRATA_ELIMIT;
    }
    /* SECURITY: stringprep works on C strings, so an embedded NUL would
     * silently cut the text; libidn also refuses input that is not UTF-8. */
    if (memchr(in, '\0', len) != NULL) {
        return STRATA_EINVAL;
    }
    text = xstrndup(in, len);
    Stringprep_profile_flags flags = mode == SASLPREP_STORED ? STRINGPREP_NO_UNASSIGNED : 0;
    if (stringprep_profile(text, &prepped, "SASLprep", flags) != STRINGPREP_OK) {
        goto fail;
    }
    /* RFC 5802 §5.1: a name that prepares to the empty string is refused;
     * the same holds for passwords (RFC 4616 §2: passwd = 1*SAFE). */
    if (prepped[0] == '\0') {
        goto fail;
    }
    *out = xstrdup(prepped);
    rc = 0;
fail:
    /* The text may be a password: leave no copy behind in freed memory. */
    if (prepped != NULL) {
        OPENSSL_cleanse(prepped, strlen(prepped));
        free(prepped);
    }
    OPENSSL_cleanse(text, len);
    free(text);
    return rc;
}
