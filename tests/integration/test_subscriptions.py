"""Presence subscriptions (RFC 6121 §3), both ends local: every row of the
tables of Appendix A that a client can trigger, with both parties online;
then the same flows with one party offline, across a restart, pre-approval
(§3.4), requests kept and delivered at every login until answered (§3.1.3),
cancelling, denying, no duplicate requests, and removing a roster item
cancelling both directions (§2.5.2).

The user ("a") sends each of the four subscription stanzas in each of the
nine states of Appendix A.1; the contact ("b") is then in the mirror state,
so the user's server walks A.2 (outbound) and the contact's A.3 (inbound):
9 x 4 cases cover the 36 rows of each appendix. The expected outcome is
computed from the tables below, copied from the RFC, not from the server.
"""
import xml.etree.ElementTree as ET

import pytest

from im import (IMClient, condition, im, im_server, jid, server, users, _pool)  # noqa: F401

POOL = 120  # each case takes fresh accounts

STATES = ["None", "None + Pending Out", "None + Pending In", "None + Pending Out/In", "To",
          "To + Pending In", "From", "From + Pending Out", "Both"]

# Appendix A.2: EXISTING -> (ROUTE?, NEW STATE or None for "no state change").
OUTBOUND = {
    "subscribe": {  # A.2.1
        "None": (True, "None + Pending Out"), "None + Pending Out": (True, None),
        "None + Pending In": (True, "None + Pending Out/In"), "None + Pending Out/In": (True, None),
        "To": (True, None), "To + Pending In": (True, None),
        "From": (True, "From + Pending Out"), "From + Pending Out": (True, None),
        "Both": (True, None)},
    "unsubscribe": {  # A.2.2
        "None": (True, None), "None + Pending Out": (True, "None"),
        "None + Pending In": (True, None), "None + Pending Out/In": (True, "None + Pending In"),
        "To": (True, "None"), "To + Pending In": (True, "None + Pending In"),
        "From": (True, None), "From + Pending Out": (True, "From"), "Both": (True, "From")},
    "subscribed": {  # A.2.3
        "None": (False, None), "None + Pending Out": (False, None),
        "None + Pending In": (True, "From"), "None + Pending Out/In": (True, "From + Pending Out"),
        "To": (False, None), "To + Pending In": (True, "Both"),
        "From": (False, None), "From + Pending Out": (False, None), "Both": (False, None)},
    "unsubscribed": {  # A.2.4
        "None": (False, None), "None + Pending Out": (False, None),
        "None + Pending In": (True, "None"), "None + Pending Out/In": (True, "None + Pending Out"),
        "To": (False, None), "To + Pending In": (True, "To"),
        "From": (True, "None"), "From + Pending Out": (True, "None + Pending Out"),
        "Both": (True, "To")},
}

# Appendix A.3: EXISTING -> (DELIVER?, NEW STATE or None).
INBOUND = {
    "subscribe": {  # A.3.1 ("From", "From + Pending Out", "Both": auto-reply "subscribed")
        "None": (True, "None + Pending In"), "None + Pending Out": (True, "None + Pending Out/In"),
        "None + Pending In": (False, None), "None + Pending Out/In": (False, None),
        "To": (True, "To + Pending In"), "To + Pending In": (False, None),
        "From": (False, None), "From + Pending Out": (False, None), "Both": (False, None)},
    "subscribed": {  # A.3.2
        "None": (False, None), "None + Pending Out": (True, "To"),
        "None + Pending In": (False, None), "None + Pending Out/In": (True, "To + Pending In"),
        "To": (False, None), "To + Pending In": (False, None), "From": (False, None),
        "From + Pending Out": (True, "Both"), "Both": (False, None)},
    "unsubscribe": {  # A.3.3
        "None": (False, None), "None + Pending Out": (False, None),
        "None + Pending In": (True, "None"), "None + Pending Out/In": (True, "None + Pending Out"),
        "To": (False, None), "To + Pending In": (True, "To"), "From": (True, "None"),
        "From + Pending Out": (True, "None + Pending Out"), "Both": (True, "To")},
    "unsubscribed": {  # A.3.4
        "None": (False, None), "None + Pending Out": (True, "None"),
        "None + Pending In": (False, None), "None + Pending Out/In": (True, "None + Pending In"),
        "To": (True, "None"), "To + Pending In": (True, "None + Pending In"),
        "From": (False, None), "From + Pending Out": (True, "From"), "Both": (True, "From")},
}

MIRROR = {"None": "None", "None + Pending Out": "None + Pending In",
          "None + Pending In": "None + Pending Out",
          "None + Pending Out/In": "None + Pending Out/In", "To": "From",
          "To + Pending In": "From + Pending Out", "From": "To",
          "From + Pending Out": "To + Pending In", "Both": "Both"}


def visible(state, approved=False):
    """(subscription, ask, approved) as a roster item shows a state."""
    sub = ("both" if state == "Both" else "to" if state.startswith("To")
           else "from" if state.startswith("From") else "none")
    ask = "subscribe" if "Pending Out" in state else None
    return (sub, ask, "true" if approved else None)


def has_from(state):
    return state.startswith("From") or state == "Both"


def pending_in(state):
    return "Pending In" in state or "Out/In" in state


def seen(client, other):
    """(subscription, ask, approved) of `other` in client's roster."""
    item = client.roster().get(other.bare)
    return item[:3] if item else None


def subscription(sender, to, ptype, delivered_to=None):
    """sender sends `ptype` to `to`'s bare JID; when delivered_to is given,
    waits until it arrives there."""
    sender.send("<presence to='%s' type='%s'/>" % (to.bare, ptype))
    if delivered_to is not None:
        delivered_to.wait_presence(sender.bare, ptype)


def reach(a, b, state):
    """Brings a (and b, mirrored) to `state`, both online and available."""
    steps = {
        "None": [],
        "None + Pending Out": [(a, b, "subscribe")],
        "None + Pending In": [(b, a, "subscribe")],
        "None + Pending Out/In": [(a, b, "subscribe"), (b, a, "subscribe")],
        "To": [(a, b, "subscribe"), (b, a, "subscribed")],
        "To + Pending In": [(a, b, "subscribe"), (b, a, "subscribed"), (b, a, "subscribe")],
        "From": [(b, a, "subscribe"), (a, b, "subscribed")],
        "From + Pending Out": [(b, a, "subscribe"), (a, b, "subscribed"), (a, b, "subscribe")],
        "Both": [(a, b, "subscribe"), (b, a, "subscribed"), (b, a, "subscribe"),
                 (a, b, "subscribed")],
    }[state]
    for sender, to, ptype in steps:
        subscription(sender, to, ptype, delivered_to=to)
    assert seen(a, b) == visible(state), state
    assert seen(b, a) == visible(MIRROR[state]), state
    a.drain_presences(0)
    b.drain_presences(0)


def request_kept(server, user, contact_bare, users_resource):
    """Whether a new session of `user` gets `contact_bare`'s subscription
    request at its initial presence (§3.1.3: kept until answered)."""
    probe = IMClient(server, user, resource=users_resource)
    try:
        probe.presence()
        got = [p for p in probe.drain_presences(0.05)
               if p.get("type") == "subscribe" and p.get("from") == contact_bare]
        assert len(got) <= 1, got  # never twice
        return bool(got)
    finally:
        probe.close()


@pytest.mark.parametrize("ptype", ["subscribe", "unsubscribe", "subscribed", "unsubscribed"])
@pytest.mark.parametrize("state", STATES)
def test_appendix_a_both_online(server, im, users, state, ptype):
    na, nb = users(2)
    a = im(na, resource="a")
    b = im(nb, resource="b")
    a.roster_set(b.bare)  # both in each other's roster, so that "None" shows
    b.roster_set(a.bare)
    for c in (a, b):
        c.presence()
    a.drain_presences(0)
    b.drain_presences(0)
    reach(a, b, state)

    route, a_next = OUTBOUND[ptype][state]
    a_next = a_next or state
    b_state = MIRROR[state]
    if route:
        deliver, b_next = INBOUND[ptype][b_state]
        b_next = b_next or b_state
    else:
        deliver, b_next = False, b_state
    auto_subscribed = route and ptype == "subscribe" and has_from(b_state)
    a_gets_subscribed = False
    if auto_subscribed:
        # A.3.1 *: b's server answers "subscribed", which a's server takes (A.3.2)
        a_gets_subscribed, after = INBOUND["subscribed"][a_next]
        a_next = after or a_next
    pre_approved = ptype == "subscribed" and not route and not has_from(state)

    a.presence(ptype, to=b.bare)
    # everyone is online, so the server handles it all before it answers a
    # ping; each client's own ping then comes after what it was sent
    a_got = a.drain_presences(0.05)
    b_got = b.drain_presences(0)

    def types(got, frm):
        return [p.get("type", "available") for p in got if p.get("from", "").split("/")[0] == frm]

    # the contact gets the stanza exactly when the tables say it is delivered
    assert types(b_got, a.bare).count(ptype) == (1 if deliver else 0), \
        [ET.tostring(p) for p in b_got]
    assert types(a_got, b.bare).count("subscribed") == (1 if a_gets_subscribed else 0), \
        [ET.tostring(p) for p in a_got]
    # the states on both sides (the user's roster shows a pre-approval)
    assert seen(a, b) == visible(a_next, approved=pre_approved), (state, ptype)
    assert seen(b, a) == visible(b_next), (state, ptype)
    # presence follows "from" (§3.1.5, §3.2.2, §3.3.3)
    if has_from(a_next) != has_from(state):
        assert types(b_got, a.bare).count("available" if has_from(a_next) else "unavailable") == 1
    if has_from(b_next) != has_from(b_state):
        assert types(a_got, b.bare).count("available" if has_from(b_next) else "unavailable") == 1
    # pending requests are kept for the next login, and only those
    assert request_kept(a.server, a.user, b.bare, "later") == pending_in(a_next)
    assert request_kept(b.server, b.user, a.bare, "later") == pending_in(b_next)


# ---- flows ------------------------------------------------------------------------

def online(im, user, resource="r"):
    c = im(user, resource=resource)
    c.roster_get()
    c.presence()
    return c


def test_request_to_offline_contact_kept_until_answered(server, im, users):
    """§3.1.3: a request to an offline contact is delivered at login, again
    at every login until answered, and never after."""
    na, nb = users(2)
    a = online(im, na)
    a.presence("subscribe", to=jid(nb))
    assert a.wait_push(jid(nb))[0][:2] == ("none", "subscribe")
    for login in range(2):
        b = im(nb, resource="b%d" % login)
        b.presence(status="here")
        b.wait_presence(a.bare, "subscribe")
        assert b.roster() == {}  # a pending request is not a roster item
        b.close()
    b = online(im, nb, resource="answers")
    b.wait_presence(a.bare, "subscribe")
    b.presence("subscribed", to=a.bare)
    assert b.wait_push(a.bare)[0][:2] == ("from", None)  # §3.1.5: now in b's roster
    a.wait_presence(b.bare, "subscribed")
    assert a.wait_push(b.bare)[0][:2] == ("to", None)
    a.wait_presence(b.bare)  # b's presence follows the approval
    assert not request_kept(server, nb, a.bare, "after")


def test_approval_while_requester_offline(server, im, users):
    na, nb = users(2)
    a = online(im, na)
    b = online(im, nb)
    a.presence("subscribe", to=b.bare)
    b.wait_presence(a.bare, "subscribe")
    a.close()
    b.presence("subscribed", to=a.bare)
    b.presence(status="online for a")
    a = im(na, resource="back")
    assert a.roster()[b.bare][:2] == ("to", None)
    a.presence()
    p = a.wait_presence(b.jid)  # the probe at login is answered
    assert p.findtext("{jabber:client}status") == "online for a"


def test_denied_request(server, im, users):
    na, nb = users(2)
    a = online(im, na)
    b = online(im, nb)
    a.presence("subscribe", to=b.bare)
    b.wait_presence(a.bare, "subscribe")
    b.presence("unsubscribed", to=a.bare)
    a.wait_presence(b.bare, "unsubscribed")
    assert a.roster()[b.bare][:2] == ("none", None)
    assert b.roster() == {}
    assert not request_kept(server, nb, a.bare, "after")


def test_cancelled_request(server, im, users):
    """The requester withdraws (unsubscribe): the contact is told and the
    request is no longer delivered."""
    na, nb = users(2)
    a = online(im, na)
    a.presence("subscribe", to=jid(nb))
    a.presence("unsubscribe", to=jid(nb))
    assert a.roster()[jid(nb)][:2] == ("none", None)
    assert not request_kept(server, nb, a.bare, "after")


def test_no_duplicate_requests(server, im, users):
    na, nb = users(2)
    a = online(im, na)
    b = online(im, nb)
    for _ in range(3):
        a.presence("subscribe", to=b.bare)
    got = [p for p in b.drain_presences(0.3) if p.get("type") == "subscribe"]
    assert len(got) == 1, got
    assert request_kept(server, nb, a.bare, "later")  # once, at the next login


def test_subscription_to_full_jid_is_to_the_account(server, im, users):
    na, nb = users(2)
    a = online(im, na)
    b = online(im, nb)
    a.presence("subscribe", to=b.jid)
    p = b.wait_presence(a.bare, "subscribe")
    assert p.get("to") == b.bare and p.get("from") == a.bare  # §3.1.2: bare JIDs
    assert a.roster()[b.bare][:2] == ("none", "subscribe")


def test_request_carries_status_and_nick(server, im, users):
    na, nb = users(2)
    a = online(im, na)
    a.send("<presence to='%s' type='subscribe'><status>It is me</status>"
           "<nick xmlns='http://jabber.org/protocol/nick'>A</nick></presence>" % jid(nb))
    b = im(nb)
    b.presence()
    p = b.wait_presence(a.bare, "subscribe")
    assert p.findtext("{jabber:client}status") == "It is me"
    assert p.findtext("{http://jabber.org/protocol/nick}nick") == "A"


def test_subscribe_to_unknown_account(server, im, users):
    """§8.5.1: the server answers "unsubscribed" for an account it does not
    have, and the request is no longer pending."""
    (na,) = users(1)
    a = online(im, na)
    a.presence("subscribe", to="nobody@localhost")
    a.wait_presence("nobody@localhost", "unsubscribed")
    assert a.roster()["nobody@localhost"][:2] == ("none", None)


def test_self_subscription_is_ignored(server, im, users):
    (na,) = users(1)
    a = online(im, na)
    a.presence("subscribe", to=a.bare)
    assert a.roster() == {}
    assert not [p for p in a.drain_presences() if p.get("type") == "subscribe"]


def test_pre_approval(server, im, users):
    """§3.4: the contact approves in advance; the request is then answered
    by the server at once, and never shown to the contact."""
    na, nb, nc = users(3)
    b = online(im, nb)
    b.presence("subscribed", to=jid(na))
    assert b.wait_push(jid(na))[0][:3] == ("none", None, "true")
    a = online(im, na)
    a.presence("subscribe", to=b.bare)
    a.wait_presence(b.bare, "subscribed")
    a.wait_presence(b.jid)  # and b's presence
    assert a.roster()[b.bare][:3] == ("to", None, None)
    assert b.wait_push(a.bare)[0][:3] == ("from", None, None)
    assert not [p for p in b.drain_presences() if p.get("type") == "subscribe"]
    # withdrawn with "unsubscribed": the next request is an ordinary one
    c = online(im, nc)
    b.presence("subscribed", to=c.bare)
    assert b.wait_push(c.bare)[0][2] == "true"
    b.presence("unsubscribed", to=c.bare)
    assert b.wait_push(c.bare)[0][:3] == ("none", None, None)
    c.presence("subscribe", to=b.bare)
    b.wait_presence(c.bare, "subscribe")
    assert c.roster()[b.bare][:2] == ("none", "subscribe")


def test_pre_approval_while_offline(server, im, users):
    na, nb = users(2)
    b = online(im, nb)
    b.presence("subscribed", to=jid(na))
    b.close()
    a = online(im, na)
    a.presence("subscribe", to=jid(nb))
    a.wait_presence(jid(nb), "subscribed")
    assert a.roster()[jid(nb)][:2] == ("to", None)
    b = im(nb)
    assert b.roster()[a.bare][:3] == ("from", None, None)


def test_removal_cancels_both_directions(server, im, users):
    """§2.5.2: removing a contact sends "unsubscribe" and "unsubscribed",
    and the contact stops seeing the user's presence."""
    na, nb = users(2)
    a = online(im, na)
    b = online(im, nb)
    for sender, to, t in ((a, b, "subscribe"), (b, a, "subscribed"), (b, a, "subscribe"),
                          (a, b, "subscribed")):
        subscription(sender, to, t, delivered_to=to)
    b.wait_presence(a.jid)
    a.drain_presences(0)
    b.drain_presences(0)
    a.drain_pushes(0)
    a.roster_set(b.bare, remove=True)
    assert a.wait_push(b.bare)[0][0] == "remove"
    b.wait_presence(a.bare, "unsubscribe")
    b.wait_presence(a.bare, "unsubscribed")
    b.wait_presence(a.jid, "unavailable")
    a.wait_presence(b.jid, "unavailable")  # b lost "from": a no longer sees b
    assert b.roster()[a.bare][:2] == ("none", None)
    assert a.roster() == {}
    # nothing flows any more
    a.presence(status="after")
    b.presence(status="after")
    assert not [p for p in b.drain_presences() if p.get("from", "").startswith(a.bare)]
    assert not [p for p in a.drain_presences() if p.get("from", "").startswith(b.bare)]


def test_removal_declines_pending_request(server, im, users):
    na, nb = users(2)
    a = online(im, na)
    b = online(im, nb)
    b.roster_set(a.bare, name="A")
    a.presence("subscribe", to=b.bare)
    b.wait_presence(a.bare, "subscribe")
    b.roster_set(a.bare, remove=True)
    a.wait_presence(b.bare, "unsubscribed")
    assert a.roster()[b.bare][:2] == ("none", None)
    assert not request_kept(server, nb, a.bare, "after")


def test_both_unsubscribe_and_cancel(server, im, users):
    na, nb = users(2)
    a = online(im, na)
    b = online(im, nb)
    reach(a, b, "Both")
    # a stops watching b: b's presence no longer reaches a
    a.presence("unsubscribe", to=b.bare)
    a.wait_presence(b.jid, "unavailable")
    assert seen(a, b)[0] == "from" and seen(b, a)[0] == "to"
    # a cancels b's subscription: a's presence no longer reaches b
    a.presence("unsubscribed", to=b.bare)
    b.wait_presence(a.jid, "unavailable")
    assert seen(a, b)[0] == "none" and seen(b, a)[0] == "none"


# ---- across a restart --------------------------------------------------------------

@pytest.fixture
def own_server(request, tmp_path_factory):
    srv = im_server(request, tmp_path_factory, accounts=8)
    yield srv
    srv.check_stopped_cleanly()


def restart(srv):
    assert srv.stop() == 0
    srv.start()


def test_subscription_flow_across_restarts(own_server):
    srv = own_server
    a = IMClient(srv, "u00", resource="a")
    a.roster_get()
    a.presence()
    a.presence("subscribe", to=jid("u01"))       # u01 is offline
    a.presence("subscribed", to=jid("u02"))      # a pre-approval
    a.presence("subscribe", to=jid("u03"))
    a.close()
    restart(srv)
    # the stored request survives and is delivered at login
    b = IMClient(srv, "u01")
    b.presence()
    b.wait_presence(jid("u00"), "subscribe")
    b.close()
    restart(srv)
    # ... and again, since it was not answered; now it is
    b = IMClient(srv, "u01")
    b.presence()
    b.wait_presence(jid("u00"), "subscribe")
    b.presence("subscribed", to=jid("u00"))
    b.close()
    c = IMClient(srv, "u02")                     # the pre-approval survived
    c.presence()
    c.presence("subscribe", to=jid("u00"))
    c.wait_presence(jid("u00"), "subscribed")
    c.close()
    d = IMClient(srv, "u03")                     # deny
    d.presence()
    d.wait_presence(jid("u00"), "subscribe")
    d.presence("unsubscribed", to=jid("u00"))
    d.close()
    restart(srv)
    a = IMClient(srv, "u00")
    r = a.roster()
    assert r[jid("u01")][:2] == ("to", None)
    assert r[jid("u02")][:3] == ("from", None, None)
    assert r[jid("u03")][:2] == ("none", None)
    b = IMClient(srv, "u01")
    assert b.roster()[jid("u00")][:2] == ("from", None)
    # and presence flows over the restored subscription
    b.presence(status="restored")
    a.presence()
    assert a.wait_presence(b.jid).findtext("{jabber:client}status") == "restored"
    assert not request_kept(srv, "u01", jid("u00"), "last")
    a.close()
    b.close()
