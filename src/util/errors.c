/*
 * Phrases for STRATA_E* codes; see include/strata/errors.h.
 */
#include "strata/errors.h"

const char *strata_strerror(int code)
{
    switch (code) {
    case STRATA_OK:
        return "success";
    case STRATA_EINVAL:
        return "bad argument or malformed input";
    case STRATA_ENOENT:
        return "not found";
    case STRATA_EEXIST:
        return "already exists";
    case STRATA_ELIMIT:
        return "a configured limit was exceeded";
    case STRATA_EIO:
        return "input/output failure";
    case STRATA_ECLOSED:
        return "closed";
    case STRATA_EAGAIN:
        return "not ready";
    case STRATA_EAUTH:
        return "authentication failed";
    case STRATA_ETLS:
        return "TLS failure";
    case STRATA_EINTERNAL:
        break;
    }
    return "internal error";
}
