-- Extends the leases of a node's consumers of one queue, and tells whether any lease of the
-- queue is expired or revoked and when the next one expires: until then, with none expired or
-- revoked, the node need not sweep the queue.
-- KEYS[1] leases
-- ARGV[1] lease duration in ms, ARGV[2..n] consumer ids
-- Returns { leases expired or revoked, the earliest expiry of a live lease (Redis ms, -1 if none),
-- then the ids whose lease was revoked or is missing: those consumers must stop }.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local expiry = now + tonumber(ARGV[1])
local result = { 0, -1 }
for i = 2, #ARGV do
  local lease = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if lease and tonumber(lease) > 0 then
    -- GT: never shortens the idle lease of a consumer that parked meanwhile (park.lua)
    redis.call('ZADD', KEYS[1], 'GT', expiry, ARGV[i])
  else
    result[#result + 1] = ARGV[i]
  end
end
result[1] = redis.call('ZCOUNT', KEYS[1], '-inf', now)
local next = redis.call('ZRANGE', KEYS[1], '(' .. now, '+inf', 'BYSCORE', 'LIMIT', 0, 1, 'WITHSCORES')
if #next > 0 then
  result[2] = tonumber(next[2])
end
return result
