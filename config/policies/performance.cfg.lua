-- policies/performance.cfg.lua: limits that trade memory and fairness.
--
-- The defaults suit a server of a few thousand users on a small machine.
-- Each limit protects everyone else from one connection: exceeding one
-- closes that connection with the stream error RFC 6120 names
-- (<policy-violation/>), and the rest of the server keeps serving.

-- Largest stanza a client may send once logged in (RFC 6120 §13.12 asks
-- servers to accept at least 10000 bytes). Default "256K".
c2s_stanza_size_limit = env("C2S_STANZA_SIZE_LIMIT", "256K")

-- Before authentication a client has no business sending large stanzas.
-- Default "10K".
c2s_preauth_stanza_size_limit = "10K"

-- Output a client may leave unread before the server cuts it off, so a
-- client that never reads cannot make the server buffer without end.
-- Default "1M".
c2s_send_backlog = "1M"

-- Deepest element nesting and most attributes per element in a stanza
-- (RFC 6120 §11.1 restricted XML). Defaults 32 and 64.
stanza_depth_limit = 32
stanza_attribute_limit = 64

-- Bandwidth limits per connection (module limits, XEP-0205 best practices)
-- are planned in this version; the option is in stack/01-transport/connections.cfg.lua.
