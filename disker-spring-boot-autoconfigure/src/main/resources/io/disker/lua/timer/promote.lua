-- Fires due timer events, earliest first: each becomes a Disker envelope pushed to the tail
-- of the namespace's queue. The envelope is built by concatenation, so the stored event
-- JSON reaches the listener byte for byte (cjson would turn big integers into floats). Headers
-- carry the retry counts, the due time and the Redis time it fired at. An event
-- with retries left awaits confirmation, with its retry count incremented: it stays in the due
-- zset at +inf until a listener receives the fired copy (claim.lua starts the confirm timeout
-- then), so a copy waiting in the queue never fires again. Its copy carries a delivery token
-- '<generation>:<numRetries>' (the generation is new for each post) that claim.lua and
-- confirm.lua check, so that stale copies are dropped. Any other event is removed.
-- Each Redis command covers the whole batch (a per-event command costs more than the event).
-- KEYS[1] due zset, KEYS[2] events hash, KEYS[3] awaiting hash (id -> token of the latest
-- copy), KEYS[4] ready list, KEYS[5] generation counter
-- ARGV[1] most events to fire (at most a few thousand: one command takes them all),
-- ARGV[2] namespace
-- Returns { events fired, next due time or -1 when none is left }.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[1]))
local count = #due / 2
if count > 0 then
  local ids = {}
  for i = 1, count do
    ids[i] = due[i * 2 - 1]
  end
  local entries = redis.call('HMGET', KEYS[2], unpack(ids))
  local queue = cjson.encode(ARGV[2])
  local generation = nil
  local firedAt = string.format('%d', now)
  -- what the envelope of an event without retries (most events) shares with the others of this run
  local plain = ',"queue":' .. queue .. ',"attempt":1,"headers":{"timer.numRetries":"0","timer.maxRetries":"0",'
    .. '"timer.dueAt":"'
  local fired = '","timer.firedAt":"' .. firedAt .. '"},"payload":'
  local envelopes, gone, again, kept, pending = {}, {}, {}, {}, {}
  for i = 1, count do
    local id = ids[i]
    local entry = entries[i]
    -- cjson, although most ids need no escaping: a Lua pattern that looks for the characters
    -- that do costs several times more than encoding
    local jsonId = cjson.encode(id)
    if entry and string.sub(entry, 1, 4) == '0,0,' then
      -- no retries: nothing to parse and nothing to keep; the due time (a zset score, so an
      -- integer in its shortest form) is copied as the digits it is stored as
      envelopes[#envelopes + 1] = '{"v":1,"id":' .. jsonId .. plain .. due[i * 2] .. fired .. string.sub(entry, 5)
        .. '}'
      gone[#gone + 1] = id
    else
      local maxRetries, numRetries, event
      if entry then
        maxRetries, numRetries, event = string.match(entry, '^(%-?%d+),(%-?%d+),(.*)$')
      end
      if not event then
        -- no (readable) data: nothing to fire
        gone[#gone + 1] = id
      else
        local token = ''
        local retries = tonumber(numRetries)
        if tonumber(maxRetries) > retries then
          local previous = nil
          if retries > 0 then
            previous = string.match(redis.call('HGET', KEYS[3], id) or '', '^(%d+):')
          end
          if not previous then
            -- the first delivery of this post: a new generation (numbers for the whole batch
            -- are taken at once)
            if not generation then
              generation = redis.call('INCRBY', KEYS[5], count) - count
            end
            generation = generation + 1
            previous = string.format('%d', generation)
          end
          token = previous .. ':' .. numRetries
          again[#again + 1] = '+inf'
          again[#again + 1] = id
          kept[#kept + 1] = id
          kept[#kept + 1] = string.format('%d,%d,', tonumber(maxRetries), retries + 1) .. event
          pending[#pending + 1] = id
          pending[#pending + 1] = token
        else
          gone[#gone + 1] = id
        end
        envelopes[#envelopes + 1] = '{"v":1,"id":' .. jsonId .. ',"queue":' .. queue .. ',"attempt":'
          .. (retries + 1) .. ',"headers":{"timer.numRetries":"' .. numRetries .. '","timer.maxRetries":"'
          .. maxRetries .. '","timer.token":"' .. token .. '","timer.dueAt":"' .. due[i * 2] .. fired .. event
          .. '}'
      end
    end
  end
  -- every read above comes before the first write: a script error (Redis does not roll back)
  -- leaves the events as they were. The due events are the lowest ranks: one command
  -- unschedules them all.
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, count - 1)
  if #gone > 0 then
    redis.call('HDEL', KEYS[2], unpack(gone))
    if redis.call('EXISTS', KEYS[3]) == 1 then
      redis.call('HDEL', KEYS[3], unpack(gone))
    end
  end
  if #again > 0 then
    redis.call('ZADD', KEYS[1], unpack(again))
    redis.call('HSET', KEYS[2], unpack(kept))
    redis.call('HSET', KEYS[3], unpack(pending))
  end
  if #envelopes > 0 then
    redis.call('LPUSH', KEYS[4], unpack(envelopes))
  end
end
local next = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
-- +inf: only fired events not received yet are left
if #next == 0 or next[2] == 'inf' then
  return { count, -1 }
end
return { count, tonumber(next[2]) }
