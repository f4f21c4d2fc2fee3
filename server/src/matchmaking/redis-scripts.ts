// The Lua scripts of the Redis matchmaker. Each runs atomically in Redis, so two nodes can
// never pop the same ticket; first-come first-served is the order of a counter (INCR) used as
// the queue's score. Keys (all under the prefix P):
//   P mm:queue        ZSET  ticketId → arrival number
//   P mm:seq          the arrival counter
//   P mm:t:<ticketId> HASH  ticket (JSON), user, state queued|matched, pair (JSON), node
//   P mm:u:<userId>   the user's one live ticketId
// A ticket and its user key carry the same TTL: short while queued (the owning node refreshes
// it), MATCHED_TTL once paired (release deletes it). A dead node's ticket therefore expires,
// and pairing skips and removes queue entries whose ticket is gone.

/** KEYS: queue, seq, ticket key, user key. ARGV: prefix, id, user, json, queuedTtl, matchedTtl, now, node. */
export const ENQUEUE = `
local q, seqk, tk, uk = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local pfx, id, uid, json, qttl, mttl, now, node =
  ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8]
if redis.call('EXISTS', tk) == 1 then return {'duplicate_ticket'} end
local cur = redis.call('GET', uk)
if cur and redis.call('EXISTS', pfx .. 't:' .. cur) == 1 then return {'already_queued'} end
local seq = redis.call('INCR', seqk)
redis.call('HSET', tk, 'ticket', json, 'user', uid, 'state', 'queued', 'node', node)
redis.call('PEXPIRE', tk, qttl)
redis.call('SET', uk, id, 'PX', qttl)
redis.call('ZADD', q, seq, id)
local out = {'ok'}
while true do
  local ids = redis.call('ZRANGE', q, 0, 1)
  if #ids < 2 then break end
  local ka, kb = pfx .. 't:' .. ids[1], pfx .. 't:' .. ids[2]
  local a = redis.call('HMGET', ka, 'ticket', 'user')
  local b = redis.call('HMGET', kb, 'ticket', 'user')
  if not a[1] then redis.call('ZREM', q, ids[1]) end
  if not b[1] then redis.call('ZREM', q, ids[2]) end
  if a[1] and b[1] then
    redis.call('ZREM', q, ids[1], ids[2])
    local pair = '{"tickets":[' .. a[1] .. ',' .. b[1] .. '],"matchedAt":' .. now .. '}'
    for _, t in ipairs({{ka, a[2], ids[1]}, {kb, b[2], ids[2]}}) do
      redis.call('HSET', t[1], 'state', 'matched', 'pair', pair)
      redis.call('PEXPIRE', t[1], mttl)
      redis.call('SET', pfx .. 'u:' .. t[2], t[3], 'PX', mttl)
    end
    out[#out + 1] = pair
  end
end
return out
`;

/** KEYS: queue, ticket key. ARGV: prefix, id, user. 1 when the owner's queued ticket was removed. */
export const CANCEL = `
local q, tk = KEYS[1], KEYS[2]
local pfx, id, uid = ARGV[1], ARGV[2], ARGV[3]
local t = redis.call('HMGET', tk, 'state', 'user')
if t[1] ~= 'queued' or t[2] ~= uid then return 0 end
redis.call('ZREM', q, id)
redis.call('DEL', tk)
local uk = pfx .. 'u:' .. uid
if redis.call('GET', uk) == id then redis.call('DEL', uk) end
return 1
`;

/** KEYS: user key. ARGV: prefix. Forgets the user's matched ticket; a queued one stays. */
export const RELEASE = `
local uk, pfx = KEYS[1], ARGV[1]
local id = redis.call('GET', uk)
if not id then return 0 end
local tk = pfx .. 't:' .. id
local state = redis.call('HGET', tk, 'state')
if state == 'queued' then return 0 end
redis.call('DEL', uk, tk)
return 1
`;

/** ARGV: prefix, ttl, ids… Renews the TTL of each still-queued ticket; returns the others. */
export const REFRESH = `
local pfx, ttl = ARGV[1], ARGV[2]
local gone = {}
for i = 3, #ARGV do
  local tk = pfx .. 't:' .. ARGV[i]
  local t = redis.call('HMGET', tk, 'state', 'user')
  if t[1] == 'queued' then
    redis.call('PEXPIRE', tk, ttl)
    redis.call('PEXPIRE', pfx .. 'u:' .. t[2], ttl)
  else
    gone[#gone + 1] = ARGV[i]
  end
end
return gone
`;

/** KEYS: queue. ARGV: prefix. Removes entries whose ticket expired; counts the live ones. */
export const QUEUE_LENGTH = `
local q, pfx = KEYS[1], ARGV[1]
local n = 0
for _, id in ipairs(redis.call('ZRANGE', q, 0, -1)) do
  if redis.call('EXISTS', pfx .. 't:' .. id) == 1 then n = n + 1 else redis.call('ZREM', q, id) end
end
return n
`;
