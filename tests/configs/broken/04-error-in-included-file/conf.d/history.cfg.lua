-- How many messages a room replays, from the environment: tonumber() gives
-- nil when the variable is unset, and nil + 10 is an error.
max_history_messages = tonumber(os.getenv("STRATA_TEST_HISTORY")) + 10
