local function minutes(n) return n * 60 end

-- Meant: minutes(2)
c2s_timeout = minutes

VirtualHost "example.org"
