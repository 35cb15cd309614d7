/*
 * The event bus: modules hook named events with a priority, the core fires
 * them, and handlers answer HANDLED (stop here) or PASS (let the next one
 * look). Event names are Prosody's ("message/bare", "iq-get/host/
 * urn:xmpp:ping:ping", "resource-bind"), interned to small integers when a
 * module loads, so firing is an array lookup and a walk of a short list.
 */
#ifndef STRATA_EVENT_H
#define STRATA_EVENT_H

#include <stddef.h>

struct strata_stanza;
struct strata_session;
struct strata_host;
struct strata_module;

enum {
    STRATA_PASS = 0,
    STRATA_HANDLED = 1,
};

struct strata_event {
    int id;
    struct strata_host *host;      /* the host the event is fired on; NULL for global events */
    struct strata_session *origin; /* the session the stanza came from; may be NULL */
    struct strata_stanza *stanza;  /* borrowed for the call; may be NULL */
    void *data;                    /* event-specific, documented with the event */
};

typedef int (*strata_handler_fn)(struct strata_event *ev, void *ud);

/* The id of an event name, interning it on first use (load time). Returns a
 * non-negative id, or STRATA_ELIMIT when the table is full. */
int strata_event_id(const char *name);

/* The id of an already interned name, or -1: never adds (for names built
 * from peer input, such as an iq's payload namespace). */
int strata_event_find(const char *name, size_t len);

/* The name of an id (borrowed, static), or NULL. */
const char *strata_event_name(int id);

/* Hooks and firing on one table (each host has one; the server has one). */
struct strata_hooks;

struct strata_hooks *strata_hooks_new(void);
void strata_hooks_free(struct strata_hooks *h);

/* Adds a handler; higher priorities run first, equal ones in the order
 * added. `owner` lets unloading a module drop all its hooks at once. */
int strata_hooks_add(struct strata_hooks *h, int event, int priority, strata_handler_fn fn,
                     void *ud, const struct strata_module *owner);

/* Removes every hook `owner` added. */
void strata_hooks_remove_owner(struct strata_hooks *h, const struct strata_module *owner);

/* Runs the handlers of ev->id until one answers HANDLED. Returns HANDLED,
 * or PASS when none did (or none exist). Handlers may add or remove hooks
 * while it runs: the walk is over a snapshot. */
int strata_hooks_fire(struct strata_hooks *h, struct strata_event *ev);

/* Whether any handler is hooked on `event`. */
int strata_hooks_has(const struct strata_hooks *h, int event);

#endif
