/*
 * The configuration loader: sandbox, sections, Include, env(), provenance,
 * and the limits that keep a runaway configuration from hurting the host.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/loader.h"
#include "tmpfiles.h"

struct fixture {
    char *dir;
    struct cfg_tree *tree;
};

static struct fixture fx;

static int setup(void **state)
{
    fx.dir = tmp_dir();
    fx.tree = NULL;
    return 0;
}

static int teardown(void **state)
{
    cfg_tree_free(fx.tree);
    tmp_remove(fx.dir);
    unsetenv("STRATA_T_PORTS");
    unsetenv("PROSODY_T_FLAG");
    unsetenv("STRATA_T_SECRET_FILE");
    unsetenv("STRATA_T_NUM");
    return 0;
}

/* Writes main.cfg.lua and loads it. */
static struct cfg_tree *load(const char *text)
{
    char *path = tmp_write(fx.dir, "main.cfg.lua", text);
    fx.tree = cfg_tree_new(path);
    free(path);
    cfg_load(fx.tree);
    return fx.tree;
}

static const struct diag *find_diag(const char *code)
{
    for (size_t i = 0; i < fx.tree->diags.count; i++) {
        if (strcmp(fx.tree->diags.items[i].code, code) == 0) {
            return &fx.tree->diags.items[i];
        }
    }
    return NULL;
}

static const struct cfg_setting *global(const char *key)
{
    return cfg_section_find(cfg_tree_global(fx.tree), key);
}

static void test_plain_options(void **state)
{
    load("a = true\nb = 42\nc = 1.5\nd = \"text\"\ne = { 5222; 5223 }\nf = { x = 1, y = { \"z\" } }\n");
    assert_int_equal(fx.tree->diags.count, 0);
    assert_int_equal(global("a")->value.kind, CFG_BOOL);
    assert_true(global("b")->value.is_integer);
    assert_false(global("c")->value.is_integer);
    assert_string_equal(global("d")->value.u.str.ptr, "text");
    assert_true(cfg_is_list(&global("e")->value));
    assert_int_equal(global("e")->value.u.table->narray, 2);
    assert_int_equal(global("f")->value.line, 6);
    const struct cfg_value *y = cfg_table_get(&global("f")->value, "y");
    assert_non_null(y);
    assert_int_equal(y->u.table->narray, 1);
}

static void test_sandbox_has_no_escape(void **state)
{
    load("a = io\nb = require\nc = dofile\nd = loadfile\ne = load\nf = string.dump\n"
         "g = os.execute\nh = os.getenv(\"HOME\") ~= nil\ni = type(os.date(\"%Y\"))\nj = debug\n");
    for (const char *k = "abcdefgj"; *k; k++) {
        char key[2] = {*k, 0};
        const struct cfg_setting *s = global(key);
        assert_non_null(s);
        assert_int_equal(s->value.kind, CFG_NIL);
    }
    assert_true(global("h")->value.u.b);
    assert_string_equal(global("i")->value.u.str.ptr, "string");
}

static void test_values_that_cannot_be_options(void **state)
{
    load("f = function() end\nt = { [true] = 1 }\nok = 1\n");
    const struct diag *d = find_diag("bad-value");
    assert_non_null(d);
    assert_int_equal(d->line, 1);
    assert_non_null(strstr(d->message, "function"));
    assert_null(global("f"));
    assert_null(global("t"));
    assert_non_null(global("ok"));
}

static void test_sections(void **state)
{
    load("g = 1\nVirtualHost \"example.org\"\n  h = 2\nComponent \"muc.example.org\" \"muc\"\n"
         "  m = 3\nComponent \"gw.example.org\" { component_secret = \"s\" }\n"
         "VirtualHost \"other.org\" { x = 9 }\n");
    assert_int_equal(fx.tree->diags.count, 0);
    assert_int_equal(fx.tree->nsections, 5);
    struct cfg_section *host = cfg_tree_find_section(fx.tree, "example.org");
    assert_int_equal(host->kind, CFG_SECTION_HOST);
    assert_int_equal(host->line, 2);
    assert_non_null(cfg_section_find(host, "h"));
    assert_non_null(cfg_tree_lookup(fx.tree, host, "g")); /* inherited */
    struct cfg_section *muc = cfg_tree_find_section(fx.tree, "muc.example.org");
    assert_string_equal(muc->component_module, "muc");
    assert_non_null(cfg_section_find(muc, "m"));
    struct cfg_section *gw = cfg_tree_find_section(fx.tree, "gw.example.org");
    assert_null(gw->component_module);
    assert_non_null(cfg_section_find(gw, "component_secret"));
    assert_non_null(cfg_section_find(cfg_tree_find_section(fx.tree, "other.org"), "x"));
}

static void test_section_conflicts(void **state)
{
    load("VirtualHost \"a.org\"\nVirtualHost \"a.org\"\nComponent \"a.org\" \"muc\"\n");
    const struct diag *dup = find_diag("duplicate-section");
    assert_non_null(dup);
    assert_int_equal(dup->line, 2);
    const struct diag *kind = find_diag("section-kind-conflict");
    assert_non_null(kind);
    assert_int_equal(kind->line, 3);
}

static void test_reading_options_back(void **state)
{
    load("environment = \"docker\"\nx = environment .. \"!\"\nVirtualHost \"h.org\"\n"
         "environment = \"production\"\ny = environment\n");
    assert_string_equal(global("x")->value.u.str.ptr, "docker!");
    struct cfg_section *h = cfg_tree_find_section(fx.tree, "h.org");
    assert_string_equal(cfg_section_find(h, "y")->value.u.str.ptr, "production");
}

static void test_include_relative_glob_and_section_scope(void **state)
{
    free(tmp_write(fx.dir, "sub/b.cfg.lua", "b = 2\nInclude \"deeper/c.cfg.lua\"\n"));
    free(tmp_write(fx.dir, "sub/a.cfg.lua", "a = 1\nVirtualHost \"inner.org\"\nin_host = 1\n"));
    free(tmp_write(fx.dir, "sub/deeper/c.cfg.lua", "c = 3\n"));
    free(tmp_write(fx.dir, "sub/skip.txt", "this is not lua\n"));
    load("VirtualHost \"outer.org\"\nInclude \"sub/*.cfg.lua\"\nafter = 1\nInclude \"none/*.cfg.lua\"\n");
    assert_int_equal(fx.tree->diags.count, 0);
    assert_non_null(global("a"));
    assert_non_null(global("b"));
    assert_non_null(global("c"));
    /* The included file's VirtualHost does not leak back into the includer. */
    assert_non_null(cfg_section_find(cfg_tree_find_section(fx.tree, "outer.org"), "after"));
    assert_non_null(cfg_section_find(cfg_tree_find_section(fx.tree, "inner.org"), "in_host"));
    /* Files are read in sorted glob order: a before b. */
    assert_int_equal(fx.tree->nfiles, 4);
    assert_non_null(strstr(fx.tree->files[1], "a.cfg.lua"));
}

static void test_include_missing_and_cycle(void **state)
{
    free(tmp_write(fx.dir, "loop.cfg.lua", "Include \"main.cfg.lua\"\n"));
    load("x = 1\nInclude \"nope.cfg.lua\"\nInclude \"loop.cfg.lua\"\n");
    const struct diag *missing = find_diag("include-missing");
    assert_non_null(missing);
    assert_int_equal(missing->line, 2);
    assert_non_null(strstr(missing->message, "No such file"));
    const struct diag *cycle = find_diag("include-cycle");
    assert_non_null(cycle);
    assert_non_null(strstr(cycle->file, "loop.cfg.lua"));
    assert_int_equal(cycle->line, 1);
}

static void test_errors_name_file_and_line(void **state)
{
    free(tmp_write(fx.dir, "bad.cfg.lua", "ok = 1\n\nlocal t = nil\nt.x = 1\n"));
    free(tmp_write(fx.dir, "syntax.cfg.lua", "a = \n\n"));
    load("Include \"bad.cfg.lua\"\nInclude \"syntax.cfg.lua\"\nafter = true\nerror(\"stop here\")\n");
    const struct diag *rt = find_diag("lua-error");
    assert_non_null(rt);
    assert_non_null(strstr(rt->file, "bad.cfg.lua"));
    assert_int_equal(rt->line, 4);
    const struct diag *syn = find_diag("lua-syntax");
    assert_non_null(syn);
    assert_non_null(strstr(syn->file, "syntax.cfg.lua"));
    assert_non_null(global("after")); /* loading went on past both */
    size_t errors = diag_count(&fx.tree->diags, DIAG_ERROR);
    assert_int_equal(errors, 3);
}

static void test_env_conversion(void **state)
{
    setenv("STRATA_T_PORTS", "5222, 5269", 1);
    setenv("PROSODY_T_FLAG", "yes", 1);
    load("p = env(\"T_PORTS\", { 1 })\nf = env(\"T_FLAG\", false)\ns = env(\"T_UNSET\", \"dflt\")\n"
         "l = env(\"T_PORTS\", { \"x\" })\nn = env(\"T_UNSET2\")\n");
    assert_int_equal(fx.tree->diags.count, 0);
    const struct cfg_value *p = &global("p")->value;
    assert_int_equal(p->u.table->narray, 2);
    assert_int_equal(p->u.table->array[1].kind, CFG_NUMBER);
    assert_int_equal((int)p->u.table->array[1].u.n, 5269);
    assert_true(global("f")->value.u.b);
    assert_string_equal(global("s")->value.u.str.ptr, "dflt");
    assert_string_equal(global("l")->value.u.table->array[0].u.str.ptr, "5222");
    assert_int_equal(global("n")->value.kind, CFG_NIL);
    /* Provenance: which variable answered. */
    assert_string_equal(global("p")->note, "from STRATA_T_PORTS=5222, 5269");
    assert_string_equal(global("f")->note, "from PROSODY_T_FLAG=yes");
    assert_string_equal(global("s")->note, "STRATA_T_UNSET unset");
}

static void test_env_malformed_names_the_variable(void **state)
{
    setenv("STRATA_T_NUM", "12abc", 1);
    load("x = 1\nport = env(\"T_NUM\", 5432)\n");
    const struct diag *d = find_diag("env-malformed");
    assert_non_null(d);
    assert_int_equal(d->line, 2);
    assert_non_null(strstr(d->message, "STRATA_T_NUM"));
    assert_non_null(strstr(d->message, "not a number"));
    assert_int_equal((int)global("port")->value.u.n, 5432);
}

static void test_env_names_are_checked(void **state)
{
    load("a = 1\nport = env(\"db_port\", 1)\n");
    const struct diag *d = find_diag("lua-error");
    assert_non_null(d);
    assert_int_equal(d->line, 2);
    assert_non_null(strstr(d->message, "capital letters"));
}

static void test_env_file_secret(void **state)
{
    char *secret = tmp_write(fx.dir, "secret.txt", "hunter2\n");
    setenv("STRATA_T_SECRET_FILE", secret, 1);
    free(secret);
    load("password = env(\"T_SECRET\", nil)\n");
    assert_string_equal(global("password")->value.u.str.ptr, "hunter2");
    assert_null(strstr(global("password")->note, "hunter2")); /* secrets stay out of provenance */
}

static void test_provenance_history(void **state)
{
    free(tmp_write(fx.dir, "later.cfg.lua", "limit = 20\n"));
    load("limit = 10\nInclude \"later.cfg.lua\"\n");
    const struct cfg_setting *s = global("limit");
    assert_int_equal((int)s->value.u.n, 20);
    assert_non_null(strstr(s->value.file, "later.cfg.lua"));
    assert_int_equal(s->value.line, 1);
    assert_non_null(s->overridden);
    assert_int_equal((int)s->overridden->value.u.n, 10);
    assert_int_equal(s->overridden->value.line, 1);
    assert_non_null(strstr(s->overridden->value.file, "main.cfg.lua"));
}

static void test_prosody_env_prefix_and_unpack(void **state)
{
    setenv("STRATA_T_NUM", "7", 1);
    load("x = ENV_STRATA_T_NUM\ny = select(\"#\", unpack({1, 2, 3}))\n");
    assert_string_equal(global("x")->value.u.str.ptr, "7");
    assert_int_equal((int)global("y")->value.u.n, 3);
}

static void test_builtins_cannot_be_assigned(void **state)
{
    load("VirtualHost = 1\n");
    const struct diag *d = find_diag("builtin-assigned");
    assert_non_null(d);
    assert_int_equal(d->line, 1);
}

static void test_runaway_loop_is_stopped(void **state)
{
    load("while true do end\n");
    const struct diag *d = find_diag("lua-error");
    assert_non_null(d);
    assert_non_null(strstr(d->message, "too long"));
}

static void test_memory_bomb_is_stopped(void **state)
{
    load("s = string.rep(\"x\", 1024 * 1024 * 1024)\n");
    const struct diag *d = find_diag("lua-error");
    assert_non_null(d);
    assert_non_null(strstr(d->message, "memory"));
}

static void test_multiline_values_point_at_their_lines(void **state)
{
    load("x = 1\nmodules_enabled = {\n  \"roster\";\n  -- a comment\n  \"carbons\", 'pep';\n}\n"
         "sql = {\n  driver = \"SQLite3\",\n  database = \"x\"\n}\nrosterx = 2\n");
    const struct cfg_setting *m = global("modules_enabled");
    assert_int_equal(m->value.line, 2); /* the line naming the option, not the closing brace */
    assert_int_equal(m->value.u.table->array[0].line, 3);
    assert_int_equal(m->value.u.table->array[1].line, 5);
    assert_int_equal(m->value.u.table->array[2].line, 5);
    const struct cfg_setting *sql = global("sql");
    assert_int_equal(sql->value.line, 7);
    assert_int_equal(cfg_table_get(&sql->value, "database")->line, 9);
    assert_int_equal(cfg_table_get(&sql->value, "driver")->line, 8);
    assert_int_equal(global("rosterx")->value.line, 11);
}

static void test_include_depth_limit(void **state)
{
    /* level0 includes level1 ... level19: distinct files, so no cycle. */
    for (int i = 0; i < 20; i++) {
        char name[32], text[64];
        snprintf(name, sizeof name, "level%d.cfg.lua", i);
        snprintf(text, sizeof text, "Include \"level%d.cfg.lua\"\n", i + 1);
        free(tmp_write(fx.dir, name, text));
    }
    free(tmp_write(fx.dir, "level20.cfg.lua", "deepest = true\n"));
    load("Include \"level0.cfg.lua\"\n");
    const struct diag *d = find_diag("include-depth");
    assert_non_null(d);
    assert_non_null(strstr(d->message, "16"));
    assert_null(global("deepest"));
}

static void test_file_size_limit(void **state)
{
    size_t n = (1 << 20) + 16;
    char *big = malloc(n + 1);
    memset(big, '-', n); /* one long Lua comment */
    big[n] = '\0';
    free(tmp_write(fx.dir, "big.cfg.lua", big));
    free(big);
    load("Include \"big.cfg.lua\"\nafter = 1\n");
    const struct diag *d = find_diag("include-missing");
    assert_non_null(d);
    assert_non_null(strstr(d->message, "larger than 1 MiB"));
    assert_non_null(global("after"));
}

static void test_unreadable_main_file(void **state)
{
    fx.tree = cfg_tree_new("/nonexistent/strata.cfg.lua");
    assert_int_equal(cfg_load(fx.tree), -1);
    assert_non_null(find_diag("file-unreadable"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_plain_options, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sandbox_has_no_escape, setup, teardown),
        cmocka_unit_test_setup_teardown(test_values_that_cannot_be_options, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sections, setup, teardown),
        cmocka_unit_test_setup_teardown(test_section_conflicts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reading_options_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_include_relative_glob_and_section_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_include_missing_and_cycle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors_name_file_and_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_env_conversion, setup, teardown),
        cmocka_unit_test_setup_teardown(test_env_malformed_names_the_variable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_env_names_are_checked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_env_file_secret, setup, teardown),
        cmocka_unit_test_setup_teardown(test_provenance_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prosody_env_prefix_and_unpack, setup, teardown),
        cmocka_unit_test_setup_teardown(test_builtins_cannot_be_assigned, setup, teardown),
        cmocka_unit_test_setup_teardown(test_runaway_loop_is_stopped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_memory_bomb_is_stopped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_multiline_values_point_at_their_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_include_depth_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_size_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unreadable_main_file, setup, teardown),
    };
    return cmocka_run_group_tests_name("config/loader", tests, NULL, NULL);
}
