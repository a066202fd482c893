"""The Lua scripts of the code store. Each runs atomically in Redis, so the checks and the
writes that depend on them cannot interleave with another web process's.

Why Lua rather than MULTI: issuing a code is check-then-act (is a cooldown running? is the
day's quota used up? only then count, start the cooldown and store). MULTI cannot branch on
what it reads; it would need WATCH and a retry loop. A script does it in one round trip.
"""

from webapp.redis import LuaScript

# Issue a code: refuse during the requester's cooldown, past its daily quota for the phone or
# past the site's daily budget, else count it, start the cooldown and store the code's
# verifier with a fresh attempt counter.
# KEYS[1] code hash   KEYS[2] cooldown key   KEYS[3] daily counter   KEYS[4] site's budget
# ARGV[1] verifier    ARGV[2] code TTL (s)   ARGV[3] cooldown (s, 0 = none)
# ARGV[4] daily limit ARGV[5] daily window (s)   ARGV[6] site's daily budget
# Returns {0, codes sent in the window} | {1, cooldown ms left} | {2, window ms left} |
# {3, budget ms left}
ISSUE = LuaScript("""
local wait = redis.call('PTTL', KEYS[2])
if wait > 0 then return {1, wait} end
local sent = tonumber(redis.call('GET', KEYS[3]) or '0')
if sent >= tonumber(ARGV[4]) then return {2, redis.call('PTTL', KEYS[3])} end
if tonumber(redis.call('GET', KEYS[4]) or '0') >= tonumber(ARGV[6]) then
  return {3, redis.call('PTTL', KEYS[4])}
end
if redis.call('INCR', KEYS[3]) == 1 then redis.call('EXPIRE', KEYS[3], ARGV[5]) end
if redis.call('INCR', KEYS[4]) == 1 then redis.call('EXPIRE', KEYS[4], 2 * 86400) end
if tonumber(ARGV[3]) > 0 then redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[3]) end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'verifier', ARGV[1], 'attempts', 0)
redis.call('EXPIRE', KEYS[1], ARGV[2])
return {0, sent + 1}
""")

# Take back a code that was never handed to the broker: delete it and its cooldown and give
# the quota back, but only if they are still this code's (a newer code is left alone).
# KEYS[1] code hash   KEYS[2] cooldown key   KEYS[3] daily counter   KEYS[4] site's budget
# ARGV[1] verifier
# Returns 1 if the code was withdrawn, 0 if it was already gone or replaced.
WITHDRAW = LuaScript("""
if redis.call('HGET', KEYS[1], 'verifier') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
if tonumber(redis.call('GET', KEYS[3]) or '0') > 0 then redis.call('DECR', KEYS[3]) end
if tonumber(redis.call('GET', KEYS[4]) or '0') > 0 then redis.call('DECR', KEYS[4]) end
return 1
""")

# Judge one login attempt, all at once: count it, compare, and delete the code when it is used
# or its last attempt is spent. Being one script, racing requests are judged one after the
# other: of several correct submissions exactly one logs in, and no more than `max attempts`
# guesses are ever judged against one code. (The comparison is of keyed hashes: its timing
# says nothing about the code to anyone without SECRET_KEY.)
# KEYS[1] code hash
# ARGV[1] verifier of the submitted code   ARGV[2] max attempts
# Returns 0 (accepted, code deleted) | -1 (no code: expired, used or never sent) |
# -2 (that was the last attempt: code deleted) | n > 0 (wrong; n attempts left)
VERIFY = LuaScript("""
local verifier = redis.call('HGET', KEYS[1], 'verifier')
if not verifier then return -1 end
local attempt = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
local max = tonumber(ARGV[2])
if verifier == ARGV[1] and attempt <= max then
  redis.call('DEL', KEYS[1])
  return 0
end
if attempt >= max then
  redis.call('DEL', KEYS[1])
  return -2
end
return max - attempt
""")
