/*
 * Writing XML: stanzas (strata_stanza_serialize in strata/stanza.h), and
 * the stream header and footer a session sends (RFC 6120 §4.2, §4.4, §4.7).
 */
#ifndef STRATA_XML_SERIALIZE_H
#define STRATA_XML_SERIALIZE_H

#include <stddef.h>

#include "util/strbuf.h"
#include "xml/stream_parser.h"

/* Appends `<?xml version='1.0'?><stream:stream ...>` for `hdr`: the
 * content namespace as the default namespace, the stream prefix bound, the
 * other declarations of `hdr->decls` (e.g. xmlns:db for dialback; any
 * default or `stream` prefix among them is skipped), then to, from, id,
 * version and xml:lang where not NULL. `hdr->name` and `hdr->ns` are not
 * read. Values are escaped; the caller vouches that they are UTF-8 made of
 * XML characters (they come from JIDs, ids and the configuration). */
void strata_xml_write_stream_header(struct strbuf *out, const struct strata_xml_stream_header *hdr);

/* Appends `</stream:stream>`. */
void strata_xml_write_stream_footer(struct strbuf *out);

/* Appends `len` bytes escaped for an attribute value written between
 * single quotes (all five predefined entities, and character references
 * for tab, newline and carriage return so they survive attribute value
 * normalisation, XML 1.0 §3.3.3). */
void xml__escape_attr(struct strbuf *out, const char *s, size_t len);

/* Appends `len` bytes escaped for character data (<, >, & and a carriage
 * return, which the end-of-line handling of XML 1.0 §2.11 would eat). */
void xml__escape_text(struct strbuf *out, const char *s, size_t len);

#endif
