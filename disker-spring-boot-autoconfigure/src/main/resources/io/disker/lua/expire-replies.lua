-- Reports messages of a named sender whose reply deadline passed: each moves, once, to the
-- sender's timeout notification queue.
-- KEYS[1] the sender's timeouts zset, KEYS[2] the sender's pending hash, KEYS[3] the
-- notification queue's ready list
-- ARGV[1] most messages to report
-- Returns { messages reported, next deadline or -1 when none is left }.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
local reported = 0
for _, id in ipairs(due) do
  redis.call('ZREM', KEYS[1], id)
  local message = redis.call('HGET', KEYS[2], id)
  if message then
    redis.call('HDEL', KEYS[2], id)
    redis.call('LPUSH', KEYS[3], message)
    reported = reported + 1
  end
end
local next = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #next == 0 then
  return { reported, -1 }
end
return { reported, tonumber(next[2]) }
