/*
 * oauth2: OAuth 2.0 authorization server and OpenID Connect provider.
 *
 * Web and third-party applications obtain tokens with the user's consent
 * (RFC 6749) instead of their password; clients log in with those tokens
 * over SASL OAUTHBEARER (RFC 7628). PKCE (RFC 7636) is required by default,
 * and the password grant, which hands the password to the application, is
 * off unless listed.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "oauth2_access_token_ttl", .type = STRATA_OPT_DURATION, .scope = STRATA_SCOPE_HOSTS,
     .def = "1h", .min = 60, .max = 2592000, .help = "lifetime of an access token"},
    {.name = "oauth2_refresh_token_ttl", .type = STRATA_OPT_DURATION, .scope = STRATA_SCOPE_HOSTS,
     .def = "1w", .min = 60, .max = 31536000, .help = "lifetime of a refresh token"},
    {.name = "oauth2_require_code_challenge", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_HOSTS,
     .def = "true", .help = "require PKCE (RFC 7636) in the authorization code flow"},
    {.name = "allowed_oauth2_grant_types", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_HOSTS,
     .def = "authorization_code, refresh_token",
     .choices = STRATA_CHOICES("authorization_code", "refresh_token", "device_code", "password"),
     .help = "grant types the token endpoint accepts"},
    {.name = "allowed_oauth2_response_types", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_HOSTS,
     .def = "code", .choices = STRATA_CHOICES("code", "token"),
     .help = "response types the authorization endpoint accepts (\"token\" is the implicit flow)"},
    {.name = "oauth2_registration_key", .type = STRATA_OPT_STRING, .scope = STRATA_SCOPE_HOSTS,
     .help = "secret key enabling dynamic client registration (RFC 7591); disabled when unset"},
    {.name = "oauth2_registration_ttl", .type = STRATA_OPT_DURATION, .scope = STRATA_SCOPE_HOSTS,
     .min = 3600, .max = 315360000, .help = "how long a dynamically registered client stays valid; forever when unset"},
    {.name = "oauth2_template_path", .type = STRATA_OPT_PATH, .scope = STRATA_SCOPE_HOSTS,
     .help = "folder with custom login and consent page templates; the built-in pages when unset"},
    {0},
};

const struct strata_module strata_mod_oauth2 = {
    .name = "oauth2",
    .layer = STRATA_LAYER_INTEGRATION,
    .tier = STRATA_TIER_BETA,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "oauth",
    .specs = "RFC 6749, RFC 7636, RFC 7628, OIDC",
    .summary = "OAuth 2.0 / OpenID Connect provider; tokens for SASL OAUTHBEARER",
    .requires = STRATA_NAMES("http"),
    /* COMPAT(prosody): the community module is mod_http_oauth2. */
    .aliases = STRATA_NAMES("http_oauth2"),
    .options = options,
};
