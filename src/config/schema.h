/*
 * Option schemas at work: finding the declaration of an option, checking a
 * value against it, and turning a declared default into a value.
 */
#ifndef STRATA_CONFIG_SCHEMA_H
#define STRATA_CONFIG_SCHEMA_H

#include <stddef.h>

#include "strata/config.h"
#include "strata/module.h"

/* Where an option is declared: by a module, or by the core (module NULL,
 * `file` the shipped file that holds it). */
struct schema_entry {
    const struct strata_option *option;
    const struct strata_module *module; /* NULL for server-wide options */
    const char *file;                   /* "01-transport/ports" */
};

/* Finds the declaration of `name`; false when no one declares it. */
bool schema_find(const char *name, struct schema_entry *out);

/* Calls `fn` for every declared option (core first, then modules in order). */
void schema_each(void (*fn)(const struct schema_entry *e, void *ud), void *ud);

/* The closest declared option name to `name` within a small edit distance,
 * or NULL. Static storage. */
const char *schema_suggest(const char *name);

/* Closest of `candidates` (NULL-terminated) to `name`, or NULL. */
const char *schema_closest(const char *name, const char *const *candidates);

/* Checks `v` against `o`. Returns NULL when it fits, else writes a message
 * ("expected a size such as \"256K\", got \"lots\"") into `buf`. */
const char *schema_validate(const struct strata_option *o, const struct cfg_value *v, char *buf,
                            size_t buflen);

/* Parses the declared default of `o` into `out` (CFG_NIL when there is
 * none). Returns 0, or -1 when the declaration itself is malformed. */
int schema_default(const struct strata_option *o, struct cfg_value *out);

/* As schema_validate, and when `v` does not fit, `*at` is the part of it
 * the message is about (an item, a field), for its line. */
const char *schema_validate_at(const struct strata_option *o, const struct cfg_value *v, char *buf,
                               size_t buflen, const struct cfg_value **at);

/* The number a SIZE/DURATION/RATE/INT/NUMBER value stands for; -1 if none,
 * as for a keyword from the option's choices ("never"). */
int schema_number(const struct strata_option *o, const struct cfg_value *v, double *out);

/* A short phrase for the type: "a size such as \"256K\"". Static storage. */
const char *schema_type_phrase(const struct strata_option *o);

#endif
