-- Reads the depth of a queue in each state.
-- KEYS[1] ready list, KEYS[2] delayed zset, KEYS[3] dead-letter list, KEYS[4..] the processing
-- lists of the consumers the leases zset listed
-- Returns { ready, delayed, processing, dead }.
local processing = 0
for i = 4, #KEYS do
  processing = processing + redis.call('LLEN', KEYS[i])
end
return { redis.call('LLEN', KEYS[1]), redis.call('ZCARD', KEYS[2]), processing, redis.call('LLEN', KEYS[3]) }
