-- Gives a consumer its lease.
-- KEYS[1] leases
-- ARGV[1] consumer id, ARGV[2] lease duration in ms
-- Returns the lease expiry (Redis time in ms).
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local expiry = now + tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], expiry, ARGV[1])
return expiry
