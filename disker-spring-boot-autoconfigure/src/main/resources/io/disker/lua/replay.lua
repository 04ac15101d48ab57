-- Moves one dead-letter entry back to the head of its queue.
-- KEYS[1] dead-letter list, KEYS[2] ready list
-- ARGV[1] the entry, ARGV[2] the message to enqueue
-- Returns 1 if replayed, 0 if the entry was no longer there.
if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then
  return 0
end
redis.call('RPUSH', KEYS[2], ARGV[2])
return 1
