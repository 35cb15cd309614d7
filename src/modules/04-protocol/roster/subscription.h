/*
 * The presence subscription state machine of RFC 6121 §3 and Appendix A,
 * as a pure function of (state, stanza): no I/O, no allocation, so each
 * row of the RFC's tables is a unit test (tests/unit/modules).
 *
 * A state is the subscription of one roster item, seen from its owner:
 * "to" (the owner receives the contact's presence), "from" (the contact
 * receives the owner's), both, or none, plus the pending sub-states
 * "pending out" (the owner asked the contact: ask='subscribe') and
 * "pending in" (the contact asked the owner), plus the pre-approval of
 * RFC 6121 §3.4 (approved='true'). The nine legal combinations are those
 * of Appendix A.1: "to" excludes pending out, "from" excludes pending in,
 * and a pre-approval exists only while there is no "from" and no pending
 * in (it is consumed by the request it pre-approves).
 *
 * Outbound processing (Appendix A.2) is the owner's server handling a
 * subscription stanza the owner sent; inbound (A.3) is the owner's server
 * handling one addressed to the owner. Both sides are ours when the two
 * accounts are local.
 */
#ifndef STRATA_MODULES_ROSTER_SUBSCRIPTION_H
#define STRATA_MODULES_ROSTER_SUBSCRIPTION_H

#include <stdbool.h>

enum sub_bits {
    SUB_TO = 1u << 0,          /* subscribed to the contact's presence */
    SUB_FROM = 1u << 1,        /* the contact is subscribed to ours */
    SUB_PENDING_OUT = 1u << 2, /* our request awaits the contact: ask='subscribe' */
    SUB_PENDING_IN = 1u << 3,  /* the contact's request awaits us */
    SUB_APPROVED = 1u << 4,    /* pre-approved (RFC 6121 §3.4): approved='true' */
};
#define SUB_MASK (SUB_TO | SUB_FROM | SUB_PENDING_OUT | SUB_PENDING_IN | SUB_APPROVED)

/* The four subscription-related presence types (RFC 6121 §3). */
enum sub_type {
    SUB_SUBSCRIBE,
    SUB_SUBSCRIBED,
    SUB_UNSUBSCRIBE,
    SUB_UNSUBSCRIBED,
};

/* What the server does with one subscription stanza. */
struct sub_result {
    unsigned state; /* the new state (equal to the old one: no change) */
    /* Outbound: route the stanza to the contact. Inbound: deliver it to the
     * owner's available resources (and keep it for later ones when it is a
     * request, RFC 6121 §3.1.3). */
    bool pass;
    /* Inbound subscribe only: answer the contact with "subscribed" on the
     * owner's behalf without bothering the owner, because the contact is
     * already subscribed (A.3.1, the rows marked *) or was pre-approved
     * (§3.4.2). */
    bool auto_subscribed;
};

/* Parses "subscribe", "subscribed", "unsubscribe", "unsubscribed"; -1 for
 * anything else (NULL included). */
int sub_type_parse(const char *type);

/* "subscribe" ... for a sub_type. Static. */
const char *sub_type_name(enum sub_type t);

/* Whether `state` is one of the legal combinations above. */
bool sub_state_valid(unsigned state);

/* RFC 6121 Appendix A.2 (with §3.4.1 pre-approval): the owner sent `t`. */
struct sub_result sub_outbound(unsigned state, enum sub_type t);

/* RFC 6121 Appendix A.3 (with §3.4.2 pre-approval): `t` arrived for the
 * owner from the contact. */
struct sub_result sub_inbound(unsigned state, enum sub_type t);

/* The roster's 'subscription' attribute for a state: "none", "to", "from"
 * or "both" (RFC 6121 §2.1.2.5). Static. */
const char *sub_attr(unsigned state);

/* "None + Pending Out/In", "Both"...: a state as Appendix A names it, for
 * logs and test messages. Static. */
const char *sub_state_name(unsigned state);

#endif
