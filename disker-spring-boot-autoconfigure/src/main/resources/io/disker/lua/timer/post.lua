-- Schedules timer events, each replacing any event with the same id (also one awaiting
-- confirmation: its retries start over, and a copy of it not received yet is dropped). One
-- call takes any number of events, so postAll costs one round trip and one script run per
-- batch instead of per event.
-- KEYS[1] due zset, KEYS[2] events hash, KEYS[3] awaiting hash
-- ARGV[1] due channel, ARGV[2] due set id, then per event three arguments: the event id,
-- the stored entry ('<maxRetries>,<numRetries>,<event JSON>') and the delay in ms (negative = now)
-- Returns the due time of the last event (Redis ms).
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local before = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
-- (+inf: fired events not received yet, no due time)
local earliest = (before[2] and before[2] ~= 'inf') and tonumber(before[2]) or nil
local announce = nil
local due = now
for i = 3, #ARGV, 3 do
  local id = ARGV[i]
  due = now + math.max(0, tonumber(ARGV[i + 2]))
  redis.call('HSET', KEYS[2], id, ARGV[i + 1])
  redis.call('ZADD', KEYS[1], due, id)
  redis.call('HDEL', KEYS[3], id)
  if (earliest == nil or due < earliest) and (announce == nil or due < announce) then
    announce = due
  end
end
-- listeners wake up only when the earliest due time moved forward
if announce ~= nil then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  if first[2] and tonumber(first[2]) == announce then
    redis.call('PUBLISH', ARGV[1], ARGV[2] .. ' ' .. announce)
  end
end
return due
