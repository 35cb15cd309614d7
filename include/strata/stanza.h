/*
 * Stanzas: the XML trees modules read, build and send.
 *
 * One type, `struct strata_stanza`, is an element of a tree; the tree's root
 * element is what the router passes around and what `ref`/`unref` count.
 * Every element of a tree lives in one per-stanza arena (one malloc for an
 * ordinary chat message), so freeing a stanza is one call whatever its size.
 *
 * Names and namespaces are atoms where possible: strings interned in a
 * process-wide table, so that comparing two atoms is comparing two pointers.
 * The names XMPP uses all the time are interned at compile time and reachable
 * as `strata_atoms.<name>` (`strata_atoms.message`, `strata_atoms.ns_client`);
 * a module interns its own at load with strata_atom(). Every reader below
 * accepts any string, atom or not, and answers correctly either way; atoms
 * only make it fast. Names the table does not know (a hostile peer's random
 * element names) are stored in the stanza's arena instead, so a peer cannot
 * grow the table.
 *
 * Lifetime: a stanza returned by the parser, strata_stanza_new() or
 * strata_stanza_copy() has one reference. Children are borrowed from their
 * root and stay valid while the root is referenced. A stanza is mutable only
 * while its creator holds the only reference; once routed (shared by
 * `ref`) it is read-only, and a module that wants to change it (stamp
 * `from`/`to`) works on strata_stanza_copy().
 *
 * Every text and attribute value in a tree is well-formed UTF-8 made of XML
 * 1.0 characters (the parser refuses anything else, the builder checks), so
 * the serializer can write trees without checking them again.
 *
 * RFC 6120 §4.7 (stream and content namespaces), §11 (XML usage).
 */
#ifndef STRATA_STANZA_H
#define STRATA_STANZA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf;

/* ---- atoms ------------------------------------------------------------ */

/* X(field, "text"): the pre-interned atoms. Namespaces are prefixed ns_. */
#define STRATA_ATOM_LIST(X)                                                                        \
    X(empty, "")                                                                                   \
    /* stream level (RFC 6120 §4, §5, §6, §7) */                                               \
    X(stream, "stream")                                                                            \
    X(features, "features")                                                                        \
    X(error, "error")                                                                              \
    X(text, "text")                                                                                \
    X(starttls, "starttls")                                                                        \
    X(required, "required")                                                                        \
    X(proceed, "proceed")                                                                          \
    X(failure, "failure")                                                                          \
    X(mechanisms, "mechanisms")                                                                    \
    X(mechanism, "mechanism")                                                                      \
    X(auth, "auth")                                                                                \
    X(challenge, "challenge")                                                                      \
    X(response, "response")                                                                        \
    X(success, "success")                                                                          \
    X(abort, "abort")                                                                              \
    X(bind, "bind")                                                                                \
    X(resource, "resource")                                                                        \
    X(jid, "jid")                                                                                  \
    X(session, "session")                                                                          \
    X(authenticate, "authenticate")                                                                \
    X(user_agent, "user-agent")                                                                    \
    X(software, "software")                                                                        \
    X(device, "device")                                                                            \
    /* stanzas (RFC 6120 §8, RFC 6121) */                                                         \
    X(message, "message")                                                                          \
    X(presence, "presence")                                                                        \
    X(iq, "iq")                                                                                    \
    X(body, "body")                                                                                \
    X(subject, "subject")                                                                          \
    X(thread, "thread")                                                                            \
    X(show, "show")                                                                                \
    X(status, "status")                                                                            \
    X(priority, "priority")                                                                        \
    X(query, "query")                                                                              \
    X(item, "item")                                                                                \
    X(items, "items")                                                                              \
    X(group, "group")                                                                              \
    X(x, "x")                                                                                      \
    X(c, "c")                                                                                      \
    X(delay, "delay")                                                                              \
    X(ping, "ping")                                                                                \
    X(enable, "enable")                                                                            \
    X(enabled, "enabled")                                                                          \
    X(disable, "disable")                                                                          \
    X(resume, "resume")                                                                            \
    X(resumed, "resumed")                                                                          \
    X(r, "r")                                                                                      \
    X(a, "a")                                                                                      \
    X(h, "h")                                                                                      \
    X(active, "active")                                                                            \
    X(inactive, "inactive")                                                                        \
    X(composing, "composing")                                                                      \
    X(paused, "paused")                                                                            \
    X(gone, "gone")                                                                                \
    X(request, "request")                                                                          \
    X(received, "received")                                                                        \
    X(sent, "sent")                                                                                \
    X(forwarded, "forwarded")                                                                      \
    X(result, "result")                                                                            \
    X(fin, "fin")                                                                                  \
    X(set, "set")                                                                                  \
    X(first, "first")                                                                              \
    X(last, "last")                                                                                \
    X(count, "count")                                                                              \
    X(max, "max")                                                                                  \
    X(before, "before")                                                                            \
    X(after, "after")                                                                              \
    X(identity, "identity")                                                                        \
    X(feature, "feature")                                                                          \
    X(field, "field")                                                                              \
    X(value, "value")                                                                              \
    X(pubsub, "pubsub")                                                                            \
    X(publish, "publish")                                                                          \
    X(retract, "retract")                                                                          \
    X(event, "event")                                                                              \
    X(subscribe, "subscribe")                                                                      \
    X(nick, "nick")                                                                                \
    X(stanza_id, "stanza-id")                                                                      \
    X(origin_id, "origin-id")                                                                      \
    X(no_store, "no-store")                                                                        \
    X(no_copy, "no-copy")                                                                          \
    X(private_, "private")                                                                         \
    X(markable, "markable")                                                                        \
    X(displayed, "displayed")                                                                      \
    X(replace, "replace")                                                                          \
    X(encryption, "encryption")                                                                    \
    X(blocklist, "blocklist")                                                                      \
    X(block, "block")                                                                              \
    X(unblock, "unblock")                                                                          \
    X(vcard, "vCard")                                                                              \
    X(command, "command")                                                                          \
    X(time, "time")                                                                                \
    X(tzo, "tzo")                                                                                  \
    X(utc, "utc")                                                                                  \
    X(name, "name")                                                                                \
    X(version, "version")                                                                          \
    X(os, "os")                                                                                    \
    X(html, "html")                                                                                \
    X(data, "data")                                                                                \
    X(slot, "slot")                                                                                \
    X(put, "put")                                                                                  \
    X(get, "get")                                                                                  \
    X(header, "header")                                                                            \
    X(reason, "reason")                                                                            \
    X(invite, "invite")                                                                            \
    X(decline, "decline")                                                                          \
    X(destroy, "destroy")                                                                          \
    X(password, "password")                                                                        \
    X(history, "history")                                                                          \
    X(actor, "actor")                                                                              \
    X(register_, "register")                                                                       \
    X(remove, "remove")                                                                            \
    X(username, "username")                                                                        \
    X(instructions, "instructions")                                                                \
    X(storage, "storage")                                                                          \
    /* attributes */                                                                               \
    X(to, "to")                                                                                    \
    X(from, "from")                                                                                \
    X(type, "type")                                                                                \
    X(id, "id")                                                                                    \
    X(lang, "lang")                                                                                \
    X(xmlns, "xmlns")                                                                              \
    X(node, "node")                                                                                \
    X(var, "var")                                                                                  \
    X(category, "category")                                                                        \
    X(label, "label")                                                                              \
    X(subscription, "subscription")                                                                \
    X(ask, "ask")                                                                                  \
    X(approved, "approved")                                                                        \
    X(ver, "ver")                                                                                  \
    X(hash, "hash")                                                                                \
    X(code, "code")                                                                                \
    X(by, "by")                                                                                    \
    X(stamp, "stamp")                                                                              \
    X(affiliation, "affiliation")                                                                  \
    X(role, "role")                                                                                \
    X(queryid, "queryid")                                                                          \
    X(previd, "previd")                                                                            \
    X(location, "location")                                                                        \
    X(xmpp_version, "1.0")                                                                         \
    /* namespaces */                                                                               \
    X(ns_xml, "http://www.w3.org/XML/1998/namespace")                                              \
    X(ns_streams, "http://etherx.jabber.org/streams")                                              \
    X(ns_client, "jabber:client")                                                                  \
    X(ns_server, "jabber:server")                                                                  \
    X(ns_component, "jabber:component:accept")                                                     \
    X(ns_dialback, "jabber:server:dialback")                                                       \
    X(ns_xmpp_streams, "urn:ietf:params:xml:ns:xmpp-streams")                                      \
    X(ns_xmpp_stanzas, "urn:ietf:params:xml:ns:xmpp-stanzas")                                      \
    X(ns_tls, "urn:ietf:params:xml:ns:xmpp-tls")                                                   \
    X(ns_sasl, "urn:ietf:params:xml:ns:xmpp-sasl")                                                 \
    X(ns_bind, "urn:ietf:params:xml:ns:xmpp-bind")                                                 \
    X(ns_session, "urn:ietf:params:xml:ns:xmpp-session")                                           \
    X(ns_sasl2, "urn:xmpp:sasl:2")                                                                 \
    X(ns_bind2, "urn:xmpp:bind:0")                                                                 \
    X(ns_fast, "urn:xmpp:fast:0")                                                                  \
    X(ns_sm, "urn:xmpp:sm:3")                                                                      \
    X(ns_csi, "urn:xmpp:csi:0")                                                                    \
    X(ns_ping, "urn:xmpp:ping")                                                                    \
    X(ns_time, "urn:xmpp:time")                                                                    \
    X(ns_delay, "urn:xmpp:delay")                                                                  \
    X(ns_forward, "urn:xmpp:forward:0")                                                            \
    X(ns_carbons, "urn:xmpp:carbons:2")                                                            \
    X(ns_mam, "urn:xmpp:mam:2")                                                                    \
    X(ns_sid, "urn:xmpp:sid:0")                                                                    \
    X(ns_hints, "urn:xmpp:hints")                                                                  \
    X(ns_receipts, "urn:xmpp:receipts")                                                            \
    X(ns_markers, "urn:xmpp:chat-markers:0")                                                       \
    X(ns_correct, "urn:xmpp:message-correct:0")                                                    \
    X(ns_eme, "urn:xmpp:eme:0")                                                                    \
    X(ns_blocking, "urn:xmpp:blocking")                                                            \
    X(ns_push, "urn:xmpp:push:0")                                                                  \
    X(ns_upload, "urn:xmpp:http:upload:0")                                                         \
    X(ns_rsm, "http://jabber.org/protocol/rsm")                                                    \
    X(ns_chatstates, "http://jabber.org/protocol/chatstates")                                      \
    X(ns_disco_info, "http://jabber.org/protocol/disco#info")                                      \
    X(ns_disco_items, "http://jabber.org/protocol/disco#items")                                    \
    X(ns_caps, "http://jabber.org/protocol/caps")                                                  \
    X(ns_muc, "http://jabber.org/protocol/muc")                                                    \
    X(ns_muc_user, "http://jabber.org/protocol/muc#user")                                          \
    X(ns_muc_admin, "http://jabber.org/protocol/muc#admin")                                        \
    X(ns_muc_owner, "http://jabber.org/protocol/muc#owner")                                        \
    X(ns_pubsub, "http://jabber.org/protocol/pubsub")                                              \
    X(ns_pubsub_event, "http://jabber.org/protocol/pubsub#event")                                  \
    X(ns_pubsub_owner, "http://jabber.org/protocol/pubsub#owner")                                  \
    X(ns_commands, "http://jabber.org/protocol/commands")                                          \
    X(ns_nick, "http://jabber.org/protocol/nick")                                                  \
    X(ns_xhtml_im, "http://jabber.org/protocol/xhtml-im")                                          \
    X(ns_xhtml, "http://www.w3.org/1999/xhtml")                                                    \
    X(ns_roster, "jabber:iq:roster")                                                               \
    X(ns_version, "jabber:iq:version")                                                             \
    X(ns_last, "jabber:iq:last")                                                                   \
    X(ns_register, "jabber:iq:register")                                                           \
    X(ns_private, "jabber:iq:private")                                                             \
    X(ns_privacy, "jabber:iq:privacy")                                                             \
    X(ns_data, "jabber:x:data")                                                                    \
    X(ns_oob, "jabber:x:oob")                                                                      \
    X(ns_conference, "jabber:x:conference")                                                        \
    X(ns_vcard, "vcard-temp")                                                                      \
    X(ns_vcard_update, "vcard-temp:x:update")                                                      \
    X(ns_vcard4, "urn:ietf:params:xml:ns:vcard-4.0")                                               \
    X(ns_bookmarks, "urn:xmpp:bookmarks:1")                                                        \
    X(ns_avatar_data, "urn:xmpp:avatar:data")                                                      \
    X(ns_avatar_metadata, "urn:xmpp:avatar:metadata")                                              \
    X(ns_omemo, "eu.siacs.conversations.axolotl")                                                  \
    X(ns_openpgp, "urn:xmpp:openpgp:0")                                                            \
    X(ns_reply, "urn:xmpp:reply:0")                                                                \
    X(ns_reactions, "urn:xmpp:reactions:0")                                                        \
    X(ns_occupant_id, "urn:xmpp:occupant-id:0")                                                    \
    X(ns_rosterver, "urn:xmpp:features:rosterver")                                                 \
    X(ns_pre_approval, "urn:xmpp:features:pre-approval")                                           \
    X(ns_framing, "urn:ietf:params:xml:ns:xmpp-framing")                                           \
    X(ns_httpbind, "http://jabber.org/protocol/httpbind")                                          \
    X(ns_bosh, "urn:xmpp:xbosh")

/* The pre-interned atoms: `strata_atoms.body` is the atom "body". A struct
 * of arrays, so every address is a link-time constant and the whole set is
 * one contiguous range (which is how strata_atom_is() recognises them). */
struct strata_atom_table {
#define STRATA_ATOM_FIELD_(field, str) char field[sizeof(str)];
    STRATA_ATOM_LIST(STRATA_ATOM_FIELD_)
#undef STRATA_ATOM_FIELD_
};
extern const struct strata_atom_table strata_atoms;

/* Interns `s` (NUL-terminated) and returns its atom, valid for the life of
 * the process. Meant for module load: the table is bounded (a few thousand
 * atoms), and NULL is returned when it is full or `s` is longer than 255
 * bytes. Thread-safe. */
const char *strata_atom(const char *s);

/* The atom for `len` bytes at `s` if one exists, else NULL; never adds.
 * Lock-free; safe on any thread. */
const char *strata_atom_find(const char *s, size_t len);

/* Whether `p` points at an atom (pre-interned or interned later). */
bool strata_atom_is(const char *p);

/* String equality that is a pointer comparison when both are atoms.
 * Both must be non-NULL. */
bool strata_name_eq(const char *a, const char *b);

/* ---- the tree --------------------------------------------------------- */

/* An element of a stanza tree. Opaque: use the functions below. */
struct strata_stanza;

/* A child of an element: another element or a run of text. */
struct strata_node;

/* An attribute as stored; `ns` is strata_atoms.empty for an attribute
 * without namespace (all of the ordinary ones: to, from, type, id).
 * xml:lang is {ns_xml, "lang"}. */
struct strata_attr {
    const char *ns;
    const char *name;
    const char *value; /* NUL-terminated; value_len excludes the NUL */
    size_t value_len;
};

/* Limits the parser applies to hostile input (RFC 6120 §13.12). A zero
 * field means "no limit" for that field. Stanza bytes are counted from the
 * first byte of a top-level element's start tag to the last byte of its end
 * tag; depth counts the top-level element as 1. */
struct strata_xml_limits {
    size_t max_stanza_bytes;
    uint32_t max_depth;
    uint32_t max_attributes;  /* per element, namespace declarations included */
    uint32_t max_name_length; /* bytes of a local name or a namespace name */
};

/* Before authentication (Prosody's default c2s limit before auth is 10K). */
#define STRATA_XML_LIMITS_PREAUTH ((struct strata_xml_limits){10 * 1024, 32, 64, 256})
/* After authentication. */
#define STRATA_XML_LIMITS_DEFAULT ((struct strata_xml_limits){256 * 1024, 32, 64, 256})

/* Adds a reference to the tree `el` belongs to; returns `el`. */
struct strata_stanza *strata_stanza_ref(struct strata_stanza *el);

/* Drops a reference to the tree `el` belongs to; the last one frees the
 * whole tree in one go. NULL is ignored. */
void strata_stanza_unref(struct strata_stanza *el);

/* The root of the tree `el` belongs to (borrowed). */
struct strata_stanza *strata_stanza_root(const struct strata_stanza *el);

/* The parent element, or NULL for a root (borrowed). */
struct strata_stanza *strata_stanza_parent(const struct strata_stanza *el);

/* ---- readers: all borrow, and return pointers valid while the tree is
 * referenced. "Absent" is NULL. ------------------------------------------ */

/* The local name (an atom when the name is interned). */
const char *strata_stanza_name(const struct strata_stanza *el);

/* The namespace name; strata_atoms.empty ("") when the element has none. */
const char *strata_stanza_ns(const struct strata_stanza *el);

/* Whether `el` is {ns}name; `ns` NULL matches any namespace. */
bool strata_stanza_is(const struct strata_stanza *el, const char *name, const char *ns);

/* The value of the attribute `name` without namespace, or NULL. */
const char *strata_stanza_attr(const struct strata_stanza *el, const char *name);

/* The value of the attribute {ns}name, or NULL. */
const char *strata_stanza_attr_ns(const struct strata_stanza *el, const char *ns, const char *name);

/* All attributes, in document order; `*n` gets their number. */
const struct strata_attr *strata_stanza_attrs(const struct strata_stanza *el, size_t *n);

/* The first child element named `name` (NULL: any name) in namespace `ns`
 * (NULL: the namespace of `el`, as for <body/> in a <message/>), or NULL. */
struct strata_stanza *strata_stanza_child(const struct strata_stanza *el, const char *name,
                                          const char *ns);

/* The next sibling after `el` that matches like strata_stanza_child() (`ns`
 * NULL: the namespace of the parent), or NULL: iterates repeated children
 * such as roster <item/>s. */
struct strata_stanza *strata_stanza_next(const struct strata_stanza *el, const char *name,
                                         const char *ns);

/* The first child element whatever its name, or NULL. */
struct strata_stanza *strata_stanza_first_element(const struct strata_stanza *el);

/* The next sibling element whatever its name, or NULL. */
struct strata_stanza *strata_stanza_next_element(const struct strata_stanza *el);

/* The element's text: the concatenation of its text children when it has no
 * child elements (the ordinary case, e.g. <body/>); with mixed content only
 * the first run (walk the nodes for the rest). "" when there is none.
 * NUL-terminated; `len` (may be NULL) gets the length in bytes. */
const char *strata_stanza_text(const struct strata_stanza *el, size_t *len);

/* The text of the first child matching (name, ns) as in
 * strata_stanza_child(), or NULL when there is no such child. */
const char *strata_stanza_child_text(const struct strata_stanza *el, const char *name,
                                     const char *ns);

/* Children in document order, elements and text alike; NULL when none. */
const struct strata_node *strata_stanza_nodes(const struct strata_stanza *el);
const struct strata_node *strata_node_next(const struct strata_node *node);

/* The node as an element, or NULL when it is text. */
struct strata_stanza *strata_node_element(const struct strata_node *node);

/* The node's text (NUL-terminated, length in `*len` if not NULL), or NULL
 * when it is an element. */
const char *strata_node_text(const struct strata_node *node, size_t *len);

/* ---- builder: for replies and errors made in code. Each call may only be
 * made while the caller holds the tree's only reference. Strings are copied
 * (atoms are not: they are kept as they are). --------------------------- */

/* A new root element {ns}name with one reference; `ns` NULL means no
 * namespace. NULL if `name` is not an XML name (a bug in the caller). */
struct strata_stanza *strata_stanza_new(const char *name, const char *ns);

/* Appends a child element {ns}name to `parent` and returns it (borrowed);
 * `ns` NULL means the parent's namespace. NULL if `name` is not an XML name. */
struct strata_stanza *strata_stanza_add_child(struct strata_stanza *parent, const char *name,
                                              const char *ns);

/* Sets the attribute `name` (no namespace) to `value`, replacing any
 * earlier value; `value` NULL removes it. 0, or STRATA_EINVAL (nothing
 * changed) when the name is not an XML name, is a namespace declaration
 * (xmlns: namespaces come from the elements), or the value is not UTF-8
 * text made of XML characters. */
int strata_stanza_set_attr(struct strata_stanza *el, const char *name, const char *value);

/* As strata_stanza_set_attr() for the attribute {ns}name; `ns` NULL or ""
 * means no namespace. */
int strata_stanza_set_attr_ns(struct strata_stanza *el, const char *ns, const char *name,
                              const char *value);

/* Appends `len` bytes of text to `el`, merged with a text node just before.
 * 0, or STRATA_EINVAL (nothing added) when it is not UTF-8 text made of XML
 * characters. */
int strata_stanza_add_text(struct strata_stanza *el, const char *text, size_t len);

/* Shorthand: appends a child {ns}name holding `text` (NUL-terminated);
 * returns the child, or NULL on invalid name or text. */
struct strata_stanza *strata_stanza_add_text_child(struct strata_stanza *parent, const char *name,
                                                   const char *ns, const char *text);

/* Appends a deep copy of `src` (from any tree, but not `parent` itself or
 * one of its ancestors) to `parent`; returns the copy (borrowed). */
struct strata_stanza *strata_stanza_add_copy(struct strata_stanza *parent,
                                             const struct strata_stanza *src);

/* Unlinks `child` from its parent (its memory stays in the arena until the
 * tree is freed). `child` must not be a root. */
void strata_stanza_remove(struct strata_stanza *child);

/* A deep, mutable copy of `el` and its subtree as a new root with one
 * reference; `el` is only read (it may be shared). */
struct strata_stanza *strata_stanza_copy(const struct strata_stanza *el);

/* ---- whole documents --------------------------------------------------- */

/* Parses one complete XML document whose root element becomes the stanza
 * (stored stanzas, WebSocket frames, BOSH bodies), with the restrictions of
 * RFC 6120 §11 and `limits` (NULL: STRATA_XML_LIMITS_DEFAULT). On success
 * `*out` gets a new stanza with one reference. STRATA_EINVAL on any
 * refusal, STRATA_ELIMIT when a limit was exceeded. */
int strata_stanza_parse(const char *data, size_t len, const struct strata_xml_limits *limits,
                        struct strata_stanza **out);

/* ---- serialization ---------------------------------------------------- */

/* Appends the XML of `el` and its subtree to `out`. `default_ns` is the
 * namespace in scope where the element is written: the stream's content
 * namespace when writing into a stream (then `<message>` of jabber:client
 * is written without xmlns, and the `stream:` prefix is taken as bound, so
 * stream-level elements come out as <stream:features/>), or NULL for a
 * standalone document. Borrows everything. */
void strata_stanza_serialize(const struct strata_stanza *el, const char *default_ns,
                             struct strbuf *out);

/* The XML of `el` as a standalone document: a new NUL-terminated string
 * the caller frees; `len` (may be NULL) gets its length. */
char *strata_stanza_to_string(const struct strata_stanza *el, size_t *len);

#endif
