"""Everything the homepage needs, in one Redis round trip on a warm cache."""

import logging
from dataclasses import dataclass

from webapp.extensions import redis_client
from webapp.home.carousel import active_banners_from_db, banner_list
from webapp.redis import RedisUnavailable
from webapp.stats import rankings, visits

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Homepage:
    banners: list
    counts: visits.VisitCounts | None  # None while Redis is unavailable
    hot: frozenset = frozenset()  # ids of the most clicked banners ("hot right now")


def load_homepage(visitor_id):
    """Count the visit, read the most clicked banners and the banner list in one pipeline.
    With Redis down, serve the banners straight from the database and no counters; it
    recovers on its own."""
    try:
        pipe = redis_client.pipeline(transaction=False)
        visits.queue_visit(pipe, visitor_id, visits.today())
        rankings.queue_hot_banners(pipe)
        banner_list.queue_read(pipe)
        replies = pipe.execute()
        counts = visits.counts_from(replies[: visits.QUEUED_REPLIES])
        hot = frozenset(banner_id for banner_id, _ in rankings.parse(replies[visits.QUEUED_REPLIES]))
        banners = banner_list.get(raw=replies[-1])
    except RedisUnavailable as error:
        log.warning("Redis unavailable, homepage served from the database: %s", error)
        return Homepage(banners=active_banners_from_db(), counts=None)
    return Homepage(banners=banners, counts=counts, hot=hot)
