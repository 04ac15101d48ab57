-- Delivers a reply to a named sender's queue. If the original message had a timeout, the reply
-- first clears it; a reply whose timeout was already reported is dropped.
-- KEYS[1] the sender's timeouts zset, KEYS[2] the sender's pending hash, KEYS[3] the sender's
-- ready list
-- ARGV[1] the original message id, ARGV[2] the reply, ARGV[3] 1 if the original had a timeout
-- Returns 1 if delivered, 0 if dropped as late.
if ARGV[3] == '1' then
  if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then
    return 0
  end
  redis.call('HDEL', KEYS[2], ARGV[1])
end
redis.call('LPUSH', KEYS[3], ARGV[2])
return 1
