/*
 * libFuzzer target for the stream parser, the stanza tree and the
 * serializer.
 *
 * Input: two control bytes, then the stream. Byte 0 picks the chunk size
 * the stream is fed in (1 to 256 bytes) and byte 1 what the callbacks do:
 * pause and resume, restart the stream, trim between feeds, lower limits.
 * Every stanza is checked for stable round trips (serialize, parse back,
 * serialize: the same bytes) and copied, so the serializer and the builder's
 * invariants are fuzzed along with the parser. A broken invariant aborts.
 *
 * Build with clang (tests/fuzz/meson.build), then run, e.g.:
 *   build-fuzz/tests/fuzz/fuzz_stream_parser tests/fuzz/corpus/stream_parser \
 *       -max_total_time=120
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strata/errors.h"
#include "strata/stanza.h"
#include "util/strbuf.h"
#include "xml/serialize.h"
#include "xml/stream_parser.h"

enum {
    F_PAUSE = 1 << 0,   /* pause on every third stanza, resume after the feed */
    F_RESTART = 1 << 1, /* restart the stream (keeping input) on a <restart/> */
    F_TRIM = 1 << 2,    /* trim after every feed */
    F_SMALL = 1 << 3,   /* tight limits */
    F_DROP = 1 << 4,    /* restarts drop the pending input */
};

struct run {
    struct strata_xml_parser *p;
    unsigned flags;
    unsigned stanzas;
};

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "invariant broken: %s\n", what);
        abort();
    }
}

/* serialize -> parse -> serialize must give the same bytes, and a copy
 * must serialize as the original. */
static void round_trip(const struct strata_stanza *st)
{
    size_t len1;
    char *s1 = strata_stanza_to_string(st, &len1);
    struct strata_xml_limits none = {0};
    struct strata_stanza *back = NULL;
    check(strata_stanza_parse(s1, len1, &none, &back) == 0, "serialized stanza parses");
    char *s2 = strata_stanza_to_string(back, NULL);
    check(strcmp(s1, s2) == 0, "round trip is stable");
    struct strata_stanza *copy = strata_stanza_copy(st);
    char *s3 = strata_stanza_to_string(copy, NULL);
    check(strcmp(s1, s3) == 0, "copy serializes as the original");
    strata_stanza_unref(copy);
    strata_stanza_unref(back);
    free(s1);
    free(s2);
    free(s3);
}

static void on_open(void *ud, const struct strata_xml_stream_header *hdr)
{
    /* The header we would write from it must be readable by ourselves. */
    struct strbuf b = STRBUF_INIT;
    strata_xml_write_stream_header(&b, hdr);
    strata_xml_write_stream_footer(&b);
    struct strata_xml_limits none = {0};
    struct strata_stanza *st = NULL;
    check(strata_stanza_parse(b.ptr, b.len, &none, &st) == 0, "written header parses");
    strata_stanza_unref(st);
    strbuf_release(&b);
}

static void on_stanza(void *ud, struct strata_stanza *st)
{
    struct run *r = ud;
    r->stanzas++;
    round_trip(st);
    struct strbuf b = STRBUF_INIT;
    strata_stanza_serialize(st, strata_atoms.ns_client, &b);
    strbuf_release(&b);
    if ((r->flags & F_RESTART) && strcmp(strata_stanza_name(st), "restart") == 0) {
        strata_xml_parser_reset(r->p, !(r->flags & F_DROP));
    } else if ((r->flags & F_PAUSE) && r->stanzas % 3 == 0) {
        strata_xml_parser_pause(r->p);
    }
    strata_stanza_unref(st);
}

static void on_error(void *ud, const struct strata_xml_error *err)
{
    check(err->condition >= STRATA_XML_BAD_FORMAT &&
              err->condition <= STRATA_XML_UNSUPPORTED_ENCODING && err->text != NULL,
          "error has a condition and a text");
}

static const struct strata_xml_handlers handlers = {
    .on_stream_open = on_open,
    .on_stanza = on_stanza,
    .on_error = on_error,
};

static void run_stream(const uint8_t *data, size_t size, size_t chunk, unsigned flags)
{
    struct strata_xml_limits limits = STRATA_XML_LIMITS_DEFAULT;
    if (flags & F_SMALL) {
        limits = (struct strata_xml_limits){300, 4, 4, 16};
    }
    struct run r = {.flags = flags};
    r.p = strata_xml_parser_new(strata_atoms.ns_client, &limits, &handlers, &r);
    for (size_t off = 0; off < size; off += chunk) {
        size_t n = size - off < chunk ? size - off : chunk;
        int rc = strata_xml_parser_feed(r.p, (const char *)data + off, n);
        while (rc == STRATA_EAGAIN) {
            rc = strata_xml_parser_resume(r.p);
        }
        if (rc != 0) {
            check(rc == STRATA_EINVAL || rc == STRATA_ECLOSED, "feed result");
            break;
        }
        if (flags & F_TRIM) {
            strata_xml_parser_trim(r.p);
        }
    }
    strata_xml_parser_free(r.p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) {
        return 0;
    }
    size_t chunk = (size_t)data[0] + 1;
    unsigned flags = data[1];
    run_stream(data + 2, size - 2, chunk, flags);
    /* The same bytes as one document. */
    struct strata_stanza *st = NULL;
    if (strata_stanza_parse((const char *)data + 2, size - 2, NULL, &st) == 0) {
        round_trip(st);
        strata_stanza_unref(st);
    }
    return 0;
}
