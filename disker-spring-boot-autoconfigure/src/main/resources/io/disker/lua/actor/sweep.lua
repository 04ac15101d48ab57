-- Evicts members whose lease lapsed (or, with ARGV[2], one member that leaves or lost its
-- lease), then places actors that wait for a member. An evicted member's recoverable actors
-- wait for placement with their id, attributes and creation time; the others are removed.
-- Messages in its inbox and those it took without finishing them follow their actor: parked for a recoverable one (delivered in order
-- to its next incarnation), dead-lettered for a removed one; replies to it are dropped.
-- Placement: least load among live members; with none alive an actor keeps waiting.
-- KEYS[1] nodes zset; other keys are built from ARGV[1] (same hash tag)
-- ARGV[1] key base, ARGV[2] member to evict ('' = those whose lease lapsed), ARGV[3] most
-- placements, ARGV[4] dead-letter list cap
-- Returns {members evicted, actors salvaged, actors removed, actors placed, actors waiting}.
local B = ARGV[1]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local deadCap = tonumber(ARGV[4])
local evicted, salvaged, removed, placed = 0, 0, 0, 0

local function deadLetter(id, message, reason)
  local entry = cjson.encode({ reason = reason, actor = id, failedAt = now, message = message })
  local length = redis.call('LPUSH', B .. 'dead', entry)
  if deadCap > 0 and length > deadCap then
    redis.call('LTRIM', B .. 'dead', 0, deadCap - 1)
  end
end

local function evict(node)
  local hosted = B .. 'hosted:' .. node
  for _, id in ipairs(redis.call('SMEMBERS', hosted)) do
    local actor = B .. 'actor:' .. id
    local current = redis.call('HMGET', actor, 'host', 'rec')
    if current[1] == node then
      if current[2] == '1' then
        redis.call('HSET', actor, 'host', '')
        redis.call('ZADD', B .. 'pending', redis.call('ZSCORE', B .. 'ids', id) or now, id)
        salvaged = salvaged + 1
      else
        redis.call('DEL', actor, B .. 'park:' .. id)
        redis.call('ZREM', B .. 'ids', id)
        removed = removed + 1
      end
    end
  end
  redis.call('DEL', hosted)
  -- messages it took but did not finish (oldest first), then those waiting in its inbox
  local processing = B .. 'proc:' .. node
  local inbox = B .. 'in:' .. node
  for _, list in ipairs({ processing, inbox }) do
    local messages = redis.call('LRANGE', list, 0, -1)
    for i = #messages, 1, -1 do
      local message = messages[i]
      local kind, id = string.match(message, '^(.)([^\n]*)\n')
      if kind and kind ~= 'r' and kind ~= 'c' and id ~= '' then
        local host = redis.call('HGET', B .. 'actor:' .. id, 'host')
        if host == '' then
          redis.call('LPUSH', B .. 'park:' .. id, message)
        elseif host and host ~= node then
          redis.call('LPUSH', B .. 'in:' .. host, message)
        else
          deadLetter(id, message, 'actor-removed')
        end
      end
    end
  end
  redis.call('DEL', processing)
  redis.call('DEL', inbox)
  redis.call('ZREM', B .. 'nodes', node)
  redis.call('ZREM', B .. 'load', node)
  evicted = evicted + 1
end

if ARGV[2] ~= '' then
  evict(ARGV[2])
else
  for _, node in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. now, 'LIMIT', 0, 16)) do
    evict(node)
  end
end

local function leastLoaded()
  for _, node in ipairs(redis.call('ZRANGE', B .. 'load', 0, -1)) do
    local expiry = tonumber(redis.call('ZSCORE', B .. 'nodes', node))
    if expiry and expiry >= now then
      return node
    end
  end
  return false
end

for _, id in ipairs(redis.call('ZRANGE', B .. 'pending', 0, tonumber(ARGV[3]) - 1)) do
  local actor = B .. 'actor:' .. id
  local current = redis.call('HMGET', actor, 'host', 'type', 'attrs', 'load')
  if current[1] == '' then
    local node = leastLoaded()
    if not node then
      break
    end
    local token = redis.call('HINCRBY', B .. 'seq', 'token', 1)
    local load = tonumber(current[4]) or 1
    redis.call('HSET', actor, 'host', node, 'token', token)
    redis.call('SADD', B .. 'hosted:' .. node, id)
    redis.call('ZINCRBY', B .. 'load', load, node)
    redis.call('HINCRBY', B .. 'seq', 'recovered', 1)
    local inbox = B .. 'in:' .. node
    redis.call('LPUSH', inbox, 'c' .. id .. '\n{"t":' .. cjson.encode(current[2])
      .. ',"cause":"RECOVERED","tok":' .. token .. ',"l":' .. load .. ',"p":' .. current[3] .. '}')
    local park = B .. 'park:' .. id
    while true do
      local message = redis.call('RPOP', park)
      if not message then
        break
      end
      redis.call('LPUSH', inbox, message)
    end
    placed = placed + 1
  end
  redis.call('ZREM', B .. 'pending', id)
end
if salvaged > 0 then
  redis.call('HINCRBY', B .. 'seq', 'salvaged', salvaged)
end
if removed > 0 then
  redis.call('HINCRBY', B .. 'seq', 'removed', removed)
end
return { evicted, salvaged, removed, placed, redis.call('ZCARD', B .. 'pending') }
