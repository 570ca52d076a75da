-- Makes a drop live in Redis. A state already there (a retried open job) keeps its counters;
-- a missing one (first open, or Redis lost its data) is built from the numbers MySQL gives.
-- KEYS[1] drop state hash, KEYS[2] hash member -> units claimed
-- ARGV[1] stock left, ARGV[2..] pairs of member id, units held
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[1], 'status', 'live')
  return 0
end
redis.call('HSET', KEYS[1], 'status', 'live', 'stock', ARGV[1], 'attempts', 0, 'solves', 0, 'reservations', 0)
for i = 2, #ARGV, 2 do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
end
return 1
