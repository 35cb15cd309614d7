/*
 * RFC 6120 error tables and builders; see errors.h.
 */
#include "xmpp/errors.h"

#include <string.h>

#include "strata/errors.h"

struct stanza_error_row {
    const char *name;
    const char *type; /* the type RFC 6120 §8.3.3 gives in its examples */
};

static const struct stanza_error_row stanza_rows[] = {
    [SE_BAD_REQUEST] = {"bad-request", "modify"},
    [SE_CONFLICT] = {"conflict", "cancel"},
    [SE_FEATURE_NOT_IMPLEMENTED] = {"feature-not-implemented", "cancel"},
    [SE_FORBIDDEN] = {"forbidden", "auth"},
    [SE_GONE] = {"gone", "cancel"},
    [SE_INTERNAL_SERVER_ERROR] = {"internal-server-error", "cancel"},
    [SE_ITEM_NOT_FOUND] = {"item-not-found", "cancel"},
    [SE_JID_MALFORMED] = {"jid-malformed", "modify"},
    [SE_NOT_ACCEPTABLE] = {"not-acceptable", "modify"},
    [SE_NOT_ALLOWED] = {"not-allowed", "cancel"},
    [SE_NOT_AUTHORIZED] = {"not-authorized", "auth"},
    [SE_POLICY_VIOLATION] = {"policy-violation", "modify"},
    [SE_RECIPIENT_UNAVAILABLE] = {"recipient-unavailable", "wait"},
    [SE_REDIRECT] = {"redirect", "modify"},
    [SE_REGISTRATION_REQUIRED] = {"registration-required", "auth"},
    [SE_REMOTE_SERVER_NOT_FOUND] = {"remote-server-not-found", "cancel"},
    [SE_REMOTE_SERVER_TIMEOUT] = {"remote-server-timeout", "wait"},
    [SE_RESOURCE_CONSTRAINT] = {"resource-constraint", "wait"},
    [SE_SERVICE_UNAVAILABLE] = {"service-unavailable", "cancel"},
    [SE_SUBSCRIPTION_REQUIRED] = {"subscription-required", "auth"},
    [SE_UNDEFINED_CONDITION] = {"undefined-condition", "cancel"},
    [SE_UNEXPECTED_REQUEST] = {"unexpected-request", "wait"},
};

static const char *const stream_names[] = {
    [STREAM_BAD_FORMAT] = "bad-format",
    [STREAM_BAD_NAMESPACE_PREFIX] = "bad-namespace-prefix",
    [STREAM_CONFLICT] = "conflict",
    [STREAM_CONNECTION_TIMEOUT] = "connection-timeout",
    [STREAM_HOST_GONE] = "host-gone",
    [STREAM_HOST_UNKNOWN] = "host-unknown",
    [STREAM_IMPROPER_ADDRESSING] = "improper-addressing",
    [STREAM_INTERNAL_SERVER_ERROR] = "internal-server-error",
    [STREAM_INVALID_FROM] = "invalid-from",
    [STREAM_INVALID_NAMESPACE] = "invalid-namespace",
    [STREAM_INVALID_XML] = "invalid-xml",
    [STREAM_NOT_AUTHORIZED] = "not-authorized",
    [STREAM_NOT_WELL_FORMED] = "not-well-formed",
    [STREAM_POLICY_VIOLATION] = "policy-violation",
    [STREAM_REMOTE_CONNECTION_FAILED] = "remote-connection-failed",
    [STREAM_RESET] = "reset",
    [STREAM_RESOURCE_CONSTRAINT] = "resource-constraint",
    [STREAM_RESTRICTED_XML] = "restricted-xml",
    [STREAM_SEE_OTHER_HOST] = "see-other-host",
    [STREAM_SYSTEM_SHUTDOWN] = "system-shutdown",
    [STREAM_UNDEFINED_CONDITION] = "undefined-condition",
    [STREAM_UNSUPPORTED_ENCODING] = "unsupported-encoding",
    [STREAM_UNSUPPORTED_FEATURE] = "unsupported-feature",
    [STREAM_UNSUPPORTED_STANZA_TYPE] = "unsupported-stanza-type",
    [STREAM_UNSUPPORTED_VERSION] = "unsupported-version",
};

int stanza_error_find(const char *name, enum stanza_error *out)
{
    for (size_t i = 0; i < sizeof stanza_rows / sizeof stanza_rows[0]; i++) {
        if (strcmp(stanza_rows[i].name, name) == 0) {
            *out = (enum stanza_error)i;
            return 0;
        }
    }
    return STRATA_ENOENT;
}

const char *stanza_error_name(enum stanza_error e)
{
    return stanza_rows[e].name;
}

const char *stream_error_name(enum stream_error e)
{
    return stream_names[e];
}

static void add_text(struct strata_stanza *parent, const char *ns, const char *text)
{
    struct strata_stanza *t = strata_stanza_add_text_child(parent, "text", ns, text);
    if (t) {
        strata_stanza_set_attr_ns(t, strata_atoms.ns_xml, "lang", "en");
    }
}

struct strata_stanza *stanza_error_reply(const struct strata_stanza *st, enum stanza_error e,
                                         const char *text)
{
    const char *type = strata_stanza_attr(st, "type");
    if (type && strcmp(type, "error") == 0) {
        return NULL;
    }
    struct strata_stanza *r = strata_stanza_new(strata_stanza_name(st), strata_stanza_ns(st));
    if (!r) {
        return NULL; /* not an XML name: cannot happen for a parsed stanza */
    }
    strata_stanza_set_attr(r, "to", strata_stanza_attr(st, "from"));
    strata_stanza_set_attr(r, "from", strata_stanza_attr(st, "to"));
    strata_stanza_set_attr(r, "id", strata_stanza_attr(st, "id"));
    strata_stanza_set_attr(r, "type", "error");
    struct strata_stanza *err = strata_stanza_add_child(r, "error", NULL);
    strata_stanza_set_attr(err, "type", stanza_rows[e].type);
    strata_stanza_add_child(err, stanza_rows[e].name, strata_atoms.ns_xmpp_stanzas);
    if (text) {
        add_text(err, strata_atoms.ns_xmpp_stanzas, text);
    }
    return r;
}

struct strata_stanza *stream_error_new(enum stream_error e, const char *text)
{
    struct strata_stanza *err = strata_stanza_new("error", strata_atoms.ns_streams);
    strata_stanza_add_child(err, stream_names[e], strata_atoms.ns_xmpp_streams);
    if (text) {
        add_text(err, strata_atoms.ns_xmpp_streams, text);
    }
    return err;
}
