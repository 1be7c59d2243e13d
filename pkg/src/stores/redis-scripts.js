// The Lua scripts RedisStore and RedisClusterStore run on the server, each one atomic there.

const HELPERS = `
local function unchanged(current, flag, expected)
  if flag == "0" then return current == false end
  return current == expected
end
local function whole(v)
  return type(v) == "string" and #v <= 16 and string.match(v, "^%-?%d+$") ~= nil
end
local function kind(key, allowed)
  local t = redis.call("TYPE", key).ok
  return t == "none" or t == allowed
end
-- Files a family id in a subject's index (scored by the family's expiry), drops expired ones,
-- and keeps the index as long as its longest family.
local function index(key, family, now, score)
  redis.call("ZADD", key, score, family)
  redis.call("ZREMRANGEBYSCORE", key, "-inf", now)
  local last = redis.call("ZRANGE", key, -1, -1, "WITHSCORES")
  if last[2] then redis.call("PEXPIRE", key, string.format("%d", tonumber(last[2]) - tonumber(now))) end
end
`;

/** The commit script, with the subject index among its keys (one server) or without (cluster). */
function casScript(indexed) {
  // Lua index of the first token's record key: after the family record and, if any, the index.
  const t = indexed ? 3 : 2;
  return `${HELPERS}
local tokens = (#KEYS - ${t - 1}) / 2
if tokens ~= math.floor(tokens) or #ARGV ~= 7 + 7 * tokens then
  return redis.error_reply("ERR jwtward commit: wrong number of keys or arguments")
end
if not (kind(KEYS[1], "string") ${indexed ? 'and kind(KEYS[2], "zset") ' : ""}and whole(ARGV[2]) and whole(ARGV[6]) and whole(ARGV[7])) then
  return redis.error_reply("ERR jwtward commit: a key of the wrong type or a bad number; nothing written")
end
for i = 0, tokens - 1 do
  local a = 8 + i * 7
  if not (kind(KEYS[${t} + 2 * i], "hash") and kind(KEYS[${t + 1} + 2 * i], "string") and whole(ARGV[a + 3])) then
    return redis.error_reply("ERR jwtward commit: a key of the wrong type or a bad number; nothing written")
  end
  if ARGV[a + 4] == "1" and not whole(ARGV[a + 6]) then
    return redis.error_reply("ERR jwtward commit: a bad number; nothing written")
  end
end
if not unchanged(redis.call("GET", KEYS[1]), ARGV[3], ARGV[4]) then return 0 end
for i = 0, tokens - 1 do
  local a = 8 + i * 7
  if not unchanged(redis.call("HGET", KEYS[${t} + 2 * i], "r"), ARGV[a], ARGV[a + 1]) then return 0 end
end
-- A time to live of zero or less deletes the key: what has expired reads as absent.
redis.call("SET", KEYS[1], ARGV[5])
redis.call("PEXPIRE", KEYS[1], ARGV[6])
for i = 0, tokens - 1 do
  local a = 8 + i * 7
  local record, sealed = KEYS[${t} + 2 * i], KEYS[${t + 1} + 2 * i]
  redis.call("HSET", record, "r", ARGV[a + 2], "f", ARGV[1])
  redis.call("PEXPIRE", record, ARGV[a + 3])
  if ARGV[a + 4] == "1" then
    redis.call("SET", sealed, ARGV[a + 5])
    redis.call("PEXPIRE", sealed, ARGV[a + 6])
  else
    redis.call("DEL", sealed)
  end
end
${indexed ? "index(KEYS[2], ARGV[1], ARGV[2], ARGV[7])\n" : ""}return 1
`;
}

// A generic, multi-key compare-and-set. It knows nothing of refresh-token rules: it checks that
// the family record and each token record still hold exactly what the caller read (or are absent
// when the caller expects absence), and only then writes every record with its time to live, the
// sealed successors (with their shorter one), and the family into its subject's index.
// All or nothing: every key's type and every number is checked before the first write, so no
// write can fail midway (WRONGTYPE, a bad expiry) and leave half a rotation behind.
// Expiry is RELATIVE (PEXPIRE with a time to live the application computed from its own clock):
// absolute times from the application's clock would be judged by Redis's clock, and a skew as
// large as reuseGrace would drop a sealed successor the moment it is written. The subject
// index's scores are the application's absolute times, only ever compared with its `now`.
// KEYS: family record, subject index, then per token: record hash, sealed successor.
// ARGV: family id, now (ms), family expect flag ("1" value, "0" absent), expect, record,
//       time to live (ms), expiry (ms, the index score),
//       then 7 per token: expect flag, expect, record, time to live (ms), sealed flag, sealed,
//       sealed time to live (ms).
export const CAS_SCRIPT = casScript(true);

// RedisClusterStore's compare-and-set: the same checks and writes over keys that all carry the
// family's {hash tag}, so the script runs inside one slot; the subject index (in another slot)
// is not part of it (see INDEX_SCRIPT). KEYS: family record, then per token: record hash, sealed
// successor. ARGV as CAS_SCRIPT's (the 7th, the index score, is unused).
export const CLUSTER_CAS_SCRIPT = casScript(false);

// RedisClusterStore files a new family in its subject's index with this, BEFORE the family's
// first commit: a family can then never be usable without being in the index (revokeSubject
// finds it); the index may name a family whose commit never landed, which reads as absent.
// KEYS: subject index. ARGV: family id, now (ms), the family's expiry (ms, the score).
export const INDEX_SCRIPT = `${HELPERS}
if not (kind(KEYS[1], "zset") and whole(ARGV[2]) and whole(ARGV[3])) then
  return redis.error_reply("ERR jwtward index: a key of the wrong type or a bad number; nothing written")
end
index(KEYS[1], ARGV[1], ARGV[2], ARGV[3])
return 1
`;

// A consistent snapshot of one token: its record, its family id and its sealed successor.
// KEYS: record hash, sealed successor.
export const READ_SCRIPT = `
local fields = redis.call("HMGET", KEYS[1], "r", "f")
return { fields[1], fields[2], redis.call("GET", KEYS[2]) }
`;

// RedisClusterStore's snapshot of one token and its family, all keys in the family's slot.
// KEYS: record hash, sealed successor, family record.
export const CLUSTER_READ_SCRIPT = `
return { redis.call("HGET", KEYS[1], "r"), redis.call("GET", KEYS[2]), redis.call("GET", KEYS[3]) }
`;
