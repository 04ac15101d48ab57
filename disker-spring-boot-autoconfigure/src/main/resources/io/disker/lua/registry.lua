-- Announces queues in the registry of known queues, forgets those nobody announced within the
-- retention, and returns the queues still known. Every instance announces only the queues it
-- uses (sends to or consumes), so a name nobody uses any more leaves the registry and stops
-- costing every instance a sweep and a poll; the queue's data stays in Redis and the queue is
-- known again as soon as anyone uses it.
-- KEYS[1] registry zset (queue id -> last announcement, Redis ms)
-- ARGV[1] retention in ms, ARGV[2..] the ids of the queues to announce
-- Returns the ids of the known queues.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if redis.call('TYPE', KEYS[1]).ok == 'set' then
  -- the unbounded set of earlier versions: its live names are announced again within seconds
  redis.call('DEL', KEYS[1])
end
-- one ZADD per thousand queues rather than one per queue: every instance announces its
-- queues every ten sweeps, busy or idle
local entries = {}
for i = 2, #ARGV do
  entries[#entries + 1] = now
  entries[#entries + 1] = ARGV[i]
  if #entries == 2000 or i == #ARGV then
    redis.call('ZADD', KEYS[1], unpack(entries))
    entries = {}
  end
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - tonumber(ARGV[1])))
return redis.call('ZRANGE', KEYS[1], 0, -1)
