-- Delivers a reply to a requester's inbox, unless the requesting instance is gone.
-- KEYS[1] the instance's liveness marker, KEYS[2] its inbox
-- ARGV[1] the reply
-- Returns 1 if delivered, 0 if the instance is gone (the reply is dropped).
local ttl = redis.call('PTTL', KEYS[1])
if ttl <= 0 then
  return 0
end
redis.call('LPUSH', KEYS[2], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ttl)
return 1
