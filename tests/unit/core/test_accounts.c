/*
 * Accounts over both storage drivers: create, duplicate, credentials of
 * both hashes, password checks (right, wrong, unknown user), password
 * change, delete with the user's other data, listing, fake credentials,
 * the persistent server secret, cancellation, malformed records.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/accounts.h"
#include "strata/errors.h"
#include "tmpfiles.h"

#define HOST "example.org"

struct fx {
    uv_loop_t loop;
    const char *driver;
    char *dir;
    char *path;
    struct strata_store *store;
    struct accounts *acc;
};

/* What one callback reported. */
struct result {
    int calls;
    int status;
    struct scram_credentials creds;
    char names[8][32];
    size_t count;
    const void *value;
    char valbuf[1024];
    size_t len;
};

static void on_done(int status, void *data)
{
    struct result *r = data;
    r->calls++;
    r->status = status;
}

static void on_creds(int status, const struct scram_credentials *creds, void *data)
{
    struct result *r = data;
    r->calls++;
    r->status = status;
    if (creds) {
        r->creds = *creds;
    }
}

static void on_names(int status, const char *const *names, size_t count, void *data)
{
    struct result *r = data;
    r->calls++;
    r->status = status;
    r->count = count;
    for (size_t i = 0; i < count && i < 8; i++) {
        snprintf(r->names[i], sizeof r->names[i], "%s", names[i]);
    }
}

static void on_value(int status, const void *value, size_t len, void *data)
{
    struct result *r = data;
    r->calls++;
    r->status = status;
    r->value = value ? r->valbuf : NULL;
    r->len = len < sizeof r->valbuf ? len : sizeof r->valbuf;
    if (value) {
        memcpy(r->valbuf, value, r->len);
    }
}

static void on_opened(int status, struct accounts *acc, void *data)
{
    struct fx *f = data;
    assert_int_equal(status, 0);
    f->acc = acc;
}

static void on_closed(int status, void *data)
{
    assert_int_equal(status, 0);
}

static void fx_open(struct fx *f)
{
    struct strata_store_config cfg = {.driver = f->driver, .path = f->path};
    char err[256];
    assert_int_equal(strata_store_open(&f->loop, &cfg, &f->store, err, sizeof err), 0);
    f->acc = NULL;
    assert_int_equal(accounts_open(&f->loop, f->store, on_opened, f), 0);
    uv_run(&f->loop, UV_RUN_DEFAULT);
    assert_non_null(f->acc);
}

static void fx_close(struct fx *f)
{
    accounts_free(f->acc);
    f->acc = NULL;
    assert_int_equal(strata_store_close(f->store, on_closed, NULL), 0);
    uv_run(&f->loop, UV_RUN_DEFAULT);
    f->store = NULL;
}

static int setup(void **state, const char *driver)
{
    struct fx *f = calloc(1, sizeof *f);
    uv_loop_init(&f->loop);
    f->driver = driver;
    f->dir = tmp_dir();
    size_t n = strlen(f->dir) + 32;
    f->path = malloc(n);
    snprintf(f->path, n, "%s/strata.sqlite", f->dir);
    fx_open(f);
    *state = f;
    return 0;
}

static int setup_memory(void **state)
{
    return setup(state, "memory");
}

static int setup_sqlite(void **state)
{
    return setup(state, "sqlite");
}

static int teardown(void **state)
{
    struct fx *f = *state;
    if (f->store) {
        fx_close(f);
    }
    assert_int_equal(uv_loop_close(&f->loop), 0);
    free(f->path);
    tmp_remove(f->dir);
    free(f);
    return 0;
}

/* ---- synchronous wrappers: run the loop until the request is answered ---- */

static int run(struct fx *f, int rc, struct result *r)
{
    assert_int_equal(rc, 0);
    uv_run(&f->loop, UV_RUN_DEFAULT);
    assert_int_equal(r->calls, 1);
    return r->status;
}

static int create(struct fx *f, const char *user, const char *pw)
{
    struct result r = {0};
    return run(f, accounts_create(f->acc, HOST, user, pw, strlen(pw), on_done, &r, NULL), &r);
}

static int check(struct fx *f, const char *user, const char *pw)
{
    struct result r = {0};
    return run(f, accounts_check_password(f->acc, HOST, user, pw, strlen(pw), on_done, &r, NULL),
               &r);
}

static int passwd(struct fx *f, const char *user, const char *pw)
{
    struct result r = {0};
    return run(f, accounts_set_password(f->acc, HOST, user, pw, strlen(pw), on_done, &r, NULL), &r);
}

static int exists(struct fx *f, const char *user)
{
    struct result r = {0};
    return run(f, accounts_exists(f->acc, HOST, user, on_done, &r, NULL), &r);
}

static int get(struct fx *f, const char *user, enum scram_hash hash, struct result *r)
{
    return run(f, accounts_get(f->acc, HOST, user, hash, on_creds, r, NULL), r);
}

static int get_or_fake(struct fx *f, const char *user, enum scram_hash hash, struct result *r)
{
    return run(f, accounts_get_or_fake(f->acc, HOST, user, hash, on_creds, r, NULL), r);
}

static void keyval_set(struct fx *f, const char *user, const char *store, const char *value)
{
    struct strata_store_where w = {HOST, user, store};
    struct result r = {0};
    assert_int_equal(run(f,
                         strata_store_keyval_set(f->store, &w, value, value ? strlen(value) : 0,
                                                 on_done, &r, NULL),
                         &r),
                     0);
}

static void keyval_get(struct fx *f, const char *user, const char *store, struct result *r)
{
    struct strata_store_where w = {HOST, user, store};
    assert_int_equal(run(f, strata_store_keyval_get(f->store, &w, on_value, r, NULL), r), 0);
}

/* ---- tests ---------------------------------------------------------------------- */

static void test_create_and_get(void **state)
{
    struct fx *f = *state;
    struct result r1 = {0}, r256 = {0};

    assert_int_equal(exists(f, "alice"), STRATA_ENOENT);
    assert_int_equal(create(f, "alice", "correct horse"), 0);
    assert_int_equal(exists(f, "alice"), 0);
    assert_int_equal(get(f, "alice", SCRAM_SHA_1, &r1), 0);
    assert_int_equal(get(f, "alice", SCRAM_SHA_256, &r256), 0);
    assert_int_equal(r1.creds.hash, SCRAM_SHA_1);
    assert_int_equal(r256.creds.hash, SCRAM_SHA_256);
    assert_int_equal(r1.creds.iterations, SCRAM_ITERATIONS_DEFAULT);
    assert_false(r1.creds.fake);
    /* Each hash has its own salt. */
    assert_memory_not_equal(r1.creds.salt, r256.creds.salt, SCRAM_SALT_LEN);
    assert_int_equal(scram_credentials_verify_password(&r1.creds, "correct horse", 13), 0);
    assert_int_equal(scram_credentials_verify_password(&r256.creds, "correct horse", 13), 0);
    struct result none = {0};
    assert_int_equal(get(f, "bob", SCRAM_SHA_256, &none), STRATA_ENOENT);
}

static void test_duplicate_create(void **state)
{
    struct fx *f = *state;

    assert_int_equal(create(f, "alice", "one"), 0);
    assert_int_equal(create(f, "alice", "two"), STRATA_EEXIST);
    /* Nodeprep: "Alice" is alice. */
    assert_int_equal(create(f, "Alice", "three"), STRATA_EEXIST);
    assert_int_equal(check(f, "ALICE", "one"), 0);
    assert_int_equal(check(f, "alice", "two"), STRATA_EAUTH);
}

static void test_check_password(void **state)
{
    struct fx *f = *state;

    assert_int_equal(create(f, "alice", "s3cret"), 0);
    assert_int_equal(check(f, "alice", "s3cret"), 0);
    assert_int_equal(check(f, "alice", "s3cre"), STRATA_EAUTH);
    assert_int_equal(check(f, "alice", ""), STRATA_EAUTH);
    assert_int_equal(check(f, "nobody", "s3cret"), STRATA_ENOENT);
    /* SASLprep maps U+00A0 to a space (RFC 4013 §2.1). */
    assert_int_equal(create(f, "carol", "a b"), 0);
    assert_int_equal(check(f, "carol", "a\u00a0b"), 0);
}

static void test_set_password(void **state)
{
    struct fx *f = *state;

    assert_int_equal(passwd(f, "alice", "new"), STRATA_ENOENT);
    assert_int_equal(exists(f, "alice"), STRATA_ENOENT);
    assert_int_equal(create(f, "alice", "old"), 0);
    assert_int_equal(passwd(f, "alice", "new"), 0);
    assert_int_equal(check(f, "alice", "old"), STRATA_EAUTH);
    assert_int_equal(check(f, "alice", "new"), 0);
}

static void test_delete_removes_user_data(void **state)
{
    struct fx *f = *state;
    struct result r = {0};
    struct strata_store_where pep = {HOST, "alice", "pep"};

    assert_int_equal(create(f, "alice", "pw"), 0);
    assert_int_equal(create(f, "bob", "pw"), 0);
    keyval_set(f, "alice", "roster", "<query/>");
    keyval_set(f, "bob", "roster", "<bob/>");
    assert_int_equal(
        run(f, strata_store_map_set(f->store, &pep, "node", "x", 1, on_done, &r, NULL), &r), 0);

    r = (struct result){0};
    assert_int_equal(run(f, accounts_delete(f->acc, HOST, "alice", on_done, &r, NULL), &r), 0);
    assert_int_equal(exists(f, "alice"), STRATA_ENOENT);
    assert_int_equal(check(f, "alice", "pw"), STRATA_ENOENT);
    r = (struct result){0};
    keyval_get(f, "alice", "roster", &r);
    assert_null(r.value);
    r = (struct result){0};
    assert_int_equal(run(f, strata_store_map_get(f->store, &pep, "node", on_value, &r, NULL), &r),
                     0);
    assert_null(r.value);
    /* Bob keeps everything. */
    assert_int_equal(exists(f, "bob"), 0);
    r = (struct result){0};
    keyval_get(f, "bob", "roster", &r);
    assert_non_null(r.value);
    r = (struct result){0};
    assert_int_equal(run(f, accounts_delete(f->acc, HOST, "alice", on_done, &r, NULL), &r),
                     STRATA_ENOENT);
}

static void test_list(void **state)
{
    struct fx *f = *state;
    struct result r = {0};

    assert_int_equal(run(f, accounts_list(f->acc, HOST, on_names, &r, NULL), &r), 0);
    assert_int_equal(r.count, 0);
    assert_int_equal(create(f, "zoe", "pw"), 0);
    assert_int_equal(create(f, "alice", "pw"), 0);
    keyval_set(f, "mallory", "roster", "<query/>"); /* data, but no account */
    struct result other = {0};
    assert_int_equal(
        run(f, accounts_create(f->acc, "other.example", "bob", "pw", 2, on_done, &other, NULL),
            &other),
        0);
    r = (struct result){0};
    assert_int_equal(run(f, accounts_list(f->acc, "EXAMPLE.org", on_names, &r, NULL), &r), 0);
    assert_int_equal(r.count, 2);
    assert_string_equal(r.names[0], "alice");
    assert_string_equal(r.names[1], "zoe");
}

static void test_invalid_names_and_passwords(void **state)
{
    struct fx *f = *state;
    struct result r = {0};
    char big[SCRAM_PASSWORD_MAX + 2];

    assert_int_equal(accounts_create(f->acc, HOST, "al ice", "pw", 2, on_done, &r, NULL),
                     STRATA_EINVAL);
    assert_int_equal(accounts_create(f->acc, HOST, "a@b", "pw", 2, on_done, &r, NULL),
                     STRATA_EINVAL);
    assert_int_equal(accounts_create(f->acc, HOST, "", "pw", 2, on_done, &r, NULL), STRATA_EINVAL);
    assert_int_equal(accounts_create(f->acc, HOST, NULL, "pw", 2, on_done, &r, NULL),
                     STRATA_EINVAL);
    assert_int_equal(accounts_exists(f->acc, "bad host!", "alice", on_done, &r, NULL),
                     STRATA_EINVAL);
    assert_int_equal(accounts_list(f->acc, "", on_names, &r, NULL), STRATA_EINVAL);
    assert_int_equal(accounts_create(f->acc, HOST, "alice", "", 0, on_done, &r, NULL),
                     STRATA_EINVAL);
    memset(big, 'x', sizeof big);
    assert_int_equal(accounts_create(f->acc, HOST, "alice", big, sizeof big, on_done, &r, NULL),
                     STRATA_ELIMIT);
    assert_int_equal(accounts_get(f->acc, HOST, "alice", SCRAM_HASH_COUNT, on_creds, &r, NULL),
                     STRATA_EINVAL);
    uv_run(&f->loop, UV_RUN_DEFAULT);
    assert_int_equal(r.calls, 0);
    /* SASLprep refuses a control character in a password being set. */
    assert_int_equal(create(f, "alice", "bad\x07"), STRATA_EINVAL);
    assert_int_equal(exists(f, "alice"), STRATA_ENOENT);
}

static void test_stored_record(void **state)
{
    struct fx *f = *state;
    struct result r = {0};

    assert_int_equal(create(f, "alice", "plaintext-password"), 0);
    keyval_get(f, "alice", ACCOUNTS_STORE, &r);
    assert_non_null(r.value);
    r.valbuf[r.len < sizeof r.valbuf ? r.len : sizeof r.valbuf - 1] = '\0';
    const char *head = ACCOUNTS_RECORD_VERSION "\nscram-sha-1$10000$";
    assert_int_equal(strncmp(r.valbuf, head, strlen(head)), 0);
    assert_non_null(strstr(r.valbuf, "\nscram-sha-256$10000$"));
    assert_null(strstr(r.valbuf, "plaintext"));
}

static void test_malformed_record(void **state)
{
    struct fx *f = *state;
    struct result r = {0};

    keyval_set(f, "alice", ACCOUNTS_STORE, "strata-account 1\nscram-sha-1$1$x$y$z\n");
    assert_int_equal(get(f, "alice", SCRAM_SHA_1, &r), STRATA_EIO);
    assert_int_equal(check(f, "alice", "pw"), STRATA_EIO);
    keyval_set(f, "alice", ACCOUNTS_STORE, "password=hunter2");
    r = (struct result){0};
    assert_int_equal(get(f, "alice", SCRAM_SHA_256, &r), STRATA_EIO);
    /* It exists all the same, and can be replaced. */
    assert_int_equal(exists(f, "alice"), 0);
    assert_int_equal(passwd(f, "alice", "pw"), 0);
    assert_int_equal(check(f, "alice", "pw"), 0);
    /* A hash this version does not know is skipped. */
    r = (struct result){0};
    keyval_get(f, "alice", ACCOUNTS_STORE, &r);
    char rec[1100];
    snprintf(rec, sizeof rec, "%.*sscram-sha-512$10000$future$a$b\n", (int)r.len, r.valbuf);
    keyval_set(f, "alice", ACCOUNTS_STORE, rec);
    assert_int_equal(check(f, "alice", "pw"), 0);
}

static void test_fake_credentials(void **state)
{
    struct fx *f = *state;
    struct result a = {0}, b = {0}, real = {0}, other = {0};

    assert_int_equal(get_or_fake(f, "ghost", SCRAM_SHA_256, &a), 0);
    assert_true(a.creds.fake);
    assert_int_equal(a.creds.iterations, SCRAM_ITERATIONS_DEFAULT);
    assert_int_equal(a.creds.salt_len, SCRAM_SALT_LEN);
    assert_int_equal(get_or_fake(f, "ghost", SCRAM_SHA_256, &b), 0);
    assert_memory_equal(a.creds.salt, b.creds.salt, SCRAM_SALT_LEN);
    assert_int_equal(get_or_fake(f, "ghost2", SCRAM_SHA_256, &other), 0);
    assert_memory_not_equal(a.creds.salt, other.creds.salt, SCRAM_SALT_LEN);
    assert_int_equal(scram_credentials_verify_password(&a.creds, "anything", 8), STRATA_EAUTH);

    assert_int_equal(create(f, "alice", "pw"), 0);
    assert_int_equal(get_or_fake(f, "alice", SCRAM_SHA_1, &real), 0);
    assert_false(real.creds.fake);
    assert_int_equal(scram_credentials_verify_password(&real.creds, "pw", 2), 0);
}

/* sqlite only: what survives closing and opening the database again. */
static void test_secret_persists(void **state)
{
    struct fx *f = *state;
    unsigned char before[ACCOUNTS_SECRET_LEN];
    struct result fake1 = {0}, fake2 = {0};

    memcpy(before, accounts_secret(f->acc), sizeof before);
    assert_int_equal(get_or_fake(f, "ghost", SCRAM_SHA_1, &fake1), 0);
    assert_int_equal(create(f, "alice", "pw"), 0);
    fx_close(f);
    fx_open(f);
    assert_memory_equal(accounts_secret(f->acc), before, sizeof before);
    assert_int_equal(get_or_fake(f, "ghost", SCRAM_SHA_1, &fake2), 0);
    assert_memory_equal(fake1.creds.salt, fake2.creds.salt, SCRAM_SALT_LEN);
    assert_int_equal(check(f, "alice", "pw"), 0);

    /* A new database gets a secret of its own. */
    struct fx g = {.driver = "memory"};
    uv_loop_init(&g.loop);
    fx_open(&g);
    assert_memory_not_equal(accounts_secret(g.acc), before, sizeof before);
    fx_close(&g);
    assert_int_equal(uv_loop_close(&g.loop), 0);
}

static void on_open_refused(int status, struct accounts *acc, void *data)
{
    struct result *r = data;
    r->calls++;
    r->status = status;
    assert_null(acc);
}

/* A stored secret of the wrong size is an operator's problem, not a reason
 * to make a new one silently. */
static void test_bad_secret(void **state)
{
    struct fx *f = *state;
    struct strata_store_where w = {ACCOUNTS_SECRET_HOST, NULL, ACCOUNTS_SECRET_STORE};
    struct result r = {0};

    assert_int_equal(
        run(f, strata_store_keyval_set(f->store, &w, "short", 5, on_done, &r, NULL), &r), 0);
    r = (struct result){0};
    assert_int_equal(run(f, accounts_open(&f->loop, f->store, on_open_refused, &r), &r),
                     STRATA_EIO);
}

static void test_cancel(void **state)
{
    struct fx *f = *state;
    struct result r = {0};
    struct accounts_request *req;

    assert_int_equal(create(f, "alice", "pw"), 0);
    /* In the store step. */
    assert_int_equal(accounts_check_password(f->acc, HOST, "alice", "pw", 2, on_done, &r, &req), 0);
    accounts_request_cancel(req);
    /* In the thread-pool step: cancel once the job has been queued. */
    assert_int_equal(accounts_create(f->acc, HOST, "bob", "pw", 2, on_done, &r, &req), 0);
    uv_run(&f->loop, UV_RUN_ONCE);
    accounts_request_cancel(req);
    assert_int_equal(accounts_list(f->acc, HOST, on_names, &r, &req), 0);
    accounts_request_cancel(req);
    uv_run(&f->loop, UV_RUN_DEFAULT);
    assert_int_equal(r.calls, 0);
    assert_int_equal(check(f, "alice", "pw"), 0);
}

static void test_free_with_pending_requests(void **state)
{
    struct fx *f = *state;
    struct result a = {0}, b = {0};

    assert_int_equal(accounts_create(f->acc, HOST, "alice", "pw", 2, on_done, &a, NULL), 0);
    assert_int_equal(accounts_check_password(f->acc, HOST, "bob", "pw", 2, on_done, &b, NULL), 0);
    accounts_free(f->acc);
    f->acc = NULL;
    assert_int_equal(strata_store_close(f->store, on_closed, NULL), 0);
    f->store = NULL;
    uv_run(&f->loop, UV_RUN_DEFAULT);
    assert_int_equal(a.calls, 1);
    assert_int_equal(a.status, STRATA_ECLOSED);
    assert_int_equal(b.calls, 1);
    assert_int_equal(b.status, STRATA_ECLOSED);
}

/* Two creates of one name in flight at once: both derive their credentials
 * on the thread pool, both find no account, and exactly one may win. */
static void test_racing_creates(void **state)
{
    struct fx *f = *state;
    struct result a = {0}, b = {0};
    assert_int_equal(accounts_create(f->acc, HOST, "race", "first", 5, on_done, &a, NULL), 0);
    assert_int_equal(accounts_create(f->acc, HOST, "race", "second", 6, on_done, &b, NULL), 0);
    uv_run(&f->loop, UV_RUN_DEFAULT);
    assert_int_equal(a.calls + b.calls, 2);
    assert_true((a.status == 0) != (b.status == 0));
    assert_int_equal(a.status == 0 ? b.status : a.status, STRATA_EEXIST);
    const char *winner = a.status == 0 ? "first" : "second";
    assert_int_equal(check(f, "race", winner), 0);
}

#define BOTH(t)                                                                                    \
    cmocka_unit_test_setup_teardown(t, setup_memory, teardown),                                    \
        cmocka_unit_test_setup_teardown(t, setup_sqlite, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH(test_create_and_get),
        BOTH(test_duplicate_create),
        BOTH(test_racing_creates),
        BOTH(test_check_password),
        BOTH(test_set_password),
        BOTH(test_delete_removes_user_data),
        BOTH(test_list),
        BOTH(test_invalid_names_and_passwords),
        BOTH(test_stored_record),
        BOTH(test_malformed_record),
        BOTH(test_fake_credentials),
        BOTH(test_bad_secret),
        BOTH(test_cancel),
        BOTH(test_free_with_pending_requests),
        cmocka_unit_test_setup_teardown(test_secret_persists, setup_sqlite, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
