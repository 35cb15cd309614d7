/*
 * Checks on text the builder is given, so that every tree holds only what
 * the serializer may write unchecked (XML 1.0 §2.2 Char, §2.3 Name;
 * RFC 6120 §11.6: UTF-8 only).
 */
#ifndef STRATA_XML_CHARS_H
#define STRATA_XML_CHARS_H

#include <stdbool.h>
#include <stddef.h>

/* Whether `len` bytes are well-formed UTF-8 (no overlong forms, no
 * surrogates) made only of XML 1.0 characters. */
bool xml__valid_text(const char *s, size_t len);

/* Whether `s` is an XML name without colon (an NCName, XML Namespaces §3;
 * XML 1.0 fifth edition character classes) in UTF-8, at most 255 bytes. */
bool xml__valid_name(const char *s);

#endif
