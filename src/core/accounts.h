/*
 * Accounts: SCRAM credentials per (host, username), kept in storage, for
 * the SASL mechanisms (RFC 4616 PLAIN, RFC 5802 / RFC 7677 SCRAM) and for
 * `strata user`.
 *
 * An account is the keyval value of (host, username, ACCOUNTS_STORE):
 *
 *     strata-account 1\n
 *     scram-sha-1$<iterations>$<salt>$<StoredKey>$<ServerKey>\n
 *     scram-sha-256$<iterations>$<salt>$<StoredKey>$<ServerKey>\n
 *
 * a version line, then one scram_credentials_format() line per hash, each
 * hash with its own salt. Never a password (DESIGN.md). Lines of a hash
 * this version does not know are skipped, so a later version may add
 * SCRAM-SHA-512 without locking out an older binary.
 *
 * The server secret: 32 random bytes made the first time accounts are
 * opened on a database and kept in the keyval value of host
 * ACCOUNTS_SECRET_HOST ("*", the name the configuration gives the global
 * section, never a domain), no user, store ACCOUNTS_SECRET_STORE. It keys
 * the fake credentials of unknown users (RFC 5802 §9), so an unknown user
 * gets the same salt after a restart, as a real one does.
 *
 * Usernames are prepared with Nodeprep (the JID module) before any lookup:
 * "Alice" and "alice" are one account. Hosts are prepared with Nameprep.
 *
 * Asynchrony follows include/strata/store.h: a request function returns 0
 * (accepted: its callback runs exactly once, later, on the loop thread,
 * unless cancelled) or a negative STRATA_E* (refused: the callback never
 * runs). PBKDF2 runs on the libuv thread pool, which sees only the
 * request's own copies of its inputs. Requests of different accounts, and
 * of one account, proceed independently: a caller that needs an order
 * waits for one callback before the next request.
 *
 * accounts_create() writes with the store's add-if-absent, so two creates
 * of one name racing (two processes, or interleaved requests) cannot both
 * succeed: the second gets STRATA_EEXIST.
 */
#ifndef STRATA_CORE_ACCOUNTS_H
#define STRATA_CORE_ACCOUNTS_H

#include <stddef.h>

#include <uv.h>

#include "strata/store.h"
#include "xmpp/sasl/credentials.h"

#define ACCOUNTS_STORE "accounts"
#define ACCOUNTS_SECRET_HOST "*"
#define ACCOUNTS_SECRET_STORE "accounts_secret"
#define ACCOUNTS_SECRET_LEN 32

/* The first line of an account record. */
#define ACCOUNTS_RECORD_VERSION "strata-account 1"

struct accounts;
struct accounts_request;

typedef void accounts_open_cb(int status, struct accounts *acc, void *data);
/* `creds` is borrowed for the callback's duration; NULL unless status is 0. */
typedef void accounts_creds_cb(int status, const struct scram_credentials *creds, void *data);
typedef void accounts_done_cb(int status, void *data);
/* Usernames, sorted bytewise; borrowed for the callback's duration. */
typedef void accounts_names_cb(int status, const char *const *names, size_t count, void *data);

/* Opens the accounts of `store`: reads the server secret, making and
 * storing it when the database has none. Borrows `loop` and `store`, which
 * must outlive the accounts. Returns 0 (the callback then receives 0 and a
 * new `acc`, freed with accounts_free(), or an error and NULL: STRATA_EIO
 * for a stored secret that is not ACCOUNTS_SECRET_LEN bytes, or the
 * store's errors) or the store's refusals. Not cancellable. */
int accounts_open(uv_loop_t *loop, struct strata_store *store, accounts_open_cb *cb, void *data);

/* Frees `acc` at once, before the store is closed. Requests still pending
 * are called back with STRATA_ECLOSED when their current step ends (a
 * write already handed to the store may still take effect), unless
 * cancelled. NULL is harmless. */
void accounts_free(struct accounts *acc);

/* The server secret, ACCOUNTS_SECRET_LEN bytes, valid while `acc` lives:
 * for scram_credentials_fake(). */
const unsigned char *accounts_secret(const struct accounts *acc);

/* Every request function below borrows its arguments (copied before it
 * returns); `cb` may be NULL; `req`, when not NULL, receives a handle for
 * accounts_request_cancel(). Refusals: STRATA_EINVAL (NULL or empty host
 * or user, a user Nodeprep refuses, a host Nameprep refuses), and the
 * store's (STRATA_ELIMIT, STRATA_EAGAIN, STRATA_ECLOSED). Callbacks may
 * also report STRATA_EIO (the store failed, or a stored record is
 * malformed: logged) and STRATA_ECLOSED (accounts_free() came first). */

/* The credentials of `hash` of host/user: 0 with them, or STRATA_ENOENT
 * when there is no such account, or it has none of that hash. */
int accounts_get(struct accounts *acc, const char *host, const char *user, enum scram_hash hash,
                 accounts_creds_cb *cb, void *data, struct accounts_request **req);

/* As accounts_get(), but for an unknown user (or hash) the callback gets 0
 * and fake credentials (`fake` set, RFC 5802 §9) keyed by the server
 * secret and user@host, with SCRAM_ITERATIONS_DEFAULT: what SCRAM serves
 * so that a probe cannot tell who exists. */
int accounts_get_or_fake(struct accounts *acc, const char *host, const char *user,
                         enum scram_hash hash, accounts_creds_cb *cb, void *data,
                         struct accounts_request **req);

/* Checks a password (`len` bytes, SASL PLAIN, RFC 4616) on the thread
 * pool against the account's SCRAM-SHA-256 credentials (SCRAM-SHA-1 when
 * it has only those). An unknown user is checked against fake credentials,
 * so answering takes as long. Callback: 0 (right password), STRATA_EAUTH
 * (wrong, or one SASLprep refuses), STRATA_ENOENT (no such account).
 * Refused also with STRATA_ELIMIT beyond SCRAM_PASSWORD_MAX bytes. */
int accounts_check_password(struct accounts *acc, const char *host, const char *user,
                            const char *password, size_t len, accounts_done_cb *cb, void *data,
                            struct accounts_request **req);

/* Creates host/user with a password (`len` bytes of UTF-8): credentials of
 * every hash derived on the thread pool with SCRAM_ITERATIONS_DEFAULT,
 * then stored. The username is prepared strictly (unassigned code points
 * refused, RFC 3454 §7). Callback: 0, STRATA_EEXIST (the account exists),
 * STRATA_EINVAL (SASLprep refuses the password). Refused also with
 * STRATA_ELIMIT beyond SCRAM_PASSWORD_MAX bytes, STRATA_EINVAL for an
 * empty password. */
int accounts_create(struct accounts *acc, const char *host, const char *user, const char *password,
                    size_t len, accounts_done_cb *cb, void *data, struct accounts_request **req);

/* Replaces the password of an existing account, as accounts_create().
 * Callback: 0, STRATA_ENOENT (no such account), STRATA_EINVAL. */
int accounts_set_password(struct accounts *acc, const char *host, const char *user,
                          const char *password, size_t len, accounts_done_cb *cb, void *data,
                          struct accounts_request **req);

/* Deletes the account and everything the user has in every store of the
 * host (strata_store_user_delete): roster, vCard, archives... Callback: 0
 * or STRATA_ENOENT (no such account; nothing deleted). */
int accounts_delete(struct accounts *acc, const char *host, const char *user, accounts_done_cb *cb,
                    void *data, struct accounts_request **req);

/* Callback: 0 when the account exists, STRATA_ENOENT when not. */
int accounts_exists(struct accounts *acc, const char *host, const char *user, accounts_done_cb *cb,
                    void *data, struct accounts_request **req);

/* The usernames of `host`, sorted bytewise. */
int accounts_list(struct accounts *acc, const char *host, accounts_names_cb *cb, void *data,
                  struct accounts_request **req);

/* Detaches a request's callback: it will not run, so its user data may go
 * at once. Valid from the request function's return until the callback
 * runs (harmless from inside the callback). A write may still take effect;
 * PBKDF2 already running finishes on its thread, its result unused. */
void accounts_request_cancel(struct accounts_request *req);

#endif
