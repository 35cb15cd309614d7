/*
 * Micro benchmark of the XML layer: a stream of small chat messages parsed
 * as a c2s session would (socket-sized reads, a tree per stanza, the router
 * reading `to` and the body), then written back out, plus the memory an idle
 * parser costs before and after strata_xml_parser_trim().
 *
 *   build/bench/xml_parse_bench [messages=1000000] [read-size=16384]
 *
 * Not a test: numbers depend on the machine. Times are the thread's CPU
 * time, so that other processes on a busy machine disturb them less. Build
 * with optimisation (the default debugoptimized is -O2).
 */
#include <expat.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "strata/stanza.h"
#include "util/strbuf.h"
#include "xml/stream_parser.h"

#define RING 1000 /* distinct messages, fed round and round */

static const char header[] =
    "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
    "xmlns:stream='http://etherx.jabber.org/streams' to='example.com' version='1.0' "
    "xml:lang='en'>";

struct counters {
    long stanzas;
    long checksum;
    int serialize;
    struct strbuf out;
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_open(void *ud, const struct strata_xml_stream_header *h)
{
}

static void on_stanza(void *ud, struct strata_stanza *st)
{
    struct counters *c = ud;
    c->stanzas++;
    /* What routing reads of every message. */
    const char *to = strata_stanza_attr(st, strata_atoms.to);
    const char *body = strata_stanza_child_text(st, strata_atoms.body, NULL);
    c->checksum += (to ? to[0] : 0) + (body ? body[0] : 0);
    if (c->serialize) {
        c->out.len = 0;
        strata_stanza_serialize(st, strata_atoms.ns_client, &c->out);
        c->checksum += (long)c->out.len;
    }
    strata_stanza_unref(st);
}

static const struct strata_xml_handlers handlers = {
    .on_stream_open = on_open,
    .on_stanza = on_stanza,
};

/* RING messages as a typical client (Conversations, Dino) sends them. */
static void make_ring(struct strbuf *b)
{
    for (int i = 0; i < RING; i++) {
        strbuf_addf(b,
                    "<message to='juliet@example.com' from='romeo@example.net/orchard' "
                    "type='chat' id='m%06d' xml:lang='en'><body>Wherefore art thou, Romeo? "
                    "#%d</body><active xmlns='http://jabber.org/protocol/chatstates'/>"
                    "<request xmlns='urn:xmpp:receipts'/><origin-id xmlns='urn:xmpp:sid:0' "
                    "id='o%06d'/></message>",
                    i, i, i);
    }
}

static void run(const char *label, long messages, size_t read_size, int serialize)
{
    struct strbuf ring = STRBUF_INIT;
    make_ring(&ring);
    struct counters c = {.serialize = serialize};
    struct strata_xml_limits limits = STRATA_XML_LIMITS_DEFAULT;
    struct strata_xml_parser *p =
        strata_xml_parser_new(strata_atoms.ns_client, &limits, &handlers, &c);
    strata_xml_parser_feed(p, header, strlen(header));
    long rounds = messages / RING;
    double t0 = now();
    size_t bytes = 0;
    for (long r = 0; r < rounds; r++) {
        for (size_t off = 0; off < ring.len; off += read_size) {
            size_t n = ring.len - off < read_size ? ring.len - off : read_size;
            if (strata_xml_parser_feed(p, ring.ptr + off, n) != 0) {
                fprintf(stderr, "parse error\n");
                exit(1);
            }
            bytes += n;
        }
    }
    double dt = now() - t0;
    printf("%-28s %9ld msgs  %6.3f s  %10.0f msgs/s  %7.1f MB/s  (%zu B/msg)\n", label, c.stanzas,
           dt, (double)c.stanzas / dt, (double)bytes / dt / 1e6, ring.len / RING);
    if (c.checksum == 42) {
        puts(""); /* keep the reads */
    }
    strata_xml_parser_free(p);
    strbuf_release(&ring);
    strbuf_release(&c.out);
}

static void on_raw_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
}

static void on_raw_end(void *ud, const XML_Char *name)
{
}

static void on_raw_text(void *ud, const XML_Char *s, int len)
{
}

/* Expat alone, namespace processing on, handlers empty: the floor. */
static void run_expat(long messages, size_t read_size)
{
    struct strbuf ring = STRBUF_INIT;
    make_ring(&ring);
    XML_Parser xp = XML_ParserCreateNS("UTF-8", '\x01');
    XML_SetElementHandler(xp, on_raw_start, on_raw_end);
    XML_SetCharacterDataHandler(xp, on_raw_text);
    XML_Parse(xp, header, (int)strlen(header), XML_FALSE);
    double t0 = now();
    size_t bytes = 0;
    for (long r = 0; r < messages / RING; r++) {
        for (size_t off = 0; off < ring.len; off += read_size) {
            size_t n = ring.len - off < read_size ? ring.len - off : read_size;
            XML_Parse(xp, ring.ptr + off, (int)n, XML_FALSE);
            bytes += n;
        }
    }
    double dt = now() - t0;
    printf("%-28s %9ld msgs  %6.3f s  %10.0f msgs/s  %7.1f MB/s\n", "expat alone (floor)",
           messages / RING * RING, dt, (double)(messages / RING * RING) / dt,
           (double)bytes / dt / 1e6);
    XML_ParserFree(xp);
    strbuf_release(&ring);
}

static size_t heap_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

/* Memory of N sessions' parsers once each has its stream open and has
 * parsed `burst` bytes of whole messages: what an idle connection costs,
 * before and after trim. */
static void idle_memory(size_t burst)
{
    enum { N = 2000 };
    static struct strata_xml_parser *ps[N];
    struct counters c = {0};
    struct strata_xml_limits limits = STRATA_XML_LIMITS_DEFAULT;
    struct strbuf msg = STRBUF_INIT;
    make_ring(&msg);
    /* Cut at a message boundary so that the parser ends between stanzas. */
    size_t len = 0;
    while (len < burst) {
        const char *end = strstr(msg.ptr + len, "</message>");
        len = (size_t)(end - msg.ptr) + strlen("</message>");
    }
    size_t before = heap_in_use();
    for (int i = 0; i < N; i++) {
        ps[i] = strata_xml_parser_new(strata_atoms.ns_client, &limits, &handlers, &c);
        strata_xml_parser_feed(ps[i], header, strlen(header));
        strata_xml_parser_feed(ps[i], msg.ptr, len);
    }
    size_t open = heap_in_use();
    for (int i = 0; i < N; i++) {
        strata_xml_parser_trim(ps[i]);
    }
    size_t trimmed = heap_in_use();
    printf("idle parser after a %5zu-byte read: %6zu B per session, %4zu B after trim\n", len,
           (open - before) / N, (trimmed - before) / N);
    double t0 = now();
    for (int i = 0; i < N; i++) {
        strata_xml_parser_feed(ps[i], msg.ptr, len); /* wakes up: rebuilds expat */
    }
    double dt = now() - t0;
    if (burst == 1) {
        printf("first stanza after trim: %.2f us (expat rebuilt and stream replayed)\n",
               dt / N * 1e6);
    }
    for (int i = 0; i < N; i++) {
        strata_xml_parser_free(ps[i]);
    }
    strbuf_release(&msg);
}

int main(int argc, char **argv)
{
    long messages = argc > 1 ? atol(argv[1]) : 1000000;
    size_t read_size = argc > 2 ? (size_t)atol(argv[2]) : 16384;
    if (messages < RING || read_size == 0) {
        fprintf(stderr, "usage: %s [messages>=%d] [read-size>0]\n", argv[0], RING);
        return 2;
    }
    printf("%ld chat messages, %zu-byte reads\n", messages, read_size);
    run_expat(messages, read_size);
    run("parse", messages, read_size, 0);
    run("parse + serialize", messages, read_size, 1);
    idle_memory(1);
    idle_memory(16384);
    return 0;
}
