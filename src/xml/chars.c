/*
 * UTF-8 and XML character checks for the builder; see chars.h.
 */
#include <stdint.h>
#include <string.h>

#include "xml/chars.h"

/* XML 1.0 §2.2: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD]
 * | [#x10000-#x10FFFF]. Surrogates never get here (the decoder refuses them). */
static bool is_xml_char(uint32_t c)
{
    if (c < 0x20) {
        return c == 0x9 || c == 0xA || c == 0xD;
    }
    return c != 0xFFFE && c != 0xFFFF && c <= 0x10FFFF;
}

/* Decodes one sequence of 2 to 4 bytes at `s` (s[0] >= 0x80); returns its
 * length, or 0 when it is not well-formed UTF-8 (RFC 3629 §4). */
static size_t decode(const unsigned char *s, size_t avail, uint32_t *out)
{
    unsigned char b = s[0];
    size_t n;
    uint32_t c, min;
    if (b >= 0xC2 && b <= 0xDF) {
        n = 2, c = b & 0x1F, min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
        n = 3, c = b & 0x0F, min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
        n = 4, c = b & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (avail < n) {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return 0;
        }
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        return 0;
    }
    *out = c;
    return n;
}

bool xml__valid_text(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        if (s[i] < 0x80) {
            if (s[i] < 0x20 && !is_xml_char(s[i])) {
                return false;
            }
            i++;
            continue;
        }
        uint32_t c;
        size_t n = decode(s + i, len - i, &c);
        if (n == 0 || !is_xml_char(c)) {
            return false;
        }
        i += n;
    }
    return true;
}

/* XML 1.0 (fifth edition) §2.3 NameStartChar, without ':' (an NCName). */
static bool is_name_start(uint32_t c)
{
    if (c < 0x80) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }
    return (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) ||
           (c >= 0x370 && c <= 0x37D) || (c >= 0x37F && c <= 0x1FFF) ||
           (c >= 0x200C && c <= 0x200D) || (c >= 0x2070 && c <= 0x218F) ||
           (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF) ||
           (c >= 0xF900 && c <= 0xFDCF) || (c >= 0xFDF0 && c <= 0xFFFD) ||
           (c >= 0x10000 && c <= 0xEFFFF);
}

/* §2.3 NameChar, without ':'. */
static bool is_name_char(uint32_t c)
{
    return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == 0xB7 ||
           (c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040);
}

bool xml__valid_name(const char *name)
{
    const unsigned char *s = (const unsigned char *)name;
    size_t len = strlen(name);
    if (len == 0 || len > 255) {
        return false;
    }
    for (size_t i = 0; i < len;) {
        uint32_t c = s[i];
        size_t n = 1;
        if (c >= 0x80 && (n = decode(s + i, len - i, &c)) == 0) {
            return false;
        }
        if (i == 0 ? !is_name_start(c) : !is_name_char(c)) {
            return false;
        }
        i += n;
    }
    return true;
}
