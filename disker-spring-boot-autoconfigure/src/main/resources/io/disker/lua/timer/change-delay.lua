-- Moves the due time of a scheduled timer event (for an event awaiting confirmation: of its
-- next retry, also when its copy has not been received yet) to now + delay. An unknown id
-- changes nothing.
-- KEYS[1] due zset
-- ARGV[1] event id, ARGV[2] delay in ms (negative = now), ARGV[3] due channel, ARGV[4] due set id
-- Returns the new due time (Redis ms), or -1 if the event is not scheduled.
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  return -1
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local due = now + math.max(0, tonumber(ARGV[2]))
redis.call('ZADD', KEYS[1], 'XX', due, ARGV[1])
local first = redis.call('ZRANGE', KEYS[1], 0, 0)
if first[1] == ARGV[1] then
  redis.call('PUBLISH', ARGV[3], ARGV[4] .. ' ' .. due)
end
return due
