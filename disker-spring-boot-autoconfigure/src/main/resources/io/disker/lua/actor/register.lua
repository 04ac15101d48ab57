-- Registers an instance as a live member of an actor cluster: its lease and a load entry.
-- KEYS[1] nodes zset (member -> lease expiry, Redis ms), KEYS[2] load zset
-- ARGV[1] instance id, ARGV[2] lease in ms
-- Returns the lease expiry.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local expiry = now + tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], expiry, ARGV[1])
redis.call('ZADD', KEYS[2], 'NX', 0, ARGV[1])
return expiry
