-- Extends the leases of a node's consumers of one queue.
-- KEYS[1] leases
-- ARGV[1] lease duration in ms, ARGV[2..n] consumer ids
-- Returns the ids whose lease was revoked or is missing: those consumers must stop.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local expiry = now + tonumber(ARGV[1])
local lost = {}
for i = 2, #ARGV do
  local lease = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if lease and tonumber(lease) > 0 then
    redis.call('ZADD', KEYS[1], expiry, ARGV[i])
  else
    lost[#lost + 1] = ARGV[i]
  end
end
return lost
