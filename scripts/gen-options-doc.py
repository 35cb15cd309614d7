#!/usr/bin/python3
"""Generates the option reference of docs/configuration.md and the module
table of README.md from the C declarations themselves.

Nothing is parsed out of the C sources: a small C program, written to a
temporary folder, is compiled against the built library (build/src/libstrata.a)
and prints the module catalogue and every option schema as JSON, straight
from `strata_modules_all()` and `strata_core_option_groups`. So the tables
cannot drift from what `strata check` enforces.

usage:
  scripts/gen-options-doc.py [--build DIR]            print the option reference
  scripts/gen-options-doc.py [--build DIR] --modules  print the module table
  scripts/gen-options-doc.py [--build DIR] --layers   print the layer file table
  scripts/gen-options-doc.py [--build DIR] --write    update both documents in place
  scripts/gen-options-doc.py [--build DIR] --check    exit 1 if either is out of date

The documents hold the generated text between marker lines:
  <!-- BEGIN generated: layers -->   ...  <!-- END generated: layers -->
  <!-- BEGIN generated: options -->  ...  <!-- END generated: options -->
  <!-- BEGIN generated: modules -->  ...  <!-- END generated: modules -->
Run `make build` (or ninja -C build) first.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PKGS = ["lua5.4", "libuv", "openssl", "expat", "libidn", "sqlite3", "jansson"]

DUMPER = r"""
#include <jansson.h>
#include <stdio.h>

#include "config/core_options.h"
#include "strata/module.h"

static json_t *names(const char *const *list)
{
    json_t *a = json_array();
    for (const char *const *p = list; p && *p; p++) {
        json_array_append_new(a, json_string(*p));
    }
    return a;
}

static json_t *str(const char *s)
{
    return s ? json_string(s) : json_null();
}

static const char *const types[] = {
    "bool", "int", "number", "string", "enum", "size", "duration", "rate",
    "path", "ports", "strings", "jids", "table", "any",
};

static json_t *options(const struct strata_option *o)
{
    json_t *a = json_array();
    for (; o && o->name; o++) {
        json_t *j = json_object();
        char id[32];
        json_object_set_new(j, "name", json_string(o->name));
        json_object_set_new(j, "type", json_string(types[o->type]));
        json_object_set_new(j, "scope", json_integer(o->scope));
        json_object_set_new(j, "default", str(o->def));
        json_object_set_new(j, "min", json_real(o->min));
        json_object_set_new(j, "max", json_real(o->max));
        json_object_set_new(j, "choices", names(o->choices));
        json_object_set_new(j, "check", json_boolean(o->check != NULL));
        json_object_set_new(j, "help", str(o->help));
        json_object_set_new(j, "strata_only", json_boolean(o->strata_only));
        if (o->fields) {
            snprintf(id, sizeof id, "%p", (const void *)o->fields);
            json_object_set_new(j, "fields_id", json_string(id));
            json_object_set_new(j, "fields", options(o->fields));
        }
        json_array_append_new(a, j);
    }
    return a;
}

int main(void)
{
    json_t *root = json_object();
    json_t *core = json_array();
    for (const struct strata_core_option_group *g = strata_core_option_groups; g->file; g++) {
        json_t *j = json_object();
        json_object_set_new(j, "file", json_string(g->file));
        json_object_set_new(j, "options", options(g->options));
        json_array_append_new(core, j);
    }
    json_t *mods = json_array();
    size_t n;
    const struct strata_module *const *all = strata_modules_all(&n);
    for (size_t i = 0; i < n; i++) {
        const struct strata_module *m = all[i];
        json_t *j = json_object();
        json_object_set_new(j, "name", json_string(m->name));
        json_object_set_new(j, "layer", json_string(strata_layer_dir(m->layer)));
        json_object_set_new(j, "tier", json_string(strata_tier_name(m->tier)));
        json_object_set_new(j, "state", json_string(strata_module_state_name(m->state)));
        json_object_set_new(j, "scope", json_integer(m->scope));
        json_object_set_new(j, "config_file", str(m->config_file));
        json_object_set_new(j, "specs", str(m->specs));
        json_object_set_new(j, "summary", str(m->summary));
        json_object_set_new(j, "requires", names(m->requires));
        json_object_set_new(j, "wants", names(m->wants));
        json_object_set_new(j, "conflicts", names(m->conflicts));
        json_object_set_new(j, "aliases", names(m->aliases));
        json_object_set_new(j, "autoload", json_boolean(m->autoload));
        json_object_set_new(j, "tested_with", str(m->tested_with));
        json_object_set_new(j, "refusal", str(m->refusal));
        json_object_set_new(j, "options", options(m->options));
        json_array_append_new(mods, j);
    }
    json_t *layers = json_array();
    for (int l = 1; l <= STRATA_LAYER_COUNT; l++) {
        json_t *j = json_object();
        json_object_set_new(j, "dir", json_string(strata_layer_dir(l)));
        json_object_set_new(j, "list", json_string(strata_layer_list_prefix(l)));
        json_object_set_new(j, "files", names(strata_layer_files(l)));
        json_array_append_new(layers, j);
    }
    json_object_set_new(root, "layers", layers);
    json_object_set_new(root, "core", core);
    json_object_set_new(root, "modules", mods);
    json_dumpf(root, stdout, JSON_COMPACT);
    json_decref(root);
    return 0;
}
"""

SCOPE_GLOBAL, SCOPE_HOST, SCOPE_COMPONENT = 1, 2, 4


def dump(build):
    lib = build / "src" / "libstrata.a"
    if not lib.is_file():
        sys.exit(f"gen-options-doc: {lib} not found; run `make build` first")
    cc = os.environ.get("CC") or shutil.which("cc") or "gcc"
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", *PKGS], check=True,
                           capture_output=True, text=True).stdout.split()
    with tempfile.TemporaryDirectory() as tmp:
        src, exe = Path(tmp) / "dump.c", Path(tmp) / "dump"
        src.write_text(DUMPER)
        subprocess.run([cc, "-std=gnu11", "-D_GNU_SOURCE", "-I", str(REPO / "include"),
                        "-I", str(REPO / "src"), "-I", str(build), str(src), str(lib),
                        *flags, "-lm", "-o", str(exe)], check=True)
        out = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


# ---- formatting ------------------------------------------------------------

def cell(text):
    return text.replace("|", "\\|").replace("\n", " ")


def prose(text):
    """Free text from the C tables, made safe for a Markdown table cell."""
    text = text.replace("\\", "\\\\").replace("*", "\\*").replace("<", "&lt;")
    return cell(text)


def code(text):
    return f"`{text}`" if text else ""


def size_text(n):
    for unit, f in (("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10)):
        if n >= f and n % f == 0:
            return f"{int(n // f)}{unit}"
    return f"{n:g}"


def duration_text(n):
    for unit, f in (("y", 31557600), ("w", 604800), ("d", 86400), ("h", 3600), ("m", 60)):
        if n >= f and n % f == 0:
            return f"{int(n // f)}{unit}"
    return f"{n:g}s"


def rate_text(n):
    # The parser reads the amount of a rate as a size: "10kb/s" is 10240 bytes/s.
    for unit, f in (("gb/s", 1 << 30), ("mb/s", 1 << 20), ("kb/s", 1 << 10)):
        if n >= f and n % f == 0:
            return f"{int(n // f)}{unit}"
    return f"{plain(n)} bytes/s"


def plain(n):
    return str(int(n)) if n == int(n) else f"{n:g}"


def bound(o, n):
    return {"size": size_text, "duration": duration_text, "rate": rate_text}.get(
        o["type"], plain)(n)


def allowed(o):
    parts = []
    if o["min"] != o["max"]:
        parts.append(f"{bound(o, o['min'])} to {bound(o, o['max'])}")
    if o["choices"]:
        if o["type"] in ("size", "duration", "rate", "int", "number"):
            each = "or the word " if len(o["choices"]) == 1 else "or one of the words "
        elif o["type"] in ("strings", "jids"):
            each = "items from: "
        else:
            each = ""
        parts.append(each + ", ".join(code(c) for c in o["choices"]))
    return "; ".join(parts)


def default(o):
    d = o["default"]
    if d is None:
        if o["type"] == "table" and any(f["default"] is not None for f in o.get("fields", [])):
            return "from its fields"
        return "unset"
    if d == "":
        return "from its fields" if o["type"] == "table" else "empty"
    return code(d)


def where(scope):
    scope = scope or (SCOPE_GLOBAL | SCOPE_HOST)
    names = [n for bit, n in ((SCOPE_GLOBAL, "global"), (SCOPE_HOST, "host"),
                              (SCOPE_COMPONENT, "component")) if scope & bit]
    return ", ".join(names)


def help_text(o):
    text = prose(o["help"] or "")
    if o["strata_only"]:
        text += " *(Strata only)*"
    return text


def option_rows(options, prefix="", seen=None, out=None):
    seen = {} if seen is None else seen
    out = [] if out is None else out
    for o in options:
        name = prefix + o["name"]
        row_where = where(o["scope"]) if not prefix else ""
        out.append(f"| {code(name)} | {o['type']} | {cell(default(o))} | {cell(allowed(o))} "
                   f"| {row_where} | {help_text(o)} |")
        if "fields" in o:
            fid = o["fields_id"]
            if fid in seen:
                out.append(f"| {code(name + '.*')} | | | | | the same fields as {code(seen[fid])} |")
            else:
                seen[fid] = name
                option_rows(o["fields"], name + ".", seen, out)
    return out


def sentence(text):
    """A summary as a sentence; names such as vCard4 or vcard-temp keep their case."""
    first = text.split(" ", 1)[0]
    if not any(c.isupper() or c in "-_" for c in first):
        text = text[:1].upper() + text[1:]
    return text + "."


HEADER = ["| option | type | default | allowed | where | meaning |",
          "|---|---|---|---|---|---|"]


def render_options(data):
    lines = []
    by_file = {}
    for g in data["core"]:
        by_file.setdefault(g["file"], []).extend(g["options"])
    lines.append("### Server-wide options (no module)")
    lines.append("")
    for file, opts in by_file.items():
        shown = "config/strata.cfg.lua" if "/" not in file else f"config/stack/{file}.cfg.lua"
        lines.append(f"#### In `{shown}`")
        lines.append("")
        lines += HEADER + option_rows(opts)
        lines.append("")
    layer = None
    seen = {}
    for m in data["modules"]:
        if m["layer"] != layer:
            layer = m["layer"]
            lines.append(f"### Layer {layer}")
            lines.append("")
        file = f"config/stack/{m['layer']}/{m['config_file']}.cfg.lua"
        lines.append(f"#### {m['name']} ({m['tier']}, {m['state']}) — `{file}`")
        lines.append("")
        facts = [prose(m["summary"] or "")]
        if m["specs"] and m["specs"] != "-":
            facts.append(f"Specifications: {m['specs']}.")
        if m["autoload"]:
            facts.append("Loads without being listed.")
        if m["requires"]:
            facts.append("Requires: " + ", ".join(m["requires"]) + ".")
        if m["wants"]:
            facts.append("Works best with: " + ", ".join(m["wants"]) + ".")
        if m["aliases"]:
            facts.append("Also accepted as: " + ", ".join(m["aliases"]) + ".")
        lines.append(" ".join([sentence(facts[0])] + facts[1:]))
        lines.append("")
        if m["options"]:
            lines += HEADER + option_rows(m["options"], seen=seen)
        else:
            lines.append("No options.")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render_modules(data):
    lines = ["| layer | module | tier | specifications | state | tested with |",
             "|---|---|---|---|---|---|"]
    for m in data["modules"]:
        specs = m["specs"] if m["specs"] and m["specs"] != "-" else "—"
        state = m["state"]
        if state == "refused":
            state = "refused (never implemented)"
        tested = m["tested_with"] or "—"
        lines.append(f"| {m['layer']} | {m['name']} | {m['tier']} | {cell(specs)} | {state} "
                     f"| {cell(tested)} |")
    counts = {}
    for m in data["modules"]:
        counts[m["state"]] = counts.get(m["state"], 0) + 1
    summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    lines.append("")
    lines.append(f"{len(data['modules'])} modules: {summary}.")
    return "\n".join(lines) + "\n"


def render_layers(data):
    lines = ["| layer | file | modules configured there | list that enables them |",
             "|---|---|---|---|"]
    core_files = {g["file"] for g in data["core"]}
    for layer in data["layers"]:
        for f in layer["files"]:
            mods = [m for m in data["modules"]
                    if m["layer"] == layer["dir"] and m["config_file"] == f]
            names = ", ".join(m["name"] + (" (refused)" if m["state"] == "refused" else "")
                              for m in mods)
            if f"{layer['dir']}/{f}" in core_files:
                names = (names + "; " if names else "") + "server-wide options"
            lines.append(f"| {layer['dir']} | `{f}.cfg.lua` | {names or '—'} "
                         f"| `{layer['list']}_modules` |")
    return "\n".join(lines) + "\n"


def replace_block(path, tag, body, text):
    begin, end = f"<!-- BEGIN generated: {tag} -->", f"<!-- END generated: {tag} -->"
    a, b = text.find(begin), text.find(end)
    if a < 0 or b < a:
        sys.exit(f"gen-options-doc: {path} has no {begin} ... {end} block")
    return text[:a + len(begin)] + "\n" + body + text[b:]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=str(REPO / "build"))
    ap.add_argument("--modules", action="store_true", help="print the module table")
    ap.add_argument("--layers", action="store_true", help="print the layer file table")
    ap.add_argument("--write", action="store_true", help="update the documents in place")
    ap.add_argument("--check", action="store_true", help="exit 1 when a document is out of date")
    args = ap.parse_args()
    data = dump(Path(args.build).resolve())
    targets = [(REPO / "docs" / "configuration.md", "layers", render_layers(data)),
               (REPO / "docs" / "configuration.md", "options", render_options(data)),
               (REPO / "README.md", "modules", render_modules(data))]
    if not (args.write or args.check):
        sys.stdout.write(targets[2][2] if args.modules else targets[0][2] if args.layers
                         else targets[1][2])
        return 0
    stale = []
    texts = {}
    for path, tag, body in targets:
        old = texts.get(path, path.read_text(encoding="utf-8"))
        texts[path] = replace_block(path, tag, body, old)
    for path, new in texts.items():
        if new != path.read_text(encoding="utf-8"):
            stale.append(str(path.relative_to(REPO)))
            if args.write:
                path.write_text(new, encoding="utf-8")
    if args.check and stale:
        print("out of date: " + ", ".join(stale) + " (run scripts/gen-options-doc.py --write)",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
