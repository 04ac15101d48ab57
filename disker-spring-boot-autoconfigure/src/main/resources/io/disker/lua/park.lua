-- Parks the lease of a consumer that holds nothing and found its queue empty for a whole
-- wait: the lease becomes an idle lease, ARGV[2] ms long (many lease times), which the consumer
-- refreshes itself now and then instead of renewing it every third of a lease time. A
-- consumer holding nothing loses nothing if it dies, so a late recovery costs nothing; its
-- next fetch takes the normal lease back in the same call (see fetch.lua). Anything still in
-- the processing list (a fetch whose reply was lost) first goes back to the head of the queue,
-- oldest first out.
-- KEYS[1] processing list, KEYS[2] ready list, KEYS[3] leases
-- ARGV[1] consumer id, ARGV[2] idle lease duration in ms
-- Returns how many messages went back, or -1 if the lease was revoked or is missing (then
-- nothing changes: the consumer must start again, as after any lost lease).
local lease = redis.call('ZSCORE', KEYS[3], ARGV[1])
if not lease or tonumber(lease) <= 0 then
  return -1
end
local count = 0
while redis.call('LMOVE', KEYS[1], KEYS[2], 'LEFT', 'RIGHT') do
  count = count + 1
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[2]), ARGV[1])
return count
