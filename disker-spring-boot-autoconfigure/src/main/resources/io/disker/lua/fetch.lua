-- Moves up to ARGV[1] messages from the head of a queue into a consumer's processing list.
-- KEYS[1] ready list, KEYS[2] processing list, KEYS[3] leases
-- ARGV[1] maximum count, ARGV[2] consumer id
-- Returns { Redis time in ms, message, ... } oldest first, or an error when the consumer's
-- lease was revoked (its messages were handed to others, so it must not take more).
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local lease = redis.call('ZSCORE', KEYS[3], ARGV[2])
if not lease or tonumber(lease) <= 0 then
  return redis.error_reply('DISKER_LEASE_LOST consumer ' .. ARGV[2] .. ' no longer holds a lease')
end
local result = { now }
local messages = redis.call('RPOP', KEYS[1], tonumber(ARGV[1]))
if messages then
  redis.call('LPUSH', KEYS[2], unpack(messages))
  for i = 1, #messages do
    result[i + 1] = messages[i]
  end
end
return result
