-- Moves a message a consumer holds to the queue's dead-letter list.
-- KEYS[1] processing list, KEYS[2] dead-letter list, KEYS[3] recoveries hash
-- ARGV[1] the message, ARGV[2] the dead-letter entry, ARGV[3] maximum dead-letter list length
-- Returns { 1 if moved or 0 if the consumer no longer held it, entries dropped by the cap }.
if redis.call('LREM', KEYS[1], -1, ARGV[1]) == 0 then
  return { 0, 0 }
end
if redis.call('EXISTS', KEYS[3]) == 1 then
  redis.call('HDEL', KEYS[3], redis.sha1hex(ARGV[1]))
end
local length = redis.call('LPUSH', KEYS[2], ARGV[2])
local max = tonumber(ARGV[3])
local dropped = 0
if max > 0 and length > max then
  dropped = length - max
  redis.call('LTRIM', KEYS[2], 0, max - 1)
end
return { 1, dropped }
