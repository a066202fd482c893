"""Every Redis key of the flash sale, built in one place."""


def sale(sale_id):
    """Hash: `stock` (units left to reserve), `starts_at`, `ends_at` (epoch seconds)."""
    return f"flash:sale:{sale_id}"


def buyers(sale_id):
    """Set of the user ids that reserved a unit of this sale (one each, ever)."""
    return f"flash:sale:{sale_id}:buyers"


def returned(sale_id):
    """Set of the order numbers whose unit went back to `stock` (so it goes back once)."""
    return f"flash:sale:{sale_id}:returned"


def feed(sale_id):
    """List, newest first, capped: masked "138****5678 bought X" entries as JSON."""
    return f"flash:sale:{sale_id}:feed"


def lost_since(sale_id):
    """String: when beat first found the sale's stock missing from Redis (epoch seconds)."""
    return f"flash:sale:{sale_id}:lost-since"


def pending_orders():
    """Sorted set of reserved orders not yet written, scored by the time they were reserved (or
    last re-published). Members are `pending_member(...)`; the order task removes its own."""
    return "flash:orders:pending"


def pending_member(order_no, sale_id, user_id):
    """What a pending order is recorded as: all the order task needs to be sent again."""
    return f"{order_no}:{sale_id}:{user_id}"


def sale_list_cache():
    """The cached list of visible sales' name (webapp.caching.CachedJSON builds its keys from it)."""
    return "api:flash-sales"


def sale_cache(sale_id):
    """One sale's cached JSON's name (its read figures expire a day after the last read)."""
    return f"api:flash-sale:{sale_id}"


def repairs():
    """Hash of repair counters for the dashboard: `orders_republished`, `orders_cancelled`,
    `sales_reloaded`."""
    return "stats:repairs"
