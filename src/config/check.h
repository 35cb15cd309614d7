/*
 * `strata check`: validating a loaded configuration tree.
 *
 * The checker computes which modules each section runs (the module set),
 * then validates every setting against the option schemas and runs the
 * cross-cutting checks: hosts, ports, certificates, security level, the
 * layered layout. Everything it finds lands in tree->diags.
 */
#ifndef STRATA_CONFIG_CHECK_H
#define STRATA_CONFIG_CHECK_H

#include <stdbool.h>

#include "config/tree.h"
#include "strata/module.h"

struct modset_entry {
    const struct strata_module *module;
    const char *via;  /* "autoload", "modules_enabled", "stream_modules", "Component", "dependency" ... */
    const struct strata_module *required_by; /* via "dependency": the module that needs it */
    const char *file; /* where it was listed; NULL when implied */
    int line;
    bool listed;      /* named by the administrator, not implied */
};

struct modset {
    struct modset_entry *items;
    size_t count;
    size_t cap;
};

struct cfg_check {
    struct cfg_tree *tree;
    struct modset *sets; /* one per tree section, same index */
    bool tier_enabled[STRATA_TIER_COUNT];
    char tier_origin[STRATA_TIER_COUNT][160]; /* what decided: "default", "STRATA_ENABLE_BETA=false"... */
    bool layer_disabled[STRATA_LAYER_COUNT + 1];
    bool skip_ports; /* `strata check --no-ports`: do not probe ports in use */
};

/* Runs every check over a loaded tree. Returns a new cfg_check the caller
 * frees with cfg_check_free; the tree stays owned by the caller. */
struct cfg_check *cfg_check_run(struct cfg_tree *tree, bool skip_ports);
void cfg_check_free(struct cfg_check *c);

/* The entry for `m` in a set, or NULL. */
const struct modset_entry *modset_find(const struct modset *s, const struct strata_module *m);

/* Reads enable_tiers, STRATA_ENABLE_<TIER> and disabled_layers (tiers.c). */
void check_read_switches(struct cfg_check *c);

/* "STRATA_ENABLE_ALPHA" for (STRATA_TIER_ALPHA, "STRATA_"), into `var`. */
void check_tier_variable(enum strata_tier tier, const char *prefix, char *var, size_t len);

/* The parts, each in its own file. */
void check_modules(struct cfg_check *c);  /* modset.c: module sets and their diagnostics */
void check_settings(struct cfg_check *c); /* settings.c: every setting against its schema */
void check_hosts(struct cfg_check *c);    /* hosts.c */
void check_ports(struct cfg_check *c);    /* ports.c */
void check_certificates(struct cfg_check *c); /* certs.c */
void check_security(struct cfg_check *c); /* security.c */
void check_layout(struct cfg_check *c);   /* layout.c */

/* The effective value of `name` for section index `si`: the setting, or the
 * schema default (in `scratch`, which the caller clears). NULL when unset
 * and without default. `setting` receives the setting or NULL. */
const struct cfg_value *check_value(const struct cfg_check *c, size_t si, const char *name,
                                    struct cfg_value *scratch, const struct cfg_setting **setting);

/* The addresses the ports of `ports_option` ("c2s_ports") listen on:
 * <service>_interfaces when set, else the global `interfaces` when set
 * (Prosody's fallback), else the service's declared default. The value may
 * live in `scratch`, which the caller clears. ports.c. */
const struct cfg_value *check_interfaces(const struct cfg_check *c, const char *ports_option,
                                         struct cfg_value *scratch);

/* Why `name` cannot be a host (a JID domain), or NULL. hosts.c. */
const char *check_host_problem(const char *name, char *buf, size_t len);

/* True when some file could not be read or did not run to its end. */
bool check_load_failed(const struct cfg_check *c);

/* True for the layer lists (`stream_modules`...), whose assignments add up. */
bool cfg_key_is_layer_list(const char *key);

/* Prosody modules Strata does not have, with the reason; NULL if unknown. */
const char *prosody_module_note(const char *name);

/* Prosody options Strata accepts but ignores, with the reason; NULL if unknown. */
const char *prosody_option_note(const char *name);

#endif
