-- Delivers a message to an actor: into the inbox of the member hosting it, or, while it waits
-- to be placed again, into its parked list (delivered, in order, to its next incarnation).
-- KEYS[1] the actor's hash; other keys are built from ARGV[1] (same hash tag)
-- ARGV[1] key base, ARGV[2] actor id, ARGV[3] the message ("<kind><id>\n<json>"),
-- ARGV[4] a member the message must not go back to ('' = none): one re-sending a message
-- for an actor it no longer runs, ARGV[5] the incarnation (fencing token) it ran ('' = any):
-- a newer incarnation placed on that member again does get the message
-- Returns 1 if delivered to a member's inbox, 2 if parked, 0 if the actor does not exist,
-- 3 if it is hosted by the excluded member (in the excluded incarnation).
local current = redis.call('HMGET', KEYS[1], 'host', 'token')
local host = current[1]
if not host then
  return 0
end
if ARGV[4] ~= '' and host == ARGV[4] and (ARGV[5] == '' or current[2] == ARGV[5]) then
  return 3
end
if host == '' then
  redis.call('LPUSH', ARGV[1] .. 'park:' .. ARGV[2], ARGV[3])
  return 2
end
redis.call('LPUSH', ARGV[1] .. 'in:' .. host, ARGV[3])
return 1
