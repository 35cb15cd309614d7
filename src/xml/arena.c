/*
 * The per-stanza arena: one malloc holds the tree header, the root element
 * and the first block; big stanzas chain more blocks, each twice the size of
 * the one before (capped), so a 256 KiB stanza costs a handful of mallocs
 * and freeing any stanza is a short walk of the chain.
 */
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "xml/tree.h"

#define MIN_BLOCK 512
#define MAX_BLOCK (64 * 1024)

struct xml_doc *xml__doc_new(size_t hint)
{
    if (hint < MIN_BLOCK) {
        hint = MIN_BLOCK;
    }
    size_t head = (sizeof(struct xml_doc) + 7) & ~(size_t)7;
    struct xml_doc *doc = xmalloc(head + hint);
    memset(doc, 0, sizeof(*doc));
    atomic_init(&doc->refs, 1);
    doc->cur = (char *)doc + head;
    doc->end = doc->cur + hint;
    doc->capacity = head + hint;
    doc->next_block = hint * 2 < MAX_BLOCK ? hint * 2 : MAX_BLOCK;
    doc->root.node.kind = XML_NODE_ELEMENT;
    return doc;
}

void xml__doc_free(struct xml_doc *doc)
{
    struct xml_block *b = doc->blocks;
    while (b) {
        struct xml_block *next = b->next;
        free(b);
        b = next;
    }
    free(doc);
}

struct xml_doc *xml__doc_of(const struct strata_stanza *el)
{
    while (el->parent) {
        el = el->parent;
    }
    return (struct xml_doc *)((const char *)el - offsetof(struct xml_doc, root));
}

size_t xml__doc_used(const struct xml_doc *doc)
{
    return doc->capacity - (size_t)(doc->end - doc->cur);
}

void *xml__alloc_slow(struct xml_doc *doc, size_t size)
{
    size_t head = (sizeof(struct xml_block) + 7) & ~(size_t)7;
    size_t cap = doc->next_block;
    if (cap < size) {
        cap = size; /* one big allocation gets a block of its own size */
    } else if (doc->next_block < MAX_BLOCK) {
        doc->next_block *= 2;
    }
    struct xml_block *b = xmalloc(head + cap);
    doc->capacity += head + cap;
    b->next = doc->blocks;
    doc->blocks = b;
    char *p = (char *)b + head;
    doc->cur = p + size;
    doc->end = p + cap;
    return p;
}

char *xml__strndup(struct xml_doc *doc, const char *s, size_t len)
{
    char *p = xml__alloc(doc, len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

const char *xml__name(struct xml_doc *doc, const char *s, size_t len)
{
    if (strata_atom_is(s)) {
        return s;
    }
    const char *atom = strata_atom_find(s, len);
    return atom ? atom : xml__strndup(doc, s, len);
}

struct strata_stanza *xml__element_new(struct xml_doc *doc, struct strata_stanza *parent,
                                       const char *name, const char *ns)
{
    struct strata_stanza *el = xml__alloc(doc, sizeof(*el));
    memset(el, 0, sizeof(*el));
    el->node.kind = XML_NODE_ELEMENT;
    el->name = name;
    el->ns = ns;
    el->parent = parent;
    if (parent) {
        xml__link(parent, &el->node);
    }
    return el;
}

/* Grows the text of `t` by `len` bytes, in place when its data is the last
 * thing in the current block, else by moving it (doubling its room, so a
 * text that arrives in many pieces is copied O(log n) times). */
static void grow_text(struct xml_doc *doc, struct xml_text *t, const char *s, size_t len)
{
    size_t need = (size_t)t->len + len;
    if (need > t->cap) {
        /* The text's room (cap + the NUL) is a multiple of 8 and so keeps
         * the block's free pointer aligned. */
        size_t extra = ((need - t->cap) + 7) & ~(size_t)7;
        char *tail = t->data + t->cap + 1;
        if (tail == doc->cur && extra <= (size_t)(doc->end - doc->cur)) {
            doc->cur += extra;
            t->cap += (uint32_t)extra;
        } else {
            size_t room = (need * 2 + 1 + 7) & ~(size_t)7;
            char *data = xml__alloc(doc, room);
            memcpy(data, t->data, t->len);
            t->data = data;
            t->cap = (uint32_t)(room - 1);
        }
    }
    memcpy(t->data + t->len, s, len);
    t->len = (uint32_t)need;
    t->data[t->len] = '\0';
}

void xml__append_text(struct xml_doc *doc, struct strata_stanza *el, const char *s, size_t len)
{
    if (len == 0) {
        return;
    }
    struct strata_node *last = el->last;
    if (last && last->kind == XML_NODE_TEXT) {
        grow_text(doc, (struct xml_text *)last, s, len);
        return;
    }
    /* Node and data in one allocation; data first reaches the block's end,
     * which is what lets the next piece extend it in place. */
    size_t cap = (len + 1 + 7) & ~(size_t)7;
    struct xml_text *t = xml__alloc(doc, sizeof(*t) + cap);
    t->node.kind = XML_NODE_TEXT;
    t->data = (char *)(t + 1);
    t->cap = (uint32_t)(cap - 1);
    t->len = (uint32_t)len;
    memcpy(t->data, s, len);
    t->data[len] = '\0';
    xml__link(el, &t->node);
}
