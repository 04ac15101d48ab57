-- Moves up to ARGV[1] messages from the head of a queue into a consumer's processing list.
-- KEYS[1] ready list, KEYS[2] processing list, KEYS[3] leases, KEYS[4] recoveries hash
-- ARGV[1] maximum count, ARGV[2] consumer id, ARGV[3] (optional) lease duration in ms: a
-- consumer that parked its lease while idle (see park.lua) takes the normal lease back here,
-- in the same call that takes its first messages
-- Returns { Redis time in ms, status, message, ... } oldest first, or an error when the
-- consumer's lease was revoked (its messages were handed to others, so it must not take more).
-- Suspects (messages recovered from dead consumers, listed in the recoveries hash) are taken
-- alone: only into an empty processing list and with nothing else, so that a consumer that
-- dies holding one pins the blame on it. Status 0: normal; 1: the result is one suspect,
-- alone; 2: a suspect waits at the head and this consumer holds other messages; take nothing
-- more until idle.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local lease = redis.call('ZSCORE', KEYS[3], ARGV[2])
if not lease or tonumber(lease) <= 0 then
  return redis.error_reply('DISKER_LEASE_LOST consumer ' .. ARGV[2] .. ' no longer holds a lease')
end
if ARGV[3] then
  redis.call('ZADD', KEYS[3], now + tonumber(ARGV[3]), ARGV[2])
end
local result = { now, 0 }
local max = tonumber(ARGV[1])
local suspects = redis.call('EXISTS', KEYS[4]) == 1
if not suspects then
  if max > 0 then
    local messages = redis.call('RPOP', KEYS[1], max)
    if messages then
      redis.call('LPUSH', KEYS[2], unpack(messages))
      for i = 1, #messages do
        result[i + 2] = messages[i]
      end
    end
  end
  return result
end
if max <= 0 then
  return result
end
local messages = redis.call('RPOP', KEYS[1], max)
if messages then
  local held = redis.call('LLEN', KEYS[2])
  for i = 1, #messages do
    if redis.call('HEXISTS', KEYS[4], redis.sha1hex(messages[i])) == 1 then
      local from = i
      if i == 1 and held == 0 then
        redis.call('LPUSH', KEYS[2], messages[1])
        result[3] = messages[1]
        result[2] = 1
        from = 2
      else
        result[2] = 2
      end
      for j = #messages, from, -1 do
        redis.call('RPUSH', KEYS[1], messages[j])
      end
      return result
    end
    redis.call('LPUSH', KEYS[2], messages[i])
    result[#result + 1] = messages[i]
  end
end
return result
