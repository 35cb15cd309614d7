/*
 * Server-wide option schemas (src/config/core_options.c) and the custom
 * validators they use (src/config/option_checks.c).
 */
#ifndef STRATA_CONFIG_CORE_OPTIONS_H
#define STRATA_CONFIG_CORE_OPTIONS_H

#include "strata/config.h"
#include "strata/option.h"

struct strata_core_option_group {
    const char *file; /* "06-storage/backends": the shipped file that holds them */
    const struct strata_option *options;
};

/* Terminated by {NULL, NULL}. */
extern const struct strata_core_option_group strata_core_option_groups[];

const char *strata_check_log_option(const struct cfg_value *v);
const char *strata_check_log_levels_option(const struct cfg_value *v);
const char *strata_check_storage_option(const struct cfg_value *v);

#endif
