-- Counts the events of a timer namespace: O(1).
-- KEYS[1] due zset, KEYS[2] events hash, KEYS[3] awaiting hash
-- Returns { events waiting for their first delivery, events awaiting confirmation }.
local unconfirmed = redis.call('HLEN', KEYS[3])
return { math.max(0, redis.call('ZCARD', KEYS[1]) - unconfirmed), unconfirmed }
