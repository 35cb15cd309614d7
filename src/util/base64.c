/*
 * Base64 encoding and strict decoding; see base64.h.
 */
#include "util/base64.h"

#include <stdint.h>

#include "strata/errors.h"
#include "util/xalloc.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t base64_encoded_len(size_t n)
{
    return (n + 2) / 3 * 4;
}

size_t base64_decoded_max(size_t n)
{
    return n / 4 * 3;
}

void base64_encode(const void *in, size_t n, char *out)
{
    const unsigned char *p = in;
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
        *out++ = alphabet[v >> 18];
        *out++ = alphabet[(v >> 12) & 63];
        *out++ = alphabet[(v >> 6) & 63];
        *out++ = alphabet[v & 63];
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)p[i] << 16;
        *out++ = alphabet[v >> 18];
        *out++ = alphabet[(v >> 12) & 63];
        *out++ = '=';
        *out++ = '=';
    } else if (n - i == 2) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
        *out++ = alphabet[v >> 18];
        *out++ = alphabet[(v >> 12) & 63];
        *out++ = alphabet[(v >> 6) & 63];
        *out++ = '=';
    }
    *out = '\0';
}

char *base64_encode_new(const void *in, size_t n)
{
    char *out = xmalloc(base64_encoded_len(n) + 1);
    base64_encode(in, n, out);
    return out;
}

/* The 6-bit value of one alphabet character, or -1. */
static int sextet(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '+') {
        return 62;
    }
    if (c == '/') {
        return 63;
    }
    return -1;
}

/* Decodes one quantum of four characters into 1 to 3 bytes. `last` tells
 * whether padding may appear (only in the final quantum, RFC 4648 §3.3).
 * Returns the number of bytes or -1. */
static int quantum(const unsigned char *q, int last, unsigned char *out)
{
    int pad = 0;
    if (last && q[3] == '=') {
        pad = q[2] == '=' ? 2 : 1;
    }
    int s[4] = {0, 0, 0, 0};
    for (int i = 0; i < 4 - pad; i++) {
        s[i] = sextet(q[i]);
        if (s[i] < 0) {
            return -1;
        }
    }
    uint32_t v = (uint32_t)s[0] << 18 | (uint32_t)s[1] << 12 | (uint32_t)s[2] << 6 | (uint32_t)s[3];
    /* RFC 4648 §3.5: the bits under the padding must be zero, otherwise two
     * texts would decode to the same bytes. */
    if ((pad == 1 && (v & 0xff) != 0) || (pad == 2 && (v & 0xffff) != 0)) {
        return -1;
    }
    out[0] = (unsigned char)(v >> 16);
    out[1] = (unsigned char)(v >> 8);
    out[2] = (unsigned char)v;
    return 3 - pad;
}

int base64_decode(const char *in, size_t n, void *out, size_t cap, size_t *out_len)
{
    const unsigned char *p = (const unsigned char *)in;
    unsigned char *o = out;
    size_t len = 0;
    if (n % 4 != 0) {
        return STRATA_EINVAL;
    }
    for (size_t i = 0; i < n; i += 4) {
        unsigned char bytes[3];
        int got = quantum(p + i, i + 4 == n, bytes);
        if (got < 0) {
            return STRATA_EINVAL;
        }
        if (len + (size_t)got > cap) {
            return STRATA_ELIMIT;
        }
        for (int k = 0; k < got; k++) {
            o[len++] = bytes[k];
        }
    }
    *out_len = len;
    return 0;
}
