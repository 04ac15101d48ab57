-- Delivers an actor's reply to the caller's inbox in the actor's cluster, fenced: the replying
-- member must still hold its lease and (when ARGV[3] is not empty) still host that incarnation
-- of the actor (same fencing token). A stale incarnation's reply is refused.
-- KEYS[1] nodes zset; other keys are built from ARGV[1] (same hash tag)
-- ARGV[1] key base, ARGV[2] replying member, ARGV[3] actor id ('' = none), ARGV[4] token,
-- ARGV[5] caller instance, ARGV[6] the reply, ARGV[7] inbox expiry in ms for callers that are
-- not live members (their reply-only inboxes)
-- Returns 1 if delivered, 0 if refused.
local B = ARGV[1]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local expiry = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[2]))
if not expiry or expiry < now then
  return 0
end
if ARGV[3] ~= '' then
  local current = redis.call('HMGET', B .. 'actor:' .. ARGV[3], 'host', 'token')
  if current[1] ~= ARGV[2] or current[2] ~= ARGV[4] then
    return 0
  end
end
local inbox = B .. 'in:' .. ARGV[5]
redis.call('LPUSH', inbox, ARGV[6])
local callerExpiry = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[5]))
if not callerExpiry or callerExpiry < now then
  redis.call('PEXPIRE', inbox, tonumber(ARGV[7]))
end
return 1
