"""Everything the homepage needs, in one Redis round trip on a warm cache."""

import json
import logging
from dataclasses import dataclass

from webapp.clock import today
from webapp.home.carousel import active_banners_from_db, banner_list
from webapp.redis import Batch, RedisUnavailable
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
    """Count the visit, read the most clicked banners and the banner list in one batch, each
    part reading its own replies. With Redis down, serve the banners straight from the database
    and no counters; it recovers on its own."""
    try:
        batch = Batch()
        counts = visits.queue_visit(batch, visitor_id, today())
        hot = rankings.queue_hot_banners(batch)
        banners = banner_list.queue_read(batch)
        batch.execute()
        banners_json = banner_list.get_json(raw=banners.value)
    except RedisUnavailable as error:
        log.warning("Redis unavailable, homepage served from the database: %s", error)
        return Homepage(banners_json=json.dumps(active_banners_from_db()).encode(), counts=None)
    return Homepage(banners_json=banners_json, counts=counts.value, hot=hot.value)
