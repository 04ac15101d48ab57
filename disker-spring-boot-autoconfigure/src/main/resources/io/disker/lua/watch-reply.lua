-- Records that a message from a named sender expects a reply within a timeout; if none comes,
-- the message is reported to the sender's timeout listeners.
-- KEYS[1] the sender's timeouts zset, KEYS[2] the sender's pending hash
-- ARGV[1] message id, ARGV[2] the message, ARGV[3] timeout in ms, ARGV[4] due channel,
-- ARGV[5] due set id; optional KEYS[3] dedup marker of an explicit message id, ARGV[6] its window in ms
-- Returns the deadline (Redis ms), or 0 if the id was already watched within the window (a
-- duplicate send, which must not re-arm the timeout of a message that may have been answered).
if KEYS[3] and not redis.call('SET', KEYS[3], '1', 'NX', 'PX', tonumber(ARGV[6])) then
  return 0
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local deadline = now + tonumber(ARGV[3])
redis.call('ZADD', KEYS[1], deadline, ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
local first = redis.call('ZRANGE', KEYS[1], 0, 0)
if first[1] == ARGV[1] then
  redis.call('PUBLISH', ARGV[4], ARGV[5] .. ' ' .. deadline)
end
return deadline
