/*
 * The layered layout: a tree with a stack/ folder beside its main file
 * should have the 8 x 4 layer files, and include them all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config/check.h"
#include "util/xalloc.h"

static bool was_read(const struct cfg_tree *t, const char *path)
{
    char *real = realpath(path, NULL);
    bool found = false;
    for (size_t i = 0; real && i < t->nfiles && !found; i++) {
        char *r = realpath(t->files[i], NULL);
        found = r && strcmp(r, real) == 0;
        free(r);
    }
    free(real);
    return found;
}

static void check_file(struct cfg_check *c, int layer, const char *name)
{
    char *rel = xasprintf("stack/%s/%s.cfg.lua", strata_layer_dir(layer), name);
    char *path = xasprintf("%s/%s", c->tree->main_dir, rel);
    struct stat st;
    if (stat(path, &st) != 0) {
        diag_add(&c->tree->diags, DIAG_WARNING, c->tree->main_path, 0, "missing-layer-file",
                 "layer file %s is missing; its options take their defaults", rel);
    } else if (!was_read(c->tree, path)) {
        diag_add(&c->tree->diags, DIAG_WARNING, c->tree->main_path, 0, "layer-file-unread",
                 "layer file %s exists but no Include reads it", rel);
    }
    free(rel);
    free(path);
}

void check_layout(struct cfg_check *c)
{
    char *stack = xasprintf("%s/stack", c->tree->main_dir);
    struct stat st;
    bool layered = stat(stack, &st) == 0 && S_ISDIR(st.st_mode);
    free(stack);
    for (int layer = 1; layered && layer <= STRATA_LAYER_COUNT; layer++) {
        for (const char *const *f = strata_layer_files(layer); *f; f++) {
            check_file(c, layer, *f);
        }
    }
}
