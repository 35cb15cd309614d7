/*
 * Accounts over the storage API; the record format, the server secret and
 * the contracts are in accounts.h.
 *
 * A request is a short chain of steps, each either one store request or
 * one job on the libuv thread pool, so at any moment it waits on exactly
 * one thing: `sreq` or `in_work`. That is what cancelling undoes. The
 * thread-pool job (PBKDF2) reads and writes only the request's own
 * fields; the store and the loop are touched on the loop thread, in the
 * callbacks.
 */
#include "core/accounts.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "core/log.h"
#include "strata/errors.h"
#include "strata/jid.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct accounts {
    uv_loop_t *loop;
    struct strata_store *store;
    unsigned char secret[ACCOUNTS_SECRET_LEN];
    struct accounts_request *pending; /* every live request, to orphan on free */
};

enum op_kind {
    OP_GET,
    OP_GET_OR_FAKE,
    OP_CHECK,
    OP_CREATE,
    OP_PASSWD,
    OP_DELETE,
    OP_EXISTS,
    OP_LIST,
};

struct accounts_request {
    struct accounts *acc; /* NULL once accounts_free() orphaned the request */
    struct accounts_request *prev;
    struct accounts_request *next;
    enum op_kind kind;
    enum scram_hash hash; /* get, get_or_fake */
    char *host;           /* prepared (Nameprep) */
    char *user;           /* prepared (Nodeprep); NULL for list */
    char *password;       /* check, create, passwd: wiped once used */
    size_t password_len;

    /* create, passwd: derived by the job, written by the last step. */
    struct scram_credentials creds[SCRAM_HASH_COUNT];
    bool derived;
    /* check: what the job verifies against; `known` false for fake ones. */
    struct scram_credentials check;
    bool known;

    struct strata_store_request *sreq; /* the store step waited on, or NULL */
    uv_work_t work;
    bool in_work;
    int work_rc;
    bool cancelled; /* while in_work: free when the job comes back */
    bool finishing; /* the callback is running: cancel is a no-op */

    union {
        accounts_creds_cb *creds;
        accounts_done_cb *done;
        accounts_names_cb *names;
    } cb;
    void *data;
};

/* ---- requests: life cycle --------------------------------------------------- */

static void wipe_password(struct accounts_request *op)
{
    if (op->password) {
        OPENSSL_cleanse(op->password, op->password_len);
        free(op->password);
        op->password = NULL;
    }
}

static void op_free(struct accounts_request *op)
{
    if (op->acc) {
        if (op->prev) {
            op->prev->next = op->next;
        } else {
            op->acc->pending = op->next;
        }
        if (op->next) {
            op->next->prev = op->prev;
        }
    }
    wipe_password(op);
    for (int h = 0; h < SCRAM_HASH_COUNT; h++) {
        scram_credentials_wipe(&op->creds[h]);
    }
    scram_credentials_wipe(&op->check);
    free(op->host);
    free(op->user);
    free(op);
}

/* Ends a request whose callback takes a status only. */
static void finish(struct accounts_request *op, int status)
{
    op->finishing = true;
    if (op->cb.done) {
        op->cb.done(status, op->data);
    }
    op_free(op);
}

static void finish_creds(struct accounts_request *op, int status,
                         const struct scram_credentials *creds)
{
    op->finishing = true;
    if (op->cb.creds) {
        op->cb.creds(status, status == 0 ? creds : NULL, op->data);
    }
    op_free(op);
}

/* Ends a request with an error, whichever its callback's type. */
static void fail_op(struct accounts_request *op, int status)
{
    if (op->kind == OP_GET || op->kind == OP_GET_OR_FAKE) {
        finish_creds(op, status, NULL);
    } else if (op->kind == OP_LIST) {
        op->finishing = true;
        if (op->cb.names) {
            op->cb.names(status, NULL, 0, op->data);
        }
        op_free(op);
    } else {
        finish(op, status);
    }
}

/* A new request for host/user, both prepared here; `user` NULL for a
 * request about the host (list). STRATA_EINVAL for names that do not
 * prepare. */
static int op_new(struct accounts *acc, enum op_kind kind, const char *host, const char *user,
                  unsigned jid_flags, struct accounts_request **out)
{
    struct strata_jid jid;

    *out = NULL;
    if (!acc || !host || !*host || (user && !*user) || (!user && kind != OP_LIST)) {
        return STRATA_EINVAL;
    }
    if (strata_jid_from_parts(user, host, NULL, jid_flags, &jid) < 0) {
        return STRATA_EINVAL;
    }
    struct accounts_request *op = xcalloc(1, sizeof *op);
    op->kind = kind;
    op->host = xstrdup(jid.domain);
    op->user = jid.node ? xstrdup(jid.node) : NULL;
    strata_jid_clear(&jid);
    op->acc = acc;
    op->next = acc->pending;
    if (acc->pending) {
        acc->pending->prev = op;
    }
    acc->pending = op;
    *out = op;
    return 0;
}

/* Checks and copies a password for the thread pool. */
static int op_set_password(struct accounts_request *op, const char *password, size_t len,
                           bool setting)
{
    if (!password || (setting && len == 0)) {
        return STRATA_EINVAL;
    }
    if (len > SCRAM_PASSWORD_MAX) {
        return STRATA_ELIMIT;
    }
    op->password = xmalloc(len + 1);
    memcpy(op->password, password, len);
    op->password[len] = '\0';
    op->password_len = len;
    return 0;
}

/* Hands back the request to its caller, or frees it when its first step
 * was refused (then no callback will run). */
static int op_started(struct accounts_request *op, int rc, struct accounts_request **req)
{
    if (rc < 0) {
        op_free(op);
        return rc;
    }
    if (req) {
        *req = op;
    }
    return 0;
}

/* ---- the record --------------------------------------------------------------- */

/* Whether the line names a hash this version knows (the text before '$'). */
static bool known_hash_line(const char *line, size_t len)
{
    const char *dollar = memchr(line, '$', len);
    size_t n = dollar ? (size_t)(dollar - line) : len;
    for (int h = 0; h < SCRAM_HASH_COUNT; h++) {
        const char *name = scram_hash_name((enum scram_hash)h);
        if (strlen(name) == n && memcmp(name, line, n) == 0) {
            return true;
        }
    }
    return false;
}

/* Parses an account record into out[hash], have[hash]. STRATA_EINVAL for
 * a bad version line, a malformed line of a known hash, or a hash twice. */
static int record_parse(const char *text, size_t len, struct scram_credentials out[], bool have[])
{
    size_t vlen = strlen(ACCOUNTS_RECORD_VERSION);
    const char *end = text + len;

    if (len <= vlen || memcmp(text, ACCOUNTS_RECORD_VERSION, vlen) != 0 || text[vlen] != '\n') {
        return STRATA_EINVAL;
    }
    for (const char *line = text + vlen + 1; line < end;) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        size_t n = nl ? (size_t)(nl - line) : (size_t)(end - line);
        struct scram_credentials c;
        if (known_hash_line(line, n)) {
            if (scram_credentials_parse(line, n, &c) < 0 || have[c.hash]) {
                return STRATA_EINVAL;
            }
            out[c.hash] = c;
            have[c.hash] = true;
            scram_credentials_wipe(&c);
        }
        line += n + 1;
    }
    return 0;
}

/* Formats the record of credentials for every hash into `out`. */
static int record_format(const struct scram_credentials creds[], struct strbuf *out)
{
    strbuf_adds(out, ACCOUNTS_RECORD_VERSION "\n");
    for (int h = 0; h < SCRAM_HASH_COUNT; h++) {
        int rc = scram_credentials_format(&creds[h], out);
        if (rc < 0) {
            return rc;
        }
        strbuf_adds(out, "\n");
    }
    return 0;
}

/* Reads the stored record for get, get_or_fake and check. A malformed
 * record is logged and reported as STRATA_EIO: an operator must look. */
static int op_parse(struct accounts_request *op, const void *value, size_t len,
                    struct scram_credentials creds[], bool have[])
{
    if (record_parse(value, len, creds, have) == 0) {
        return 0;
    }
    char *jid = xasprintf("%s@%s", op->user, op->host);
    LOG(STRATA_LOG_ERROR, "accounts", &(struct log_ctx){.jid = jid},
        "the stored account is malformed (not a \"" ACCOUNTS_RECORD_VERSION "\" record)");
    free(jid);
    return STRATA_EIO;
}

static void fake_creds(const struct accounts *acc, const struct accounts_request *op,
                       enum scram_hash hash, struct scram_credentials *out)
{
    /* Keyed by the bare JID, so one name on two hosts gets two salts. */
    char *jid = xasprintf("%s@%s", op->user, op->host);
    scram_credentials_fake(hash, acc->secret, sizeof acc->secret, jid, SCRAM_ITERATIONS_DEFAULT,
                           out);
    free(jid);
}

/* ---- steps ---------------------------------------------------------------------- */

static void on_account(int status, const void *value, size_t len, void *data);

static int read_account(struct accounts_request *op)
{
    struct strata_store_where w = {op->host, op->user, ACCOUNTS_STORE};
    return strata_store_keyval_get(op->acc->store, &w, on_account, op, &op->sreq);
}

/* Thread pool: reads and writes only the request's own fields. */
static void on_work(uv_work_t *work)
{
    struct accounts_request *op = work->data;

    if (op->kind == OP_CHECK) {
        op->work_rc = scram_credentials_verify_password(&op->check, op->password, op->password_len);
    } else {
        op->work_rc = scram_credentials_generate_all(op->password, op->password_len,
                                                     SCRAM_ITERATIONS_DEFAULT, op->creds);
    }
}

static void on_work_done(uv_work_t *work, int status)
{
    struct accounts_request *op = work->data;
    int rc;

    op->in_work = false;
    wipe_password(op);
    if (op->cancelled || status == UV_ECANCELED) {
        op_free(op);
        return;
    }
    if (op->kind == OP_CHECK) {
        /* Fake credentials never verify: an unknown user ends here too,
         * after the same PBKDF2 a known one costs. */
        finish(op, op->known || op->work_rc != STRATA_EAUTH ? op->work_rc : STRATA_ENOENT);
        return;
    }
    if (op->work_rc < 0) {
        finish(op, op->work_rc);
        return;
    }
    if (!op->acc) {
        finish(op, STRATA_ECLOSED);
        return;
    }
    /* Look again: the account may have come or gone while PBKDF2 ran. */
    op->derived = true;
    rc = read_account(op);
    if (rc < 0) {
        finish(op, rc);
    }
}

static void start_work(struct accounts_request *op)
{
    op->work.data = op;
    op->in_work = true;
    if (uv_queue_work(op->acc->loop, &op->work, on_work, on_work_done) != 0) {
        op->in_work = false;
        finish(op, STRATA_EINTERNAL);
    }
}

static void on_done(int status, void *data)
{
    struct accounts_request *op = data;
    op->sreq = NULL;
    finish(op, status);
}

static void write_account(struct accounts_request *op)
{
    struct strbuf rec = STRBUF_INIT;
    struct strata_store_where w = {op->host, op->user, ACCOUNTS_STORE};
    int rc = record_format(op->creds, &rec);

    if (rc == 0 && op->kind == OP_CREATE) {
        /* Atomic against a concurrent create (another request or another
         * process): the store adds only when no account is there. */
        rc = strata_store_keyval_add(op->acc->store, &w, rec.ptr, rec.len, on_done, op, &op->sreq);
    } else if (rc == 0) {
        rc = strata_store_keyval_set(op->acc->store, &w, rec.ptr, rec.len, on_done, op, &op->sreq);
    }
    /* SECURITY: StoredKey and ServerKey are password-equivalent for SCRAM. */
    OPENSSL_cleanse(rec.ptr, rec.len);
    strbuf_release(&rec);
    if (rc < 0) {
        finish(op, rc);
    }
}

static void delete_user(struct accounts_request *op)
{
    int rc = strata_store_user_delete(op->acc->store, op->host, op->user, on_done, op, &op->sreq);
    if (rc < 0) {
        finish(op, rc);
    }
}

/* get and get_or_fake, once the record is read. */
static void answer_get(struct accounts_request *op, const void *value, size_t len)
{
    struct scram_credentials creds[SCRAM_HASH_COUNT] = {0};
    bool have[SCRAM_HASH_COUNT] = {false};
    int rc = value ? op_parse(op, value, len, creds, have) : 0;

    if (rc < 0) {
        finish_creds(op, rc, NULL);
    } else if (have[op->hash]) {
        finish_creds(op, 0, &creds[op->hash]);
    } else if (op->kind == OP_GET) {
        finish_creds(op, STRATA_ENOENT, NULL);
    } else if (!op->acc) {
        finish_creds(op, STRATA_ECLOSED, NULL);
    } else {
        fake_creds(op->acc, op, op->hash, &creds[op->hash]);
        finish_creds(op, 0, &creds[op->hash]);
    }
    for (int h = 0; h < SCRAM_HASH_COUNT; h++) {
        scram_credentials_wipe(&creds[h]);
    }
}

/* check, once the record is read: pick what to verify against. */
static void start_check(struct accounts_request *op, const void *value, size_t len)
{
    struct scram_credentials creds[SCRAM_HASH_COUNT] = {0};
    bool have[SCRAM_HASH_COUNT] = {false};
    int rc = value ? op_parse(op, value, len, creds, have) : 0;

    op->known = value != NULL;
    if (rc < 0 || !op->acc) {
        finish(op, rc < 0 ? rc : STRATA_ECLOSED);
    } else {
        if (have[SCRAM_SHA_256]) {
            op->check = creds[SCRAM_SHA_256];
        } else if (have[SCRAM_SHA_1]) {
            op->check = creds[SCRAM_SHA_1];
        } else {
            /* Unknown user, or a record of hashes this version lacks. */
            fake_creds(op->acc, op, SCRAM_SHA_256, &op->check);
        }
        start_work(op);
    }
    for (int h = 0; h < SCRAM_HASH_COUNT; h++) {
        scram_credentials_wipe(&creds[h]);
    }
}

/* create and passwd: `exists` is whether the account is there now. */
static void step_set(struct accounts_request *op, bool exists)
{
    bool want = op->kind == OP_PASSWD;

    if (exists != want) {
        finish(op, exists ? STRATA_EEXIST : STRATA_ENOENT);
    } else if (!op->acc) {
        finish(op, STRATA_ECLOSED);
    } else if (op->derived) {
        write_account(op);
    } else {
        start_work(op);
    }
}

static void on_account(int status, const void *value, size_t len, void *data)
{
    struct accounts_request *op = data;

    op->sreq = NULL;
    if (status < 0) {
        fail_op(op, status);
        return;
    }
    switch (op->kind) {
    case OP_GET:
    case OP_GET_OR_FAKE:
        answer_get(op, value, len);
        break;
    case OP_CHECK:
        start_check(op, value, len);
        break;
    case OP_CREATE:
    case OP_PASSWD:
        step_set(op, value != NULL);
        break;
    case OP_DELETE:
        if (!value || !op->acc) {
            finish(op, value ? STRATA_ECLOSED : STRATA_ENOENT);
        } else {
            delete_user(op);
        }
        break;
    case OP_EXISTS:
        finish(op, value ? 0 : STRATA_ENOENT);
        break;
    case OP_LIST:
        finish(op, STRATA_EINTERNAL);
        break;
    }
}

static void on_names(int status, const char *const *names, size_t count, void *data)
{
    struct accounts_request *op = data;

    op->sreq = NULL;
    op->finishing = true;
    if (op->cb.names) {
        op->cb.names(status, names, count, op->data);
    }
    op_free(op);
}

/* ---- requests ------------------------------------------------------------------- */

int accounts_get(struct accounts *acc, const char *host, const char *user, enum scram_hash hash,
                 accounts_creds_cb *cb, void *data, struct accounts_request **req)
{
    struct accounts_request *op;
    int rc =
        (unsigned)hash < SCRAM_HASH_COUNT ? op_new(acc, OP_GET, host, user, 0, &op) : STRATA_EINVAL;
    if (rc < 0) {
        return rc;
    }
    op->hash = hash;
    op->cb.creds = cb;
    op->data = data;
    return op_started(op, read_account(op), req);
}

int accounts_get_or_fake(struct accounts *acc, const char *host, const char *user,
                         enum scram_hash hash, accounts_creds_cb *cb, void *data,
                         struct accounts_request **req)
{
    struct accounts_request *op;
    int rc = (unsigned)hash < SCRAM_HASH_COUNT ? op_new(acc, OP_GET_OR_FAKE, host, user, 0, &op)
                                               : STRATA_EINVAL;
    if (rc < 0) {
        return rc;
    }
    op->hash = hash;
    op->cb.creds = cb;
    op->data = data;
    return op_started(op, read_account(op), req);
}

/* The requests that take a password: check, create, passwd. */
static int password_request(struct accounts *acc, enum op_kind kind, const char *host,
                            const char *user, const char *password, size_t len,
                            accounts_done_cb *cb, void *data, struct accounts_request **req)
{
    struct accounts_request *op;
    /* RFC 3454 §7: a name being stored refuses unassigned code points. */
    unsigned flags = kind == OP_CREATE ? STRATA_JID_STRICT : 0;
    int rc = op_new(acc, kind, host, user, flags, &op);

    if (rc < 0) {
        return rc;
    }
    op->cb.done = cb;
    op->data = data;
    rc = op_set_password(op, password, len, kind != OP_CHECK);
    if (rc == 0) {
        rc = read_account(op);
    }
    return op_started(op, rc, req);
}

int accounts_check_password(struct accounts *acc, const char *host, const char *user,
                            const char *password, size_t len, accounts_done_cb *cb, void *data,
                            struct accounts_request **req)
{
    return password_request(acc, OP_CHECK, host, user, password, len, cb, data, req);
}

int accounts_create(struct accounts *acc, const char *host, const char *user, const char *password,
                    size_t len, accounts_done_cb *cb, void *data, struct accounts_request **req)
{
    return password_request(acc, OP_CREATE, host, user, password, len, cb, data, req);
}

int accounts_set_password(struct accounts *acc, const char *host, const char *user,
                          const char *password, size_t len, accounts_done_cb *cb, void *data,
                          struct accounts_request **req)
{
    return password_request(acc, OP_PASSWD, host, user, password, len, cb, data, req);
}

/* delete and exists: a read, then perhaps one more step. */
static int plain_request(struct accounts *acc, enum op_kind kind, const char *host,
                         const char *user, accounts_done_cb *cb, void *data,
                         struct accounts_request **req)
{
    struct accounts_request *op;
    int rc = op_new(acc, kind, host, user, 0, &op);

    if (rc < 0) {
        return rc;
    }
    op->cb.done = cb;
    op->data = data;
    return op_started(op, read_account(op), req);
}

int accounts_delete(struct accounts *acc, const char *host, const char *user, accounts_done_cb *cb,
                    void *data, struct accounts_request **req)
{
    return plain_request(acc, OP_DELETE, host, user, cb, data, req);
}

int accounts_exists(struct accounts *acc, const char *host, const char *user, accounts_done_cb *cb,
                    void *data, struct accounts_request **req)
{
    return plain_request(acc, OP_EXISTS, host, user, cb, data, req);
}

int accounts_list(struct accounts *acc, const char *host, accounts_names_cb *cb, void *data,
                  struct accounts_request **req)
{
    struct accounts_request *op;
    int rc = op_new(acc, OP_LIST, host, NULL, 0, &op);

    if (rc < 0) {
        return rc;
    }
    op->cb.names = cb;
    op->data = data;
    rc = strata_store_user_list(acc->store, op->host, ACCOUNTS_STORE, on_names, op, &op->sreq);
    return op_started(op, rc, req);
}

void accounts_request_cancel(struct accounts_request *op)
{
    if (!op || op->finishing) {
        return;
    }
    if (op->in_work) {
        /* A job already running cannot be stopped: on_work_done frees. */
        op->cancelled = true;
        uv_cancel((uv_req_t *)&op->work);
        return;
    }
    strata_store_request_cancel(op->sreq);
    op_free(op);
}

/* ---- opening: the server secret ------------------------------------------------ */

struct open_op {
    struct accounts *acc;
    accounts_open_cb *cb;
    void *data;
    bool wrote;
};

static const struct strata_store_where secret_where = {ACCOUNTS_SECRET_HOST, NULL,
                                                       ACCOUNTS_SECRET_STORE};

static void open_done(struct open_op *op, int status)
{
    if (status < 0) {
        accounts_free(op->acc);
        op->acc = NULL;
    }
    if (op->cb) {
        op->cb(status, op->acc, op->data);
    }
    free(op);
}

static void on_secret(int status, const void *value, size_t len, void *data);

static void on_secret_written(int status, void *data)
{
    struct open_op *op = data;

    if (status < 0) {
        open_done(op, status);
        return;
    }
    /* Read back what is stored: when two processes made a secret at once,
     * the one written last is what both use from now on. */
    op->wrote = true;
    status = strata_store_keyval_get(op->acc->store, &secret_where, on_secret, op, NULL);
    if (status < 0) {
        open_done(op, status);
    }
}

/* First use of a database: a new random secret. */
static int make_secret(struct open_op *op)
{
    if (RAND_bytes(op->acc->secret, sizeof op->acc->secret) != 1) {
        return STRATA_EINTERNAL;
    }
    return strata_store_keyval_set(op->acc->store, &secret_where, op->acc->secret,
                                   sizeof op->acc->secret, on_secret_written, op, NULL);
}

static void on_secret(int status, const void *value, size_t len, void *data)
{
    struct open_op *op = data;

    if (status == 0 && value && len == ACCOUNTS_SECRET_LEN) {
        memcpy(op->acc->secret, value, len);
    } else if (status == 0 && (value || op->wrote)) {
        LOG(STRATA_LOG_ERROR, "accounts", NULL,
            "the server secret (keyval store \"%s\" of host \"%s\") is %zu bytes, not %d",
            ACCOUNTS_SECRET_STORE, ACCOUNTS_SECRET_HOST, value ? len : 0, ACCOUNTS_SECRET_LEN);
        status = STRATA_EIO;
    } else if (status == 0) {
        status = make_secret(op);
        if (status == 0) {
            return;
        }
    }
    open_done(op, status);
}

int accounts_open(uv_loop_t *loop, struct strata_store *store, accounts_open_cb *cb, void *data)
{
    if (!loop || !store) {
        return STRATA_EINVAL;
    }
    struct open_op *op = xcalloc(1, sizeof *op);
    op->acc = xcalloc(1, sizeof *op->acc);
    op->acc->loop = loop;
    op->acc->store = store;
    op->cb = cb;
    op->data = data;
    int rc = strata_store_keyval_get(store, &secret_where, on_secret, op, NULL);
    if (rc < 0) {
        free(op->acc);
        free(op);
    }
    return rc;
}

void accounts_free(struct accounts *acc)
{
    if (!acc) {
        return;
    }
    for (struct accounts_request *op = acc->pending; op; op = op->next) {
        op->acc = NULL;
    }
    OPENSSL_cleanse(acc->secret, sizeof acc->secret);
    free(acc);
}

const unsigned char *accounts_secret(const struct accounts *acc)
{
    return acc->secret;
}
