/*
 * Which sessions each account has, per host: resource binding (RFC 6120
 * §7) with conflict handling, and lookups for the router.
 */
#ifndef STRATA_CORE_SESSIONS_H
#define STRATA_CORE_SESSIONS_H

#include "core/server.h"
#include "xmpp/c2s.h"

/* Events fired on the session's host, with ev.origin the session:
 *   "resource-bind"    after a resource is bound (the session is reachable)
 *   "resource-unbind"  once when a bound session goes away, for any reason
 *                      (stream close, error, conflict, connection loss),
 *                      after it left the registry; its stream may already
 *                      be closed, so handlers must not write to it. */

/* Binds `c` (authenticated, c->username set) to `resource`, or to a
 * server-generated one when NULL or empty. An existing session with the
 * same full JID is ended with <conflict/> (the new one wins, RFC 6120
 * §7.7.2.2). Returns 0, or STRATA_EINVAL when the resource does not
 * prepare (the caller answers bad-request, §7.7.2.1). */
int sessions_bind(struct strata_session *c, const char *resource);

/* Removes a bound session from its user's list (on close). */
void sessions_unbind(struct strata_session *c);

/* The first session of a bare JID on `h` (follow next_resource), or NULL. */
struct strata_session *sessions_of(struct strata_host *h, const char *bare);

/* The session with this exact full JID, or NULL. */
struct strata_session *sessions_find(struct strata_host *h, const char *bare, const char *resource);

#endif
