/*
 * xmpp_load: a cheaper parse of the server's certificate on the client.
 *
 * PERF: with OpenSSL 3.0 a client spends about a third of a full TLS 1.3
 * handshake in d2i_X509 of the server's certificate, nearly all of it in
 * OSSL_DECODER_CTX_new_for_pkey() building a decoder chain for the
 * public key (measured with callgrind: 1.48 M of 4.6 M instructions per
 * login). X509_PUBKEY decoding takes the old, direct path
 * (EVP_PKEY_ASN1_METHOD pub_decode) when an ENGINE claims the key type,
 * so we register an engine that hands back OpenSSL's own built-in RSA
 * method: same algorithms, same checks, no decoder chain. This changes
 * only the generator's cost, never what the server does. --no-fast-cert
 * turns it off for comparison.
 */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/engine.h>
#include <openssl/evp.h>

#include "lg.h"

static const int NIDS[] = {EVP_PKEY_RSA};

static int pkey_meths(ENGINE *e, EVP_PKEY_METHOD **pmeth, const int **nids, int nid)
{
    (void)e;
    if (!pmeth) {
        *nids = NIDS;
        return 1;
    }
    if (nid == EVP_PKEY_RSA) {
        *pmeth = (EVP_PKEY_METHOD *)EVP_PKEY_meth_find(EVP_PKEY_RSA);
        return *pmeth != NULL;
    }
    *pmeth = NULL;
    return 0;
}

int tls_fast_cert_parse(void)
{
    ENGINE *e = ENGINE_new();
    if (!e || !ENGINE_set_id(e, "xmpp_load_rsa") ||
        !ENGINE_set_name(e, "xmpp_load: built-in RSA, legacy key decoding") ||
        !ENGINE_set_pkey_meths(e, pkey_meths) || !ENGINE_add(e) || !ENGINE_init(e) ||
        !ENGINE_set_default_pkey_meths(e))
        return -1;
    return 0;
}
