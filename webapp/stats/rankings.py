"""Rankings in sorted sets: banner clicks (once per visitor a day) and flash-sale page views,
the top N read with one ZREVRANGE."""

import logging

from webapp.clock import today
from webapp.extensions import redis_client
from webapp.redis import RedisUnavailable
from webapp.stats import keys, scripts

log = logging.getLogger(__name__)

HOT_COUNT = 3  # banners the homepage may mark as "hot right now"
CLICKERS_KEPT_SECONDS = 2 * 86400  # how long a day's set of clickers outlives the day


def record_banner_click(banner_id, visitor):
    """Count the click once per visitor (`web.clients.requester_key`) a day: repeating a GET
    inflates nothing. A Redis outage loses the count, never the visitor's request."""
    try:
        scripts.COUNT_CLICK(
            keys=[keys.banner_clicks(), keys.banner_clickers(banner_id, today())],
            args=[banner_id, visitor, CLICKERS_KEPT_SECONDS],
        )
    except RedisUnavailable as error:
        log.warning("banner click not counted: %s", error)


def record_sale_view(sale_id):
    """Count a view of the sale's page; a Redis outage loses the count, never the request."""
    try:
        redis_client.zincrby(keys.sale_views(), 1, str(sale_id))
    except RedisUnavailable as error:
        log.warning("sale view not counted: %s", error)


def top(key, count=10):
    """[(member id, score)] best first. Raises RedisUnavailable when Redis is down."""
    return _parse(redis_client.zrevrange(key, 0, count - 1, withscores=True))


def _parse(reply):
    return [(int(member), int(score)) for member, score in reply]


def queue_hot_banners(batch, count=HOT_COUNT):
    """Read the most clicked banners' ids in `batch` (webapp.redis.Batch); returns the Reply
    whose value is their frozenset (the homepage's "hot right now")."""
    return batch.add(
        lambda pipe: pipe.zrevrange(keys.banner_clicks(), 0, count - 1, withscores=True),
        lambda replies: frozenset(banner_id for banner_id, _ in _parse(replies[0])),
    )
