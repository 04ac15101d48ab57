-- Cancels a timer event wherever it is scheduled: before its first delivery, or awaiting
-- confirmation (no retry follows; a fired copy not received yet is not handled).
-- KEYS[1] due zset, KEYS[2] events hash, KEYS[3] awaiting hash
-- ARGV[1] event id
-- Returns 1 if the event was scheduled, else 0.
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then
  return 0
end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
return 1
