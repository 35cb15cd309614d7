VirtualHost "example.org"

-- Stop when the deployment forgot to say who the admin is.
local admin = os.getenv("STRATA_TEST_ADMIN") or error("STRATA_TEST_ADMIN must name the admin's JID")
admins = { admin }
