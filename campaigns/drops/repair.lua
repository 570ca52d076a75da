-- Brings a live drop's pool back to what MySQL records, for the members nothing is in flight for.
-- KEYS[1] drop state hash, KEYS[2] hash member -> units claimed, KEYS[3] hash member -> ms of
-- their last claim (Redis TIME, written by attempt.lua)
-- ARGV[1] the drop's stock (all units set aside), ARGV[2] grace in ms,
-- ARGV[3..] triples of member id, units MySQL holds for them, '1' if no reservation of theirs
--   was written or changed within the grace ('0': a release may be on its way to Redis)
-- A member is repaired only if MySQL is quiet for them and their last claim here is older than
-- the grace: a younger claim may be in a group commit right now. Members with claims here and
-- no row in MySQL at all hold 0. The stock is then the drop's stock less every claim.
-- Returns {members repaired, stock before, stock after}; {-1, 0, 0} if the drop is not live.
if redis.call('HGET', KEYS[1], 'status') ~= 'live' then
  return {-1, 0, 0}
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local grace = tonumber(ARGV[2])
local mysql = {}
for i = 3, #ARGV, 3 do
  mysql[ARGV[i]] = {tonumber(ARGV[i + 1]), ARGV[i + 2] == '1'}
end
local function settled(member)
  local at = redis.call('HGET', KEYS[3], member)
  return at == false or now - tonumber(at) >= grace
end
local repaired = 0
local function repair(member, held)
  local claimed = tonumber(redis.call('HGET', KEYS[2], member) or '0')
  if claimed ~= held then
    redis.call('HSET', KEYS[2], member, held)
    repaired = repaired + 1
  end
end
for member, row in pairs(mysql) do
  if row[2] and settled(member) then
    repair(member, row[1])
  end
end
local claims = redis.call('HGETALL', KEYS[2])
for i = 1, #claims, 2 do
  if mysql[claims[i]] == nil and settled(claims[i]) then
    repair(claims[i], 0)
  end
end
claims = redis.call('HGETALL', KEYS[2])
local taken = 0
for i = 2, #claims, 2 do
  taken = taken + tonumber(claims[i])
end
local before = tonumber(redis.call('HGET', KEYS[1], 'stock') or '0')
local after = math.max(0, tonumber(ARGV[1]) - taken)
redis.call('HSET', KEYS[1], 'stock', after)
return {repaired, before, after}
