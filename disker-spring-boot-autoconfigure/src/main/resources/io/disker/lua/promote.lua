-- Moves messages whose delivery time has come from the delayed zset to the tail of the queue,
-- earliest first.
-- KEYS[1] delayed zset, KEYS[2] ready list
-- ARGV[1] most messages to move
-- Returns { messages moved, next due time or -1 when none is left }.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #first == 0 then
  return { 0, -1 }
end
if tonumber(first[2]) > now then
  -- the usual case of a poll: nothing due yet
  return { 0, tonumber(first[2]) }
end
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
if #due > 0 then
  redis.call('ZREM', KEYS[1], unpack(due))
  redis.call('LPUSH', KEYS[2], unpack(due))
end
local next = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #next == 0 then
  return { #due, -1 }
end
return { #due, tonumber(next[2]) }
