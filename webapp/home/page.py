"""Everything the homepage needs, in one Redis round trip on a warm cache."""

import json
import logging
from dataclasses import dataclass

from webapp.extensions import redis_client
from webapp.home.carousel import active_banners_from_db, banner_list
from webapp.redis import RedisUnavailable
from webapp.stats import rankings, visits

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Homepage:
    banners_json: bytes  # the banner list as cached: a write replaces the bytes, so they are its version
    counts: visits.VisitCounts | None  # None while Redis is unavailable
    hot: frozenset = frozenset()  # ids of the most clicked banners ("hot right now")

    @property
    def banners(self):
        return json.loads(self.banners_json)


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
        banners_json = banner_list.get_json(raw=replies[-1])
    except RedisUnavailable as error:
        log.warning("Redis unavailable, homepage served from the database: %s", error)
        return Homepage(banners_json=json.dumps(active_banners_from_db()).encode(), counts=None)
    return Homepage(banners_json=banners_json, counts=counts, hot=hot)
