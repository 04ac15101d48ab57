-- Reads an exchange's binding table and its version in one step.
-- KEYS[1] bindings set, KEYS[2] version counter, KEYS[3] meta hash
-- Returns {version, type or '', alternate or '', member...}.
local result = { redis.call('GET', KEYS[2]) or '0', redis.call('HGET', KEYS[3], 'type') or '',
  redis.call('HGET', KEYS[3], 'alternate') or '' }
for _, member in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  result[#result + 1] = member
end
return result
