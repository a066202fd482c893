"""The flash sale's Lua scripts. Each runs atomically in Redis: the checks and the writes
that depend on them cannot interleave with another web process's (see stock.py for callers)."""

from webapp.redis import LuaScript

# Reserve one unit for a user, all or nothing, and record the order as pending (its task not
# done yet), so beat can send the task again if it is lost with a worker.
# KEYS[1] sale hash (fields stock, starts_at, ends_at)   KEYS[2] buyers set
# KEYS[3] pending orders (sorted set)
# ARGV[1] user id   ARGV[2] now, epoch seconds (the web server's clock)
# ARGV[3] the pending order's member ('' records none)
# Returns the stock left after the reservation (>= 0), or a negative code (see RESERVE_ERRORS).
RESERVE = LuaScript("""
local sale = redis.call('HMGET', KEYS[1], 'stock', 'starts_at', 'ends_at')
local stock = tonumber(sale[1])
if not stock then return -3 end
local now = tonumber(ARGV[2])
if now < tonumber(sale[2]) then return -4 end
if now >= tonumber(sale[3]) then return -5 end
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return -2 end
if stock <= 0 then return -1 end
redis.call('SADD', KEYS[2], ARGV[1])
if ARGV[3] and ARGV[3] ~= '' then redis.call('ZADD', KEYS[3], ARGV[2], ARGV[3]) end
return redis.call('HINCRBY', KEYS[1], 'stock', -1)
""")

# Undo a reservation that never became an order (the task could not be queued, or refused it).
# KEYS[1] sale hash   KEYS[2] buyers set   KEYS[3] pending orders
# ARGV[1] user id   ARGV[2] the pending order's member ('' if none)
# Returns 1 when the unit went back, 0 when there was nothing to undo: the SREM decides,
# so running it twice gives the unit back once.
RELEASE = LuaScript("""
if ARGV[2] and ARGV[2] ~= '' then redis.call('ZREM', KEYS[3], ARGV[2]) end
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('SREM', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[1], 'stock', 1)
return 1
""")

# Give back the unit of a cancelled order; the buyer stays (one order per user, ever).
# KEYS[1] sale hash   KEYS[2] returned-orders set   ARGV[1] order number
# Returns 1 when the unit went back, 0 when this order's unit already had, -1 when the
# sale is not loaded (a later `load` takes the unit from the database anyway).
RETURN_UNIT = LuaScript("""
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[1], 'stock', 1)
return 1
""")

# Carry an admin's edit of a loaded sale into Redis: the new window, and units added to the
# stock (relative, so reservations racing the edit are kept), keys expiring with the new end.
# KEYS[1] sale hash   KEYS[2] buyers set   KEYS[3] returned set
# ARGV[1] starts_at   ARGV[2] ends_at (epoch seconds)   ARGV[3] units added   ARGV[4] expire at
# Returns 1, or 0 when the sale is not loaded (a later `load` takes it all from the database).
EDIT = LuaScript("""
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'starts_at', ARGV[1], 'ends_at', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'stock', ARGV[3])
for i = 1, 3 do redis.call('EXPIREAT', KEYS[i], ARGV[4]) end
return 1
""")
