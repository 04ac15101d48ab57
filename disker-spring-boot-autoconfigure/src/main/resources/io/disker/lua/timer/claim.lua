-- Claims a fired timer event copy that a listener received, before the listener runs: the
-- copy must be the latest of its event (its delivery token still awaits confirmation), else it
-- is stale (confirmed, cancelled, re-posted or fired again meanwhile) and is not handled. The
-- first claim of a copy starts its confirm timeout; a copy received again (recovered from a
-- dead consumer) keeps the deadline it has.
-- KEYS[1] due zset, KEYS[2] awaiting hash
-- ARGV[1] event id, ARGV[2] delivery token, ARGV[3] confirm timeout in ms, ARGV[4] due channel,
-- ARGV[5] due set id
-- Returns 1 if the copy is to be handled, else 0.
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then
  return 0
end
if redis.call('ZSCORE', KEYS[1], ARGV[1]) == 'inf' then
  local time = redis.call('TIME')
  local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  local due = now + tonumber(ARGV[3])
  redis.call('ZADD', KEYS[1], due, ARGV[1])
  local first = redis.call('ZRANGE', KEYS[1], 0, 0)
  if first[1] == ARGV[1] then
    redis.call('PUBLISH', ARGV[4], ARGV[5] .. ' ' .. due)
  end
end
return 1
