-- Delivers a message to every queue its routing key reached, all or none, provided the
-- binding table the sender routed with is still the current one.
-- KEYS[1] the exchange's version counter, KEYS[2..n] the ready lists of the target queues
-- ARGV[1] the table version the sender routed with, ARGV[2..n] the message for each queue
-- Returns the number of queues written, or -1 if the table changed (route again).
if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[1] then
  return -1
end
for i = 2, #KEYS do
  redis.call('LPUSH', KEYS[i], ARGV[i])
end
return #KEYS - 1
