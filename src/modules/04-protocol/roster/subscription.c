/*
 * The subscription state machine; see subscription.h. Each case cites the
 * table of RFC 6121 Appendix A it implements; tests/unit/modules/
 * test_subscription.c checks every row.
 */
#include "modules/04-protocol/roster/subscription.h"

#include <string.h>

static const char *const type_names[] = {"subscribe", "subscribed", "unsubscribe", "unsubscribed"};

int sub_type_parse(const char *type)
{
    for (int i = 0; type && i < 4; i++) {
        if (strcmp(type, type_names[i]) == 0) {
            return i;
        }
    }
    return -1;
}

const char *sub_type_name(enum sub_type t)
{
    return (unsigned)t < 4 ? type_names[t] : "?";
}

bool sub_state_valid(unsigned s)
{
    if (s & ~SUB_MASK) {
        return false;
    }
    if ((s & SUB_TO) && (s & SUB_PENDING_OUT)) {
        return false; /* A.1: "To" has no pending out */
    }
    if ((s & SUB_FROM) && (s & SUB_PENDING_IN)) {
        return false; /* A.1: "From" has no pending in */
    }
    /* §3.4: a pre-approval waits for a request; it cannot coexist with
     * the request or the subscription it leads to. */
    return !((s & SUB_APPROVED) && (s & (SUB_FROM | SUB_PENDING_IN)));
}

struct sub_result sub_outbound(unsigned s, enum sub_type t)
{
    struct sub_result r = {s, false, false};
    switch (t) {
    case SUB_SUBSCRIBE:
        /* A.2.1: always routed (the contact's server drops duplicates);
         * without "to" the request is now pending. */
        r.pass = true;
        if (!(s & SUB_TO)) {
            r.state = s | SUB_PENDING_OUT;
        }
        break;
    case SUB_UNSUBSCRIBE:
        /* A.2.2: always routed; "to" and a pending request both end. */
        r.pass = true;
        r.state = s & ~(SUB_TO | SUB_PENDING_OUT);
        break;
    case SUB_SUBSCRIBED:
        if (s & SUB_PENDING_IN) {
            /* A.2.3: approving the contact's request. */
            r.pass = true;
            r.state = (s & ~(SUB_PENDING_IN | SUB_APPROVED)) | SUB_FROM;
        } else if (!(s & SUB_FROM)) {
            /* §3.4.1: no request to approve: a pre-approval, kept by the
             * server and not routed. */
            r.state = s | SUB_APPROVED;
        }
        break;
    case SUB_UNSUBSCRIBED:
        if (s & (SUB_PENDING_IN | SUB_FROM)) {
            /* A.2.4: denying a request or cancelling a subscription. */
            r.pass = true;
            r.state = s & ~(SUB_PENDING_IN | SUB_FROM);
        } else {
            /* §3.4.1: "unsubscribed" also withdraws a pre-approval. */
            r.state = s & ~SUB_APPROVED;
        }
        break;
    }
    return r;
}

struct sub_result sub_inbound(unsigned s, enum sub_type t)
{
    struct sub_result r = {s, false, false};
    switch (t) {
    case SUB_SUBSCRIBE:
        if (s & SUB_FROM) {
            r.auto_subscribed = true; /* A.3.1 rows marked *: already subscribed */
        } else if (s & SUB_PENDING_IN) {
            /* A.3.1: a duplicate request is not delivered again. */
        } else if (s & SUB_APPROVED) {
            /* §3.4.2: pre-approved: subscribed at once, on the owner's behalf. */
            r.state = (s & ~SUB_APPROVED) | SUB_FROM;
            r.auto_subscribed = true;
        } else {
            r.pass = true;
            r.state = s | SUB_PENDING_IN;
        }
        break;
    case SUB_SUBSCRIBED:
        /* A.3.2: only an answer to our pending request counts. */
        if (s & SUB_PENDING_OUT) {
            r.pass = true;
            r.state = (s & ~SUB_PENDING_OUT) | SUB_TO;
        }
        break;
    case SUB_UNSUBSCRIBE:
        /* A.3.3: the contact withdraws its request or its subscription. */
        if (s & (SUB_PENDING_IN | SUB_FROM)) {
            r.pass = true;
            r.state = s & ~(SUB_PENDING_IN | SUB_FROM);
        }
        break;
    case SUB_UNSUBSCRIBED:
        /* A.3.4: the contact denies our request or cancels our subscription. */
        if (s & (SUB_PENDING_OUT | SUB_TO)) {
            r.pass = true;
            r.state = s & ~(SUB_PENDING_OUT | SUB_TO);
        }
        break;
    }
    return r;
}

const char *sub_attr(unsigned s)
{
    switch (s & (SUB_TO | SUB_FROM)) {
    case SUB_TO:
        return "to";
    case SUB_FROM:
        return "from";
    case SUB_TO | SUB_FROM:
        return "both";
    default:
        return "none";
    }
}

const char *sub_state_name(unsigned s)
{
    switch (s & ~SUB_APPROVED) {
    case 0:
        return "None";
    case SUB_PENDING_OUT:
        return "None + Pending Out";
    case SUB_PENDING_IN:
        return "None + Pending In";
    case SUB_PENDING_OUT | SUB_PENDING_IN:
        return "None + Pending Out/In";
    case SUB_TO:
        return "To";
    case SUB_TO | SUB_PENDING_IN:
        return "To + Pending In";
    case SUB_FROM:
        return "From";
    case SUB_FROM | SUB_PENDING_OUT:
        return "From + Pending Out";
    case SUB_TO | SUB_FROM:
        return "Both";
    default:
        return "(invalid)";
    }
}
