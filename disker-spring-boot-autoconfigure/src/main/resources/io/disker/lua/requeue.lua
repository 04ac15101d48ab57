-- Puts messages a consumer took but did not start back at the head of the queue, in order.
-- KEYS[1] processing list, KEYS[2] ready list
-- ARGV the messages, oldest first
-- Returns how many were put back (a message no longer in the processing list is skipped).
local count = 0
for i = #ARGV, 1, -1 do
  if redis.call('LREM', KEYS[1], -1, ARGV[i]) > 0 then
    redis.call('RPUSH', KEYS[2], ARGV[i])
    count = count + 1
  end
end
return count
