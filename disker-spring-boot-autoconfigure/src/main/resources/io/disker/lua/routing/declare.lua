-- Declares an exchange: its type and alternate queue.
-- KEYS[1] meta hash, KEYS[2] version counter
-- ARGV[1] type ('direct' or 'topic'), ARGV[2] alternate queue or ''
-- Returns 1 if the declaration changed the exchange, 0 if it was already so; an error if
-- the exchange exists with another type.
local current = redis.call('HGET', KEYS[1], 'type')
if current and current ~= ARGV[1] then
  return redis.error_reply('EXCHANGE_TYPE exchange is declared as ' .. current .. ', not ' .. ARGV[1])
end
local alternate = redis.call('HGET', KEYS[1], 'alternate') or ''
if current == ARGV[1] and alternate == ARGV[2] then
  return 0
end
redis.call('HSET', KEYS[1], 'type', ARGV[1])
if ARGV[2] == '' then
  redis.call('HDEL', KEYS[1], 'alternate')
else
  redis.call('HSET', KEYS[1], 'alternate', ARGV[2])
end
redis.call('INCR', KEYS[2])
return 1
