-- Creates an actor (find-or-create by id) and places it on the least-loaded live member.
-- KEYS[1] nodes zset; every other key is built from ARGV[1] (same hash tag)
-- ARGV[1] key base ("<prefix>:a:{<cluster>}:"), ARGV[2] id ('' = generate "<type>#<n>"),
-- ARGV[3] type, ARGV[4] attributes (JSON object), ARGV[5] recoverable '1'/'0', ARGV[6] load
-- Returns {1, id, type, host} when created, {0, id, type, host} when it existed, {-1, id} when
-- no member of the cluster is alive.
local B = ARGV[1]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local function leastLoaded()
  for _, node in ipairs(redis.call('ZRANGE', B .. 'load', 0, -1)) do
    local expiry = tonumber(redis.call('ZSCORE', B .. 'nodes', node))
    if expiry and expiry >= now then
      return node
    end
  end
  return false
end

local id = ARGV[2]
if id == '' then
  id = ARGV[3] .. '#' .. redis.call('HINCRBY', B .. 'seq', 'id:' .. ARGV[3], 1)
end
local actor = B .. 'actor:' .. id
local existing = redis.call('HMGET', actor, 'type', 'host')
if existing[1] then
  return { 0, id, existing[1], existing[2] or '' }
end
local node = leastLoaded()
if not node then
  return { -1, id }
end
local token = redis.call('HINCRBY', B .. 'seq', 'token', 1)
local load = tonumber(ARGV[6])
redis.call('HSET', actor, 'type', ARGV[3], 'attrs', ARGV[4], 'rec', ARGV[5], 'load', load,
  'host', node, 'token', token, 'created', now)
redis.call('ZADD', B .. 'ids', now, id)
redis.call('SADD', B .. 'hosted:' .. node, id)
redis.call('ZINCRBY', B .. 'load', load, node)
redis.call('HINCRBY', B .. 'seq', 'created', 1)
local create = 'c' .. id .. '\n{"t":' .. cjson.encode(ARGV[3]) .. ',"cause":"CREATED","tok":' .. token
  .. ',"l":' .. load .. ',"p":' .. ARGV[4] .. '}'
redis.call('LPUSH', B .. 'in:' .. node, create)
return { 1, id, ARGV[3], node }
