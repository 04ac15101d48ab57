-- Claims the fired timer event copies a listener node fetched, before they are handled: a
-- copy must be the latest of its event (its delivery token still awaits confirmation), else it
-- is stale (confirmed, cancelled, re-posted or fired again meanwhile) and is not handled. The
-- first claim of a copy starts its confirm timeout; a copy fetched again (recovered from a
-- dead consumer, or put back at shutdown) keeps the deadline it has.
-- KEYS[1] due zset, KEYS[2] awaiting hash
-- ARGV[1] confirm timeout in ms, ARGV[2] due channel, ARGV[3] due set id, then per copy two
-- arguments: the event id and the delivery token
-- Returns per copy 1 if it is to be handled, else 0.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local due = now + tonumber(ARGV[1])
local result = {}
local started = false
for i = 4, #ARGV, 2 do
  local id = ARGV[i]
  if redis.call('HGET', KEYS[2], id) ~= ARGV[i + 1] then
    result[#result + 1] = 0
  else
    if redis.call('ZSCORE', KEYS[1], id) == 'inf' then
      redis.call('ZADD', KEYS[1], due, id)
      started = true
    end
    result[#result + 1] = 1
  end
end
-- listeners wake up only when the earliest due time moved forward
if started then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  if first[2] and tonumber(first[2]) == due then
    redis.call('PUBLISH', ARGV[2], ARGV[3] .. ' ' .. due)
  end
end
return result
