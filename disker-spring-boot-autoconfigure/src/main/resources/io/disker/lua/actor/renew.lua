-- Extends an instance's lease, unless it lapsed: a lapsed lease is never revived, since others
-- may already be starting the instance's actors (the instance must rejoin under a new id).
-- KEYS[1] nodes zset
-- ARGV[1] instance id, ARGV[2] lease in ms
-- Returns 1 if extended, 0 if the lease is lost.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local expiry = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1]))
if not expiry or expiry < now then
  return 0
end
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
return 1
