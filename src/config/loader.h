/*
 * Loads a configuration tree from Lua files into a struct cfg_tree.
 *
 * The Lua state is a sandbox (no io, no os.execute, no require, no load,
 * dofile or loadfile; os.getenv, os.date and os.time remain) that lives only
 * while loading. Syntax is Prosody's: global options, VirtualHost,
 * Component, Include, plus Strata's env(NAME, default).
 */
#ifndef STRATA_CONFIG_LOADER_H
#define STRATA_CONFIG_LOADER_H

#include "config/tree.h"

/* Reads t->main_path and everything it includes into `t`. Problems become
 * diagnostics in t->diags with file:line; loading goes on past them so one
 * run reports them all. Returns 0, or -1 when the main file cannot be read
 * (also reported as a diagnostic). */
int cfg_load(struct cfg_tree *t);

#endif
