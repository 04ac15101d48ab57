-- Adds or removes a binding.
-- KEYS[1] bindings set, KEYS[2] version counter, KEYS[3] meta hash
-- ARGV[1] 'bind' or 'unbind', ARGV[2] member "queue binding-key", ARGV[3] the type to give an
-- exchange bound before it was declared
-- Returns 1 if the table changed, 0 if not.
local changed
if ARGV[1] == 'bind' then
  if not redis.call('HGET', KEYS[3], 'type') then
    redis.call('HSET', KEYS[3], 'type', ARGV[3])
  end
  changed = redis.call('SADD', KEYS[1], ARGV[2])
else
  changed = redis.call('SREM', KEYS[1], ARGV[2])
end
if changed == 1 then
  redis.call('INCR', KEYS[2])
end
return changed
