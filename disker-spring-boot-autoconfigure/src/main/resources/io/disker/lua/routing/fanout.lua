-- Delivers a routed message to every queue its routing key reached, all or none (a script
-- runs, and is persisted and replicated, as a whole).
-- KEYS[1..n] the ready lists of the target queues
-- ARGV[1..n] the message as each queue receives it
-- Returns the number of queues written.
for i = 1, #KEYS do
  redis.call('LPUSH', KEYS[i], ARGV[i])
end
return #KEYS
