/*
 * Rosters in memory and in storage (RFC 6121 §2-3): what the roster module
 * (iq get/set, 04-protocol) and the presence module (broadcast, probes,
 * subscriptions, 05-services) share.
 *
 * A user's roster is loaded from the store when something first needs it
 * (a roster get, presence, a subscription) and kept while the user has
 * sessions (each bound session pins it) or work is queued on it; an
 * offline user's roster is loaded for the one subscription stanza that
 * needs it and dropped afterwards. A session that never uses its roster
 * costs no storage request. Work on one user's roster is
 * serialized: roster_with() runs callbacks in the order they were queued,
 * each once the roster is loaded, so a subscription handled while the
 * roster still loads cannot overtake an earlier one.
 *
 * Storage, per user of a host (all asynchronous, include/strata/store.h):
 *   map "roster"     contact bare JID -> item (item.h), tombstones included
 *   keyval "roster"  "1 <epoch> <version> <floor>": the version counter
 * Writes are submitted as soon as memory changes and are not waited for:
 * requests of one store take effect in order, so a later load always sees
 * them, and a failure is logged by the store.
 *
 * Versions (RFC 6121 §2.6): every visible change takes the next number of
 * the user's counter, which is stored, so versions only grow, across
 * restarts too. The 'ver' a client sees is "<epoch>-<number>"; the epoch is
 * random per roster, so a roster deleted with its account and created
 * again never answers "unchanged" to a client of the old one. Each item
 * remembers the version of its last change and removals leave a tombstone
 * (at most ROSTER_TOMBSTONES_MAX; the newest version forgotten with a
 * pruned tombstone is the "floor"): the changes since version v are the
 * items and tombstones newer than v, as long as v >= floor.
 */
#ifndef STRATA_MODULES_ROSTER_ROSTER_H
#define STRATA_MODULES_ROSTER_ROSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "modules/04-protocol/roster/item.h"
#include "modules/04-protocol/roster/subscription.h"

struct strata_host;
struct strata_module;
struct strata_session;
struct strata_stanza;

#define ROSTER_STORE "roster"
#define ROSTER_TOMBSTONES_MAX 128

struct roster_host; /* the rosters of one host */
struct roster;      /* one user's */

/* The rosters of `h`, made on first use (by the roster or the presence
 * module, whichever loads first). Valid for the life of the host. */
struct roster_host *roster_host_get(struct strata_host *h);

/* Sets the most contacts one account may have (option roster_max_items). */
void roster_host_set_max_items(struct roster_host *rh, size_t max);

/* Keeps `user`'s roster, once loaded, until the matching roster_unpin():
 * one pin per bound session (which also vouches that the account exists,
 * so loading skips that check). */
void roster_pin(struct roster_host *rh, const char *user);
void roster_unpin(struct roster_host *rh, const char *user);

typedef void roster_fn(struct roster *r, void *ud);

/* Runs `fn(r, ud)` once `user`'s roster is loaded, after every callback
 * queued before it for the same user; at once (inside this call) when the
 * roster is loaded and nothing is queued. The roster stays valid for the
 * duration of the callback. Check roster_ok() first: when storage failed
 * the roster is empty and must not be changed. `user` is a prepared
 * localpart, borrowed. */
void roster_with(struct roster_host *rh, const char *user, roster_fn *fn, void *ud);

/* Loaded without a storage failure. */
bool roster_ok(const struct roster *r);

/* The account exists (has credentials). Meaningful when roster_ok(). */
bool roster_exists(const struct roster *r);

/* The owner: localpart, bare JID, host. Borrowed, valid with `r`. */
const char *roster_user(const struct roster *r);
const char *roster_bare(const struct roster *r);
struct strata_host *roster_strata_host(const struct roster *r);

/* The live item for a bare JID (visible or not), or NULL; tombstones are
 * not returned. Borrowed until the roster changes. */
struct roster_item *roster_find(const struct roster *r, const char *jid);

/* Live items (not tombstones), visible or not, in no particular order:
 * a new array of borrowed pointers in `*out` (free() it), valid until the
 * roster changes. Returns the count. */
size_t roster_live_items(const struct roster *r, struct roster_item ***out);

/* The current version as clients see it ("<epoch>-<n>"), into `buf`. */
void roster_version(const struct roster *r, char *buf, size_t size);

enum roster_since {
    ROSTER_CURRENT, /* the client's version is the current one: nothing */
    ROSTER_DELTA,   /* the items and tombstones changed since, oldest first */
    ROSTER_FULL,    /* no, unknown or too old a version: every visible item */
};

/* What a client with version `ver` (NULL: none) must learn (RFC 6121
 * §2.6.3), as a new array of borrowed pointers in `*out` (free() it; NULL
 * when empty) sorted by version, `*n` of them. */
enum roster_since roster_since(const struct roster *r, const char *ver, struct roster_item ***out,
                               size_t *n);

/* A roster set (RFC 6121 §2.3): creates the item (state none, visible) or
 * replaces its name and groups; stores and pushes. 0, or STRATA_ELIMIT
 * when a new item would exceed roster_max_items (nothing changed). */
int roster_set_item(struct roster *r, const char *jid, const char *name, const char *const *groups,
                    size_t ngroups);

/* A roster remove (RFC 6121 §2.5): turns the item into a tombstone;
 * stores and pushes. `*old_state` gets its subscription state, for the
 * unsubscribe/unsubscribed the caller then sends (§2.5.2). 0, or
 * STRATA_ENOENT when the user has no such visible item. */
int roster_remove_item(struct roster *r, const char *jid, unsigned *old_state);

/* The outcome of one subscription stanza for one roster. */
struct roster_change {
    struct sub_result result;
    unsigned old_state;
    bool refused; /* it needed a new item beyond the limits: nothing changed */
};

/* Applies subscription stanza `t` (outbound: sent by the owner; inbound:
 * for the owner) about contact `jid`: the state machine, the item (made
 * when the stanza starts something, visible when the owner started it,
 * dropped when it only remembered a request that ended), its stored
 * request (`st`, an inbound subscribe, is kept while pending), storage,
 * versions and pushes. Borrows `st` (may be NULL). */
struct roster_change roster_subscription(struct roster *r, const char *jid, bool inbound,
                                         enum sub_type t, const struct strata_stanza *st);

/* Sends a roster push of `it` (RFC 6121 §2.1.6) to every interested
 * resource of the owner, or only to `only` when not NULL. */
void roster_push(struct roster *r, const struct roster_item *it, struct strata_session *only);

#endif
