-- Fires due timer events, earliest first: each becomes a Disker envelope pushed to the tail
-- of the namespace's queue. The envelope is built by concatenation, so the stored event JSON
-- reaches the listener byte for byte (cjson would turn big integers into floats). Headers carry
-- the retry counts, the due time and the Redis time it fired at. An event
-- with retries left stays scheduled at now + confirm timeout, marked as awaiting
-- confirmation, with its retry count incremented; any other event is removed.
-- KEYS[1] due zset, KEYS[2] events hash, KEYS[3] unconfirmed set, KEYS[4] ready list
-- ARGV[1] most events to fire, ARGV[2] confirm timeout in ms, ARGV[3] namespace
-- Returns { events fired, next due time or -1 when none is left }.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[1]))
local retryAt = now + tonumber(ARGV[2])
local queue = cjson.encode(ARGV[3])
local envelopes = {}
for i = 1, #due, 2 do
  local id = due[i]
  local entry = redis.call('HGET', KEYS[2], id)
  local first = entry and string.find(entry, ',', 1, true)
  local second = first and string.find(entry, ',', first + 1, true)
  if not second then
    -- no (readable) data: nothing to fire
    redis.call('ZREM', KEYS[1], id)
    redis.call('HDEL', KEYS[2], id)
    redis.call('SREM', KEYS[3], id)
  else
    local maxRetries = tonumber(string.sub(entry, 1, first - 1))
    local numRetries = tonumber(string.sub(entry, first + 1, second - 1))
    local event = string.sub(entry, second + 1)
    envelopes[#envelopes + 1] = '{"v":1,"id":' .. cjson.encode(id) .. ',"queue":' .. queue
      .. ',"attempt":' .. string.format('%d', numRetries + 1)
      .. ',"headers":{"timer.numRetries":"' .. string.format('%d', numRetries)
      .. '","timer.maxRetries":"' .. string.format('%d', maxRetries)
      .. '","timer.dueAt":"' .. string.format('%d', tonumber(due[i + 1]))
      .. '","timer.firedAt":"' .. string.format('%d', now)
      .. '"},"payload":' .. event .. '}'
    if maxRetries > numRetries then
      redis.call('ZADD', KEYS[1], retryAt, id)
      redis.call('HSET', KEYS[2], id, string.format('%d', maxRetries) .. ','
        .. string.format('%d', numRetries + 1) .. ',' .. event)
      redis.call('SADD', KEYS[3], id)
    else
      redis.call('ZREM', KEYS[1], id)
      redis.call('HDEL', KEYS[2], id)
      redis.call('SREM', KEYS[3], id)
    end
  end
end
if #envelopes > 0 then
  redis.call('LPUSH', KEYS[4], unpack(envelopes))
end
local next = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #next == 0 then
  return { #due / 2, -1 }
end
return { #due / 2, tonumber(next[2]) }
