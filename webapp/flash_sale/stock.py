"""The sale's stock in Redis: reserved atomically by a Lua script (scripts.py), given back
exactly once.

Redis answers the Buy click (the hot path touches no database); the database stays the
record, and `reconcile` compares the two.
"""

import time
from datetime import timedelta

from flask import current_app

from webapp.clock import as_utc
from webapp.extensions import redis_client
from webapp.flash_sale import keys, scripts
from webapp.flash_sale.errors import AlreadyBought, Ended, NotStarted, SaleNotLoaded, SoldOut

SOLD_OUT = -1

#: What the reservation script's negative answers mean.
RESERVE_ERRORS = {
    SOLD_OUT: SoldOut,
    -2: AlreadyBought,
    -3: SaleNotLoaded,
    -4: NotStarted,
    -5: Ended,
}

#: How long the sale's keys outlive its end (orders may still be cancelled meanwhile).
KEEP_AFTER_END = timedelta(days=7)


def reserve(sale_id, user_id, now=None, order_no=None, check_buyer=None):
    """Reserve one unit of the sale for the user, and record `order_no` (if given) as pending
    until its order is written; returns the units left. `check_buyer()`, if given, runs just
    before the reservation and raises to refuse it (the web's check of the buyer's session).

    Raises SoldOut, AlreadyBought, NotStarted, Ended or SaleNotLoaded, what `check_buyer`
    raises (and RedisUnavailable). A sale this process saw sold out moments ago is refused
    without asking Redis (`_sold_out_memo`)."""
    memo = _sold_out_memo()
    if memo.get(sale_id, 0) > time.monotonic():
        raise SoldOut()
    if check_buyer is not None:
        check_buyer()
    now = time.time() if now is None else now
    pending = keys.pending_member(order_no, sale_id, user_id) if order_no else ""
    result = scripts.RESERVE(
        keys=[keys.sale(sale_id), keys.buyers(sale_id), keys.pending_orders()],
        args=[user_id, now, pending],
    )
    if result < 0:
        if result == SOLD_OUT:
            memo[sale_id] = time.monotonic() + current_app.config["SOLD_OUT_MEMO_SECONDS"]
        raise RESERVE_ERRORS[result]()
    return result


def _sold_out_memo():
    """{sale id: monotonic time until which this process answers "sold out" by itself}, per app.

    After the last unit nearly every click is refused, and a sold-out sale stays sold out
    until a unit comes back (an unpaid order cancelled after ORDER_PAY_TIMEOUT): remembering it
    for SOLD_OUT_MEMO_SECONDS spares Redis the flood, and delays a returned unit by at most that
    long. A unit this process gives back clears its memo at once. A buyer clicking again during
    it is told "sold out" rather than "already bought": true, and nothing is reserved."""
    return current_app.extensions.setdefault("sold_out_until", {})


def release(sale_id, user_id, order_no=None):
    """Undo a reservation that never became an order (and its pending record). True if a unit
    went back (once)."""
    pending = keys.pending_member(order_no, sale_id, user_id) if order_no else ""
    released = scripts.RELEASE(
        keys=[keys.sale(sale_id), keys.buyers(sale_id), keys.pending_orders()], args=[user_id, pending]
    )
    if released == 1:
        _sold_out_memo().pop(sale_id, None)
    return released == 1


def order_done(order_no, sale_id, user_id):
    """The order task is finished with this reservation (written, or refused for good)."""
    redis_client.zrem(keys.pending_orders(), keys.pending_member(order_no, sale_id, user_id))


def stuck_orders(older_than, limit=500):
    """[(order_no, sale_id, user_id)] pending since before `older_than` (epoch seconds)."""
    members = redis_client.zrangebyscore(keys.pending_orders(), "-inf", older_than, start=0, num=limit)
    return [tuple(int(part) if n else part for n, part in enumerate(m.decode().split(":"))) for m in members]


def mark_republished(order_no, sale_id, user_id, now=None):
    """Start the order's wait again (so the next sweep does not send it once more) and count it."""
    pipe = redis_client.pipeline(transaction=False)
    pipe.zadd(keys.pending_orders(), {keys.pending_member(order_no, sale_id, user_id): now or time.time()})
    pipe.hincrby(keys.repairs(), "orders_republished", 1)
    pipe.execute()


def count_repair(name, amount=1):
    if amount:
        redis_client.hincrby(keys.repairs(), name, amount)


def repair_counts():
    """{"orders_republished": n, "orders_cancelled": n} for the dashboard."""
    raw = redis_client.hgetall(keys.repairs())
    counts = {key.decode(): int(value) for key, value in raw.items()}
    return {
        name: counts.get(name, 0) for name in ("orders_republished", "orders_cancelled", "sales_reloaded")
    }


def missing(sale_ids):
    """The ids among `sale_ids` whose stock is not in Redis, in one round trip."""
    pipe = redis_client.pipeline(transaction=False)
    for sale_id in sale_ids:
        pipe.exists(keys.sale(sale_id))
    return [sale_id for sale_id, there in zip(sale_ids, pipe.execute(), strict=True) if not there]


def lost_for(sale_id, now=None):
    """Seconds since the sale's missing stock was first noticed (0 when noticed now)."""
    now = now or time.time()
    redis_client.set(keys.lost_since(sale_id), now, nx=True, ex=3600)
    return now - float(redis_client.get(keys.lost_since(sale_id)) or now)


def return_unit(sale_id, order_no):
    """Give back the unit of a cancelled order, once per order. True if it went back now."""
    returned = scripts.RETURN_UNIT(keys=[keys.sale(sale_id), keys.returned(sale_id)], args=[order_no])
    if returned == 1:
        _sold_out_memo().pop(sale_id, None)
    return returned == 1


def stock_left(sale_ids):
    """{sale_id: units left in Redis, or None when not loaded}, in one round trip."""
    pipe = redis_client.pipeline(transaction=False)
    for sale_id in sale_ids:
        pipe.hget(keys.sale(sale_id), "stock")
    return {
        sale_id: None if raw is None else int(raw)
        for sale_id, raw in zip(sale_ids, pipe.execute(), strict=True)
    }


def load(sale, buyer_ids, returned_order_nos):
    """Write the sale's Redis state from the database's: stock = remaining_stock, buyers =
    users holding an order of any state, returned = cancelled orders. One MULTI, so no
    reservation sees half of it. Run it when the sale is created or quiet (a reservation
    in flight while it runs is overwritten; `reconcile` shows any drift)."""
    expire_at = as_utc(sale.ends_at) + KEEP_AFTER_END
    sale_key, buyers_key, returned_key = keys.sale(sale.id), keys.buyers(sale.id), keys.returned(sale.id)
    pipe = redis_client.pipeline(transaction=True)
    pipe.delete(sale_key, buyers_key, returned_key)
    pipe.hset(sale_key, mapping={"stock": sale.remaining_stock, **_window(sale)})
    if buyer_ids:
        pipe.sadd(buyers_key, *buyer_ids)
    if returned_order_nos:
        pipe.sadd(returned_key, *returned_order_nos)
    for key in (sale_key, buyers_key, returned_key):
        pipe.expireat(key, expire_at)
    pipe.delete(keys.lost_since(sale.id))
    pipe.execute()
    _sold_out_memo().pop(sale.id, None)


def apply_edit(sale, added_units):
    """Carry an edited sale's window and `added_units` into Redis, atomically. False when the
    sale is not loaded there (a later `load` takes everything from the database)."""
    window = _window(sale)
    expire_at = int((as_utc(sale.ends_at) + KEEP_AFTER_END).timestamp())
    applied = scripts.EDIT(
        keys=[keys.sale(sale.id), keys.buyers(sale.id), keys.returned(sale.id)],
        args=[window["starts_at"], window["ends_at"], added_units, expire_at],
    )
    _sold_out_memo().pop(sale.id, None)
    return applied == 1


def read_state(sale_id):
    """(stock or None when not loaded, buyer ids as ints) for `reconcile`."""
    pipe = redis_client.pipeline(transaction=True)
    pipe.hget(keys.sale(sale_id), "stock")
    pipe.smembers(keys.buyers(sale_id))
    raw_stock, raw_buyers = pipe.execute()
    return (None if raw_stock is None else int(raw_stock)), {int(b) for b in raw_buyers}


def _window(sale):
    return {"starts_at": as_utc(sale.starts_at).timestamp(), "ends_at": as_utc(sale.ends_at).timestamp()}
