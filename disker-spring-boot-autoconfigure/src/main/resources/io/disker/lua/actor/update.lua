-- Changes an actor incarnation's load, or destroys it, fenced by its host and token.
-- KEYS[1] the actor's hash; other keys are built from ARGV[1] (same hash tag)
-- ARGV[1] key base, ARGV[2] actor id, ARGV[3] member, ARGV[4] token, ARGV[5] operation:
-- 'load' (ARGV[6] the new load), 'destroy', or 'restart' (a recoverable actor is placed again,
-- a new incarnation with cause RECOVERED; others are destroyed)
-- Returns 1 if applied, 0 if refused (stale incarnation), 2 if restarted.
local B = ARGV[1]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local current = redis.call('HMGET', KEYS[1], 'host', 'token', 'load', 'rec')
if current[1] ~= ARGV[3] or current[2] ~= ARGV[4] then
  return 0
end
local load = tonumber(current[3]) or 0
if ARGV[5] == 'load' then
  local value = tonumber(ARGV[6])
  redis.call('HSET', KEYS[1], 'load', value)
  redis.call('ZADD', B .. 'load', 'XX', 'INCR', value - load, ARGV[3])
  return 1
end
redis.call('ZADD', B .. 'load', 'XX', 'INCR', -load, ARGV[3])
redis.call('SREM', B .. 'hosted:' .. ARGV[3], ARGV[2])
if ARGV[5] == 'restart' and current[4] == '1' then
  redis.call('HSET', KEYS[1], 'host', '')
  redis.call('ZADD', B .. 'pending', redis.call('ZSCORE', B .. 'ids', ARGV[2]) or now, ARGV[2])
  return 2
end
redis.call('DEL', KEYS[1], B .. 'park:' .. ARGV[2])
redis.call('ZREM', B .. 'ids', ARGV[2])
redis.call('HINCRBY', B .. 'seq', 'destroyed', 1)
return 1
