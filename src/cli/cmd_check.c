/*
 * strata check [--config FILE] [--json] [--strict] [--no-ports]
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/load.h"

static void print_json(const struct cfg_tree *t, int status)
{
    json_t *root = json_object();
    json_t *files = json_array();
    json_t *list = json_array();
    for (size_t i = 0; i < t->nfiles; i++) {
        json_array_append_new(files, json_string(t->files[i]));
    }
    for (size_t i = 0; i < t->diags.count; i++) {
        const struct diag *d = &t->diags.items[i];
        json_t *o = json_object();
        json_object_set_new(o, "level", json_string(diag_level_name(d->level)));
        json_object_set_new(o, "file", d->file ? json_string(d->file) : json_null());
        json_object_set_new(o, "line", d->line ? json_integer(d->line) : json_null());
        json_object_set_new(o, "code", json_string(d->code));
        json_object_set_new(o, "message", json_string(d->message));
        json_array_append_new(list, o);
    }
    json_object_set_new(root, "config", json_string(t->main_path));
    json_object_set_new(root, "files", files);
    json_object_set_new(root, "diagnostics", list);
    json_object_set_new(root, "errors", json_integer((json_int_t)diag_count(&t->diags, DIAG_ERROR)));
    json_object_set_new(root, "warnings",
                        json_integer((json_int_t)diag_count(&t->diags, DIAG_WARNING)));
    json_object_set_new(root, "status", json_integer(status));
    json_dumpf(root, stdout, JSON_INDENT(2));
    fputc('\n', stdout);
    json_decref(root);
}

int cmd_check(int argc, char **argv)
{
    const char *config = NULL;
    bool json = false, strict = false, no_ports = false, bad = false;
    for (int i = 1; i < argc && !bad; i++) {
        const char *v = cli_option_value(argc, argv, &i, "--config", &bad);
        if (v) {
            config = v;
        } else if (strcmp(argv[i], "--json") == 0) {
            json = true;
        } else if (strcmp(argv[i], "--strict") == 0) {
            strict = true;
        } else if (strcmp(argv[i], "--no-ports") == 0) {
            no_ports = true;
        } else {
            bad = true;
        }
    }
    if (bad) {
        cli_usage("check");
        return 2;
    }
    struct cli_config cfg;
    cli_config_load(&cfg, config, no_ports);
    int status = cli_check_status(cfg.tree, strict);
    if (json) {
        print_json(cfg.tree, status);
    } else {
        cli_print_diags(stdout, cfg.tree);
    }
    cli_config_free(&cfg);
    return status;
}
