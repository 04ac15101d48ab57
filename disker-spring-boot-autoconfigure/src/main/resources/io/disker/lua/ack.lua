-- Acknowledges messages: removes them from a consumer's processing list.
-- KEYS[1] processing list, KEYS[2] recoveries hash
-- ARGV the messages
-- Returns the 1-based positions of the messages that were no longer there (stale
-- acknowledgements: the message was recovered and handed to another consumer).
local stale = {}
local counted = redis.call('EXISTS', KEYS[2]) == 1
for i = 1, #ARGV do
  if redis.call('LREM', KEYS[1], -1, ARGV[i]) == 0 then
    stale[#stale + 1] = i
  elseif counted then
    redis.call('HDEL', KEYS[2], redis.sha1hex(ARGV[i]))
  end
end
return stale
