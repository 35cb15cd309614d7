/*
 * The layout of stanza trees and of the per-stanza arena they live in;
 * shared by the parser (which builds trees straight from expat callbacks),
 * the builder, the readers and the serializer. Nothing outside src/xml/
 * includes this: modules see only strata/stanza.h.
 *
 * One tree is one `struct xml_doc`: a header with the reference count, the
 * root element, and the first arena block, all in a single malloc. Further
 * blocks are chained only for big stanzas. Nothing in a tree is freed on
 * its own; the whole arena goes at the last unref.
 */
#ifndef STRATA_XML_TREE_H
#define STRATA_XML_TREE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "strata/stanza.h"

enum xml_node_kind {
    XML_NODE_ELEMENT,
    XML_NODE_TEXT,
};

struct strata_node {
    struct strata_node *next; /* next sibling */
    uint32_t kind;            /* enum xml_node_kind */
};

/* A run of text. Adjacent runs are merged as they arrive, so an element
 * without child elements has at most one. `data` may move when it grows. */
struct xml_text {
    struct strata_node node;
    uint32_t len;
    uint32_t cap; /* bytes available for text at `data`, NUL excluded */
    char *data;   /* NUL-terminated */
};

struct strata_stanza {
    struct strata_node node;
    const char *name;             /* atom, or a string in the arena */
    const char *ns;               /* likewise; strata_atoms.empty for none */
    struct strata_stanza *parent; /* NULL for the root */
    struct strata_node *first;    /* children */
    struct strata_node *last;
    struct strata_attr *attrs; /* in the arena */
    uint32_t nattrs;
    uint32_t attr_cap;
};

struct xml_block {
    struct xml_block *next;
};

struct xml_doc {
    atomic_uint refs;
    char *cur; /* free space of the current block */
    char *end;
    struct xml_block *blocks; /* blocks after the first, newest first */
    size_t next_block;        /* size of the next block to allocate */
    size_t capacity;          /* bytes of all blocks, header included */
    struct strata_stanza root;
    /* the first block follows */
};

/* A new tree whose first block has about `hint` bytes; refs = 1; the root
 * element is zeroed (the caller names it). */
struct xml_doc *xml__doc_new(size_t hint);

/* Frees a tree and all its blocks. */
void xml__doc_free(struct xml_doc *doc);

/* The tree `el` belongs to. */
struct xml_doc *xml__doc_of(const struct strata_stanza *el);

/* Bytes the tree has taken from its blocks so far (an upper bound for the
 * size a copy needs). */
size_t xml__doc_used(const struct xml_doc *doc);

void *xml__alloc_slow(struct xml_doc *doc, size_t size);

/* `size` bytes from the arena, 8-aligned. Never NULL (out of memory aborts). */
static inline void *xml__alloc(struct xml_doc *doc, size_t size)
{
    size = (size + 7) & ~(size_t)7;
    if ((size_t)(doc->end - doc->cur) >= size) {
        void *p = doc->cur;
        doc->cur += size;
        return p;
    }
    return xml__alloc_slow(doc, size);
}

/* A NUL-terminated copy of `len` bytes in the arena. */
char *xml__strndup(struct xml_doc *doc, const char *s, size_t len);

/* `s` itself when it is an atom, the atom for it when one exists, or a
 * copy in the arena. */
const char *xml__name(struct xml_doc *doc, const char *s, size_t len);

/* A new element {ns}name appended to `parent` (which may be NULL: the
 * caller links it). `name` and `ns` are stored as given. */
struct strata_stanza *xml__element_new(struct xml_doc *doc, struct strata_stanza *parent,
                                       const char *name, const char *ns);

/* Appends text to `el`, merging with a text node that ends its children;
 * grows in place when that node is the arena's last allocation. */
void xml__append_text(struct xml_doc *doc, struct strata_stanza *el, const char *s, size_t len);

/* Appends `node` to the children of `parent`. */
static inline void xml__link(struct strata_stanza *parent, struct strata_node *node)
{
    node->next = NULL;
    if (parent->last) {
        parent->last->next = node;
    } else {
        parent->first = node;
    }
    parent->last = node;
}

#endif
