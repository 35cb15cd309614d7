/*
 * The serializer: stanza trees and stream headers to bytes.
 *
 * Namespaces are written as default-namespace declarations, only where an
 * element's namespace differs from the one in scope, so a <message/> of
 * jabber:client inside a jabber:client stream has no xmlns at all
 * (RFC 6120 §4.8.3: the content namespace is declared once on the stream).
 * Prefixes the peer used are not kept: `<a:b xmlns:a='u'/>` is written as
 * `<b xmlns='u'/>`, which names the same element. Two exceptions: elements
 * of the streams namespace inside a stream use the `stream:` prefix the
 * stream header bound (COMPAT(client): some clients match
 * "stream:features" textually), elements of the XML namespace keep `xml:`,
 * and namespaced attributes get a prefix
 * declared on their element (`xml:` needs none, XML Namespaces §3).
 *
 * Trees hold only valid UTF-8 made of XML characters (see strata/stanza.h),
 * so nothing is checked here; escaping is a table lookup per byte and runs
 * of plain bytes are copied in one go.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "strata/stanza.h"
#include "util/strbuf.h"
#include "xml/serialize.h"
#include "xml/tree.h"

enum {
    ESC_TEXT = 1, /* escaped in character data */
    ESC_ATTR = 2, /* escaped in attribute values */
};

static const unsigned char esc_class[256] = {
    ['&'] = ESC_TEXT | ESC_ATTR, ['<'] = ESC_TEXT | ESC_ATTR,
    ['>'] = ESC_TEXT | ESC_ATTR, ['\r'] = ESC_TEXT | ESC_ATTR,
    ['\''] = ESC_ATTR,           ['"'] = ESC_ATTR,
    ['\t'] = ESC_ATTR,           ['\n'] = ESC_ATTR,
};

static const char *escape_of(unsigned char c)
{
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '\'':
        return "&apos;";
    case '"':
        return "&quot;";
    case '\t':
        return "&#9;";
    case '\n':
        return "&#10;";
    default:
        return "&#13;";
    }
}

/* strbuf_add() without the NUL and the call while there is room (one
 * serialization makes dozens of small appends); strata_stanza_serialize()
 * restores the NUL at the end. */
static inline void put(struct strbuf *out, const char *s, size_t n)
{
    if (out->ptr && out->cap - out->len > n) {
        memcpy(out->ptr + out->len, s, n);
        out->len += n;
        return;
    }
    strbuf_add(out, s, n);
}

/* put() leaves the NUL out; there is always room for it. */
static void terminate(struct strbuf *out)
{
    if (out->ptr) {
        out->ptr[out->len] = '\0';
    }
}

static inline void put_str(struct strbuf *out, const char *s)
{
    put(out, s, strlen(s));
}

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* Whether any byte of `w` equals `c` (the classic zero-byte test). */
static inline uint64_t has_byte(uint64_t w, unsigned char c)
{
    uint64_t x = w ^ (ONES * c);
    return (x - ONES) & ~x & HIGHS;
}

/* Whether the 8 bytes at `s` may hold a byte to escape; a fast test for
 * the long runs of plain text that are most of any stanza. */
static inline bool word_special(const char *s, unsigned char cls)
{
    uint64_t w;
    memcpy(&w, s, sizeof(w));
    uint64_t hit = has_byte(w, '&') | has_byte(w, '<') | has_byte(w, '>') | has_byte(w, '\r');
    if (cls & ESC_ATTR) {
        /* bytes below 0x20 (tab, newline; \r above), quotes */
        hit |= ((w - ONES * 0x20) & ~w & HIGHS) | has_byte(w, '\'') | has_byte(w, '"');
    }
    return hit != 0;
}

static void escape(struct strbuf *out, const char *s, size_t len, unsigned char cls)
{
    size_t run = 0;
    size_t i = 0;
    while (i < len) {
        while (i + 8 <= len && !word_special(s + i, cls)) {
            i += 8;
        }
        size_t end = i + 8 < len ? i + 8 : len;
        for (; i < end; i++) {
            unsigned char c = (unsigned char)s[i];
            if (esc_class[c] & cls) {
                put(out, s + run, i - run);
                put_str(out, escape_of(c));
                run = i + 1;
            }
        }
    }
    put(out, s + run, len - run);
}

void xml__escape_attr(struct strbuf *out, const char *s, size_t len)
{
    escape(out, s, len, ESC_ATTR);
    terminate(out);
}

void xml__escape_text(struct strbuf *out, const char *s, size_t len)
{
    escape(out, s, len, ESC_TEXT);
    terminate(out);
}

static void add_attr(struct strbuf *out, const char *prefix, const char *name, const char *value,
                     size_t len)
{
    put(out, " ", 1);
    if (prefix) {
        put_str(out, prefix);
        put(out, ":", 1);
    }
    put_str(out, name);
    put(out, "='", 2);
    xml__escape_attr(out, value, len);
    put(out, "'", 1);
}

/* The prefix for a namespaced attribute: `xml`, or nsN declared on this
 * element, shared by attributes of the same namespace. */
static void write_attrs(struct strbuf *out, const struct strata_stanza *el)
{
    for (uint32_t i = 0; i < el->nattrs; i++) {
        const struct strata_attr *a = &el->attrs[i];
        if (a->ns[0] == '\0') {
            add_attr(out, NULL, a->name, a->value, a->value_len);
            continue;
        }
        if (strata_name_eq(a->ns, strata_atoms.ns_xml)) {
            add_attr(out, "xml", a->name, a->value, a->value_len);
            continue;
        }
        uint32_t first = i; /* index of the first attribute of this namespace */
        for (uint32_t j = 0; j < i; j++) {
            if (strata_name_eq(el->attrs[j].ns, a->ns)) {
                first = j;
                break;
            }
        }
        char prefix[16];
        snprintf(prefix, sizeof(prefix), "ns%u", (unsigned)first);
        if (first == i) {
            add_attr(out, "xmlns", prefix, a->ns, strlen(a->ns));
        }
        add_attr(out, prefix, a->name, a->value, a->value_len);
    }
}

/* "stream:" for stream-level elements inside a stream; "xml:" for the XML
 * namespace, which may not be declared as a default (XML Namespaces §3);
 * NULL for the rest, written with a default namespace declaration. */
static const char *element_prefix(const struct strata_stanza *el, bool stream_bound)
{
    if (stream_bound && strata_name_eq(el->ns, strata_atoms.ns_streams)) {
        return "stream:";
    }
    if (strata_name_eq(el->ns, strata_atoms.ns_xml)) {
        return "xml:";
    }
    return NULL;
}

/* `scope`: the default namespace in scope ("" for none). `stream_bound`:
 * whether the stream: prefix is bound here. Recursion depth is the tree's,
 * bounded by the parser's depth limit for anything from a peer. */
static void write_element(struct strbuf *out, const struct strata_stanza *el, const char *scope,
                          bool stream_bound)
{
    /* Mostly the namespace is the one in scope: one pointer comparison. */
    bool same = el->ns == scope || strata_name_eq(el->ns, scope);
    const char *prefix = same ? NULL : element_prefix(el, stream_bound);
    bool prefixed = prefix != NULL;
    put(out, "<", 1);
    if (prefixed) {
        put_str(out, prefix);
    }
    put_str(out, el->name);
    const char *inner = scope;
    if (!same && !prefixed) {
        add_attr(out, NULL, "xmlns", el->ns, strlen(el->ns));
        inner = el->ns;
    }
    write_attrs(out, el);
    if (!el->first) {
        put(out, "/>", 2);
        return;
    }
    put(out, ">", 1);
    for (const struct strata_node *n = el->first; n; n = n->next) {
        if (n->kind == XML_NODE_TEXT) {
            const struct xml_text *t = (const struct xml_text *)n;
            xml__escape_text(out, t->data, t->len);
        } else {
            write_element(out, (const struct strata_stanza *)n, inner, stream_bound);
        }
    }
    put(out, "</", 2);
    if (prefixed) {
        put_str(out, prefix);
    }
    put_str(out, el->name);
    put(out, ">", 1);
}

void strata_stanza_serialize(const struct strata_stanza *el, const char *default_ns,
                             struct strbuf *out)
{
    write_element(out, el, default_ns ? default_ns : strata_atoms.empty, default_ns != NULL);
    terminate(out);
}

char *strata_stanza_to_string(const struct strata_stanza *el, size_t *len)
{
    struct strbuf out = STRBUF_INIT;
    strata_stanza_serialize(el, NULL, &out);
    if (len) {
        *len = out.len;
    }
    return strbuf_take(&out);
}

static void header_attr(struct strbuf *out, const char *prefix, const char *name, const char *value)
{
    if (value) {
        add_attr(out, prefix, name, value, strlen(value));
    }
}

void strata_xml_write_stream_header(struct strbuf *out, const struct strata_xml_stream_header *hdr)
{
    /* RFC 6120 §11.5: version 1.0; §11.6: UTF-8, the default, not named. */
    put_str(out, "<?xml version='1.0'?><stream:stream");
    header_attr(out, NULL, "xmlns", hdr->content_ns);
    header_attr(out, "xmlns", "stream", strata_atoms.ns_streams);
    for (size_t i = 0; i < hdr->ndecls; i++) {
        const struct strata_xml_ns_decl *d = &hdr->decls[i];
        if (d->prefix && d->uri && strcmp(d->prefix, "stream") != 0) {
            header_attr(out, "xmlns", d->prefix, d->uri);
        }
    }
    header_attr(out, NULL, "from", hdr->from);
    header_attr(out, NULL, "to", hdr->to);
    header_attr(out, NULL, "id", hdr->id);
    header_attr(out, NULL, "version", hdr->version);
    header_attr(out, "xml", "lang", hdr->lang);
    put(out, ">", 1);
    terminate(out);
}

void strata_xml_write_stream_footer(struct strbuf *out)
{
    put_str(out, "</stream:stream>");
    terminate(out);
}
