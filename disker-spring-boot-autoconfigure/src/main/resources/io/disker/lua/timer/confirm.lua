-- Confirms a timer event awaiting confirmation: no retry follows.
-- KEYS[1] due zset, KEYS[2] events hash, KEYS[3] awaiting hash
-- ARGV[1] event id, ARGV[2] (optional) the delivery token of the copy being confirmed: any
-- copy of the same post confirms it, a copy of an earlier post (the event was re-posted) does not
-- Returns 1 if the event was awaiting confirmation, else 0.
local token = redis.call('HGET', KEYS[3], ARGV[1])
if not token then
  return 0
end
if ARGV[2] and string.match(token, '^(%d+):') ~= string.match(ARGV[2], '^(%d+):') then
  return 0
end
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return 1
