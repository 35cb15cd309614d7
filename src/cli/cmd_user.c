/*
 * `strata user`: manage accounts in the database the server uses, as
 * `prosodyctl adduser/passwd/deluser` do.
 *
 *   strata user add JID      [--password-file FILE] [--config FILE]
 *   strata user passwd JID   [--password-file FILE] [--config FILE]
 *   strata user del JID      [--config FILE]
 *   strata user exists JID   [--config FILE]
 *   strata user list HOST    [--config FILE]
 *
 * The host must be a VirtualHost of the configuration. The database is the
 * one the server opens for that host: `sql.database` (relative names
 * inside data_path), else data_path/strata.sqlite. The server may be
 * running: SQLite's locking and busy timeout let both write.
 *
 * A password comes from --password-file (its first line), else from
 * standard input when it is not a terminal (first line), else from two
 * prompts without echo. It is never printed, and wiped from memory after
 * use.
 *
 * Exit status: 0 done (exists: the account exists), 1 exists: no such
 * account, 2 errors or bad usage.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "cli/cli.h"
#include "cli/load.h"
#include "core/accounts.h"
#include "core/storage_location.h"
#include "strata/errors.h"
#include "strata/jid.h"
#include "util/xalloc.h"

#define EXIT_OK 0
#define EXIT_NO 1
#define EXIT_ERRORS 2

/* The database file in data_path when `sql.database` is not set. */

struct user_args {
    const char *action;
    const char *target; /* a JID, or a host for list */
    const char *password_file;
    const char *config;
};

/* One run: the loop, the store, the accounts, and what the last request
 * answered. */
struct session {
    uv_loop_t loop;
    struct strata_store *store;
    struct accounts *acc;
    int status;
    bool answered;
    const char *host; /* prepared */
    const char *user; /* prepared; NULL for list */
    char jid[STRATA_JID_MAX + 1];
};

static int complain(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "strata user: <message>" to stderr; returns EXIT_ERRORS. */
static int complain(const char *fmt, ...)
{
    va_list ap;

    fputs("strata user: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return EXIT_ERRORS;
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: strata user add|passwd JID [--password-file FILE] [--config FILE]\n"
            "       strata user del|exists JID [--config FILE]\n"
            "       strata user list HOST [--config FILE]\n"
            "\n"
            "  add     create an account (user@host of a VirtualHost)\n"
            "  passwd  set a new password\n"
            "  del     delete the account and all of its data\n"
            "  exists  exit 0 when the account exists, 1 when it does not\n"
            "  list    print the accounts of HOST\n"
            "\n"
            "  --password-file FILE  read the password from FILE's first line; without it\n"
            "                        the first line of standard input, or a prompt on a terminal\n"
            "  --config FILE         the configuration (default: $STRATA_CONFIG, else\n"
            "                        ./config/strata.cfg.lua, else the system one)\n"
            "\n"
            "exit status: 0 done, 1 (exists) no such account, 2 errors\n");
}

/* ---- arguments ------------------------------------------------------------------ */

static bool is_action(const char *s)
{
    static const char *const actions[] = {"add", "passwd", "del", "exists", "list"};
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++) {
        if (strcmp(s, actions[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* Returns 0, 1 when help was printed, or EXIT_ERRORS (message printed). */
static int parse_args(int argc, char **argv, struct user_args *a)
{
    bool bad = false;

    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 1;
        } else if ((v = cli_option_value(argc, argv, &i, "--config", &bad))) {
            a->config = v;
        } else if ((v = cli_option_value(argc, argv, &i, "--password-file", &bad))) {
            a->password_file = v;
        } else if (bad) {
            return complain("%s needs a value", argv[i]);
        } else if (argv[i][0] == '-') {
            return complain("unknown option %s; try 'strata user --help'", argv[i]);
        } else if (!a->action) {
            a->action = argv[i];
        } else if (!a->target) {
            a->target = argv[i];
        } else {
            return complain("one account at a time (got \"%s\" and \"%s\")", a->target, argv[i]);
        }
    }
    if (!a->action || !is_action(a->action)) {
        fprintf(stderr, "strata user: add, passwd, del, exists or list?\n\n");
        usage(stderr);
        return EXIT_ERRORS;
    }
    if (!a->target) {
        return complain("%s what? e.g. strata user %s %s", a->action, a->action,
                        strcmp(a->action, "list") == 0 ? "example.org" : "alice@example.org");
    }
    if (a->password_file && strcmp(a->action, "add") != 0 && strcmp(a->action, "passwd") != 0) {
        return complain("--password-file is for add and passwd");
    }
    return 0;
}

/* ---- the configuration: host and database -------------------------------------------- */

/* The index of the VirtualHost whose prepared name is `host`, or 0 (the
 * global section) with a message printed. */
static size_t find_host(const struct cli_config *cfg, const char *host)
{
    const struct cfg_tree *t = cfg->tree;

    for (size_t si = 1; si < t->nsections; si++) {
        char *name = NULL;
        bool same =
            strata_jid_prep_domain(t->sections[si]->name, &name) == 0 && strcmp(name, host) == 0;
        free(name);
        if (same && t->sections[si]->kind == CFG_SECTION_HOST) {
            return si;
        }
        if (same) {
            complain("%s is a Component in %s, not a VirtualHost: it has no accounts", host,
                     t->main_path);
            return 0;
        }
    }
    complain("%s is not a VirtualHost in %s", host, t->main_path);
    return 0;
}

/* The database file, as the server finds it (core/storage_location.c).
 * A new string, or NULL with a message printed when the accounts are not
 * in SQLite. */
static char *database_path(const struct cli_config *cfg, const char *config)
{
    struct storage_location loc;
    const char *problem = NULL;
    if (storage_location_get(cfg->check, cfg->tree->main_dir, &loc, &problem) < 0) {
        complain("%s", problem);
        return NULL;
    }
    char *path = NULL;
    if (!loc.database) {
        complain("storage is \"memory\": accounts live only inside a running server and "
                 "vanish when it stops, so strata user has nothing to change; use \"sqlite\"");
    } else {
        path = xstrdup(loc.database);
    }
    storage_location_clear(&loc);
    return path;
}

/* Loads the configuration (ports not probed: the server may hold them).
 * Returns 0, or EXIT_ERRORS with the diagnostics printed. */
static int load_config(struct cli_config *cfg, const char *config)
{
    int rc = cli_config_load(cfg, config, true);

    if (rc < 0 || cli_check_status(cfg->tree, false) != 0) {
        cli_print_diags(stderr, cfg->tree);
        fprintf(stderr, "strata user: the configuration has errors; fix them first\n");
        return EXIT_ERRORS;
    }
    return 0;
}

/* ---- the password ------------------------------------------------------------------ */

static struct termios saved_termios;

/* SIGINT at the prompt: give the terminal its echo back, then die of it. */
static void on_prompt_signal(int sig)
{
    tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Reads one line from `in` without its line ending into a new string
 * (caller wipes and frees). Returns its length, or -1 at end of input. */
static ssize_t read_line(FILE *in, char **out)
{
    size_t cap = 0;
    ssize_t n;

    *out = NULL;
    n = getline(out, &cap, in);
    if (n < 0) {
        free(*out);
        *out = NULL;
        return -1;
    }
    while (n > 0 && ((*out)[n - 1] == '\n' || (*out)[n - 1] == '\r')) {
        (*out)[--n] = '\0';
    }
    return n;
}

static void wipe(char *s, size_t len)
{
    if (s) {
        OPENSSL_cleanse(s, len);
        free(s);
    }
}

/* One prompt without echo on the terminal at standard input. */
static ssize_t prompt(const char *text, char **out)
{
    struct termios quiet;
    ssize_t n;

    if (tcgetattr(STDIN_FILENO, &saved_termios) < 0) {
        return -1;
    }
    quiet = saved_termios;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    quiet.c_lflag |= ECHONL;
    signal(SIGINT, on_prompt_signal);
    signal(SIGTERM, on_prompt_signal);
    /* Echo off before the prompt shows, so nothing typed after it echoes
     * or is flushed away. */
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    fputs(text, stderr);
    fflush(stderr);
    n = read_line(stdin, out);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_termios);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    return n;
}

/* Asks twice and requires both to match. */
static ssize_t prompt_twice(const char *jid, char **out)
{
    char *again = NULL;
    char text[STRATA_JID_MAX + 32];

    snprintf(text, sizeof text, "Password for %s: ", jid);
    ssize_t n = prompt(text, out);
    if (n > 0) {
        ssize_t m = prompt("Again: ", &again);
        if (m != n || memcmp(*out, again, (size_t)n) != 0) {
            wipe(again, m > 0 ? (size_t)m : 0);
            wipe(*out, (size_t)n);
            *out = NULL;
            complain("the passwords do not match");
            return -2;
        }
        wipe(again, (size_t)m);
    }
    return n;
}

/* The password for add and passwd. Returns its length with a new string
 * in *out (caller wipes), or -1 with a message printed. */
static ssize_t read_password(const struct user_args *a, const char *jid, char **out)
{
    ssize_t n;

    if (a->password_file) {
        FILE *f = fopen(a->password_file, "r");
        if (!f) {
            complain("cannot read the password file %s: %s", a->password_file, strerror(errno));
            return -1;
        }
        n = read_line(f, out);
        fclose(f);
    } else if (!isatty(STDIN_FILENO)) {
        n = read_line(stdin, out);
    } else {
        n = prompt_twice(jid, out);
        if (n == -2) {
            return -1;
        }
    }
    if (n <= 0) {
        wipe(*out, 0);
        *out = NULL;
        complain("empty password refused");
        return -1;
    }
    if (n > SCRAM_PASSWORD_MAX) {
        wipe(*out, (size_t)n);
        *out = NULL;
        complain("the password is longer than %d bytes", SCRAM_PASSWORD_MAX);
        return -1;
    }
    return n;
}

/* ---- running requests ---------------------------------------------------------- */

static void on_answer(int status, void *data)
{
    struct session *s = data;
    s->status = status;
    s->answered = true;
}

static void on_opened(int status, struct accounts *acc, void *data)
{
    struct session *s = data;
    s->acc = acc;
    on_answer(status, data);
}

static void on_names(int status, const char *const *names, size_t count, void *data)
{
    struct session *s = data;
    for (size_t i = 0; status == 0 && i < count; i++) {
        printf("%s@%s\n", names[i], s->host);
    }
    on_answer(status, data);
}

static void on_store_log(void *data, int status, const char *message)
{
    fprintf(stderr, "strata user: storage: %s\n", message);
}

/* Runs the loop until the request `rc` (its return) is answered; returns
 * the answer. */
static int await(struct session *s, int rc)
{
    if (rc < 0) {
        return rc;
    }
    s->answered = false;
    uv_run(&s->loop, UV_RUN_DEFAULT);
    return s->answered ? s->status : STRATA_EINTERNAL;
}

static int open_session(struct session *s, const char *path)
{
    struct strata_store_config sc = {.driver = "sqlite", .path = path, .log = on_store_log};
    char err[512] = "";

    if (strata_store_open(&s->loop, &sc, &s->store, err, sizeof err) < 0) {
        return complain("cannot open the database %s: %s", path, err);
    }
    int rc = await(s, accounts_open(&s->loop, s->store, on_opened, s));
    if (rc < 0) {
        return complain("cannot read the accounts of %s: %s", path, strata_strerror(rc));
    }
    return 0;
}

/* Frees the accounts and closes the store, which commits what is pending. */
static int close_session(struct session *s)
{
    int rc = 0;

    accounts_free(s->acc);
    s->acc = NULL;
    if (s->store) {
        rc = await(s, strata_store_close(s->store, on_answer, s));
    }
    uv_run(&s->loop, UV_RUN_DEFAULT);
    uv_loop_close(&s->loop);
    return rc < 0 ? complain("closing the database failed: %s", strata_strerror(rc)) : 0;
}

static int report(struct session *s, int rc)
{
    if (rc == STRATA_ENOENT) {
        return complain("no account %s", s->jid);
    }
    if (rc == STRATA_EEXIST) {
        return complain("%s already exists", s->jid);
    }
    return complain("%s: %s", s->jid, strata_strerror(rc));
}

/* add and passwd. */
static int set_password(struct session *s, const struct user_args *a, bool creating)
{
    char *pw = NULL;
    int rc = await(s, accounts_exists(s->acc, s->host, s->user, on_answer, s, NULL));

    /* Ask for a password only when it can be used. */
    if (creating ? rc != STRATA_ENOENT : rc != 0) {
        return report(s, creating && rc == 0 ? STRATA_EEXIST : rc);
    }
    ssize_t n = read_password(a, s->jid, &pw);
    if (n < 0) {
        return EXIT_ERRORS;
    }
    rc = await(s, creating
                      ? accounts_create(s->acc, s->host, s->user, pw, (size_t)n, on_answer, s, NULL)
                      : accounts_set_password(s->acc, s->host, s->user, pw, (size_t)n, on_answer, s,
                                              NULL));
    wipe(pw, (size_t)n);
    if (rc == STRATA_EINVAL) {
        return complain("the password is refused: SASLprep (RFC 4013) forbids control and some "
                        "other characters in it");
    }
    if (rc < 0) {
        return report(s, rc);
    }
    printf(creating ? "Created %s\n" : "Changed the password of %s\n", s->jid);
    return EXIT_OK;
}

static int run_action(struct session *s, const struct user_args *a)
{
    int rc;

    if (strcmp(a->action, "add") == 0 || strcmp(a->action, "passwd") == 0) {
        return set_password(s, a, strcmp(a->action, "add") == 0);
    }
    if (strcmp(a->action, "list") == 0) {
        rc = await(s, accounts_list(s->acc, s->host, on_names, s, NULL));
        return rc < 0 ? complain("listing %s: %s", s->host, strata_strerror(rc)) : EXIT_OK;
    }
    if (strcmp(a->action, "exists") == 0) {
        rc = await(s, accounts_exists(s->acc, s->host, s->user, on_answer, s, NULL));
        if (rc == 0 || rc == STRATA_ENOENT) {
            printf("%s %s\n", s->jid, rc == 0 ? "exists" : "does not exist");
            return rc == 0 ? EXIT_OK : EXIT_NO;
        }
        return report(s, rc);
    }
    rc = await(s, accounts_delete(s->acc, s->host, s->user, on_answer, s, NULL));
    if (rc < 0) {
        return report(s, rc);
    }
    printf("Deleted %s and all of its data (roster, vCard, archives, offline messages...)\n",
           s->jid);
    return EXIT_OK;
}

/* Parses the target: a bare JID with a localpart, or a host for list. */
static int parse_target(const struct user_args *a, struct strata_jid *jid)
{
    bool listing = strcmp(a->action, "list") == 0;

    if (strata_jid_parse(a->target, strlen(a->target), jid) < 0) {
        return complain("\"%s\" is not a valid %s", a->target, listing ? "host" : "JID");
    }
    if (listing && (jid->node || jid->resource)) {
        return complain("list takes a host, like example.org, not \"%s\"", a->target);
    }
    if (!listing && (!jid->node || jid->resource)) {
        return complain("\"%s\" is not an account: give user@host, without a /resource", a->target);
    }
    return 0;
}

int cmd_user(int argc, char **argv)
{
    struct user_args a;
    struct cli_config cfg = {0};
    struct strata_jid jid = {0};
    struct session s = {0};
    char *path = NULL;
    int rc = parse_args(argc, argv, &a);

    if (rc != 0) {
        return rc == 1 ? EXIT_OK : rc;
    }
    rc = parse_target(&a, &jid);
    if (rc == 0) {
        rc = load_config(&cfg, a.config);
    }
    size_t si = rc == 0 ? find_host(&cfg, jid.domain) : 0;
    path = si ? database_path(&cfg, a.config) : NULL;
    if (!path) {
        rc = EXIT_ERRORS;
        goto fail;
    }
    s.host = jid.domain;
    s.user = jid.node;
    strata_jid_format(&jid, true, s.jid, sizeof s.jid);
    uv_loop_init(&s.loop);
    rc = open_session(&s, path);
    if (rc == 0) {
        rc = run_action(&s, &a);
    }
    if (close_session(&s) != 0 && rc == EXIT_OK) {
        rc = EXIT_ERRORS;
    }
fail:
    free(path);
    strata_jid_clear(&jid);
    if (cfg.tree) {
        cli_config_free(&cfg);
    }
    return rc;
}
