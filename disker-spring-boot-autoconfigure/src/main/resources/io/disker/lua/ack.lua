-- Acknowledges messages: removes them from a consumer's processing list.
-- KEYS[1] processing list, KEYS[2] recoveries hash
-- ARGV the messages
-- Returns the 1-based positions of the messages that were no longer there (stale
-- acknowledgements: the message was recovered and handed to another consumer).
-- Messages are fetched onto the head of the processing list and mostly finish in the order
-- they came, so most acknowledged messages are the oldest ones, at its tail: that run is cut
-- off with one LTRIM, and only the others are looked for one by one (a command per message
-- costs several times more than comparing strings here).
if #ARGV == 0 then
  -- LRANGE from -0 would read the whole list
  return {}
end
local counted = redis.call('EXISTS', KEYS[2]) == 1
local wanted = {}
for i = 1, #ARGV do
  wanted[ARGV[i]] = (wanted[ARGV[i]] or 0) + 1
end
local tail = redis.call('LRANGE', KEYS[1], -#ARGV, -1)
local trimmed = {}
local cut = 0
for i = #tail, 1, -1 do
  local message = tail[i]
  if (wanted[message] or 0) == 0 then
    break
  end
  wanted[message] = wanted[message] - 1
  trimmed[message] = (trimmed[message] or 0) + 1
  cut = cut + 1
end
if cut > 0 then
  redis.call('LTRIM', KEYS[1], 0, -cut - 1)
end
local stale = {}
for i = 1, #ARGV do
  local message = ARGV[i]
  local found = true
  if (trimmed[message] or 0) > 0 then
    trimmed[message] = trimmed[message] - 1
  else
    found = redis.call('LREM', KEYS[1], -1, message) > 0
  end
  if not found then
    stale[#stale + 1] = i
  elseif counted then
    redis.call('HDEL', KEYS[2], redis.sha1hex(message))
  end
end
return stale
