/*
 * Names of the SASL failure conditions of RFC 6120 §6.5; see conditions.h.
 */
#include "xmpp/sasl/conditions.h"

#include <string.h>

#include "strata/errors.h"

static const char *const names[SASL_COND_COUNT] = {
    [SASL_COND_NONE] = NULL,
    [SASL_COND_ABORTED] = "aborted",
    [SASL_COND_ACCOUNT_DISABLED] = "account-disabled",
    [SASL_COND_CREDENTIALS_EXPIRED] = "credentials-expired",
    [SASL_COND_ENCRYPTION_REQUIRED] = "encryption-required",
    [SASL_COND_INCORRECT_ENCODING] = "incorrect-encoding",
    [SASL_COND_INVALID_AUTHZID] = "invalid-authzid",
    [SASL_COND_INVALID_MECHANISM] = "invalid-mechanism",
    [SASL_COND_MALFORMED_REQUEST] = "malformed-request",
    [SASL_COND_MECHANISM_TOO_WEAK] = "mechanism-too-weak",
    [SASL_COND_NOT_AUTHORIZED] = "not-authorized",
    [SASL_COND_TEMPORARY_AUTH_FAILURE] = "temporary-auth-failure",
};

const char *sasl_condition_name(enum sasl_condition cond)
{
    if ((unsigned)cond >= SASL_COND_COUNT) {
        return NULL;
    }
    return names[cond];
}

int sasl_condition_find(const char *name, enum sasl_condition *out)
{
    for (int i = 1; i < SASL_COND_COUNT; i++) {
        if (strcmp(names[i], name) == 0) {
            *out = (enum sasl_condition)i;
            return 0;
        }
    }
    return STRATA_ENOENT;
}
