-- Recovers the messages of consumers whose lease expired: their processing lists go back to
-- the head of the queue (oldest first out) and their leases are revoked. A revoked lease stays
-- as a tombstone (score = -revocation time) so that a late blocking move into the dead
-- consumer's list is recovered too; tombstones of empty lists are removed after ARGV[3] ms.
-- KEYS[1] leases, KEYS[2] ready list
-- ARGV[1] processing list key prefix (same hash tag), ARGV[2] most consumers per call,
-- ARGV[3] tombstone retention in ms
-- Returns { consumers recovered, messages moved back }.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local limit = tonumber(ARGV[2])
local recovered, moved = 0, 0

local function drain(consumer)
  local count = 0
  while redis.call('LMOVE', ARGV[1] .. consumer, KEYS[2], 'LEFT', 'RIGHT') do
    count = count + 1
  end
  moved = moved + count
  return count
end

local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '(0', now, 'LIMIT', 0, limit)
for _, consumer in ipairs(expired) do
  drain(consumer)
  redis.call('ZADD', KEYS[1], -now, consumer)
  recovered = recovered + 1
end

local tombstones = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(0', 'WITHSCORES', 'LIMIT', 0, limit)
for i = 1, #tombstones, 2 do
  local consumer, revokedAt = tombstones[i], -tonumber(tombstones[i + 1])
  if drain(consumer) == 0 and now - revokedAt > tonumber(ARGV[3]) then
    redis.call('ZREM', KEYS[1], consumer)
  end
end
return { recovered, moved }
