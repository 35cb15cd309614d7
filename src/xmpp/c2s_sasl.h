/*
 * SASL for client streams (RFC 6120 §6): which mechanisms a stream offers,
 * and the exchange itself, with account lookups through the accounts API.
 */
#ifndef STRATA_XMPP_C2S_SASL_H
#define STRATA_XMPP_C2S_SASL_H

#include "xmpp/c2s.h"

/* Adds <mechanisms/> and the XEP-0440 channel-binding types to `features`. */
void c2s_sasl_advertise(struct strata_session *c, struct strata_stanza *features);

/* Handles <auth/>, <response/> and <abort/>. On success the session is
 * authenticated through c2s_authenticated(). Borrows `st`. */
void c2s_sasl_handle(struct strata_session *c, const struct strata_stanza *st);

/* Frees the exchange state (and cancels a pending account lookup). */
void c2s_sasl_free(struct strata_session *c);

/* Frees the per-address failure counts (server shutdown). */
void c2s_sasl_forget_failures(struct strata_server *s);

/* Called by the SASL code when the exchange succeeded for `username`
 * (prepared localpart): the stream restarts (RFC 6120 §6.4.6). */
void c2s_authenticated(struct strata_session *c, const char *username);

#endif
