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

/**
 * KEYS: queue, seq. ARGV: prefix, queuedTtl, matchedTtl, now, node, then (id, user, json) per
 * ticket, in arrival order: one call carries every enqueue a node has at hand. Returns, per
 * ticket, 'ok' (waiting), the pair's JSON (it completed a pair), or an error code. After each
 * ticket at most one live ticket waits (any two are a pair), so a newcomer pairs with the
 * oldest live ticket, if any, or waits; entries whose ticket expired are dropped on the way.
 */
export const ENQUEUE = `
local q, seqk = KEYS[1], KEYS[2]
local pfx, qttl, mttl, now, node = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local out = {}
for i = 6, #ARGV, 3 do
  local id, uid, json = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local tk, uk = pfx .. 't:' .. id, pfx .. 'u:' .. uid
  local cur = redis.call('GET', uk)
  if redis.call('EXISTS', tk) == 1 then
    out[#out + 1] = 'duplicate_ticket'
  elseif cur and redis.call('EXISTS', pfx .. 't:' .. cur) == 1 then
    out[#out + 1] = 'already_queued'
  else
    local pair = nil
    while true do
      local head = redis.call('ZRANGE', q, 0, 0)[1]
      if not head then break end
      local hk = pfx .. 't:' .. head
      local h = redis.call('HMGET', hk, 'ticket', 'user')
      redis.call('ZREM', q, head)
      if h[1] then
        pair = '{"tickets":[' .. h[1] .. ',' .. json .. '],"matchedAt":' .. now .. '}'
        redis.call('HSET', hk, 'state', 'matched', 'pair', pair)
        redis.call('PEXPIRE', hk, mttl)
        redis.call('SET', pfx .. 'u:' .. h[2], head, 'PX', mttl)
        break
      end
    end
    if pair then
      redis.call('HSET', tk, 'ticket', json, 'user', uid, 'state', 'matched', 'pair', pair, 'node', node)
      redis.call('PEXPIRE', tk, mttl)
      redis.call('SET', uk, id, 'PX', mttl)
      out[#out + 1] = pair
    else
      redis.call('HSET', tk, 'ticket', json, 'user', uid, 'state', 'queued', 'node', node)
      redis.call('PEXPIRE', tk, qttl)
      redis.call('SET', uk, id, 'PX', qttl)
      redis.call('ZADD', q, redis.call('INCR', seqk), id)
      out[#out + 1] = 'ok'
    end
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
