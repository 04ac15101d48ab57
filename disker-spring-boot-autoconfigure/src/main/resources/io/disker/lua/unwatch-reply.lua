-- Takes back the reply deadline of a message that Redis refused to enqueue (an error reply:
-- the write did not happen), so that no timeout is ever reported for a message that never
-- existed. The queue and the sender live in different hash slots, so the two writes of a named
-- send cannot be one script: the deadline is written first, then the message, and this script
-- compensates a refused message.
-- KEYS[1] the sender's timeouts zset, KEYS[2] the sender's pending hash, optional KEYS[3] the
-- dedup marker of an explicit message id (removed, so that a retried send arms the timeout again)
-- ARGV[1] message id
-- Returns 1 if the deadline was still armed, 0 if it had fired already.
local armed = redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
if KEYS[3] then
  redis.call('DEL', KEYS[3])
end
return armed
