-- Lists scheduled timer events in due order (events awaiting confirmation are not listed).
-- Diagnostic: O(N) in the events scanned.
-- KEYS[1] due zset, KEYS[2] events hash, KEYS[3] awaiting hash
-- ARGV[1] offset in ms from now (negative = from the earliest, overdue included),
-- ARGV[2] duration in ms from now + offset (negative = unbounded), ARGV[3] most events (<= 0 = all)
-- Returns { id, due time, stored entry, ... }.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local offset = tonumber(ARGV[1])
local duration = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local min = '-inf'
if offset >= 0 then
  min = now + offset
end
local max = '+inf'
if duration >= 0 then
  max = now + math.max(0, offset) + duration
end
local page = 1000
if limit > 0 and limit < page then
  page = limit
end
local result = {}
local found = 0
local start = 0
while true do
  local entries = redis.call('ZRANGEBYSCORE', KEYS[1], min, max, 'WITHSCORES', 'LIMIT', start, page)
  for i = 1, #entries, 2 do
    local id = entries[i]
    if redis.call('HEXISTS', KEYS[3], id) == 0 then
      local entry = redis.call('HGET', KEYS[2], id)
      if entry then
        result[#result + 1] = id
        result[#result + 1] = string.format('%d', tonumber(entries[i + 1]))
        result[#result + 1] = entry
        found = found + 1
        if limit > 0 and found >= limit then
          return result
        end
      end
    end
  end
  if #entries < page * 2 then
    return result
  end
  start = start + page
end
