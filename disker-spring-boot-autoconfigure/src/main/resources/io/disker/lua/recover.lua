-- Recovers the messages of consumers whose lease expired: their processing lists go back to
-- the head of the queue (oldest first out) and their leases are revoked. A revoked lease stays
-- as a tombstone (score = -revocation time) so that a late blocking move into the dead
-- consumer's list is recovered too; tombstones of empty lists are removed after ARGV[3] ms.
-- Every message recovered from an expired lease is counted in the recoveries hash (by digest,
-- so nothing here parses messages); a counted message is a suspect, which consumers take
-- alone (see fetch.lua). Only a message that was alone in the dead consumer's list is
-- provably the one in progress: once recovered more than ARGV[4] times it goes to the
-- dead-letter list with reason crash-loop instead. Messages that were not alone are never
-- dead-lettered here, and late arrivals in tombstoned lists are not counted.
-- KEYS[1] leases, KEYS[2] ready list, KEYS[3] recoveries hash, KEYS[4] dead-letter list
-- ARGV[1] processing list key prefix (same hash tag), ARGV[2] most consumers per call,
-- ARGV[3] tombstone retention in ms, ARGV[4] most recoveries per message (0 = no limit),
-- ARGV[5] dead-letter list cap (0 = none)
-- Returns { consumers recovered, messages moved back, messages dead-lettered }.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local limit = tonumber(ARGV[2])
local maxRecoveries = tonumber(ARGV[4])
local deadCap = tonumber(ARGV[5])
local recovered, moved, poisoned = 0, 0, 0

local function deadLetter(message, count)
  local entry = cjson.encode({ reason = 'crash-loop', attempts = count, failedAt = now,
    errorMessage = 'recovered from dead consumers ' .. count .. ' times', message = message })
  local length = redis.call('LPUSH', KEYS[4], entry)
  if deadCap > 0 and length > deadCap then
    redis.call('LTRIM', KEYS[4], 0, deadCap - 1)
  end
  poisoned = poisoned + 1
end

local function drain(consumer, counted)
  local proc = ARGV[1] .. consumer
  local alone = counted and redis.call('LLEN', proc) == 1
  local count = 0
  while true do
    local message = redis.call('LPOP', proc)
    if not message then
      break
    end
    local recoveries = 0
    local digest
    if counted then
      digest = redis.sha1hex(message)
      recoveries = redis.call('HINCRBY', KEYS[3], digest, 1)
    end
    if alone and maxRecoveries > 0 and recoveries > maxRecoveries then
      redis.call('HDEL', KEYS[3], digest)
      deadLetter(message, recoveries)
    else
      redis.call('RPUSH', KEYS[2], message)
      moved = moved + 1
    end
    count = count + 1
  end
  return count
end

local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '(0', now, 'LIMIT', 0, limit)
for _, consumer in ipairs(expired) do
  drain(consumer, true)
  redis.call('ZADD', KEYS[1], -now, consumer)
  recovered = recovered + 1
end

local tombstones = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(0', 'WITHSCORES', 'LIMIT', 0, limit)
for i = 1, #tombstones, 2 do
  local consumer, revokedAt = tombstones[i], -tonumber(tombstones[i + 1])
  if drain(consumer, false) == 0 and now - revokedAt > tonumber(ARGV[3]) then
    redis.call('ZREM', KEYS[1], consumer)
  end
end
return { recovered, moved, poisoned }
