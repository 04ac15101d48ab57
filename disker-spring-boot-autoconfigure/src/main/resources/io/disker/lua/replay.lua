-- Moves dead-letter entries back to the head of their queue, all in one step, so a consumer
-- blocked on the queue cannot take them in another order than the one given.
-- KEYS[1] dead-letter list, KEYS[2] ready list
-- ARGV pairs (entry, message to enqueue), newest first: the last pair ends up at the head.
-- Returns how many entries were replayed (an entry no longer in the list is skipped).
-- Entries are removed searching from the tail, oldest first, where replayed entries sit (the
-- list holds newest first): replaying the oldest entries of a long list costs what they
-- number, not what the list holds.
local found = {}
for i = #ARGV - 1, 1, -2 do
  found[i] = redis.call('LREM', KEYS[1], -1, ARGV[i]) > 0
end
local replayed = 0
for i = 1, #ARGV, 2 do
  if found[i] then
    redis.call('RPUSH', KEYS[2], ARGV[i + 1])
    replayed = replayed + 1
  end
end
return replayed
