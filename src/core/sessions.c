/*
 * The session registry; see sessions.h.
 */
#include "core/sessions.h"

#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strata/errors.h"
#include "util/xalloc.h"

struct user_sessions {
    struct strata_session *head;
};

struct strata_session *sessions_of(struct strata_host *h, const char *bare)
{
    struct user_sessions *u = strmap_get(&h->users, bare);
    return u ? u->head : NULL;
}

struct strata_session *sessions_find(struct strata_host *h, const char *bare, const char *resource)
{
    for (struct strata_session *c = sessions_of(h, bare); c; c = c->next_resource) {
        if (strcmp(c->jid.resource, resource) == 0) {
            return c;
        }
    }
    return NULL;
}

/* RFC 6120 §7.6.2.1: a resource the server makes must be unique; 64 random
 * bits in hex are. */
static void random_resource(char out[17])
{
    unsigned char b[8];
    RAND_bytes(b, sizeof b);
    for (int i = 0; i < 8; i++) {
        snprintf(out + 2 * i, 3, "%02x", b[i]);
    }
}

static void link_session(struct strata_host *h, struct strata_session *c)
{
    struct user_sessions *u = strmap_get(&h->users, c->bare);
    if (!u) {
        u = xcalloc(1, sizeof *u);
        strmap_put(&h->users, c->bare, u);
    }
    c->next_resource = u->head;
    u->head = c;
}

/* Tells the host's modules (presence, offline, carbons...) that a session
 * came or went: "resource-bind" and "resource-unbind", origin = session. */
static void fire(struct strata_session *c, const char *event)
{
    int id = strata_event_id(event);
    struct strata_event ev = {.id = id, .host = c->host, .origin = c};
    if (id >= 0) {
        strata_hooks_fire(c->host->hooks, &ev);
    }
}

int sessions_bind(struct strata_session *c, const char *resource)
{
    char generated[17];
    if (!resource || !*resource) {
        random_resource(generated);
        resource = generated;
    }
    struct strata_jid jid;
    if (strata_jid_from_parts(c->username, c->host->name, resource, 0, &jid) < 0) {
        return STRATA_EINVAL;
    }
    c->jid = jid;
    c->full = strata_jid_to_string(&jid, false);
    c->bare = strata_jid_to_string(&jid, true);
    struct strata_session *old = sessions_find(c->host, c->bare, jid.resource);
    if (old) {
        sessions_unbind(old);
        c2s_stream_error(old, STREAM_CONFLICT, "Replaced by a new connection with this resource");
    }
    link_session(c->host, c);
    fire(c, "resource-bind");
    return 0;
}

void sessions_unbind(struct strata_session *c)
{
    struct user_sessions *u = c->bare ? strmap_get(&c->host->users, c->bare) : NULL;
    if (!u) {
        return;
    }
    bool found = false;
    for (struct strata_session **p = &u->head; *p; p = &(*p)->next_resource) {
        if (*p == c) {
            *p = c->next_resource;
            found = true;
            break;
        }
    }
    c->next_resource = NULL;
    if (!u->head) {
        strmap_remove(&c->host->users, c->bare);
        free(u);
    }
    if (found) {
        fire(c, "resource-unbind"); /* the session is no longer reachable */
    }
}
