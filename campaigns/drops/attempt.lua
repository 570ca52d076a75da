-- One attempt at a live drop, decided atomically: status, the member's wrong-answer count,
-- their claim limit and the stock are read and changed in one step, so no interleaving of
-- any number of API processes can sell a unit twice.
-- KEYS[1] drop state hash (status, stock, attempts, solves, reservations)
-- KEYS[2] hash member -> wrong answers
-- KEYS[3] hash member -> units claimed
-- KEYS[4] HyperLogLog of participants
-- KEYS[5] this member's request counter for the rate limit (same hash tag)
-- KEYS[6] hash member -> ms of their last claim
-- KEYS[7] hash of activity per minute: 'a:<unix minute>' attempts, 's:<unix minute>' solves
-- ARGV[1] member id, ARGV[2] '1' if the answer is correct, ARGV[3] max wrong attempts, ARGV[4] per-member unit limit
-- ARGV[5] requests allowed per window ('0': no limit), ARGV[6] the window in ms
-- Returns {outcome, number}: {'rate_limited', ms until the window ends} | {'drop_not_live', 0}
--   | {'attempts_exhausted', 0} | {'wrong', attempts left} | {'limit_reached', 0} | {'sold_out', 0}
--   | {'reserved', stock left}
-- The rate limit is counted here so a burst's requests make one Redis round trip, not two.
local allowed = tonumber(ARGV[5])
if allowed > 0 then
  local sent = redis.call('INCR', KEYS[5])
  if sent == 1 then
    redis.call('PEXPIRE', KEYS[5], ARGV[6])
  end
  if sent > allowed then
    return {'rate_limited', redis.call('PTTL', KEYS[5])}
  end
end
if redis.call('HGET', KEYS[1], 'status') ~= 'live' then
  return {'drop_not_live', 0}
end
local member = ARGV[1]
local maxWrong = tonumber(ARGV[3])
local wrong = tonumber(redis.call('HGET', KEYS[2], member) or '0')
if wrong >= maxWrong then
  return {'attempts_exhausted', 0}
end
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('PFADD', KEYS[4], member)
local t = redis.call('TIME')
local minute = math.floor(tonumber(t[1]) / 60)
redis.call('HINCRBY', KEYS[7], 'a:' .. minute, 1)
if ARGV[2] ~= '1' then
  wrong = redis.call('HINCRBY', KEYS[2], member, 1)
  return {'wrong', maxWrong - wrong}
end
redis.call('HINCRBY', KEYS[1], 'solves', 1)
redis.call('HINCRBY', KEYS[7], 's:' .. minute, 1)
local claimed = tonumber(redis.call('HGET', KEYS[3], member) or '0')
if claimed >= tonumber(ARGV[4]) then
  return {'limit_reached', 0}
end
local stock = tonumber(redis.call('HGET', KEYS[1], 'stock') or '0')
if stock <= 0 then
  return {'sold_out', 0}
end
redis.call('HINCRBY', KEYS[1], 'stock', -1)
redis.call('HINCRBY', KEYS[3], member, 1)
-- When the claim was made, so a repair (repair.lua) leaves a claim alone while its MySQL row
-- may still be on its way.
redis.call('HSET', KEYS[6], member, tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
redis.call('HINCRBY', KEYS[1], 'reservations', 1)
return {'reserved', stock - 1}
