-- Reads a scheduled timer event.
-- KEYS[1] due zset, KEYS[2] events hash, KEYS[3] awaiting hash
-- ARGV[1] event id
-- Returns { ms until due (0 if overdue, -1 if fired and not received yet), stored entry,
-- 1 if awaiting confirmation else 0 },
-- or an empty array if the event is not scheduled.
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score then
  return {}
end
local entry = redis.call('HGET', KEYS[2], ARGV[1])
if not entry then
  return {}
end
if score == 'inf' then
  return { -1, entry, 1 }
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
return { math.max(0, tonumber(score) - now), entry, redis.call('HEXISTS', KEYS[3], ARGV[1]) }
