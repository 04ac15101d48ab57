-- Reads the depth of a queue in each state.
-- KEYS[1] ready list, KEYS[2] delayed zset, KEYS[3] dead-letter list, KEYS[4] leases
-- ARGV[1] processing list key prefix (same hash tag)
-- Returns { ready, delayed, processing, dead, live consumers }.
local processing, live = 0, 0
local leases = redis.call('ZRANGE', KEYS[4], 0, -1, 'WITHSCORES')
for i = 1, #leases, 2 do
  processing = processing + redis.call('LLEN', ARGV[1] .. leases[i])
  if tonumber(leases[i + 1]) > 0 then
    live = live + 1
  end
end
return { redis.call('LLEN', KEYS[1]), redis.call('ZCARD', KEYS[2]), processing, redis.call('LLEN', KEYS[3]), live }
