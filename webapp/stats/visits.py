"""Visit counters: total and per-day visits with INCR, per-day unique visitors with a
HyperLogLog over the visitor cookie. Day keys expire after VISIT_DAY_KEY_DAYS days."""

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from webapp.extensions import redis_client

VISITOR_COOKIE = "vid"


def total_key():
    return "visits:total"


def day_key(day):
    return f"visits:day:{day.isoformat()}"


def visitors_key(day):
    return f"visitors:day:{day.isoformat()}"


def today():
    """Today in the site's TIMEZONE (the day boundary for "today's visits")."""
    return datetime.now(ZoneInfo(current_app.config["TIMEZONE"])).date()


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


def queue_visit(pipe, visitor_id, day):
    """Add one visit's writes and reads to `pipe` (5 replies; `counts_from` reads them)."""
    ttl = current_app.config["VISIT_DAY_KEY_DAYS"] * 86400
    pipe.incr(total_key())
    pipe.incr(day_key(day))
    pipe.expire(day_key(day), ttl)
    pipe.pfadd(visitors_key(day), visitor_id)
    pipe.expire(visitors_key(day), ttl)
    pipe.pfcount(visitors_key(day))


QUEUED_REPLIES = 6


def counts_from(replies):
    total, day, _, _, _, visitors = replies
    return VisitCounts(total=total, today=day, visitors_today=visitors)


def read_counts(day: date):
    """The counters for `day` without counting a visit (for the CLI and the dashboard)."""
    pipe = redis_client.pipeline(transaction=False)
    pipe.get(total_key())
    pipe.get(day_key(day))
    pipe.pfcount(visitors_key(day))
    total, visits, visitors = pipe.execute()
    return VisitCounts(total=int(total or 0), today=int(visits or 0), visitors_today=visitors)
