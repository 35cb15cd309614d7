/*
 * JIDs: XMPP addresses, localpart@domainpart/resourcepart (RFC 7622).
 *
 * A JID is split on its separators first (RFC 7622 §3.1), then each part is
 * prepared with the IDNA2003-era stringprep profiles Prosody and most
 * servers use: Nodeprep for the localpart, Nameprep and IDNA ToASCII /
 * ToUnicode for the domainpart, Resourceprep for the resourcepart (RFC 3920
 * appendices A and B, RFC 3490, RFC 3491). A prepared JID is canonical, so
 * two JIDs name the same entity exactly when their parts compare equal
 * byte for byte.
 *
 * Pure CPU work: nothing here blocks, so it runs on the loop thread.
 */
#ifndef STRATA_JID_H
#define STRATA_JID_H

#include <stdbool.h>
#include <stddef.h>

/* Octets a prepared part may have (RFC 7622 §3.2, §3.3, §3.4), and a whole
 * JID: three parts and their two separators. A buffer of
 * STRATA_JID_MAX + 1 bytes holds any formatted JID. */
#define STRATA_JID_PART_MAX 1023
#define STRATA_JID_MAX (3 * STRATA_JID_PART_MAX + 2)

/*
 * A prepared JID. `domain` is always set once parsed; `node` and `resource`
 * are NULL when absent, never empty. All three parts live in one allocation
 * owned by the struct: read them, never free or reassign them; release the
 * whole with strata_jid_clear(). A zeroed struct is a valid empty JID.
 */
struct strata_jid {
    char *node;
    char *domain;
    char *resource;
};

enum strata_jid_flags {
    /* Refuse code points unassigned in Unicode 3.2, as RFC 3454 §7 asks for
     * strings that will be stored: use it when an account is created
     * (Prosody's `nodeprep(username, true)`). Without it unassigned code
     * points pass, as for any query; that keeps emoji in resources working. */
    STRATA_JID_STRICT = 1u << 0,
};

/*
 * Parses and prepares `len` bytes of `text` (not NUL-terminated; a NUL
 * inside is refused). 0 with `*out` filled (release with strata_jid_clear),
 * or STRATA_EINVAL for anything malformed, with `*out` zeroed: the caller
 * answers jid-malformed. Borrows `text`; `*out` need not be initialised.
 */
int strata_jid_parse(const char *text, size_t len, struct strata_jid *out);

/*
 * Builds a JID from separate parts, preparing each: `node` and `resource`
 * may be NULL for absent. For resource binding (a client's resource on a
 * session's bare JID) and for user names from SASL or registration (with
 * STRATA_JID_STRICT). 0 or STRATA_EINVAL as strata_jid_parse. Borrows all.
 */
int strata_jid_from_parts(const char *node, const char *domain, const char *resource,
                          unsigned flags, struct strata_jid *out);

/*
 * Prepares a host name alone, as a JID's domainpart: "Example.COM." gives
 * "example.com", "xn--mller-kva.example" gives "müller.example". For host
 * names from the configuration. 0 with a new string in `*out` (caller
 * frees), or STRATA_EINVAL with `*out` NULL. Borrows `in`.
 */
int strata_jid_prep_domain(const char *in, char **out);

/* Releases the parts and zeroes `jid`; harmless on a zeroed struct. */
void strata_jid_clear(struct strata_jid *jid);

/* Fills `dst` with a copy of `src` (a zeroed `src` gives a zeroed `dst`),
 * without its resource when `bare`. `dst` need not be initialised and is
 * overwritten, not cleared: clear it first if it held a JID. */
void strata_jid_copy(struct strata_jid *dst, const struct strata_jid *src, bool bare);

/* Writes a parsed JID, or its bare form, NUL-terminated into `buf`. 0, or
 * STRATA_ELIMIT with `buf` untouched when `size` is too small
 * (STRATA_JID_MAX + 1 always suffices). Borrows both. */
int strata_jid_format(const struct strata_jid *jid, bool bare, char *buf, size_t size);

/* A parsed JID, or its bare form, as a new string the caller frees. */
char *strata_jid_to_string(const struct strata_jid *jid, bool bare);

/* Same entity: all three parts equal (both resources absent counts). */
bool strata_jid_equal(const struct strata_jid *a, const struct strata_jid *b);

/* Same account or host: node and domain equal, resources ignored. */
bool strata_jid_bare_equal(const struct strata_jid *a, const struct strata_jid *b);

#endif
