/*
 * Storage: the whole API against both drivers (one table of tests, run once
 * with "memory" and once with "sqlite"), then what only the sqlite driver
 * has: persistence, file modes, schema versions, corrupt files, busy locks,
 * batching, and durability across kill -9.
 *
 * Every request goes through settle(), which checks that the callback had
 * not run when the request function returned, then runs a real uv loop
 * until the store lets it stop (the store holds the loop only while work
 * is in flight), and checks the callback ran exactly once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka needs the four above first. */
#include <cmocka.h>

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#include "strata/errors.h"
#include "strata/store.h"
#include "tmpfiles.h"

#define HOST "example.org"
#define AT(user, store) (&(struct strata_store_where){HOST, (user), (store)})
#define SEC 1000000LL

/* ---- fixture ------------------------------------------------------------------ */

struct ctx {
    uv_loop_t loop;
    const char *driver;
    char *dir;
    char *path;
    struct strata_store *s;
    unsigned busy_ms;
    int logged;
    char last_log[512];
};

static void on_log(void *data, int status, const char *msg)
{
    struct ctx *c = data;
    c->logged++;
    snprintf(c->last_log, sizeof c->last_log, "%s", msg);
}

static int open_store(struct ctx *c, struct strata_store **out, char *err, size_t errlen)
{
    struct strata_store_config cfg = {
        .driver = c->driver,
        .path = c->path,
        .busy_timeout_ms = c->busy_ms,
        .log = on_log,
        .log_data = c,
    };
    return strata_store_open(&c->loop, &cfg, out, err, errlen);
}

static void run(struct ctx *c)
{
    uv_run(&c->loop, UV_RUN_DEFAULT);
}

static struct ctx *ctx_new(const char *driver)
{
    struct ctx *c = calloc(1, sizeof *c);
    c->driver = driver;
    assert_int_equal(uv_loop_init(&c->loop), 0);
    c->dir = tmp_dir();
    assert_true(asprintf(&c->path, "%s/data/sub/strata.sqlite", c->dir) > 0);
    return c;
}

/* Setup for the shared table: the store is open. */
static int setup_open(void **state)
{
    struct ctx *c = ctx_new(*state);
    char err[256] = "";
    assert_int_equal(open_store(c, &c->s, err, sizeof err), 0);
    *state = c;
    return 0;
}

/* Setup for tests that open (and fork) themselves. */
static int setup_closed(void **state)
{
    *state = ctx_new(*state);
    return 0;
}

static int fire_counter;

struct res {
    int calls;
    int seq; /* when it fired, counted across all results */
    int status;
    bool has_value;
    char *value;
    size_t len;
    char **names;
    size_t nnames;
    char *id;
    uint64_t count;
    size_t nitems;
    char **ids;
    char **datas;
    char **withs;
    int64_t *stamps;
    uint32_t *flags;
    bool complete;
    char *first;
    char *last;
    int64_t total;
    struct strata_store_request *req; /* for cancelling from the callback */
};

static void res_free(struct res *r)
{
    free(r->value);
    for (size_t i = 0; i < r->nnames; i++) {
        free(r->names[i]);
    }
    free(r->names);
    free(r->id);
    for (size_t i = 0; i < r->nitems; i++) {
        free(r->ids[i]);
        free(r->datas[i]);
        free(r->withs[i]);
    }
    free(r->ids);
    free(r->datas);
    free(r->withs);
    free(r->stamps);
    free(r->flags);
    free(r->first);
    free(r->last);
    memset(r, 0, sizeof *r);
}

static void fired(struct res *r, int status)
{
    r->calls++;
    r->seq = ++fire_counter;
    r->status = status;
}

static void on_done(int status, void *data)
{
    fired(data, status);
}

static char *dup_bytes(const void *p, size_t len)
{
    char *s = malloc(len + 1);
    memcpy(s, p, len);
    s[len] = '\0';
    return s;
}

static void on_value(int status, const void *value, size_t len, void *data)
{
    struct res *r = data;
    fired(r, status);
    r->has_value = value != NULL;
    r->value = value ? dup_bytes(value, len) : NULL;
    r->len = len;
}

static void on_names(int status, const char *const *names, size_t n, void *data)
{
    struct res *r = data;
    fired(r, status);
    r->names = calloc(n + 1, sizeof *r->names);
    for (size_t i = 0; i < n; i++) {
        r->names[i] = strdup(names[i]);
    }
    r->nnames = n;
}

static void on_id(int status, const char *id, void *data)
{
    struct res *r = data;
    fired(r, status);
    r->id = id ? strdup(id) : NULL;
}

static void on_count(int status, uint64_t count, void *data)
{
    struct res *r = data;
    fired(r, status);
    r->count = count;
}

static void on_page(int status, const struct strata_archive_page *p, void *data)
{
    struct res *r = data;
    fired(r, status);
    if (!p) {
        return;
    }
    size_t n = p->count;
    r->nitems = n;
    r->ids = calloc(n + 1, sizeof *r->ids);
    r->datas = calloc(n + 1, sizeof *r->datas);
    r->withs = calloc(n + 1, sizeof *r->withs);
    r->stamps = calloc(n + 1, sizeof *r->stamps);
    r->flags = calloc(n + 1, sizeof *r->flags);
    for (size_t i = 0; i < n; i++) {
        r->ids[i] = strdup(p->items[i].id);
        r->datas[i] = dup_bytes(p->items[i].data, p->items[i].len);
        r->withs[i] = strdup(p->items[i].with);
        r->stamps[i] = p->items[i].stamp;
        r->flags[i] = p->items[i].flags;
    }
    r->complete = p->complete;
    r->first = p->first ? strdup(p->first) : NULL;
    r->last = p->last ? strdup(p->last) : NULL;
    r->total = p->total;
}

/* The request was accepted and has not been called back yet; run the loop
 * until the store is idle; it was called back once. */
static void settle(struct ctx *c, int rc, struct res *r)
{
    assert_int_equal(rc, 0);
    assert_int_equal(r->calls, 0);
    run(c);
    assert_int_equal(r->calls, 1);
}

static void close_store(struct ctx *c, struct strata_store *s)
{
    struct res r = {0};
    settle(c, strata_store_close(s, on_done, &r), &r);
    assert_int_equal(r.status, 0);
}

static int teardown(void **state)
{
    struct ctx *c = *state;
    if (c->s) {
        close_store(c, c->s);
    }
    run(c); /* handles of failed opens */
    assert_int_equal(uv_loop_close(&c->loop), 0);
    tmp_remove(c->dir);
    free(c->path);
    free(c);
    return 0;
}

/* ---- request helpers ----------------------------------------------------------- */

static int kv_set(struct ctx *c, const struct strata_store_where *w, const char *v)
{
    struct res r = {0};
    settle(c, strata_store_keyval_set(c->s, w, v, v ? strlen(v) : 0, on_done, &r, NULL), &r);
    return r.status;
}

/* The value as a new string, or NULL when absent. */
static char *kv_get(struct ctx *c, const struct strata_store_where *w)
{
    struct res r = {0};
    settle(c, strata_store_keyval_get(c->s, w, on_value, &r, NULL), &r);
    assert_int_equal(r.status, 0);
    return r.value;
}

static int map_set(struct ctx *c, const struct strata_store_where *w, const char *k, const char *v)
{
    struct res r = {0};
    settle(c, strata_store_map_set(c->s, w, k, v, v ? strlen(v) : 0, on_done, &r, NULL), &r);
    return r.status;
}

static char *map_get(struct ctx *c, const struct strata_store_where *w, const char *k)
{
    struct res r = {0};
    settle(c, strata_store_map_get(c->s, w, k, on_value, &r, NULL), &r);
    assert_int_equal(r.status, 0);
    return r.value;
}

/* Names joined with spaces, as a new string. */
static char *joined(char **names, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++) {
        len += strlen(names[i]) + 1;
    }
    char *s = calloc(1, len);
    for (size_t i = 0; i < n; i++) {
        strcat(s, i ? " " : "");
        strcat(s, names[i]);
    }
    return s;
}

static void check_names(struct res *r, const char *expected)
{
    assert_int_equal(r->status, 0);
    char *s = joined(r->names, r->nnames);
    assert_string_equal(s, expected);
    free(s);
    res_free(r);
}

static void check_map_keys(struct ctx *c, const struct strata_store_where *w, const char *expected)
{
    struct res r = {0};
    settle(c, strata_store_map_keys(c->s, w, on_names, &r, NULL), &r);
    check_names(&r, expected);
}

static void check_user_list(struct ctx *c, const char *host, const char *store,
                            const char *expected)
{
    struct res r = {0};
    settle(c, strata_store_user_list(c->s, host, store, on_names, &r, NULL), &r);
    check_names(&r, expected);
}

/* Appends; returns the status and the new id (caller frees) in *id. */
static int append_full(struct ctx *c, const struct strata_store_where *w, const char *id,
                       int64_t stamp, const char *with, const char *data, char **out)
{
    struct strata_archive_item item = {id, stamp, with, 7, data, strlen(data)};
    struct res r = {0};
    settle(c, strata_store_archive_append(c->s, w, &item, on_id, &r, NULL), &r);
    if (out) {
        *out = r.id;
    } else {
        free(r.id);
    }
    return r.status;
}

static char *append(struct ctx *c, const struct strata_store_where *w, int64_t stamp,
                    const char *with, const char *data)
{
    char *id = NULL;
    assert_int_equal(append_full(c, w, NULL, stamp, with, data, &id), 0);
    return id;
}

static void query(struct ctx *c, const struct strata_store_where *w,
                  const struct strata_archive_query *q, struct res *r)
{
    settle(c, strata_store_archive_query(c->s, w, q, on_page, r, NULL), r);
}

/* Runs a query that must succeed and checks the items' data, in order. */
static void check_page(struct ctx *c, const struct strata_store_where *w,
                       const struct strata_archive_query *q, const char *expected, bool complete)
{
    struct res r = {0};
    query(c, w, q, &r);
    assert_int_equal(r.status, 0);
    char *s = joined(r.datas, r.nitems);
    assert_string_equal(s, expected);
    free(s);
    assert_int_equal(r.complete, complete);
    if (r.nitems) {
        assert_string_equal(r.first, r.ids[0]);
        assert_string_equal(r.last, r.ids[r.nitems - 1]);
    } else {
        assert_null(r.first);
        assert_null(r.last);
    }
    res_free(&r);
}

static uint64_t archive_count(struct ctx *c, const struct strata_store_where *w)
{
    struct res r = {0};
    settle(c, strata_store_archive_count(c->s, w, on_count, &r, NULL), &r);
    assert_int_equal(r.status, 0);
    return r.count;
}

static uint64_t archive_delete(struct ctx *c, const struct strata_store_where *w,
                               const struct strata_archive_query *q, int want_status)
{
    struct res r = {0};
    settle(c, strata_store_archive_delete(c->s, w, q, on_count, &r, NULL), &r);
    assert_int_equal(r.status, want_status);
    return r.count;
}

/* Ten items m1..m10, stamped 1s..10s, with alternating a@x and b@x; their
 * ids in ids[1..10]. */
static void fill_ten(struct ctx *c, const struct strata_store_where *w, char *ids[11])
{
    ids[0] = NULL;
    for (int i = 1; i <= 10; i++) {
        char data[8];
        snprintf(data, sizeof data, "m%d", i);
        ids[i] = append(c, w, i * SEC, i % 2 ? "a@x" : "b@x", data);
    }
}

static void free_ids(char *ids[11])
{
    for (int i = 0; i <= 10; i++) {
        free(ids[i]);
    }
}

/* ---- keyval and map --------------------------------------------------------------- */

static void test_keyval(void **state)
{
    struct ctx *c = *state;
    assert_null(kv_get(c, AT("alice", "roster")));
    assert_int_equal(kv_set(c, AT("alice", "roster"), "<query/>"), 0);
    char *v = kv_get(c, AT("alice", "roster"));
    assert_string_equal(v, "<query/>");
    free(v);
    assert_int_equal(kv_set(c, AT("alice", "roster"), "<query ver='2'/>"), 0);
    v = kv_get(c, AT("alice", "roster"));
    assert_string_equal(v, "<query ver='2'/>");
    free(v);

    /* Other users, stores and hosts are separate. */
    assert_null(kv_get(c, AT("bob", "roster")));
    assert_null(kv_get(c, AT("alice", "vcard")));
    assert_null(kv_get(c, (&(struct strata_store_where){"other.org", "alice", "roster"})));

    /* Deleting, also what is absent. */
    assert_int_equal(kv_set(c, AT("alice", "roster"), NULL), 0);
    assert_null(kv_get(c, AT("alice", "roster")));
    assert_int_equal(kv_set(c, AT("alice", "roster"), NULL), 0);
}

static void test_keyval_add(void **state)
{
    struct ctx *c = *state;
    struct res r1 = {0}, r2 = {0}, r3 = {0};
    /* Two adds racing: exactly the first wins. */
    assert_int_equal(
        strata_store_keyval_add(c->s, AT("alice", "accounts"), "first", 5, on_done, &r1, NULL), 0);
    assert_int_equal(
        strata_store_keyval_add(c->s, AT("alice", "accounts"), "second", 6, on_done, &r2, NULL), 0);
    run(c);
    assert_int_equal(r1.status, 0);
    assert_int_equal(r2.status, STRATA_EEXIST);
    char *v = kv_get(c, AT("alice", "accounts"));
    assert_string_equal(v, "first");
    free(v);
    assert_int_equal(kv_set(c, AT("alice", "accounts"), NULL), 0);
    settle(c,
           strata_store_keyval_add(c->s, AT("alice", "accounts"), "third", 5, on_done, &r3, NULL),
           &r3);
    assert_int_equal(r3.status, 0);
    assert_int_equal(
        strata_store_keyval_add(c->s, AT("alice", "accounts"), NULL, 0, on_done, NULL, NULL),
        STRATA_EINVAL);
    assert_int_equal(c->logged, 0);
}

static void test_keyval_binary_and_empty(void **state)
{
    struct ctx *c = *state;
    static const char bin[] = {'a', 0, 'b', (char)0xff, 0};
    struct res r = {0};
    settle(c,
           strata_store_keyval_set(c->s, AT("alice", "blob"), bin, sizeof bin, on_done, &r, NULL),
           &r);
    assert_int_equal(r.status, 0);
    r = (struct res){0};
    settle(c, strata_store_keyval_get(c->s, AT("alice", "blob"), on_value, &r, NULL), &r);
    assert_true(r.has_value);
    assert_int_equal(r.len, sizeof bin);
    assert_memory_equal(r.value, bin, sizeof bin);
    res_free(&r);

    /* An empty value is a value, not an absence. */
    assert_int_equal(kv_set(c, AT("alice", "empty"), ""), 0);
    settle(c, strata_store_keyval_get(c->s, AT("alice", "empty"), on_value, &r, NULL), &r);
    assert_true(r.has_value);
    assert_int_equal(r.len, 0);
    res_free(&r);
}

static void test_host_data(void **state)
{
    struct ctx *c = *state;
    /* user NULL and "" both address the host's own data. */
    assert_int_equal(kv_set(c, AT(NULL, "config"), "host-wide"), 0);
    char *v = kv_get(c, AT("", "config"));
    assert_string_equal(v, "host-wide");
    free(v);
    assert_int_equal(map_set(c, AT(NULL, "rooms"), "room@muc", "cfg"), 0);
    check_map_keys(c, AT("", "rooms"), "room@muc");
}

static void test_map(void **state)
{
    struct ctx *c = *state;
    assert_null(map_get(c, AT("alice", "pep"), "urn:a"));
    check_map_keys(c, AT("alice", "pep"), "");
    assert_int_equal(map_set(c, AT("alice", "pep"), "urn:c", "C"), 0);
    assert_int_equal(map_set(c, AT("alice", "pep"), "urn:a", "A"), 0);
    assert_int_equal(map_set(c, AT("alice", "pep"), "urn:b", "B"), 0);
    assert_int_equal(map_set(c, AT("alice", "pep"), "urn:a", "A2"), 0);
    check_map_keys(c, AT("alice", "pep"), "urn:a urn:b urn:c");
    char *v = map_get(c, AT("alice", "pep"), "urn:a");
    assert_string_equal(v, "A2");
    free(v);

    struct res r = {0};
    settle(c, strata_store_map_delete(c->s, AT("alice", "pep"), "urn:b", on_done, &r, NULL), &r);
    assert_int_equal(r.status, 0);
    assert_null(map_get(c, AT("alice", "pep"), "urn:b"));
    check_map_keys(c, AT("alice", "pep"), "urn:a urn:c");

    /* Keyval and map stores of one name are unrelated; users are separate. */
    assert_null(kv_get(c, AT("alice", "pep")));
    check_map_keys(c, AT("bob", "pep"), "");
    assert_int_equal(map_set(c, AT("alice", "pep"), "urn:a", NULL), 0);
    assert_int_equal(map_set(c, AT("alice", "pep"), "urn:c", NULL), 0);
    check_map_keys(c, AT("alice", "pep"), "");
}

/* ---- users ------------------------------------------------------------------------ */

static void test_user_list(void **state)
{
    struct ctx *c = *state;
    check_user_list(c, HOST, "accounts", "");
    assert_int_equal(kv_set(c, AT("carol", "accounts"), "{}"), 0);
    assert_int_equal(kv_set(c, AT("alice", "accounts"), "{}"), 0);
    assert_int_equal(kv_set(c, AT("bob", "accounts"), "{}"), 0);
    assert_int_equal(kv_set(c, AT("dave", "roster"), "{}"), 0);
    assert_int_equal(kv_set(c, AT(NULL, "accounts"), "host"), 0);
    assert_int_equal(
        kv_set(c, (&(struct strata_store_where){"other.org", "eve", "accounts"}), "{}"), 0);
    check_user_list(c, HOST, "accounts", "alice bob carol");
    check_user_list(c, "other.org", "accounts", "eve");
}

static void test_user_delete(void **state)
{
    struct ctx *c = *state;
    const struct strata_store_where *other =
        &(struct strata_store_where){"other.org", "alice", "roster"};
    assert_int_equal(kv_set(c, AT("alice", "accounts"), "creds"), 0);
    assert_int_equal(kv_set(c, AT("alice", "roster"), "r"), 0);
    assert_int_equal(map_set(c, AT("alice", "pep"), "k", "v"), 0);
    free(append(c, AT("alice", "archive"), 0, "bob@x", "hello"));
    free(append(c, AT("alice", "offline"), 0, "bob@x", "queued"));
    assert_int_equal(kv_set(c, AT("bob", "roster"), "r"), 0);
    free(append(c, AT("bob", "archive"), 0, "alice@x", "hi"));
    assert_int_equal(kv_set(c, AT(NULL, "roster"), "host"), 0);
    assert_int_equal(kv_set(c, other, "r"), 0);
    /* A user whose name starts like alice's must survive. */
    assert_int_equal(kv_set(c, AT("alice2", "roster"), "r"), 0);

    struct res r = {0};
    settle(c, strata_store_user_delete(c->s, HOST, "alice", on_done, &r, NULL), &r);
    assert_int_equal(r.status, 0);
    assert_null(kv_get(c, AT("alice", "accounts")));
    assert_null(kv_get(c, AT("alice", "roster")));
    check_map_keys(c, AT("alice", "pep"), "");
    assert_int_equal(archive_count(c, AT("alice", "archive")), 0);
    assert_int_equal(archive_count(c, AT("alice", "offline")), 0);
    check_user_list(c, HOST, "accounts", "");

    char *v = kv_get(c, AT("bob", "roster"));
    assert_non_null(v);
    free(v);
    assert_int_equal(archive_count(c, AT("bob", "archive")), 1);
    v = kv_get(c, AT(NULL, "roster"));
    assert_non_null(v);
    free(v);
    v = kv_get(c, other);
    assert_non_null(v);
    free(v);
    v = kv_get(c, AT("alice2", "roster"));
    assert_non_null(v);
    free(v);
}

/* ---- archives ------------------------------------------------------------------------ */

static void test_archive_append(void **state)
{
    struct ctx *c = *state;
    char *id1 = append(c, AT("alice", "archive"), 5 * SEC, "bob@x", "<message>1</message>");
    char *id2 = append(c, AT("alice", "archive"), 0, "bob@x", "<message>2</message>");
    assert_int_equal(strlen(id1), 26);
    assert_string_not_equal(id1, id2);

    char *id3 = NULL;
    assert_int_equal(append_full(c, AT("alice", "archive"), "imported-1", 6 * SEC, NULL, "3", &id3),
                     0);
    assert_string_equal(id3, "imported-1");
    /* The same id again in this archive is refused; in another it is fine. */
    assert_int_equal(append_full(c, AT("alice", "archive"), "imported-1", 7 * SEC, NULL, "4", NULL),
                     STRATA_EEXIST);
    assert_int_equal(append_full(c, AT("bob", "archive"), "imported-1", 7 * SEC, NULL, "4", NULL),
                     0);

    struct res r = {0};
    int64_t before = strata_store_now();
    query(c, AT("alice", "archive"), &(struct strata_archive_query){.limit = 10}, &r);
    assert_int_equal(r.status, 0);
    assert_int_equal(r.nitems, 3);
    assert_string_equal(r.ids[0], id1);
    assert_string_equal(r.ids[1], "imported-1");
    assert_string_equal(r.ids[2], id2); /* stamped now: after the 1970 ones */
    assert_true(r.stamps[0] == 5 * SEC);
    assert_true(r.stamps[2] > 6 * SEC && r.stamps[2] <= before);
    assert_string_equal(r.withs[0], "bob@x");
    assert_string_equal(r.withs[1], "");
    assert_int_equal(r.flags[0], 7);
    assert_string_equal(r.datas[0], "<message>1</message>");
    assert_true(r.complete);
    assert_int_equal(r.total, -1);
    res_free(&r);
    free(id1);
    free(id2);
    free(id3);
}

static void test_archive_same_stamp_order(void **state)
{
    struct ctx *c = *state;
    free(append(c, AT("alice", "archive"), 2 * SEC, "", "x1"));
    free(append(c, AT("alice", "archive"), 2 * SEC, "", "x2"));
    free(append(c, AT("alice", "archive"), 1 * SEC, "", "early"));
    free(append(c, AT("alice", "archive"), 2 * SEC, "", "x3"));
    check_page(c, AT("alice", "archive"), &(struct strata_archive_query){.limit = 10},
               "early x1 x2 x3", true);
    check_page(c, AT("alice", "archive"),
               &(struct strata_archive_query){.limit = 10, .reverse = true}, "x3 x2 x1 early",
               true);
}

static void test_archive_paging(void **state)
{
    struct ctx *c = *state;
    const struct strata_store_where *w = AT("alice", "archive");
    char *id[11];
    fill_ten(c, w, id);

    check_page(c, w, &(struct strata_archive_query){.limit = 3}, "m1 m2 m3", false);
    check_page(c, w, &(struct strata_archive_query){.limit = 3, .after = id[3]}, "m4 m5 m6", false);
    check_page(c, w, &(struct strata_archive_query){.limit = 3, .after = id[9]}, "m10", true);
    check_page(c, w, &(struct strata_archive_query){.limit = 3, .after = id[10]}, "", true);
    check_page(c, w, &(struct strata_archive_query){.limit = 10}, "m1 m2 m3 m4 m5 m6 m7 m8 m9 m10",
               true);
    check_page(c, w, &(struct strata_archive_query){.limit = 11}, "m1 m2 m3 m4 m5 m6 m7 m8 m9 m10",
               true);
    check_page(c, w, &(struct strata_archive_query){.limit = 9}, "m1 m2 m3 m4 m5 m6 m7 m8 m9",
               false);

    /* Backwards: XEP-0059 <before/> and <before>id</before>. */
    check_page(c, w, &(struct strata_archive_query){.limit = 3, .reverse = true}, "m10 m9 m8",
               false);
    check_page(c, w, &(struct strata_archive_query){.limit = 3, .reverse = true, .before = id[8]},
               "m7 m6 m5", false);
    check_page(c, w, &(struct strata_archive_query){.limit = 3, .reverse = true, .before = id[2]},
               "m1", true);
    check_page(c, w, &(struct strata_archive_query){.limit = 3, .reverse = true, .before = id[1]},
               "", true);
    check_page(c, w, &(struct strata_archive_query){.limit = 3, .before = id[1]}, "", true);
    check_page(c, w, &(struct strata_archive_query){.limit = 2, .reverse = true, .after = id[7]},
               "m10 m9", false);
    check_page(c, w, &(struct strata_archive_query){.limit = 10, .after = id[3], .before = id[7]},
               "m4 m5 m6", true);

    /* <max>0</max>: no items, the count, and "more" unless empty. */
    struct res r = {0};
    query(c, w, &(struct strata_archive_query){.limit = 0, .want_total = true}, &r);
    assert_int_equal(r.status, 0);
    assert_int_equal(r.nitems, 0);
    assert_int_equal(r.total, 10);
    assert_false(r.complete);
    assert_null(r.first);
    res_free(&r);
    query(c, AT("nobody", "archive"),
          &(struct strata_archive_query){.limit = 0, .want_total = true}, &r);
    assert_int_equal(r.status, 0);
    assert_int_equal(r.total, 0);
    assert_true(r.complete);
    res_free(&r);

    /* The total ignores paging but honours filters. */
    query(c, w, &(struct strata_archive_query){.limit = 2, .after = id[5], .want_total = true}, &r);
    assert_int_equal(r.total, 10);
    assert_int_equal(r.nitems, 2);
    res_free(&r);
    query(c, w, &(struct strata_archive_query){.limit = 2, .with = "a@x", .want_total = true}, &r);
    assert_int_equal(r.total, 5);
    res_free(&r);

    /* Unknown ids, and ids of another user's archive, are not found. */
    query(c, w, &(struct strata_archive_query){.limit = 3, .after = "no-such-id"}, &r);
    assert_int_equal(r.status, STRATA_ENOENT);
    assert_int_equal(r.nitems, 0);
    res_free(&r);
    query(c, AT("bob", "archive"), &(struct strata_archive_query){.limit = 3, .before = id[4]}, &r);
    assert_int_equal(r.status, STRATA_ENOENT);
    res_free(&r);
    query(c, AT("nobody", "archive"), &(struct strata_archive_query){.limit = 3}, &r);
    assert_int_equal(r.status, 0);
    assert_int_equal(r.nitems, 0);
    assert_true(r.complete);
    res_free(&r);
    free_ids(id);
}

static void test_archive_filters(void **state)
{
    struct ctx *c = *state;
    const struct strata_store_where *w = AT("alice", "archive");
    char *id[11];
    fill_ten(c, w, id);

    check_page(c, w, &(struct strata_archive_query){.limit = 100, .with = "a@x"}, "m1 m3 m5 m7 m9",
               true);
    check_page(c, w, &(struct strata_archive_query){.limit = 2, .with = "b@x", .reverse = true},
               "m10 m8", false);
    check_page(c, w, &(struct strata_archive_query){.limit = 100, .with = "c@x"}, "", true);
    check_page(c, w, &(struct strata_archive_query){.limit = 100, .start = 3 * SEC, .end = 5 * SEC},
               "m3 m4 m5", true);
    check_page(c, w, &(struct strata_archive_query){.limit = 100, .start = 9 * SEC}, "m9 m10",
               true);
    check_page(c, w, &(struct strata_archive_query){.limit = 100, .end = 2 * SEC}, "m1 m2", true);
    check_page(c, w, &(struct strata_archive_query){.limit = 100, .start = 6 * SEC, .end = 5 * SEC},
               "", true);
    check_page(c, w,
               &(struct strata_archive_query){
                   .limit = 100, .with = "a@x", .start = 2 * SEC, .after = id[3], .before = id[9]},
               "m5 m7", true);

    const char *pick[] = {id[5], "nope", id[2], "with \"quotes\" and \\"};
    check_page(c, w, &(struct strata_archive_query){.limit = 100, .ids = pick, .nids = 4}, "m2 m5",
               true);
    check_page(c, w, &(struct strata_archive_query){.limit = 1, .ids = pick, .nids = 4}, "m2",
               false);
    const char *none[] = {NULL};
    check_page(c, w, &(struct strata_archive_query){.limit = 100, .ids = none, .nids = 0}, "",
               true);
    free_ids(id);
}

static void test_archive_delete(void **state)
{
    struct ctx *c = *state;
    const struct strata_store_where *w = AT("alice", "archive");
    char *id[11];
    fill_ten(c, w, id);
    free(append(c, AT("bob", "archive"), SEC, "a@x", "bob's"));

    struct res r = {0};
    settle(c, strata_store_archive_delete_id(c->s, w, id[1], on_count, &r, NULL), &r);
    assert_int_equal(r.status, 0);
    assert_int_equal(r.count, 1);
    r = (struct res){0};
    settle(c, strata_store_archive_delete_id(c->s, w, id[1], on_count, &r, NULL), &r);
    assert_int_equal(r.count, 0);
    assert_int_equal(archive_count(c, w), 9);

    assert_int_equal(
        archive_delete(
            c, w, &(struct strata_archive_query){.with = "b@x", .limit = STRATA_ARCHIVE_UNLIMITED},
            0),
        5);
    check_page(c, w, &(struct strata_archive_query){.limit = 100}, "m3 m5 m7 m9", true);

    /* Quotas remove the oldest; reverse removes the newest. */
    assert_int_equal(archive_delete(c, w, &(struct strata_archive_query){.limit = 1}, 0), 1);
    assert_int_equal(
        archive_delete(c, w, &(struct strata_archive_query){.limit = 1, .reverse = true}, 0), 1);
    check_page(c, w, &(struct strata_archive_query){.limit = 100}, "m5 m7", true);
    assert_int_equal(archive_delete(c, w, &(struct strata_archive_query){.limit = 0}, 0), 0);
    assert_int_equal(archive_delete(c, w,
                                    &(struct strata_archive_query){.limit = 5, .before = "gone"},
                                    STRATA_ENOENT),
                     0);
    assert_int_equal(
        archive_delete(
            c, w, &(struct strata_archive_query){.limit = STRATA_ARCHIVE_UNLIMITED, .after = id[5]},
            0),
        1);
    check_page(c, w, &(struct strata_archive_query){.limit = 100}, "m5", true);

    assert_int_equal(archive_delete(c, w, NULL, 0), 1);
    assert_int_equal(archive_count(c, w), 0);
    assert_int_equal(archive_count(c, AT("bob", "archive")), 1);
    free_ids(id);
}

static void test_archive_expire(void **state)
{
    struct ctx *c = *state;
    const struct strata_store_where *other_host =
        &(struct strata_store_where){"other.org", "carol", "archive"};
    for (int i = 1; i <= 5; i++) {
        free(append(c, AT("alice", "archive"), i * SEC, "", "a"));
        free(append(c, AT("bob", "archive"), i * SEC, "", "b"));
        free(append(c, AT("alice", "offline"), i * SEC, "", "o"));
        free(append(c, other_host, i * SEC, "", "c"));
    }
    struct res r = {0};
    settle(c, strata_store_archive_expire(c->s, HOST, "archive", 3 * SEC, on_count, &r, NULL), &r);
    assert_int_equal(r.status, 0);
    assert_int_equal(r.count, 4);
    assert_int_equal(archive_count(c, AT("alice", "archive")), 3);
    assert_int_equal(archive_count(c, AT("bob", "archive")), 3);
    assert_int_equal(archive_count(c, AT("alice", "offline")), 5);
    assert_int_equal(archive_count(c, other_host), 5);
    check_page(c, AT("alice", "archive"), &(struct strata_archive_query){.limit = 1}, "a", false);

    r = (struct res){0};
    settle(c, strata_store_archive_expire(c->s, HOST, "archive", 100 * SEC, on_count, &r, NULL),
           &r);
    assert_int_equal(r.count, 6);
    assert_int_equal(archive_count(c, AT("alice", "archive")), 0);
}

/* ---- order, cancellation, closing --------------------------------------------------------- */

#define ORDER_N 150

/* Everything submitted before the loop runs (so the sqlite driver batches
 * it): callbacks come in submission order and each read sees every earlier
 * write, for each user. */
static void test_order(void **state)
{
    struct ctx *c = *state;
    static struct res sets[ORDER_N], gets[ORDER_N], apps[ORDER_N], counts[ORDER_N];
    memset(sets, 0, sizeof sets);
    memset(gets, 0, sizeof gets);
    memset(apps, 0, sizeof apps);
    memset(counts, 0, sizeof counts);
    for (int i = 0; i < ORDER_N; i++) {
        char v[16];
        snprintf(v, sizeof v, "v%d", i);
        const char *user = i % 2 ? "alice" : "bob";
        struct strata_archive_item item = {NULL, (ORDER_N - i) * SEC, "x@y", 0, v, strlen(v)};
        assert_int_equal(strata_store_keyval_set(c->s, AT(user, "roster"), v, strlen(v), on_done,
                                                 &sets[i], NULL),
                         0);
        assert_int_equal(
            strata_store_keyval_get(c->s, AT(user, "roster"), on_value, &gets[i], NULL), 0);
        assert_int_equal(
            strata_store_archive_append(c->s, AT(user, "archive"), &item, on_id, &apps[i], NULL),
            0);
        assert_int_equal(
            strata_store_archive_count(c->s, AT(user, "archive"), on_count, &counts[i], NULL), 0);
        assert_int_equal(sets[i].calls + gets[i].calls + apps[i].calls + counts[i].calls, 0);
    }
    run(c);
    int last = 0;
    for (int i = 0; i < ORDER_N; i++) {
        char v[16];
        snprintf(v, sizeof v, "v%d", i);
        assert_int_equal(sets[i].calls, 1);
        assert_true(sets[i].seq > last);
        assert_true(gets[i].seq > sets[i].seq);
        assert_true(apps[i].seq > gets[i].seq);
        assert_true(counts[i].seq > apps[i].seq);
        last = counts[i].seq;
        assert_string_equal(gets[i].value, v);
        assert_int_equal(apps[i].status, 0);
        assert_int_equal(counts[i].count, (uint64_t)(i / 2 + 1));
        res_free(&sets[i]);
        res_free(&gets[i]);
        res_free(&apps[i]);
        res_free(&counts[i]);
    }
}

static void cancel_self(int status, const void *value, size_t len, void *data)
{
    struct res *r = data;
    strata_store_request_cancel(r->req);
    on_value(status, value, len, data);
}

static void test_cancel(void **state)
{
    struct ctx *c = *state;
    assert_int_equal(kv_set(c, AT("alice", "roster"), "r1"), 0);
    struct res cancelled = {0}, kept = {0}, writer = {0};
    struct strata_store_request *h1 = NULL, *h2 = NULL;
    assert_int_equal(
        strata_store_keyval_get(c->s, AT("alice", "roster"), on_value, &cancelled, &h1), 0);
    assert_non_null(h1);
    assert_int_equal(
        strata_store_keyval_set(c->s, AT("alice", "roster"), "r2", 2, on_done, &writer, &h2), 0);
    assert_int_equal(strata_store_keyval_get(c->s, AT("alice", "roster"), on_value, &kept, NULL),
                     0);
    strata_store_request_cancel(h1);
    strata_store_request_cancel(h2);
    run(c);
    assert_int_equal(cancelled.calls, 0);
    assert_int_equal(writer.calls, 0);
    assert_int_equal(kept.calls, 1);
    assert_int_equal(kept.status, 0);
    /* A cancelled write may or may not have taken effect. */
    assert_true(strcmp(kept.value, "r1") == 0 || strcmp(kept.value, "r2") == 0);
    res_free(&kept);

    /* Cancelling from inside one's own callback is harmless. */
    struct res self = {0};
    assert_int_equal(
        strata_store_keyval_get(c->s, AT("alice", "roster"), cancel_self, &self, &self.req), 0);
    run(c);
    assert_int_equal(self.calls, 1);
    res_free(&self);

    /* No callback at all is allowed too. */
    assert_int_equal(
        strata_store_keyval_set(c->s, AT("alice", "roster"), "r3", 2, NULL, NULL, NULL), 0);
    run(c);
    char *v = kv_get(c, AT("alice", "roster"));
    assert_string_equal(v, "r3");
    free(v);
}

#define FLUSH_N 100

static void test_close_flushes(void **state)
{
    struct ctx *c = *state;
    static struct res sets[FLUSH_N];
    memset(sets, 0, sizeof sets);
    struct res app = {0}, closed = {0}, late = {0};
    for (int i = 0; i < FLUSH_N; i++) {
        char k[16];
        snprintf(k, sizeof k, "k%03d", i);
        assert_int_equal(
            strata_store_map_set(c->s, AT("alice", "m"), k, "v", 1, on_done, &sets[i], NULL), 0);
    }
    struct strata_archive_item item = {"offline-1", 0, "bob@x", 0, "<message/>", 10};
    assert_int_equal(
        strata_store_archive_append(c->s, AT("alice", "offline"), &item, on_id, &app, NULL), 0);
    assert_int_equal(strata_store_close(c->s, on_done, &closed), 0);
    assert_int_equal(strata_store_close(c->s, on_done, &closed), STRATA_ECLOSED);
    assert_int_equal(strata_store_keyval_get(c->s, AT("alice", "m"), on_value, &late, NULL),
                     STRATA_ECLOSED);
    assert_int_equal(closed.calls, 0);
    run(c);
    c->s = NULL;
    assert_int_equal(closed.calls, 1);
    assert_int_equal(closed.status, 0);
    for (int i = 0; i < FLUSH_N; i++) {
        assert_int_equal(sets[i].calls, 1);
        assert_int_equal(sets[i].status, 0);
        assert_true(sets[i].seq < closed.seq);
    }
    assert_int_equal(app.status, 0);
    assert_true(app.seq < closed.seq);
    assert_int_equal(late.calls, 0);
    res_free(&app);

    /* What close flushed is there after reopening. */
    char err[256] = "";
    assert_int_equal(open_store(c, &c->s, err, sizeof err), 0);
    if (strcmp(c->driver, "sqlite") == 0) {
        assert_int_equal(archive_count(c, AT("alice", "offline")), 1);
        struct res r = {0};
        settle(c, strata_store_map_keys(c->s, AT("alice", "m"), on_names, &r, NULL), &r);
        assert_int_equal(r.nnames, FLUSH_N);
        res_free(&r);
    } else {
        assert_int_equal(archive_count(c, AT("alice", "offline")), 0);
    }
}

/* One failing write among others that share its transaction fails alone. */
static void test_failure_is_isolated(void **state)
{
    struct ctx *c = *state;
    struct res a = {0}, dup = {0}, set = {0};
    struct strata_archive_item item = {"same", SEC, "", 0, "first", 5};
    struct strata_archive_item again = {"same", 2 * SEC, "", 0, "second", 6};
    assert_int_equal(
        strata_store_archive_append(c->s, AT("alice", "archive"), &item, on_id, &a, NULL), 0);
    assert_int_equal(
        strata_store_archive_append(c->s, AT("alice", "archive"), &again, on_id, &dup, NULL), 0);
    assert_int_equal(
        strata_store_keyval_set(c->s, AT("alice", "roster"), "r", 1, on_done, &set, NULL), 0);
    run(c);
    assert_int_equal(a.status, 0);
    assert_int_equal(dup.status, STRATA_EEXIST);
    assert_null(dup.id);
    assert_int_equal(set.status, 0);
    check_page(c, AT("alice", "archive"), &(struct strata_archive_query){.limit = 10}, "first",
               true);
    char *v = kv_get(c, AT("alice", "roster"));
    assert_string_equal(v, "r");
    free(v);
    res_free(&a);
    assert_int_equal(c->logged, 0); /* the caller's error is not the operator's */
}

static void test_stats(void **state)
{
    struct ctx *c = *state;
    struct strata_store_stats st;
    struct res r1 = {0}, r2 = {0};
    assert_int_equal(strata_store_keyval_set(c->s, AT("alice", "a"), "1", 1, on_done, &r1, NULL),
                     0);
    assert_int_equal(strata_store_keyval_get(c->s, AT("alice", "a"), on_value, &r2, NULL), 0);
    strata_store_stats(c->s, &st);
    assert_int_equal(st.in_flight, 2);
    run(c);
    strata_store_stats(c->s, &st);
    assert_int_equal(st.in_flight, 0);
    assert_int_equal(st.completed, 2);
    assert_int_equal(st.transactions, 1);
    res_free(&r2);
}

/* ---- limits and bad arguments ---------------------------------------------------------- */

static char *repeat(char ch, size_t n)
{
    char *s = malloc(n + 1);
    memset(s, ch, n);
    s[n] = '\0';
    return s;
}

static void test_limits(void **state)
{
    struct ctx *c = *state;
    struct strata_store *s = c->s;
    char *long_host = repeat('h', STRATA_STORE_HOST_MAX + 1);
    char *long_user = repeat('u', STRATA_STORE_USER_MAX + 1);
    char *long_name = repeat('n', STRATA_STORE_NAME_MAX + 1);
    char *max_name = repeat('n', STRATA_STORE_NAME_MAX);
    char *long_key = repeat('k', STRATA_STORE_KEY_MAX + 1);
    char *long_id = repeat('i', STRATA_ARCHIVE_ID_MAX + 1);
    char *big = malloc(STRATA_STORE_VALUE_MAX + 1);
    memset(big, 'x', STRATA_STORE_VALUE_MAX + 1);

    assert_int_equal(strata_store_keyval_get(s, &(struct strata_store_where){long_host, "u", "s"},
                                             on_value, NULL, NULL),
                     STRATA_ELIMIT);
    assert_int_equal(strata_store_keyval_get(s, AT(long_user, "s"), on_value, NULL, NULL),
                     STRATA_ELIMIT);
    assert_int_equal(strata_store_keyval_get(s, AT("u", long_name), on_value, NULL, NULL),
                     STRATA_ELIMIT);
    assert_int_equal(strata_store_map_get(s, AT("u", "s"), long_key, on_value, NULL, NULL),
                     STRATA_ELIMIT);
    assert_int_equal(strata_store_keyval_set(s, AT("u", "s"), big, STRATA_STORE_VALUE_MAX + 1,
                                             on_done, NULL, NULL),
                     STRATA_ELIMIT);
    assert_int_equal(strata_store_map_set(s, AT("u", "s"), "k", big, STRATA_STORE_VALUE_MAX + 1,
                                          on_done, NULL, NULL),
                     STRATA_ELIMIT);
    struct strata_archive_item item = {long_id, 0, NULL, 0, "x", 1};
    assert_int_equal(strata_store_archive_append(s, AT("u", "a"), &item, on_id, NULL, NULL),
                     STRATA_ELIMIT);
    static const char *many[STRATA_ARCHIVE_IDS_MAX + 1];
    for (size_t i = 0; i <= STRATA_ARCHIVE_IDS_MAX; i++) {
        many[i] = "id";
    }
    assert_int_equal(
        strata_store_archive_query(s, AT("u", "a"),
                                   &(struct strata_archive_query){
                                       .ids = many, .nids = STRATA_ARCHIVE_IDS_MAX + 1, .limit = 1},
                                   on_page, NULL, NULL),
        STRATA_ELIMIT);
    assert_int_equal(
        strata_store_archive_query(s, AT("u", "a"),
                                   &(struct strata_archive_query){.after = long_id, .limit = 1},
                                   on_page, NULL, NULL),
        STRATA_ELIMIT);

    /* Bad arguments. */
    assert_int_equal(strata_store_keyval_get(s, NULL, on_value, NULL, NULL), STRATA_EINVAL);
    assert_int_equal(strata_store_keyval_get(s, &(struct strata_store_where){NULL, "u", "s"},
                                             on_value, NULL, NULL),
                     STRATA_EINVAL);
    assert_int_equal(strata_store_keyval_get(s, &(struct strata_store_where){"", "u", "s"},
                                             on_value, NULL, NULL),
                     STRATA_EINVAL);
    assert_int_equal(strata_store_keyval_get(s, AT("u", ""), on_value, NULL, NULL), STRATA_EINVAL);
    assert_int_equal(strata_store_keyval_set(s, AT("u", "s"), NULL, 3, on_done, NULL, NULL),
                     STRATA_EINVAL);
    assert_int_equal(strata_store_map_get(s, AT("u", "s"), NULL, on_value, NULL, NULL),
                     STRATA_EINVAL);
    assert_int_equal(strata_store_archive_append(s, AT("u", "a"), NULL, on_id, NULL, NULL),
                     STRATA_EINVAL);
    item = (struct strata_archive_item){NULL, -5, NULL, 0, "x", 1};
    assert_int_equal(strata_store_archive_append(s, AT("u", "a"), &item, on_id, NULL, NULL),
                     STRATA_EINVAL);
    assert_int_equal(strata_store_archive_query(s, AT("u", "a"), NULL, on_page, NULL, NULL),
                     STRATA_EINVAL);
    assert_int_equal(strata_store_archive_query(
                         s, AT("u", "a"), &(struct strata_archive_query){.nids = 2, .limit = 1},
                         on_page, NULL, NULL),
                     STRATA_EINVAL);
    assert_int_equal(strata_store_archive_query(
                         s, AT("u", "a"), &(struct strata_archive_query){.start = -1, .limit = 1},
                         on_page, NULL, NULL),
                     STRATA_EINVAL);
    assert_int_equal(strata_store_archive_delete_id(s, AT("u", "a"), NULL, on_count, NULL, NULL),
                     STRATA_EINVAL);
    assert_int_equal(strata_store_user_delete(s, HOST, "", on_done, NULL, NULL), STRATA_EINVAL);
    assert_int_equal(strata_store_user_list(s, HOST, NULL, on_names, NULL, NULL), STRATA_EINVAL);
    assert_int_equal(strata_store_archive_expire(s, NULL, "archive", 0, on_count, NULL, NULL),
                     STRATA_EINVAL);
    run(c);

    /* At the limits exactly, things work. */
    char *max_value = big;
    struct res r = {0};
    settle(c,
           strata_store_keyval_set(s, AT("u", max_name), max_value, STRATA_STORE_VALUE_MAX, on_done,
                                   &r, NULL),
           &r);
    assert_int_equal(r.status, 0);
    r = (struct res){0};
    settle(c, strata_store_keyval_get(s, AT("u", max_name), on_value, &r, NULL), &r);
    assert_int_equal(r.len, STRATA_STORE_VALUE_MAX);
    res_free(&r);

    free(long_host);
    free(long_user);
    free(long_name);
    free(max_name);
    free(long_key);
    free(long_id);
    free(big);
}

static void test_query_limit_capped(void **state)
{
    struct ctx *c = *state;
    const struct strata_store_where *w = AT("alice", "archive");
    for (int i = 0; i < STRATA_ARCHIVE_LIMIT_MAX + 5; i++) {
        struct strata_archive_item item = {NULL, (i + 1) * SEC, "", 0, "x", 1};
        assert_int_equal(strata_store_archive_append(c->s, w, &item, NULL, NULL, NULL), 0);
    }
    run(c);
    struct res r = {0};
    query(c, w, &(struct strata_archive_query){.limit = 5000, .want_total = true}, &r);
    assert_int_equal(r.nitems, STRATA_ARCHIVE_LIMIT_MAX);
    assert_false(r.complete);
    assert_int_equal(r.total, STRATA_ARCHIVE_LIMIT_MAX + 5);
    res_free(&r);
    /* Deletes are not capped. */
    assert_int_equal(
        archive_delete(c, w, &(struct strata_archive_query){.limit = STRATA_ARCHIVE_UNLIMITED}, 0),
        STRATA_ARCHIVE_LIMIT_MAX + 5);
}

static void test_page_bytes_capped(void **state)
{
    struct ctx *c = *state;
    const struct strata_store_where *w = AT("alice", "archive");
    size_t len = 6u * 1024 * 1024;
    char *big = repeat('b', len);
    for (int i = 0; i < 4; i++) {
        struct strata_archive_item item = {NULL, (i + 1) * SEC, "", 0, big, len};
        assert_int_equal(strata_store_archive_append(c->s, w, &item, NULL, NULL, NULL), 0);
    }
    run(c);
    free(big);
    struct res r = {0};
    query(c, w, &(struct strata_archive_query){.limit = 10}, &r);
    assert_int_equal(r.status, 0);
    assert_int_equal(r.nitems, 3); /* 18 MiB, the first past 16 MiB */
    assert_false(r.complete);
    res_free(&r);
}

static int counted;

static void count_call(int status, const void *value, size_t len, void *data)
{
    counted++;
}

static void test_queue_limit(void **state)
{
    struct ctx *c = *state;
    counted = 0;
    for (int i = 0; i < STRATA_STORE_QUEUE_MAX; i++) {
        assert_int_equal(strata_store_keyval_get(c->s, AT("alice", "q"), count_call, NULL, NULL),
                         0);
    }
    assert_int_equal(strata_store_keyval_get(c->s, AT("alice", "q"), count_call, NULL, NULL),
                     STRATA_EAGAIN);
    run(c);
    assert_int_equal(counted, STRATA_STORE_QUEUE_MAX);
    assert_null(kv_get(c, AT("alice", "q")));
}

/* ---- opening ---------------------------------------------------------------------------- */

static void test_open_bad_config(void **state)
{
    struct ctx *c = *state;
    struct strata_store *s = (struct strata_store *)1;
    char err[256] = "";
    struct strata_store_config cfg = {.driver = "mongodb"};
    assert_int_equal(strata_store_open(&c->loop, &cfg, &s, err, sizeof err), STRATA_EINVAL);
    assert_null(s);
    assert_non_null(strstr(err, "mongodb"));
    cfg = (struct strata_store_config){.driver = "sqlite"};
    assert_int_equal(strata_store_open(&c->loop, &cfg, &s, err, sizeof err), STRATA_EINVAL);
    assert_non_null(strstr(err, "path"));
    /* NULL err is allowed. */
    cfg = (struct strata_store_config){.driver = "nope"};
    assert_int_equal(strata_store_open(&c->loop, &cfg, &s, NULL, 0), STRATA_EINVAL);
}

/* ---- sqlite only ---------------------------------------------------------------------------- */

static void raw_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        fail_msg("%s: %s", sql, msg);
    }
    sqlite3_close(db);
}

static int raw_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static char *raw_text(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char *v = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* Another connection takes the write lock; a timer on the loop gives it
 * back after `ms`. Meanwhile the worker waits in its busy handler and
 * requests pile up behind it, so what is submitted next shares batches. */
struct lock_holder {
    sqlite3 *db;
    uv_timer_t timer;
};

static void on_release(uv_timer_t *t)
{
    struct lock_holder *h = t->data;
    assert_int_equal(sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h->db);
    uv_close((uv_handle_t *)t, NULL);
}

static void hold_lock(struct ctx *c, struct lock_holder *h, unsigned ms)
{
    assert_int_equal(sqlite3_open(c->path, &h->db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h->db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    uv_timer_init(&c->loop, &h->timer);
    h->timer.data = h;
    uv_timer_start(&h->timer, on_release, ms, 0);
}

static void test_sqlite_persists(void **state)
{
    struct ctx *c = *state;
    char err[256] = "";
    assert_int_equal(open_store(c, &c->s, err, sizeof err), 0);
    assert_int_equal(kv_set(c, AT("alice", "accounts"), "scram"), 0);
    assert_int_equal(map_set(c, AT("alice", "pep"), "urn:x", "item"), 0);
    char *id = append(c, AT("alice", "offline"), 0, "bob@x", "<message>hi</message>");

    /* A private file in a folder made for it; the WAL is private too. */
    struct stat st;
    assert_int_equal(stat(c->path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char *wal;
    assert_true(asprintf(&wal, "%s-wal", c->path) > 0);
    assert_int_equal(stat(wal, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    close_store(c, c->s);
    c->s = NULL;
    /* Closing checkpoints and removes the WAL. */
    assert_int_not_equal(stat(wal, &st), 0);
    free(wal);

    assert_int_equal(open_store(c, &c->s, err, sizeof err), 0);
    char *v = kv_get(c, AT("alice", "accounts"));
    assert_string_equal(v, "scram");
    free(v);
    v = map_get(c, AT("alice", "pep"), "urn:x");
    assert_string_equal(v, "item");
    free(v);
    struct res r = {0};
    query(c, AT("alice", "offline"), &(struct strata_archive_query){.limit = 10}, &r);
    assert_int_equal(r.nitems, 1);
    assert_string_equal(r.ids[0], id);
    assert_string_equal(r.datas[0], "<message>hi</message>");
    res_free(&r);
    free(id);
    /* Reopening did not migrate again. */
    assert_int_equal(
        raw_int(c->path, "SELECT value FROM strata_meta WHERE name = 'schema_version'"), 1);
}

static void test_sqlite_newer_schema_refused(void **state)
{
    struct ctx *c = *state;
    char err[256] = "";
    assert_int_equal(open_store(c, &c->s, err, sizeof err), 0);
    close_store(c, c->s);
    c->s = NULL;
    raw_exec(c->path, "UPDATE strata_meta SET value = 99 WHERE name = 'schema_version'");
    struct strata_store *s = NULL;
    assert_int_equal(open_store(c, &s, err, sizeof err), STRATA_EINVAL);
    assert_null(s);
    assert_non_null(strstr(err, "schema version 99 is newer"));
    assert_non_null(strstr(err, c->path));
    assert_int_equal(
        raw_int(c->path, "SELECT value FROM strata_meta WHERE name = 'schema_version'"), 99);
}

static void test_sqlite_foreign_database_refused(void **state)
{
    struct ctx *c = *state;
    char err[256] = "";
    struct strata_store *s = NULL;
    assert_int_equal(open_store(c, &s, err, sizeof err), 0); /* makes the folders */
    close_store(c, s);
    unlink(c->path);
    raw_exec(c->path,
             "CREATE TABLE prosody (host TEXT, user TEXT, store TEXT, key TEXT, value TEXT)");
    assert_int_equal(open_store(c, &s, err, sizeof err), STRATA_EINVAL);
    assert_non_null(strstr(err, "not a Strata database"));
    /* Nothing of ours was added. */
    assert_int_equal(
        raw_int(c->path, "SELECT count(*) FROM sqlite_master WHERE name = 'strata_meta'"), 0);
}

static void test_sqlite_corrupt_and_unreadable(void **state)
{
    struct ctx *c = *state;
    char err[256] = "";
    struct strata_store *s = NULL;
    char *garbage = repeat('#', 8192);
    free(tmp_write(c->dir, "data/sub/strata.sqlite", garbage));
    free(garbage);
    assert_int_equal(open_store(c, &s, err, sizeof err), STRATA_EIO);
    assert_null(s);
    assert_non_null(strstr(err, "not a database"));
    assert_non_null(strstr(err, c->path));

    /* A folder where the file should be. */
    unlink(c->path);
    assert_int_equal(mkdir(c->path, 0700), 0);
    assert_int_equal(open_store(c, &s, err, sizeof err), STRATA_EIO);
    assert_non_null(strstr(err, "cannot open"));
    rmdir(c->path);

    /* A file where a folder should be. */
    free(c->path);
    free(tmp_write(c->dir, "plainfile", "x"));
    assert_true(asprintf(&c->path, "%s/plainfile/strata.sqlite", c->dir) > 0);
    assert_int_equal(open_store(c, &s, err, sizeof err), STRATA_EIO);
    assert_non_null(strstr(err, "cannot create"));
}

static void test_sqlite_batches_writes(void **state)
{
    struct ctx *c = *state;
    char err[256] = "";
    assert_int_equal(open_store(c, &c->s, err, sizeof err), 0);
    enum { N = 400 };
    static struct res r[N];
    memset(r, 0, sizeof r);
    struct lock_holder h;
    hold_lock(c, &h, 30);
    for (int i = 0; i < N; i++) {
        struct strata_archive_item item = {NULL, 0, "bob@x", 0, "m", 1};
        assert_int_equal(
            strata_store_archive_append(c->s, AT("alice", "offline"), &item, on_id, &r[i], NULL),
            0);
    }
    run(c);
    for (int i = 0; i < N; i++) {
        assert_int_equal(r[i].status, 0);
        res_free(&r[i]);
    }
    struct strata_store_stats st;
    strata_store_stats(c->s, &st);
    /* The first request alone (the worker took it before the others were
     * queued), then the rest, at most 256 per transaction. */
    assert_in_range(st.transactions, 2, 3);
    assert_int_equal(archive_count(c, AT("alice", "offline")), N);
}

/* In one transaction: a failing write undoes only itself, and reads see
 * the writes before them. */
static void test_sqlite_batch_isolation(void **state)
{
    struct ctx *c = *state;
    char err[256] = "";
    assert_int_equal(open_store(c, &c->s, err, sizeof err), 0);
    struct lock_holder h;
    hold_lock(c, &h, 30);
    struct res warm = {0}, a = {0}, dup = {0}, set = {0}, get = {0}, page = {0};
    struct strata_archive_item item = {"same", SEC, "", 0, "first", 5};
    struct strata_archive_item again = {"same", 2 * SEC, "", 0, "second", 6};
    /* The worker takes this one (alone, or with the rest if it is slow to
     * wake) and waits for the lock; the rest queue up behind it. */
    assert_int_equal(strata_store_keyval_set(c->s, AT("w", "s"), "w", 1, on_done, &warm, NULL), 0);
    assert_int_equal(
        strata_store_archive_append(c->s, AT("alice", "archive"), &item, on_id, &a, NULL), 0);
    assert_int_equal(
        strata_store_archive_append(c->s, AT("alice", "archive"), &again, on_id, &dup, NULL), 0);
    assert_int_equal(
        strata_store_keyval_set(c->s, AT("alice", "roster"), "r", 1, on_done, &set, NULL), 0);
    assert_int_equal(strata_store_keyval_get(c->s, AT("alice", "roster"), on_value, &get, NULL), 0);
    assert_int_equal(strata_store_archive_query(c->s, AT("alice", "archive"),
                                                &(struct strata_archive_query){.limit = 5}, on_page,
                                                &page, NULL),
                     0);
    run(c);
    assert_int_equal(warm.status, 0);
    assert_int_equal(a.status, 0);
    assert_int_equal(dup.status, STRATA_EEXIST);
    assert_int_equal(set.status, 0);
    assert_string_equal(get.value, "r");
    assert_int_equal(page.nitems, 1);
    assert_string_equal(page.datas[0], "first");
    struct strata_store_stats st;
    strata_store_stats(c->s, &st);
    assert_in_range(st.transactions, 1, 2);
    res_free(&a);
    res_free(&get);
    res_free(&page);
}

/* Another process (here: connection) holding the write lock makes writes
 * fail with STRATA_EAGAIN after the busy timeout, logged; reads go on. */
static void test_sqlite_busy(void **state)
{
    struct ctx *c = *state;
    char err[256] = "";
    c->busy_ms = 50;
    assert_int_equal(open_store(c, &c->s, err, sizeof err), 0);
    assert_int_equal(kv_set(c, AT("alice", "roster"), "before"), 0);

    sqlite3 *other = NULL;
    assert_int_equal(sqlite3_open(c->path, &other), SQLITE_OK);
    assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(kv_set(c, AT("alice", "roster"), "during"), STRATA_EAGAIN);
    assert_int_equal(c->logged, 1);
    assert_non_null(strstr(c->last_log, "locked"));
    char *v = kv_get(c, AT("alice", "roster"));
    assert_string_equal(v, "before");
    free(v);
    assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(other);

    assert_int_equal(kv_set(c, AT("alice", "roster"), "after"), 0);
    v = kv_get(c, AT("alice", "roster"));
    assert_string_equal(v, "after");
    free(v);
}

/* The server and `strata user add` may have the file open at once. */
static void test_sqlite_two_processes_share(void **state)
{
    struct ctx *c = *state;
    char err[256] = "";
    struct strata_store *other = NULL;
    assert_int_equal(open_store(c, &c->s, err, sizeof err), 0);
    assert_int_equal(open_store(c, &other, err, sizeof err), 0);
    struct res r = {0};
    settle(c,
           strata_store_keyval_set(other, AT("newuser", "accounts"), "creds", 5, on_done, &r, NULL),
           &r);
    assert_int_equal(r.status, 0);
    check_user_list(c, HOST, "accounts", "newuser");
    close_store(c, other);
}

/* The child appends, waits for the acknowledgment, tells the parent, then
 * keeps writing until it is killed; it reports failures by exit code. */
static void durability_child(const char *path, int fd)
{
    uv_loop_t loop;
    struct strata_store *s = NULL;
    struct strata_store_config cfg = {.driver = "sqlite", .path = path};
    if (uv_loop_init(&loop) != 0 || strata_store_open(&loop, &cfg, &s, NULL, 0) != 0) {
        _exit(2);
    }
    struct res r = {0}, k = {0};
    struct strata_archive_item item = {
        "offline-msg", 0, "bob@x", 0, "<message>survive</message>", 26};
    if (strata_store_archive_append(s, AT("alice", "offline"), &item, on_id, &r, NULL) != 0 ||
        strata_store_keyval_set(s, AT("alice", "roster"), "acked", 5, on_done, &k, NULL) != 0) {
        _exit(3);
    }
    uv_run(&loop, UV_RUN_DEFAULT);
    if (r.calls != 1 || r.status != 0 || k.status != 0) {
        _exit(4);
    }
    if (write(fd, "k", 1) != 1) {
        _exit(5);
    }
    char *filler = repeat('f', 64 * 1024);
    for (;;) {
        struct strata_archive_item more = {NULL, 0, "bob@x", 0, filler, 64 * 1024};
        strata_store_archive_append(s, AT("alice", "archive"), &more, NULL, NULL, NULL);
        strata_store_keyval_set(s, AT("alice", "roster"), "unacked", 7, NULL, NULL, NULL);
        uv_run(&loop, UV_RUN_DEFAULT);
    }
}

static void test_sqlite_survives_kill(void **state)
{
    struct ctx *c = *state;
    char err[256] = "";
    /* Create the file here, so the child only opens it. */
    assert_int_equal(open_store(c, &c->s, err, sizeof err), 0);
    close_store(c, c->s);
    c->s = NULL;

    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        durability_child(c->path, fds[1]);
    }
    close(fds[1]);
    char ch = 0;
    ssize_t n = read(fds[0], &ch, 1);
    close(fds[0]);
    int wstatus = 0;
    if (n == 1) {
        usleep(20000); /* let the writes in flight be mid-transaction */
        kill(pid, SIGKILL);
    }
    assert_int_equal(waitpid(pid, &wstatus, 0), pid);
    if (n != 1) {
        fail_msg("child exited with %d before acknowledging", WEXITSTATUS(wstatus));
    }
    assert_true(WIFSIGNALED(wstatus));

    /* The acknowledged write is there; the file is consistent. */
    assert_int_equal(open_store(c, &c->s, err, sizeof err), 0);
    struct res r = {0};
    query(c, AT("alice", "offline"), &(struct strata_archive_query){.limit = 10}, &r);
    assert_int_equal(r.status, 0);
    assert_int_equal(r.nitems, 1);
    assert_string_equal(r.ids[0], "offline-msg");
    assert_string_equal(r.datas[0], "<message>survive</message>");
    res_free(&r);
    char *v = kv_get(c, AT("alice", "roster"));
    assert_true(strcmp(v, "acked") == 0 || strcmp(v, "unacked") == 0);
    free(v);
    close_store(c, c->s);
    c->s = NULL;
    char *check = raw_text(c->path, "PRAGMA integrity_check");
    assert_string_equal(check, "ok");
    free(check);
}

/* ---- the tables ----------------------------------------------------------------------------- */

#define WITH(f, setup, driver)                                                                     \
    {                                                                                              \
#f " (" driver ")", f, setup, teardown, (void *)driver                                     \
    }
#define BOTH(f) WITH(f, setup_open, "memory"), WITH(f, setup_open, "sqlite")
#define SQLITE(f) WITH(f, setup_closed, "sqlite")

int main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH(test_keyval),
        BOTH(test_keyval_add),
        BOTH(test_keyval_binary_and_empty),
        BOTH(test_host_data),
        BOTH(test_map),
        BOTH(test_user_list),
        BOTH(test_user_delete),
        BOTH(test_archive_append),
        BOTH(test_archive_same_stamp_order),
        BOTH(test_archive_paging),
        BOTH(test_archive_filters),
        BOTH(test_archive_delete),
        BOTH(test_archive_expire),
        BOTH(test_order),
        BOTH(test_cancel),
        BOTH(test_close_flushes),
        BOTH(test_failure_is_isolated),
        BOTH(test_stats),
        BOTH(test_limits),
        BOTH(test_query_limit_capped),
        BOTH(test_page_bytes_capped),
        BOTH(test_queue_limit),
        WITH(test_open_bad_config, setup_closed, "memory"),
        SQLITE(test_sqlite_persists),
        SQLITE(test_sqlite_newer_schema_refused),
        SQLITE(test_sqlite_foreign_database_refused),
        SQLITE(test_sqlite_corrupt_and_unreadable),
        SQLITE(test_sqlite_batches_writes),
        SQLITE(test_sqlite_batch_isolation),
        SQLITE(test_sqlite_busy),
        SQLITE(test_sqlite_two_processes_share),
        SQLITE(test_sqlite_survives_kill),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
