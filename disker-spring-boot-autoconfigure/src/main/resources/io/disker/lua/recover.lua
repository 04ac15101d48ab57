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
-- The caller lists the candidates (consumers whose lease looked expired or revoked) from the
-- leases zset first, so that every processing list is passed as a key; each is checked again
-- here, and one renewed meanwhile is left alone.
-- KEYS[1] leases, KEYS[2] ready list, KEYS[3] recoveries hash, KEYS[4] dead-letter list,
-- KEYS[5..] the processing lists of the candidates
-- ARGV[1] tombstone retention in ms, ARGV[2] most recoveries per message (0 = no limit),
-- ARGV[3] dead-letter list cap (0 = none), ARGV[4..] the candidates' consumer ids, in the
-- order of their processing lists
-- Returns { consumers recovered, messages moved back, messages dead-lettered }.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local maxRecoveries = tonumber(ARGV[2])
local deadCap = tonumber(ARGV[3])
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

local function drain(proc, counted)
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

for i = 5, #KEYS do
  local consumer = ARGV[i - 1]
  local score = redis.call('ZSCORE', KEYS[1], consumer)
  if score then
    score = tonumber(score)
    if score > 0 and score <= now then
      drain(KEYS[i], true)
      redis.call('ZADD', KEYS[1], -now, consumer)
      recovered = recovered + 1
    elseif score <= 0 and drain(KEYS[i], false) == 0 and now + score > tonumber(ARGV[1]) then
      redis.call('ZREM', KEYS[1], consumer)
    end
  end
end
return { recovered, moved, poisoned }
