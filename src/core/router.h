/*
 * The router: every stanza from a client, and every stanza the server
 * makes, goes through here (RFC 6120 §8, §10; RFC 6121 §8.5).
 *
 * It stamps and checks addresses, then fires Prosody's events on the host
 * the stanza is addressed to: "<kind>/host" for the server itself,
 * "<kind>/bare" and "<kind>/full" for accounts, "<kind>/self" for a client's
 * stanza to its own account, and "presence/broadcast" for a client's
 * presence without 'to' (RFC 6121 §4.2-4.5; its 'to' is stamped with the
 * client's bare JID like any other stanza without one). Modules (message,
 * iq, presence, disco...) do the delivery; what nobody handles gets the
 * error RFC 6120 names. On these routing events ev->data is the stanza's
 * prepared `to` (const struct strata_jid *), NULL on "presence/broadcast". 
 */
#ifndef STRATA_CORE_ROUTER_H
#define STRATA_CORE_ROUTER_H

#include "core/server.h"
#include "xmpp/c2s.h"

/* A stanza from a bound client session. Takes the reference. Checks the
 * kind and `from` (a forged `from` ends the stream with <invalid-from/>,
 * RFC 6120 §8.1.2.1), stamps the full JID, then routes. */
void router_from_client(struct strata_session *c, struct strata_stanza *st);

/* Routes a stanza whose `to` and `from` are set. `origin` is the session it
 * came from, or NULL for the server's own. Takes the reference. */
void router_route(struct strata_server *s, struct strata_session *origin, struct strata_stanza *st);

/* Writes `st` to a session. Borrows it. */
void router_deliver(struct strata_session *c, const struct strata_stanza *st);

/* Answers `st` with a stanza error, to its origin session or by routing.
 * Errors are never answered (RFC 6120 §8.3.1). Borrows `st`. */
void router_bounce(struct strata_server *s, struct strata_session *origin,
                   const struct strata_stanza *st, enum stanza_error e, const char *text);

#endif
