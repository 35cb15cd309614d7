/*
 * Stanza trees: reference counting, readers, the builder and deep copies.
 * The layout is in tree.h; the parser that fills trees from the network is
 * stream_parser.c. See strata/stanza.h for the contracts.
 */
#include <assert.h>
#include <string.h>

#include "strata/errors.h"
#include "strata/stanza.h"
#include "xml/chars.h"
#include "xml/tree.h"

/* Large enough that a reply built in code fits the first block. */
#define BUILDER_BLOCK 512

/* Text longer than this cannot be a stanza's (uint32 lengths, with room
 * for doubling); the parser's limits are far below it. */
#define MAX_TEXT (UINT32_MAX / 4)

/* ---- lifetime --------------------------------------------------------- */

struct strata_stanza *strata_stanza_ref(struct strata_stanza *el)
{
    atomic_fetch_add_explicit(&xml__doc_of(el)->refs, 1, memory_order_relaxed);
    return el;
}

void strata_stanza_unref(struct strata_stanza *el)
{
    if (!el) {
        return;
    }
    struct xml_doc *doc = xml__doc_of(el);
    /* acq_rel: the thread that frees sees every other holder's reads done. */
    if (atomic_fetch_sub_explicit(&doc->refs, 1, memory_order_acq_rel) == 1) {
        xml__doc_free(doc);
    }
}

struct strata_stanza *strata_stanza_root(const struct strata_stanza *el)
{
    return &xml__doc_of(el)->root;
}

struct strata_stanza *strata_stanza_parent(const struct strata_stanza *el)
{
    return el->parent;
}

/* ---- readers ---------------------------------------------------------- */

const char *strata_stanza_name(const struct strata_stanza *el)
{
    return el->name;
}

const char *strata_stanza_ns(const struct strata_stanza *el)
{
    return el->ns;
}

bool strata_stanza_is(const struct strata_stanza *el, const char *name, const char *ns)
{
    return strata_name_eq(el->name, name) && (!ns || strata_name_eq(el->ns, ns));
}

static const struct strata_attr *find_attr(const struct strata_stanza *el, const char *ns,
                                           const char *name)
{
    for (uint32_t i = 0; i < el->nattrs; i++) {
        const struct strata_attr *a = &el->attrs[i];
        if (strata_name_eq(a->name, name) && strata_name_eq(a->ns, ns)) {
            return a;
        }
    }
    return NULL;
}

const char *strata_stanza_attr(const struct strata_stanza *el, const char *name)
{
    const struct strata_attr *a = find_attr(el, strata_atoms.empty, name);
    return a ? a->value : NULL;
}

const char *strata_stanza_attr_ns(const struct strata_stanza *el, const char *ns, const char *name)
{
    const struct strata_attr *a = find_attr(el, ns ? ns : strata_atoms.empty, name);
    return a ? a->value : NULL;
}

const struct strata_attr *strata_stanza_attrs(const struct strata_stanza *el, size_t *n)
{
    *n = el->nattrs;
    return el->attrs;
}

static bool matches(const struct strata_node *node, const char *name, const char *ns)
{
    if (node->kind != XML_NODE_ELEMENT) {
        return false;
    }
    const struct strata_stanza *el = (const struct strata_stanza *)node;
    return (!name || strata_name_eq(el->name, name)) && strata_name_eq(el->ns, ns);
}

static struct strata_stanza *find_from(const struct strata_node *node, const char *name,
                                       const char *ns)
{
    for (; node; node = node->next) {
        if (matches(node, name, ns)) {
            return (struct strata_stanza *)node;
        }
    }
    return NULL;
}

struct strata_stanza *strata_stanza_child(const struct strata_stanza *el, const char *name,
                                          const char *ns)
{
    return find_from(el->first, name, ns ? ns : el->ns);
}

struct strata_stanza *strata_stanza_next(const struct strata_stanza *el, const char *name,
                                         const char *ns)
{
    if (!ns) {
        ns = el->parent ? el->parent->ns : el->ns;
    }
    return find_from(el->node.next, name, ns);
}

static struct strata_stanza *first_element(const struct strata_node *node)
{
    for (; node; node = node->next) {
        if (node->kind == XML_NODE_ELEMENT) {
            return (struct strata_stanza *)node;
        }
    }
    return NULL;
}

struct strata_stanza *strata_stanza_first_element(const struct strata_stanza *el)
{
    return first_element(el->first);
}

struct strata_stanza *strata_stanza_next_element(const struct strata_stanza *el)
{
    return first_element(el->node.next);
}

const char *strata_stanza_text(const struct strata_stanza *el, size_t *len)
{
    for (const struct strata_node *n = el->first; n; n = n->next) {
        if (n->kind == XML_NODE_TEXT) {
            return strata_node_text(n, len);
        }
    }
    if (len) {
        *len = 0;
    }
    return strata_atoms.empty;
}

const char *strata_stanza_child_text(const struct strata_stanza *el, const char *name,
                                     const char *ns)
{
    const struct strata_stanza *child = strata_stanza_child(el, name, ns);
    return child ? strata_stanza_text(child, NULL) : NULL;
}

const struct strata_node *strata_stanza_nodes(const struct strata_stanza *el)
{
    return el->first;
}

const struct strata_node *strata_node_next(const struct strata_node *node)
{
    return node->next;
}

struct strata_stanza *strata_node_element(const struct strata_node *node)
{
    return node->kind == XML_NODE_ELEMENT ? (struct strata_stanza *)node : NULL;
}

const char *strata_node_text(const struct strata_node *node, size_t *len)
{
    if (node->kind != XML_NODE_TEXT) {
        return NULL;
    }
    const struct xml_text *t = (const struct xml_text *)node;
    if (len) {
        *len = t->len;
    }
    return t->data;
}

/* ---- builder ---------------------------------------------------------- */

/* The tree of `el`, which the caller must own alone: a shared stanza is
 * read-only (other sessions may be reading or writing it out). */
static struct xml_doc *mutable_doc(const struct strata_stanza *el)
{
    struct xml_doc *doc = xml__doc_of(el);
    assert(atomic_load_explicit(&doc->refs, memory_order_relaxed) == 1);
    return doc;
}

static bool valid_ns(const char *ns)
{
    return strata_atom_is(ns) || xml__valid_text(ns, strlen(ns));
}

/* Atoms are kept as they are; anything else is copied into the arena. */
static const char *keep(struct xml_doc *doc, const char *s, size_t len)
{
    return strata_atom_is(s) ? s : xml__strndup(doc, s, len);
}

struct strata_stanza *strata_stanza_new(const char *name, const char *ns)
{
    if (!ns) {
        ns = strata_atoms.empty;
    }
    if (!xml__valid_name(name) || !valid_ns(ns)) {
        return NULL;
    }
    struct xml_doc *doc = xml__doc_new(BUILDER_BLOCK);
    doc->root.name = xml__name(doc, name, strlen(name));
    doc->root.ns = xml__name(doc, ns, strlen(ns));
    return &doc->root;
}

struct strata_stanza *strata_stanza_add_child(struct strata_stanza *parent, const char *name,
                                              const char *ns)
{
    struct xml_doc *doc = mutable_doc(parent);
    if (!xml__valid_name(name) || (ns && !valid_ns(ns))) {
        return NULL;
    }
    /* The parent's namespace is already in this arena (or an atom). */
    const char *stored_ns = ns ? xml__name(doc, ns, strlen(ns)) : parent->ns;
    return xml__element_new(doc, parent, xml__name(doc, name, strlen(name)), stored_ns);
}

static void remove_attr(struct strata_stanza *el, struct strata_attr *a)
{
    size_t after = (size_t)(&el->attrs[el->nattrs] - (a + 1));
    memmove(a, a + 1, after * sizeof(*a));
    el->nattrs--;
}

static struct strata_attr *append_attr(struct xml_doc *doc, struct strata_stanza *el)
{
    if (el->nattrs == el->attr_cap) {
        /* The old array stays in the arena: attributes are few. */
        uint32_t cap = el->attr_cap ? el->attr_cap * 2 : 4;
        struct strata_attr *attrs = xml__alloc(doc, cap * sizeof(*attrs));
        if (el->nattrs) {
            memcpy(attrs, el->attrs, el->nattrs * sizeof(*attrs));
        }
        el->attrs = attrs;
        el->attr_cap = cap;
    }
    return &el->attrs[el->nattrs++];
}

int strata_stanza_set_attr_ns(struct strata_stanza *el, const char *ns, const char *name,
                              const char *value)
{
    struct xml_doc *doc = mutable_doc(el);
    if (!ns) {
        ns = strata_atoms.empty;
    }
    size_t value_len = value ? strlen(value) : 0;
    /* Namespace declarations are not attributes here: the serializer
     * writes them from the elements' namespaces. */
    bool is_decl = (ns[0] == '\0' && strcmp(name, "xmlns") == 0) ||
                   strcmp(ns, "http://www.w3.org/2000/xmlns/") == 0;
    if (is_decl || !xml__valid_name(name) || !valid_ns(ns) ||
        (value && !xml__valid_text(value, value_len))) {
        return STRATA_EINVAL;
    }
    struct strata_attr *a = (struct strata_attr *)find_attr(el, ns, name);
    if (!value) {
        if (a) {
            remove_attr(el, a);
        }
        return 0;
    }
    if (!a) {
        a = append_attr(doc, el);
        a->ns = xml__name(doc, ns, strlen(ns));
        a->name = xml__name(doc, name, strlen(name));
    }
    a->value = keep(doc, value, value_len);
    a->value_len = value_len;
    return 0;
}

int strata_stanza_set_attr(struct strata_stanza *el, const char *name, const char *value)
{
    return strata_stanza_set_attr_ns(el, NULL, name, value);
}

int strata_stanza_add_text(struct strata_stanza *el, const char *text, size_t len)
{
    struct xml_doc *doc = mutable_doc(el);
    if (len > MAX_TEXT || !xml__valid_text(text, len)) {
        return STRATA_EINVAL;
    }
    xml__append_text(doc, el, text, len);
    return 0;
}

struct strata_stanza *strata_stanza_add_text_child(struct strata_stanza *parent, const char *name,
                                                   const char *ns, const char *text)
{
    size_t len = strlen(text);
    if (len > MAX_TEXT || !xml__valid_text(text, len)) {
        return NULL;
    }
    struct strata_stanza *child = strata_stanza_add_child(parent, name, ns);
    if (child) {
        xml__append_text(xml__doc_of(parent), child, text, len);
    }
    return child;
}

void strata_stanza_remove(struct strata_stanza *child)
{
    struct strata_stanza *parent = child->parent;
    assert(parent);
    mutable_doc(parent);
    struct strata_node *prev = NULL;
    for (struct strata_node *n = parent->first; n; prev = n, n = n->next) {
        if (n != &child->node) {
            continue;
        }
        if (prev) {
            prev->next = n->next;
        } else {
            parent->first = n->next;
        }
        if (parent->last == n) {
            parent->last = prev;
        }
        break;
    }
    child->node.next = NULL;
}

/* ---- copies ----------------------------------------------------------- */

static const char *copy_name(struct xml_doc *doc, const char *s)
{
    return strata_atom_is(s) ? s : xml__strndup(doc, s, strlen(s));
}

static void copy_attrs(struct xml_doc *doc, struct strata_stanza *dst,
                       const struct strata_stanza *src)
{
    if (src->nattrs == 0) {
        return;
    }
    dst->attrs = xml__alloc(doc, src->nattrs * sizeof(*dst->attrs));
    dst->nattrs = dst->attr_cap = src->nattrs;
    for (uint32_t i = 0; i < src->nattrs; i++) {
        const struct strata_attr *a = &src->attrs[i];
        dst->attrs[i] = (struct strata_attr){
            .ns = copy_name(doc, a->ns),
            .name = copy_name(doc, a->name),
            .value = keep(doc, a->value, a->value_len),
            .value_len = a->value_len,
        };
    }
}

/* Fills `dst` (named already) with copies of the attributes and children of
 * `src`. Recursion depth is the tree's depth, which the parser's limits
 * bound for anything that came from a peer. */
static void copy_content(struct xml_doc *doc, struct strata_stanza *dst,
                         const struct strata_stanza *src)
{
    copy_attrs(doc, dst, src);
    for (const struct strata_node *n = src->first; n; n = n->next) {
        if (n->kind == XML_NODE_TEXT) {
            const struct xml_text *t = (const struct xml_text *)n;
            xml__append_text(doc, dst, t->data, t->len);
            continue;
        }
        const struct strata_stanza *c = (const struct strata_stanza *)n;
        struct strata_stanza *copy =
            xml__element_new(doc, dst, copy_name(doc, c->name), copy_name(doc, c->ns));
        copy_content(doc, copy, c);
    }
}

struct strata_stanza *strata_stanza_add_copy(struct strata_stanza *parent,
                                             const struct strata_stanza *src)
{
    struct xml_doc *doc = mutable_doc(parent);
    struct strata_stanza *copy =
        xml__element_new(doc, parent, copy_name(doc, src->name), copy_name(doc, src->ns));
    copy_content(doc, copy, src);
    return copy;
}

struct strata_stanza *strata_stanza_copy(const struct strata_stanza *el)
{
    /* Sized from the source tree so the copy is usually one malloc. */
    struct xml_doc *doc = xml__doc_new(xml__doc_used(xml__doc_of(el)));
    doc->root.name = copy_name(doc, el->name);
    doc->root.ns = copy_name(doc, el->ns);
    copy_content(doc, &doc->root, el);
    return &doc->root;
}
