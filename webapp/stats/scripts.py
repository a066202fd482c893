"""The site statistics' Lua scripts."""

from webapp.redis import LuaScript

# Count a visitor's click on a banner once a day: remember the visitor in the day's set of that
# banner's clickers (which expires), and add to the ranking only when the visitor is new.
# KEYS[1] ranking (sorted set)   KEYS[2] the banner's clickers today (set)
# ARGV[1] banner id   ARGV[2] visitor (a keyed hash of the address)   ARGV[3] the set's lifetime (s)
# Returns 1 when the click counted, 0 when this visitor's click today already had.
COUNT_CLICK = LuaScript("""
if redis.call('SADD', KEYS[2], ARGV[2]) == 0 then return 0 end
redis.call('EXPIRE', KEYS[2], ARGV[3])
redis.call('ZINCRBY', KEYS[1], 1, ARGV[1])
return 1
""")
