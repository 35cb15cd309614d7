/*
 * The configuration loader: runs Prosody-syntax Lua files in a sandbox and
 * records every assignment, with its file and line, in a struct cfg_tree.
 *
 * Each file runs with its own environment table whose metatable turns global
 * assignments into settings of the file's current section (global until a
 * VirtualHost or Component line), and global reads into built-ins or the
 * value of the option so far, as Prosody does. Included files start in the
 * global section and do not change the includer's section.
 */
#include "config/loader.h"

#include <errno.h>
#include <glob.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config/env.h"
#include "config/lua_value.h"
#include "config/source_lines.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

enum {
    MAX_FILE_SIZE = 1 << 20,
    MAX_INCLUDE_DEPTH = 16,
    MEMORY_LIMIT = 64 << 20,
    HOOK_EVERY = 10000,
};
static const unsigned long INSTRUCTION_LIMIT = 100000000UL;

struct loader;

struct file_ctx {
    struct loader *ld;
    const char *path; /* interned in the tree */
    char *dir;
    char *real;       /* realpath, for cycle detection */
    struct cfg_section *section;
    struct source_text source; /* the file's text, while it runs */
};

struct loader {
    struct cfg_tree *tree;
    lua_State *L;
    struct file_ctx **files; /* index = chunk number in "=#N" */
    size_t nfiles;
    size_t cap;
    struct file_ctx *stack[MAX_INCLUDE_DEPTH + 1];
    int depth;
    struct strbuf env_note; /* env() reads since the last assignment */
    size_t memory;
    unsigned long instructions;
    const char *error_file; /* where the last Lua error happened */
    int error_line;
};

/* ---- locations ------------------------------------------------------- */

static struct loader *loader_of(lua_State *L)
{
    return *(struct loader **)lua_getextraspace(L);
}

/* Chunks are named "=#N" so that messages and debug info name our file
 * index rather than a path Lua would truncate to 60 characters. */
static struct file_ctx *ctx_of_source(struct loader *ld, const char *source)
{
    if (source[0] != '=' || source[1] != '#') {
        return NULL;
    }
    size_t i = strtoul(source + 2, NULL, 10);
    return i < ld->nfiles ? ld->files[i] : NULL;
}

/* The innermost Lua code running: its file and line. */
static struct file_ctx *where_ctx(lua_State *L, int *line)
{
    struct loader *ld = loader_of(L);
    lua_Debug ar;
    *line = 0;
    for (int level = 0; lua_getstack(L, level, &ar); level++) {
        lua_getinfo(L, "Sl", &ar);
        struct file_ctx *ctx = ctx_of_source(ld, ar.source);
        if (ctx && ar.currentline > 0) {
            *line = ar.currentline;
            return ctx;
        }
    }
    return NULL;
}

static void where(lua_State *L, const char **file, int *line)
{
    struct file_ctx *ctx = where_ctx(L, line);
    *file = ctx ? ctx->path : NULL;
}

/* Lua prefixes messages with "#N:LINE: "; the diagnostic carries the place. */
static const char *strip_position(const char *msg)
{
    if (msg[0] != '#') {
        return msg;
    }
    const char *p = strchr(msg, ':');
    if (p) {
        p = strchr(p + 1, ':');
    }
    return p && p[1] == ' ' ? p + 2 : msg;
}

static void report(lua_State *L, enum diag_level level, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void report(lua_State *L, enum diag_level level, const char *code, const char *fmt, ...)
{
    const char *file;
    int line;
    where(L, &file, &line);
    struct strbuf msg = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    strbuf_vaddf(&msg, fmt, ap);
    va_end(ap);
    diag_add(&loader_of(L)->tree->diags, level, file, line, code, "%s", msg.ptr ? msg.ptr : "");
    strbuf_release(&msg);
}

/* ---- settings -------------------------------------------------------- */

static const char *const builtin_names[] = {
    "VirtualHost", "Host", "host", "Component", "component", "Include", "include", "env", NULL,
};

static bool is_builtin(lua_State *L, const char *key)
{
    for (const char *const *b = builtin_names; *b; b++) {
        if (strcmp(*b, key) == 0) {
            return true;
        }
    }
    lua_getfield(L, LUA_REGISTRYINDEX, "strata.base");
    lua_getfield(L, -1, key);
    bool found = !lua_isnil(L, -1);
    lua_pop(L, 2);
    return found;
}

static char *take_env_note(struct loader *ld)
{
    return ld->env_note.len ? strbuf_take(&ld->env_note) : NULL;
}

/* Sets option `key` of `section` to the Lua value at `idx`. */
static void assign(lua_State *L, struct cfg_section *section, const char *key, int idx)
{
    struct loader *ld = loader_of(L);
    if (is_builtin(L, key)) {
        report(L, DIAG_ERROR, "builtin-assigned",
               "'%s' is a built-in of the configuration language and cannot be set", key);
        return;
    }
    int end_line;
    struct file_ctx *ctx = where_ctx(L, &end_line);
    int line = ctx ? source_assignment_line(&ctx->source, end_line, key) : end_line;
    struct cfg_value v;
    char err[160];
    if (cfg_from_lua(L, idx, &v, ctx ? ctx->path : NULL, line, err, sizeof err)) {
        strbuf_release(&ld->env_note);
        diag_add(&ld->tree->diags, DIAG_ERROR, ctx ? ctx->path : NULL, line, "bad-value",
                 "option '%s': %s", key, err);
        return;
    }
    if (ctx) {
        source_place_items(&ctx->source, line, end_line, &v);
    }
    cfg_section_set(section, key, &v, take_env_note(ld));
}

static int l_newindex(lua_State *L)
{
    struct file_ctx *ctx = lua_touserdata(L, lua_upvalueindex(1));
    if (lua_type(L, 2) != LUA_TSTRING) {
        return luaL_error(L, "option names must be text");
    }
    assign(L, ctx->section, lua_tostring(L, 2), 3);
    return 0;
}

static int l_index(lua_State *L)
{
    struct file_ctx *ctx = lua_touserdata(L, lua_upvalueindex(1));
    if (lua_type(L, 2) != LUA_TSTRING) {
        return 0;
    }
    const char *key = lua_tostring(L, 2);
    lua_getfield(L, lua_upvalueindex(2), key); /* this file's functions */
    if (!lua_isnil(L, -1)) {
        return 1;
    }
    lua_getfield(L, LUA_REGISTRYINDEX, "strata.base");
    lua_getfield(L, -1, key);
    if (!lua_isnil(L, -1)) {
        return 1;
    }
    if (strncmp(key, "ENV_", 4) == 0) { /* Prosody: ENV_FOO reads $FOO */
        const char *v = getenv(key + 4);
        lua_pushstring(L, v);
        return 1;
    }
    const struct cfg_setting *s = cfg_tree_lookup(ctx->ld->tree, ctx->section, key);
    if (!s) {
        return 0;
    }
    cfg_push_lua(L, &s->value);
    return 1;
}

/* ---- sections -------------------------------------------------------- */

static int l_section_options(lua_State *L)
{
    struct file_ctx *ctx = lua_touserdata(L, lua_upvalueindex(1));
    struct cfg_section *section = lua_touserdata(L, lua_upvalueindex(2));
    if (lua_type(L, 1) != LUA_TTABLE) {
        return luaL_error(L, "expected a table of options after the section name");
    }
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        if (lua_type(L, -2) == LUA_TSTRING) {
            assign(L, section, lua_tostring(L, -2), lua_gettop(L));
        } else {
            report(L, DIAG_ERROR, "bad-value", "a section's option table may only have named options");
        }
        lua_pop(L, 1);
    }
    /* COMPAT(prosody): `VirtualHost "x" { ... }` holds its options in the
     * table; the lines after it are global again (configmanager.lua). */
    ctx->section = cfg_tree_global(ctx->ld->tree);
    return 0;
}

static void push_section_closure(lua_State *L, struct file_ctx *ctx, struct cfg_section *s,
                                 lua_CFunction fn)
{
    lua_pushlightuserdata(L, ctx);
    lua_pushlightuserdata(L, s);
    lua_pushcclosure(L, fn, 2);
}

static const char *kind_word(enum cfg_section_kind kind)
{
    return kind == CFG_SECTION_HOST ? "VirtualHost" : "Component";
}

/* Opens (or reopens) a section and makes it the file's current one. */
static struct cfg_section *open_section(lua_State *L, struct file_ctx *ctx,
                                        enum cfg_section_kind kind)
{
    const char *name = lua_tostring(L, 1);
    if (lua_type(L, 1) != LUA_TSTRING) {
        luaL_error(L, "%s needs a name in quotes, e.g. %s \"example.org\"", kind_word(kind),
                   kind_word(kind));
    }
    struct cfg_tree *t = ctx->ld->tree;
    const char *file;
    int line;
    where(L, &file, &line);
    struct cfg_section *s = cfg_tree_find_section(t, name);
    if (!s) {
        s = cfg_tree_add_section(t, name, kind, file, line);
    } else if (s->kind != kind) {
        report(L, DIAG_ERROR, "section-kind-conflict",
               "%s \"%s\" was already declared as a %s at %s:%d", kind_word(kind), name,
               kind_word(s->kind), s->file, s->line);
    } else {
        /* COMPAT(prosody): reopening a host from another file is how Debian's
         * conf.d works, so only a repeat within one file looks like a slip. */
        bool same_file = s->file == file;
        report(L, same_file ? DIAG_WARNING : DIAG_INFO, "duplicate-section",
               "%s \"%s\" is declared again (first at %s:%d); the settings of both are merged",
               kind_word(kind), name, s->file, s->line);
    }
    ctx->section = s;
    return s;
}

static int l_virtualhost(lua_State *L)
{
    struct file_ctx *ctx = lua_touserdata(L, lua_upvalueindex(1));
    struct cfg_section *s = open_section(L, ctx, CFG_SECTION_HOST);
    push_section_closure(L, ctx, s, l_section_options);
    return 1;
}

/* Component "name" "module" { options }: the second call names the module. */
static int l_component_tail(lua_State *L)
{
    struct file_ctx *ctx = lua_touserdata(L, lua_upvalueindex(1));
    struct cfg_section *s = lua_touserdata(L, lua_upvalueindex(2));
    if (lua_type(L, 1) == LUA_TTABLE) {
        return l_section_options(L);
    }
    if (lua_type(L, 1) != LUA_TSTRING) {
        return luaL_error(L, "Component \"%s\" expects a module name in quotes", s->name);
    }
    const char *module = lua_tostring(L, 1);
    const char *file;
    int line;
    where(L, &file, &line);
    if (s->component_module && strcmp(s->component_module, module) != 0) {
        report(L, DIAG_ERROR, "section-kind-conflict",
               "Component \"%s\" was declared with module \"%s\" at %s:%d", s->name,
               s->component_module, s->file, s->module_line);
    } else {
        free(s->component_module);
        s->component_module = xstrdup(module);
        s->module_line = line;
    }
    push_section_closure(L, ctx, s, l_section_options);
    return 1;
}

static int l_component(lua_State *L)
{
    struct file_ctx *ctx = lua_touserdata(L, lua_upvalueindex(1));
    struct cfg_section *s = open_section(L, ctx, CFG_SECTION_COMPONENT);
    push_section_closure(L, ctx, s, l_component_tail);
    return 1;
}

/* ---- env() ----------------------------------------------------------- */

static bool is_secret_name(const char *var)
{
    return strstr(var, "PASSWORD") || strstr(var, "SECRET") || strstr(var, "TOKEN") ||
           strstr(var, "_FILE");
}

static int l_env(lua_State *L)
{
    struct loader *ld = loader_of(L);
    const char *name = luaL_checkstring(L, 1);
    if (!*name || strlen(name) > 100 || strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
                                            strlen(name)) {
        return luaL_error(L, "env(\"%s\"): a variable name is 1 to 100 capital letters, digits "
                             "and _ (it is read as STRATA_<NAME>)", name);
    }
    lua_settop(L, 2);
    struct env_lookup e;
    env_lookup_push(L, name, 2, &e);
    if (ld->env_note.len) {
        strbuf_adds(&ld->env_note, ", ");
    }
    if (!e.text && !e.error) {
        strbuf_addf(&ld->env_note, "%s unset", e.var);
    } else if (is_secret_name(e.var)) {
        strbuf_addf(&ld->env_note, "from %s (value hidden)", e.var);
    } else {
        strbuf_addf(&ld->env_note, "from %s=%s", e.var, e.text ? e.text : "");
    }
    if (e.error) {
        /* A secret's text stays hidden; a _FILE variable shows the file it names. */
        bool names_file = strstr(e.var, "_FILE") != NULL;
        const char *shown = names_file               ? e.raw
                            : is_secret_name(e.var) ? "(hidden)"
                            : e.text                ? e.text
                                                    : "";
        report(L, DIAG_ERROR, "env-malformed", "environment variable %s=\"%s\" %s; "
               "the default is used instead", e.var, shown, e.error);
    }
    free(e.text);
    return 1;
}

/* ---- files and Include ----------------------------------------------- */

static void load_file(struct loader *ld, const char *path);

static char *join_path(const char *dir, const char *rel)
{
    if (rel[0] == '/' || strcmp(dir, ".") == 0) {
        return xstrdup(rel);
    }
    return xasprintf("%s/%s", dir, rel);
}

static int l_include(lua_State *L)
{
    struct file_ctx *ctx = lua_touserdata(L, lua_upvalueindex(1));
    const char *pattern = luaL_checkstring(L, 1);
    char *path = join_path(ctx->dir, pattern);
    if (!strpbrk(pattern, "*?[")) {
        load_file(ctx->ld, path);
        free(path);
        return 0;
    }
    glob_t g;
    int rc = glob(path, 0, NULL, &g); /* sorted, so layer files load in order */
    free(path);
    if (rc == 0) {
        for (size_t i = 0; i < g.gl_pathc; i++) {
            load_file(ctx->ld, g.gl_pathv[i]);
        }
    }
    if (rc != GLOB_NOMATCH) {
        globfree(&g);
    }
    return 0;
}

static int l_print(lua_State *L)
{
    const char *file;
    int line;
    where(L, &file, &line);
    fprintf(stderr, "%s:%d:", file ? file : "?", line);
    for (int i = 1; i <= lua_gettop(L); i++) {
        fprintf(stderr, " %s", luaL_tolstring(L, i, NULL));
        lua_pop(L, 1);
    }
    fputc('\n', stderr);
    return 0;
}

static void push_file_functions(lua_State *L, struct file_ctx *ctx)
{
    static const struct {
        const char *name;
        lua_CFunction fn;
    } fns[] = {
        {"VirtualHost", l_virtualhost}, {"Host", l_virtualhost}, {"host", l_virtualhost},
        {"Component", l_component}, {"component", l_component},
        {"Include", l_include}, {"include", l_include}, {"env", l_env},
    };
    lua_createtable(L, 0, (int)(sizeof fns / sizeof fns[0]));
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        lua_pushlightuserdata(L, ctx);
        lua_pushcclosure(L, fns[i].fn, 1);
        lua_setfield(L, -2, fns[i].name);
    }
}

/* Pushes the environment table of a file. */
static void push_file_env(lua_State *L, struct file_ctx *ctx)
{
    lua_newtable(L);
    lua_createtable(L, 0, 2);
    lua_pushlightuserdata(L, ctx);
    push_file_functions(L, ctx);
    lua_pushcclosure(L, l_index, 2);
    lua_setfield(L, -2, "__index");
    lua_pushlightuserdata(L, ctx);
    lua_pushcclosure(L, l_newindex, 1);
    lua_setfield(L, -2, "__newindex");
    lua_setmetatable(L, -2);
}

/* Message handler: remembers where the error happened, returns the text. */
static int on_error(lua_State *L)
{
    struct loader *ld = loader_of(L);
    where(L, &ld->error_file, &ld->error_line);
    if (lua_type(L, 1) != LUA_TSTRING) {
        lua_pushfstring(L, "error raised with a %s value", luaL_typename(L, 1));
    }
    return 1;
}

static char *read_whole(const char *path, size_t *len, int *err)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        *err = EISDIR;
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        *err = errno;
        return NULL;
    }
    char *buf = xmalloc(MAX_FILE_SIZE + 1);
    *len = fread(buf, 1, MAX_FILE_SIZE + 1, f);
    *err = ferror(f) ? EIO : 0;
    fclose(f);
    if (*len > MAX_FILE_SIZE) {
        *err = EFBIG;
    }
    if (*err) {
        free(buf);
        return NULL;
    }
    return buf;
}

static struct file_ctx *new_ctx(struct loader *ld, const char *path, const char *real)
{
    struct file_ctx *ctx = xcalloc(1, sizeof *ctx);
    ctx->ld = ld;
    ctx->path = cfg_tree_intern_file(ld->tree, path);
    const char *slash = strrchr(path, '/');
    ctx->dir = slash ? xstrndup(path, (size_t)(slash - path) + (slash == path)) : xstrdup(".");
    ctx->real = xstrdup(real);
    ctx->section = cfg_tree_global(ld->tree);
    ld->files = xgrow(ld->files, &ld->cap, ld->nfiles + 1, sizeof *ld->files);
    ld->files[ld->nfiles++] = ctx;
    return ctx;
}

/* Refuses include cycles and runaway depth; reports at the Include line. */
static bool may_enter(struct loader *ld, const char *real)
{
    if (ld->depth >= MAX_INCLUDE_DEPTH) {
        report(ld->L, DIAG_ERROR, "include-depth", "Includes nest more than %d files deep",
               MAX_INCLUDE_DEPTH);
        return false;
    }
    for (int i = 0; i < ld->depth; i++) {
        if (strcmp(ld->stack[i]->real, real) == 0) {
            report(ld->L, DIAG_ERROR, "include-cycle", "Include cycle: %s is already being read",
                   ld->stack[i]->path);
            return false;
        }
    }
    return true;
}

static void run_chunk(struct loader *ld, struct file_ctx *ctx, const char *buf, size_t len)
{
    lua_State *L = ld->L;
    char chunkname[32];
    snprintf(chunkname, sizeof chunkname, "=#%zu", ld->nfiles - 1);
    lua_pushcfunction(L, on_error);
    int base = lua_gettop(L);
    if (luaL_loadbufferx(L, buf, len, chunkname, "t") != LUA_OK) {
        const char *msg = lua_tostring(L, -1);
        const char *colon = strchr(msg, ':');
        int line = colon ? atoi(colon + 1) : 0;
        diag_add(&ld->tree->diags, DIAG_ERROR, ctx->path, line, "lua-syntax", "%s",
                 strip_position(msg));
        lua_settop(L, base - 1);
        return;
    }
    push_file_env(L, ctx);
    lua_setupvalue(L, -2, 1); /* the chunk's _ENV */
    ld->stack[ld->depth++] = ctx;
    ld->error_file = NULL;
    ld->error_line = 0;
    if (lua_pcall(L, 0, 0, base) != LUA_OK) {
        diag_add(&ld->tree->diags, DIAG_ERROR, ld->error_file ? ld->error_file : ctx->path,
                 ld->error_line, "lua-error", "%s", strip_position(lua_tostring(L, -1)));
    }
    ld->depth--;
    strbuf_release(&ld->env_note); /* an env() whose value was never assigned */
    lua_settop(L, base - 1);
}

static void load_file(struct loader *ld, const char *path)
{
    char *real = realpath(path, NULL);
    size_t len = 0;
    int err = 0;
    char *buf = real ? read_whole(path, &len, &err) : NULL;
    if (!buf) {
        err = real ? err : errno;
        if (ld->depth == 0) {
            diag_add(&ld->tree->diags, DIAG_ERROR, path, 0, "file-unreadable",
                     "cannot read the configuration file: %s", strerror(err));
        } else {
            report(ld->L, DIAG_ERROR, "include-missing", "Include \"%s\": %s", path,
                   err == EFBIG ? "the file is larger than 1 MiB" : strerror(err));
        }
        free(real);
        return;
    }
    if (may_enter(ld, real)) {
        struct file_ctx *ctx = new_ctx(ld, path, real);
        ctx->source = (struct source_text){buf, len};
        run_chunk(ld, ctx, buf, len);
        ctx->source = (struct source_text){NULL, 0};
    }
    free(real);
    free(buf);
}

/* ---- the sandbox ----------------------------------------------------- */

static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    struct loader *ld = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        ld->memory -= old;
        return NULL;
    }
    if (nsize > old && ld->memory + (nsize - old) > MEMORY_LIMIT) {
        return NULL; /* Lua raises "not enough memory" in the config, not here */
    }
    void *p = realloc(ptr, nsize);
    if (p) {
        ld->memory += nsize - old;
    }
    return p;
}

static void on_count(lua_State *L, lua_Debug *ar)
{
    struct loader *ld = loader_of(L);
    ld->instructions += HOOK_EVERY;
    if (ld->instructions > INSTRUCTION_LIMIT) {
        luaL_error(L, "the configuration runs too long (over %d million Lua steps): an endless loop?",
                   (int)(INSTRUCTION_LIMIT / 1000000));
    }
}

/* Copies the named fields of the table on top into a new table. */
static void copy_fields(lua_State *L, const char *const *names)
{
    lua_newtable(L);
    for (const char *const *n = names; *n; n++) {
        lua_getfield(L, -2, *n);
        lua_setfield(L, -2, *n);
    }
}

static void build_base(lua_State *L)
{
    static const char *const globals[] = {
        "assert", "error", "ipairs", "next", "pairs", "pcall", "select", "tonumber",
        "tostring", "type", "xpcall", "rawequal", "rawlen", "rawget", "string", "table",
        "math", "utf8", NULL,
    };
    static const char *const os_fields[] = {"getenv", "date", "time", "clock", NULL};
    luaL_openlibs(L);
    lua_getglobal(L, "string");
    lua_pushnil(L);
    lua_setfield(L, -2, "dump"); /* bytecode has no place in a sandbox */
    lua_pop(L, 1);
    lua_pushglobaltable(L);
    copy_fields(L, globals);
    lua_getglobal(L, "os");
    copy_fields(L, os_fields);
    lua_setfield(L, -3, "os");
    lua_pop(L, 1);
    lua_getfield(L, -1, "table");
    lua_getfield(L, -1, "unpack");
    lua_setfield(L, -3, "unpack"); /* Lua 5.1 spelling, common in Prosody configs */
    lua_pop(L, 1);
    lua_pushcfunction(L, l_print);
    lua_setfield(L, -2, "print");
    lua_setfield(L, LUA_REGISTRYINDEX, "strata.base");
    lua_pop(L, 1);
}

int cfg_load(struct cfg_tree *t)
{
    struct loader ld = {.tree = t};
    ld.L = lua_newstate(limited_alloc, &ld);
    if (!ld.L) {
        diag_add(&t->diags, DIAG_ERROR, NULL, 0, "internal", "cannot create a Lua state");
        return -1;
    }
    *(struct loader **)lua_getextraspace(ld.L) = &ld;
    lua_sethook(ld.L, on_count, LUA_MASKCOUNT, HOOK_EVERY);
    build_base(ld.L);
    load_file(&ld, t->main_path);
    lua_close(ld.L);
    for (size_t i = 0; i < ld.nfiles; i++) {
        free(ld.files[i]->dir);
        free(ld.files[i]->real);
        free(ld.files[i]);
    }
    free(ld.files);
    strbuf_release(&ld.env_note);
    return t->nfiles ? 0 : -1;
}
