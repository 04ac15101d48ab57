-- Empties a dead-letter list.
-- KEYS[1] dead-letter list
-- Returns how many entries were removed.
local count = redis.call('LLEN', KEYS[1])
redis.call('DEL', KEYS[1])
return count
