/*
 * Base64 (RFC 4648 §4, the standard alphabet with '=' padding), as SASL
 * carries it in XMPP (RFC 6120 §6.4.2) and SCRAM inside its messages
 * (RFC 5802 §7). Decoding is strict: padding is required, characters
 * outside the alphabet and non-zero pad bits are refused (RFC 4648 §3.3,
 * §3.5), so one value has exactly one encoding.
 */
#ifndef STRATA_UTIL_BASE64_H
#define STRATA_UTIL_BASE64_H

#include <stddef.h>

/* Characters needed to encode `n` bytes, without the terminating NUL. */
size_t base64_encoded_len(size_t n);

/* Largest number of bytes `n` characters of base64 can decode to. */
size_t base64_decoded_max(size_t n);

/* Encodes `n` bytes of `in` into `out`, which must hold
 * base64_encoded_len(n) + 1 bytes; `out` is NUL-terminated. Borrows both. */
void base64_encode(const void *in, size_t n, char *out);

/* Encodes into a new NUL-terminated string the caller frees. */
char *base64_encode_new(const void *in, size_t n);

/* Decodes `n` characters of `in` (no NUL needed) into `out`, which holds
 * `cap` bytes, and stores the decoded length in `*out_len`. Empty input
 * decodes to zero bytes. Returns 0, STRATA_EINVAL for anything that is not
 * canonical base64, or STRATA_ELIMIT when `cap` is too small. Borrows
 * everything; `out` may be partly written on failure. */
int base64_decode(const char *in, size_t n, void *out, size_t cap, size_t *out_len);

#endif
