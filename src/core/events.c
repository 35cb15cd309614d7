/*
 * The event bus; see include/strata/event.h.
 *
 * PERF: names are interned once into an array; each hook table keeps, per
 * event id, a small array sorted by priority. Firing copies that array's
 * pointer range onto the stack (at most MAX_HOOKS entries) so handlers may
 * hook and unhook while the event runs.
 */
#include "strata/event.h"

#include <stdlib.h>
#include <string.h>

#include "strata/errors.h"
#include "util/xalloc.h"

enum { MAX_EVENTS = 4096, MAX_HOOKS = 64 };

static struct {
    char *names[MAX_EVENTS];
    size_t count;
} registry;

int strata_event_find(const char *name, size_t len)
{
    for (size_t i = 0; i < registry.count; i++) {
        if (strncmp(registry.names[i], name, len) == 0 && registry.names[i][len] == '\0') {
            return (int)i;
        }
    }
    return -1;
}

int strata_event_id(const char *name)
{
    int id = strata_event_find(name, strlen(name));
    if (id >= 0) {
        return id;
    }
    if (registry.count == MAX_EVENTS) {
        return STRATA_ELIMIT;
    }
    registry.names[registry.count] = xstrdup(name);
    return (int)registry.count++;
}

const char *strata_event_name(int id)
{
    return id >= 0 && (size_t)id < registry.count ? registry.names[id] : NULL;
}

struct hook {
    int priority;
    strata_handler_fn fn;
    void *ud;
    const struct strata_module *owner;
};

struct hook_list {
    struct hook *items;
    size_t count;
    size_t cap;
};

struct strata_hooks {
    struct hook_list *lists; /* indexed by event id */
    size_t nlists;
};

struct strata_hooks *strata_hooks_new(void)
{
    return xcalloc(1, sizeof(struct strata_hooks));
}

void strata_hooks_free(struct strata_hooks *h)
{
    if (!h) {
        return;
    }
    for (size_t i = 0; i < h->nlists; i++) {
        free(h->lists[i].items);
    }
    free(h->lists);
    free(h);
}

int strata_hooks_add(struct strata_hooks *h, int event, int priority, strata_handler_fn fn,
                     void *ud, const struct strata_module *owner)
{
    if (event < 0 || (size_t)event >= registry.count) {
        return STRATA_EINVAL;
    }
    if ((size_t)event >= h->nlists) {
        h->lists = xrealloc(h->lists, registry.count * sizeof *h->lists);
        memset(h->lists + h->nlists, 0, (registry.count - h->nlists) * sizeof *h->lists);
        h->nlists = registry.count;
    }
    struct hook_list *l = &h->lists[event];
    if (l->count == MAX_HOOKS) {
        return STRATA_ELIMIT;
    }
    l->items = xgrow(l->items, &l->cap, l->count + 1, sizeof *l->items);
    size_t at = l->count;
    while (at > 0 && l->items[at - 1].priority < priority) {
        at--; /* after every hook of equal or higher priority */
    }
    memmove(&l->items[at + 1], &l->items[at], (l->count - at) * sizeof *l->items);
    l->items[at] = (struct hook){priority, fn, ud, owner};
    l->count++;
    return 0;
}

void strata_hooks_remove_owner(struct strata_hooks *h, const struct strata_module *owner)
{
    for (size_t e = 0; e < h->nlists; e++) {
        struct hook_list *l = &h->lists[e];
        size_t kept = 0;
        for (size_t i = 0; i < l->count; i++) {
            if (l->items[i].owner != owner) {
                l->items[kept++] = l->items[i];
            }
        }
        l->count = kept;
    }
}

int strata_hooks_fire(struct strata_hooks *h, struct strata_event *ev)
{
    if (ev->id < 0 || (size_t)ev->id >= h->nlists || h->lists[ev->id].count == 0) {
        return STRATA_PASS;
    }
    struct hook snapshot[MAX_HOOKS];
    size_t n = h->lists[ev->id].count;
    memcpy(snapshot, h->lists[ev->id].items, n * sizeof *snapshot);
    for (size_t i = 0; i < n; i++) {
        if (snapshot[i].fn(ev, snapshot[i].ud) == STRATA_HANDLED) {
            return STRATA_HANDLED;
        }
    }
    return STRATA_PASS;
}

int strata_hooks_has(const struct strata_hooks *h, int event)
{
    return event >= 0 && (size_t)event < h->nlists && h->lists[event].count > 0;
}
