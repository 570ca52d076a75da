-- Gives one unit back to a live drop's pool and one claim back to its member.
-- KEYS[1] drop state hash, KEYS[2] hash member -> units claimed
-- ARGV[1] member id
-- Returns 1 if the unit went back to the pool, 0 if the drop is not live (its units are in MySQL then).
if redis.call('HGET', KEYS[1], 'status') ~= 'live' then
  return 0
end
redis.call('HINCRBY', KEYS[1], 'stock', 1)
if tonumber(redis.call('HINCRBY', KEYS[2], ARGV[1], -1)) < 0 then
  redis.call('HSET', KEYS[2], ARGV[1], 0)
end
return 1
