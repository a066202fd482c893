"""Visit counters: total and per-day visits with INCR, per-day unique visitors with a
HyperLogLog over the visitor cookie. Day keys expire after VISIT_DAY_KEY_DAYS days."""

import secrets
from dataclasses import dataclass
from datetime import date

from flask import current_app

from webapp.extensions import redis_client
from webapp.stats import keys

VISITOR_COOKIE = "vid"


def new_visitor_id():
    return secrets.token_urlsafe(12)


def is_visitor_id(value):
    """A cookie value we could have issued (16 URL-safe characters); anything else is replaced."""
    return len(value) == 16 and all(c.isalnum() or c in "-_" for c in value)


@dataclass(frozen=True)
class VisitCounts:
    total: int
    today: int
    visitors_today: int


def queue_visit(batch, visitor_id, day):
    """Count one visit and read the counters back, in `batch` (webapp.redis.Batch); returns
    the Reply whose value is the VisitCounts after this visit."""
    ttl = current_app.config["VISIT_DAY_KEY_DAYS"] * 86400

    def queue(pipe):
        pipe.incr(keys.total_visits())
        pipe.incr(keys.day_visits(day))
        pipe.expire(keys.day_visits(day), ttl)
        pipe.pfadd(keys.day_visitors(day), visitor_id)
        pipe.expire(keys.day_visitors(day), ttl)
        pipe.pfcount(keys.day_visitors(day))

    def read(replies):
        total, visits, _, _, _, visitors = replies
        return VisitCounts(total=total, today=visits, visitors_today=visitors)

    return batch.add(queue, read)


def read_counts(day: date):
    """The counters for `day` without counting a visit (for the CLI and the dashboard)."""
    pipe = redis_client.pipeline(transaction=False)
    pipe.get(keys.total_visits())
    pipe.get(keys.day_visits(day))
    pipe.pfcount(keys.day_visitors(day))
    total, visits, visitors = pipe.execute()
    return VisitCounts(total=int(total or 0), today=int(visits or 0), visitors_today=visitors)
