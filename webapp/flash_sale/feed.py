"""The "who just bought" feed: a capped Redis list of masked entries, newest first."""

import json
import logging

from webapp.auth.models import User
from webapp.clock import as_utc
from webapp.extensions import db, redis_client
from webapp.flash_sale import keys
from webapp.flash_sale.models import FlashSale
from webapp.flash_sale.stock import KEEP_AFTER_END
from webapp.redis import RedisUnavailable

log = logging.getLogger(__name__)

FEED_LENGTH = 10


def record_purchase(order):
    """LPUSH + LTRIM one masked entry ("138****5678 bought X"). The feed is decoration: a
    Redis failure here is logged, never fails the order."""
    user = db.session.get(User, order.user_id)
    sale = db.session.get(FlashSale, order.sale_id)
    entry = json.dumps(
        {
            "who": user.masked_phone if user else "****",
            "product": sale.product_name,
            "at": as_utc(order.created_at).isoformat(),
        }
    )
    key = keys.feed(order.sale_id)
    try:
        pipe = redis_client.pipeline(transaction=True)
        pipe.lpush(key, entry)
        pipe.ltrim(key, 0, FEED_LENGTH - 1)
        pipe.expireat(key, as_utc(sale.ends_at) + KEEP_AFTER_END)
        pipe.execute()
    except RedisUnavailable as error:
        log.warning("Feed entry for order %s not recorded: %s", order.id, error)


def latest(sale_id, count=FEED_LENGTH):
    """The newest entries as dicts ({"who", "product", "at"}); [] when Redis is down."""
    try:
        raw = redis_client.lrange(keys.feed(sale_id), 0, count - 1)
    except RedisUnavailable:
        return []
    return [json.loads(item) for item in raw]
