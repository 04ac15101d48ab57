-- Ends a consumer: whatever is left in its processing list goes back to the head of the queue
-- (oldest first out), and its lease is removed.
-- KEYS[1] processing list, KEYS[2] ready list, KEYS[3] leases
-- ARGV[1] consumer id
-- Returns how many messages went back.
local count = 0
while redis.call('LMOVE', KEYS[1], KEYS[2], 'LEFT', 'RIGHT') do
  count = count + 1
end
redis.call('ZREM', KEYS[3], ARGV[1])
return count
