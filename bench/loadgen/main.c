/*
 * xmpp_load [common options] SCENARIO [scenario options]
 *
 * Scenarios: login, idle, chat, presence (clients), sink (a trivial server
 * to measure the generator). `xmpp_load SCENARIO --help` lists options.
 * See bench/README.md and docs/performance.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <openssl/ssl.h>

#include "lg.h"

static void raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

int main(int argc, char **argv)
{
    O.host = "127.0.0.1";
    O.port = 5222;
    O.tls_port = 5223;
    O.domain = "localhost";
    O.user_fmt = "u%d";
    O.pass_fmt = "pw%d";
    O.first_user = 1;
    O.users = 1000;
    O.timeout_s = 30;
    O.tls_ciphersuites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
    const char *tls = "starttls", *mech = "SCRAM-SHA-1";
    const struct optdef common[] = {
        {"host", 's', &O.host, "server address (IPv4)"},
        {"port", 'i', &O.port, "client port (STARTTLS or clear)"},
        {"tls-port", 'i', &O.tls_port, "direct TLS client port"},
        {"domain", 's', &O.domain, "the server's domain"},
        {"tls", 's', &tls, "starttls, direct or none"},
        {"mech", 's', &mech, "SCRAM-SHA-1, SCRAM-SHA-256 or PLAIN"},
        {"user-fmt", 's', &O.user_fmt, "account name pattern"},
        {"pass-fmt", 's', &O.pass_fmt, "password pattern"},
        {"first-user", 'i', &O.first_user, "number of the first account"},
        {"users", 'i', &O.users, "how many accounts exist from the first"},
        {"server-pid", 'i', &O.server_pid, "server process for RSS and CPU readings"},
        {"scram-cache", 's', &O.scram_cache, "file keeping derived SCRAM keys across runs"},
        {"tls-groups", 's', &O.tls_groups, "TLS key exchange groups (OpenSSL list)"},
        {"resume", 'b', &O.resume, "resume TLS sessions (tickets) from earlier logins of an account"},
        {"tag", 's', &O.tag, "name RESULT lines with this instead of the scenario"},
        {"batch", 'i', &NET_BATCH, "socket events handled per loop turn before flushing"},
        {"tls-ciphersuites", 's', &O.tls_ciphersuites, "TLS 1.3 cipher suites, in order"},
        {"timeout", 'd', &O.timeout_s, "seconds a login may take before it fails"},
        {"no-fast-cert", 'b', &O.no_fast_cert, "parse the server certificate the slow OpenSSL 3.0 way"},
        {0, 0, 0, 0}};
    int i = 1;
    while (i < argc && argv[i][0] == '-' && argv[i][1] == '-') {
        const struct optdef *d = common;
        while (d->name && strcmp(d->name, argv[i] + 2))
            d++;
        i += d->name && d->type == 'b' ? 1 : 2;
    }
    if (i > argc)
        i = argc;
    parse_opts(i - 1, argv + 1, common, "(common)");
    if (i >= argc) {
        fprintf(stderr, "usage: xmpp_load [options] login|idle|chat|presence|sink [options]\n"
                        "common options:\n");
        print_opts(common);
        return 2;
    }
    if (!strcmp(tls, "starttls"))
        O.tls_mode = TLS_STARTTLS;
    else if (!strcmp(tls, "direct"))
        O.tls_mode = TLS_DIRECT;
    else if (!strcmp(tls, "none"))
        O.tls_mode = TLS_NONE;
    else
        die("--tls is starttls, direct or none");
    if (!strcmp(mech, "SCRAM-SHA-1"))
        O.mech = MECH_SCRAM_SHA_1;
    else if (!strcmp(mech, "SCRAM-SHA-256"))
        O.mech = MECH_SCRAM_SHA_256;
    else if (!strcmp(mech, "PLAIN"))
        O.mech = MECH_PLAIN;
    else
        die("--mech is SCRAM-SHA-1, SCRAM-SHA-256 or PLAIN");
    const char *sc = argv[i];
    int sargc = argc - i - 1;
    char **sargv = argv + i + 1;
    setvbuf(stdout, NULL, _IOLBF, 0);
    raise_fd_limit();
    net_init();
    if (!strcmp(sc, "sink"))
        return run_sink(sargc, sargv);
    if (!O.no_fast_cert && tls_fast_cert_parse() < 0)
        die("cannot register the certificate-parsing engine (try --no-fast-cert)");
    client_global_init();
    int rc;
    if (!strcmp(sc, "login"))
        rc = run_login(sargc, sargv);
    else if (!strcmp(sc, "idle"))
        rc = run_idle(sargc, sargv);
    else if (!strcmp(sc, "chat"))
        rc = run_chat(sargc, sargv);
    else if (!strcmp(sc, "presence"))
        rc = run_presence(sargc, sargv);
    else
        die("unknown scenario %s (login, idle, chat, presence, sink)", sc);
    scram_cache_save();
    return rc;
}
