-- Takes up to ARGV[1] messages from a member's inbox, oldest first, keeping every message for
-- an actor in the member's processing list until it is acknowledged (replies are not kept):
-- if the member dies or freezes with messages taken, its eviction hands them on.
-- KEYS[1] inbox, KEYS[2] processing list
-- ARGV[1] most messages
-- Returns the messages.
local taken = redis.call('RPOP', KEYS[1], tonumber(ARGV[1]))
if not taken then
  return {}
end
for _, message in ipairs(taken) do
  if string.sub(message, 1, 1) ~= 'r' then
    redis.call('LPUSH', KEYS[2], message)
  end
end
return taken
