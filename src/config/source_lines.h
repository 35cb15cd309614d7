/*
 * Finding where, in a configuration file's text, a value was written.
 *
 * Lua reports one line per assignment: the line where the statement ends.
 * For `modules_enabled = {` spread over thirty lines that is the closing
 * brace, which helps nobody. These helpers look back from that line for the
 * option's name and for each listed string, so diagnostics point at the
 * line an administrator has to edit.
 */
#ifndef STRATA_CONFIG_SOURCE_LINES_H
#define STRATA_CONFIG_SOURCE_LINES_H

#include <stddef.h>

#include "strata/config.h"

struct source_text {
    const char *text;
    size_t len;
};

/* The line of `name = ` (an assignment, not `==`) at or before `line`, at
 * most 500 lines back; `line` itself when not found. */
int source_assignment_line(const struct source_text *src, int line, const char *name);

/* Moves each string item of a list value, and each field of a table value, to
 * the line where it is written between `first` and `last` (inclusive), in
 * order of appearance. Values not found keep their line. */
void source_place_items(const struct source_text *src, int first, int last, struct cfg_value *v);

#endif
