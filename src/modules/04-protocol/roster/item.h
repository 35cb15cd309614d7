/*
 * One roster item (RFC 6121 §2.1.2) as the server keeps it, and its stored
 * form: the value of the user's map store "roster" under the contact's
 * bare JID. Pure code (no I/O), unit tested in tests/unit/modules.
 *
 * Besides what the client sees (jid, name, groups, subscription, ask,
 * approved), an item carries:
 *   - `ver`: the roster version of its last visible change, from which
 *     roster versioning (§2.6) computes what changed since a version;
 *   - `visible`: false for an item that exists only to remember a
 *     contact's pending request (§3.1.3) from someone not in the roster:
 *     such items are not in roster results or pushes;
 *   - tombstones: an invisible item with no pending request is what is
 *     left of a removed one, kept (bounded) with the version of the
 *     removal so that a client with an older version learns of it (§2.6.3);
 *   - `request`: the inbound subscribe stanza, kept while the request is
 *     pending so that it is delivered again at every login (§3.1.3).
 *
 * Stored form (version 1), all integers big-endian:
 *   u8 format (1) | u8 state (SUB_* bits) | u8 flags (1: visible)
 *   | u64 ver | u16 name length | name | u16 group count
 *   | { u16 length | group }* | u32 request length | request (XML)
 * Decoding checks every length against the value's size and the limits
 * below, so a damaged value is refused rather than read past its end.
 */
#ifndef STRATA_MODULES_ROSTER_ITEM_H
#define STRATA_MODULES_ROSTER_ITEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf;
struct strata_stanza;

/* SECURITY: what one item may hold, checked on roster sets (the client is
 * told not-acceptable, RFC 6121 §2.3.3) and again when decoding. */
#define ROSTER_NAME_MAX 1024    /* bytes of the name attribute */
#define ROSTER_GROUP_MAX 1024   /* bytes of one group name */
#define ROSTER_GROUPS_MAX 64    /* groups per item */
#define ROSTER_REQUEST_MAX 4096 /* bytes of a kept subscribe stanza */

struct roster_item {
    char *jid;  /* bare JID, prepared; the map key */
    char *name; /* NULL when none */
    char **groups;
    size_t ngroups;
    unsigned state; /* SUB_* bits (subscription.h) */
    uint64_t ver;
    bool visible;
    struct strata_stanza *request; /* one reference; NULL when none */
};

/* What is left of a removed item (see above). */
bool roster_item_is_tombstone(const struct roster_item *it);

/* A new empty item for `jid` (copied): state none, invisible. */
struct roster_item *roster_item_new(const char *jid);

/* Frees the item and everything it holds. NULL is harmless. */
void roster_item_free(struct roster_item *it);

/* Replaces name and groups (copied; name NULL or "" for none). */
void roster_item_set_details(struct roster_item *it, const char *name, const char *const *groups,
                             size_t ngroups);

/* Replaces the kept request (a copy of `st` is kept, without children
 * when it would exceed ROSTER_REQUEST_MAX); NULL drops it. */
void roster_item_set_request(struct roster_item *it, const struct strata_stanza *st);

/* Appends the stored form of `it` to `out`. */
void roster_item_encode(const struct roster_item *it, struct strbuf *out);

/* Decodes a stored value for key `jid`. Returns a new item, or NULL when
 * the value is damaged or of an unknown format. Borrows both. */
struct roster_item *roster_item_decode(const char *jid, const void *value, size_t len);

/* Appends <item jid= name= subscription= ask= approved=><group/>*</item>
 * to `query` as the client sees it (RFC 6121 §2.1.2); an invisible item
 * (to the client: absent) comes out as subscription='remove' (§2.5.2). */
void roster_item_to_xml(const struct roster_item *it, struct strata_stanza *query);

#endif
