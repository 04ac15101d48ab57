-- Enqueues a message whose id was chosen by the sender, unless that id was sent within the
-- deduplication window (so a retried or replayed send is enqueued once).
-- KEYS[1] dedup marker of the id, KEYS[2] ready list (or delayed zset when ARGV[3] >= 0)
-- ARGV[1] the message, ARGV[2] window in ms, ARGV[3] delay in ms or -1,
-- ARGV[4] due channel, ARGV[5] due set id, ARGV[6] an absolute due time (Redis ms) instead of
-- the delay, or -1
-- Returns 1 if enqueued, 0 if it was a duplicate.
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', tonumber(ARGV[2])) then
  return 0
end
local delay = tonumber(ARGV[3])
if delay < 0 then
  redis.call('LPUSH', KEYS[2], ARGV[1])
  return 1
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local due = now + delay
local at = tonumber(ARGV[6] or '-1')
if at >= 0 then
  due = math.max(now, at)
end
redis.call('ZADD', KEYS[2], due, ARGV[1])
local first = redis.call('ZRANGE', KEYS[2], 0, 0)
if first[1] == ARGV[1] then
  redis.call('PUBLISH', ARGV[4], ARGV[5] .. ' ' .. due)
end
return 1
