-- Schedules a timer event, replacing any event with the same id (also one awaiting
-- confirmation: its retries start over).
-- KEYS[1] due zset, KEYS[2] events hash, KEYS[3] unconfirmed set
-- ARGV[1] event id, ARGV[2] stored entry ('<maxRetries>,<numRetries>,<event JSON>'),
-- ARGV[3] delay in ms (negative = now), ARGV[4] due channel, ARGV[5] due set id
-- Returns the due time (Redis ms).
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local due = now + math.max(0, tonumber(ARGV[3]))
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[1], due, ARGV[1])
redis.call('SREM', KEYS[3], ARGV[1])
local first = redis.call('ZRANGE', KEYS[1], 0, 0)
if first[1] == ARGV[1] then
  redis.call('PUBLISH', ARGV[4], ARGV[5] .. ' ' .. due)
end
return due
