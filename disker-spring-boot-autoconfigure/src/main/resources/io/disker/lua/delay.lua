-- Schedules a message for later delivery.
-- KEYS[1] delayed zset
-- ARGV[1] the message, ARGV[2] delay in ms, ARGV[3] due channel, ARGV[4] due set id,
-- ARGV[5] an absolute due time (Redis ms) instead of the delay, or -1
-- Returns the due time (Redis ms).
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local due = now + math.max(0, tonumber(ARGV[2]))
local at = tonumber(ARGV[5] or '-1')
if at >= 0 then
  due = math.max(now, at)
end
redis.call('ZADD', KEYS[1], due, ARGV[1])
local first = redis.call('ZRANGE', KEYS[1], 0, 0)
if first[1] == ARGV[1] then
  redis.call('PUBLISH', ARGV[3], ARGV[4] .. ' ' .. due)
end
return due
