-- Extends the leases of a node's consumers of one queue, and tells whether any other lease of the
-- queue is expired or revoked: while none is, the node need not sweep the queue.
-- KEYS[1] leases
-- ARGV[1] lease duration in ms, ARGV[2..n] consumer ids
-- Returns { leases expired or revoked, then the ids whose lease was revoked or is missing: those
-- consumers must stop }.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local expiry = now + tonumber(ARGV[1])
local result = { 0 }
for i = 2, #ARGV do
  local lease = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if lease and tonumber(lease) > 0 then
    redis.call('ZADD', KEYS[1], expiry, ARGV[i])
  else
    result[#result + 1] = ARGV[i]
  end
end
result[1] = redis.call('ZCOUNT', KEYS[1], '-inf', now)
return result
