"""Rankings in sorted sets: banner clicks (once per visitor a day) and flash-sale page views,
the top N read with one ZREVRANGE. Key builders live here and nowhere else."""

import logging

from webapp.extensions import redis_client
from webapp.redis import RedisUnavailable
from webapp.stats import scripts, visits

log = logging.getLogger(__name__)

HOT_COUNT = 3  # banners the homepage may mark as "hot right now"


def banner_clicks_key():
    return "rank:banner-clicks"


def sale_views_key():
    return "rank:sale-views"


def banner_clickers_key(banner_id, day):
    """Set of the visitors (keyed hashes of their address) who clicked the banner on `day`;
    it expires after CLICKERS_KEPT_SECONDS, so anonymous clicks leave nothing for good."""
    return f"rank:banner-clicks:seen:{day.isoformat()}:{banner_id}"


CLICKERS_KEPT_SECONDS = 2 * 86400


def _bump(key, member):
    """Count one event; a Redis outage loses the count, never the visitor's request."""
    try:
        redis_client.zincrby(key, 1, str(member))
    except RedisUnavailable as error:
        log.warning("ranking %s not counted: %s", key, error)


def record_banner_click(banner_id, visitor):
    """Count the click once per visitor (`web.clients.requester_key`) a day: repeating a GET
    inflates nothing. A Redis outage loses the count, never the visitor's request."""
    try:
        scripts.COUNT_CLICK(
            keys=[banner_clicks_key(), banner_clickers_key(banner_id, visits.today())],
            args=[banner_id, visitor, CLICKERS_KEPT_SECONDS],
        )
    except RedisUnavailable as error:
        log.warning("banner click not counted: %s", error)


def record_sale_view(sale_id):
    _bump(sale_views_key(), sale_id)


def top(key, count=10):
    """[(member id, score)] best first. Raises RedisUnavailable when Redis is down."""
    return parse(redis_client.zrevrange(key, 0, count - 1, withscores=True))


def parse(reply):
    return [(int(member), int(score)) for member, score in reply]


def queue_hot_banners(pipe, count=HOT_COUNT):
    """Add the most clicked banners' read to a pipeline (the homepage's one round trip)."""
    pipe.zrevrange(banner_clicks_key(), 0, count - 1, withscores=True)
