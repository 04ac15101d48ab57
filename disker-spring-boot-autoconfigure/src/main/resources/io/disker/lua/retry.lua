-- Takes a failed message out of a consumer's processing list and schedules its next attempt.
-- KEYS[1] processing list, KEYS[2] delayed zset, KEYS[3] recoveries hash
-- ARGV[1] the failed message, ARGV[2] the next attempt's message, ARGV[3] back-off in ms,
-- ARGV[4] due channel, ARGV[5] due set id
-- Returns the due time, or -1 if the consumer no longer held the message (it was recovered and
-- another consumer has it; nothing is written).
if redis.call('LREM', KEYS[1], -1, ARGV[1]) == 0 then
  return -1
end
if redis.call('EXISTS', KEYS[3]) == 1 then
  redis.call('HDEL', KEYS[3], redis.sha1hex(ARGV[1]))
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local due = now + math.max(0, tonumber(ARGV[3]))
redis.call('ZADD', KEYS[2], due, ARGV[2])
local first = redis.call('ZRANGE', KEYS[2], 0, 0)
if first[1] == ARGV[2] then
  redis.call('PUBLISH', ARGV[4], ARGV[5] .. ' ' .. due)
end
return due
