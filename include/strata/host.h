/*
 * What a module sees of the server: its host, the events it hooks, the
 * disco features it announces, its options, and how to send stanzas.
 *
 * A module's `load` runs once per VirtualHost (host modules) with that
 * host; everything it registers is recorded with the module as owner, so
 * unloading needs no code in the module.
 */
#ifndef STRATA_HOST_H
#define STRATA_HOST_H

#include <stdint.h>

#include "strata/config.h"
#include "strata/event.h"
#include "strata/stanza.h"

struct strata_host;
struct strata_module;
struct strata_session;

/* The host's domain ("example.org"). Borrowed. */
const char *strata_host_name(const struct strata_host *h);

/* Hooks `event` on this host for `owner`. Returns 0 or a STRATA_E*. */
int strata_host_hook(struct strata_host *h, const struct strata_module *owner, const char *event,
                     int priority, strata_handler_fn fn, void *ud);

/* Announces a disco#info feature of the host (XEP-0030), e.g.
 * "urn:xmpp:ping". `var` is borrowed and must outlive the host (a literal). */
void strata_host_add_feature(struct strata_host *h, const char *var);

/* The effective value of option `name` for this host: its own setting,
 * else the global one, else the declared default (into `scratch`, which
 * the caller clears with cfg_value_clear). NULL when unset. */
const struct cfg_value *strata_host_option(const struct strata_host *h, const char *name,
                                           struct cfg_value *scratch);

/* Seconds since the server started (XEP-0012 for the server). */
uint64_t strata_host_uptime(const struct strata_host *h);

/* Routes a stanza made by the server (to and from set; from is usually the
 * host). Takes the reference. */
void strata_host_route(struct strata_host *h, struct strata_stanza *st);

/* Sends `reply` to the session an event's stanza came from (or routes it
 * when the event has no origin session). Takes the reference. */
void strata_event_reply(struct strata_event *ev, struct strata_stanza *reply);

/* Answers ev->stanza with a stanza error (names from RFC 6120 §8.3.3:
 * "service-unavailable", "bad-request"...). Errors are not answered. */
void strata_event_error(struct strata_event *ev, const char *condition, const char *text);

/* Answers ev->stanza, an iq get or set, with a result holding a copy of
 * `payload` (borrowed; NULL for an empty result). */
void strata_iq_answer(struct strata_event *ev, const struct strata_stanza *payload);

/* An iq result to `iq` (to/from swapped, same id), new, one reference. */
struct strata_stanza *strata_iq_result(const struct strata_stanza *iq);

#endif
