"""Daily visit history: finished days rolled up from Redis into `DailyVisits`, today live.

Redis keeps each day's counters for VISIT_DAY_KEY_DAYS days and loses them on a restart
without persistence; the table keeps them for good. The rollup is idempotent: it writes the
counters as they are (never adds), and never overwrites a row from a key Redis no longer has.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from webapp.clock import today as site_today
from webapp.extensions import db, redis_client
from webapp.redis import RedisUnavailable
from webapp.stats import keys, visits
from webapp.stats.models import DailyVisits

ROLLUP_DAYS = 7  # finished days looked at on each run: catches up after a week without beat


@dataclass(frozen=True)
class DayCount:
    day: date
    visits: int
    visitors: int


def roll_up(today=None, days=ROLLUP_DAYS):
    """Copy the finished days' counters (yesterday and the `days - 1` before) into the table.
    Returns the days written. Raises RedisUnavailable when Redis is down."""
    today = today or site_today()
    wanted = [today - timedelta(days=n) for n in range(1, days + 1)]
    pipe = redis_client.pipeline(transaction=False)
    for day in wanted:
        pipe.exists(keys.day_visits(day))
        pipe.get(keys.day_visits(day))
        pipe.pfcount(keys.day_visitors(day))
    replies = pipe.execute()
    written = []
    for index, day in enumerate(wanted):
        exists, count, visitors = replies[3 * index : 3 * index + 3]
        if not exists:
            continue  # expired or lost in a restart: keep whatever the table has
        row = db.session.get(DailyVisits, day) or DailyVisits(day=day)
        row.visits, row.visitors = int(count or 0), int(visitors)
        db.session.add(row)
        written.append(day)
    db.session.commit()
    return written


def last_days(days=30, today=None):
    """`days` DayCounts ending today: past days from the table, today live from Redis
    (zero when Redis is down). Days without data count as zero."""
    today = today or site_today()
    first = today - timedelta(days=days - 1)
    rows = db.session.scalars(select(DailyVisits).where(DailyVisits.day >= first, DailyVisits.day < today))
    known = {row.day: row for row in rows}
    try:
        live = visits.read_counts(today)
        today_count = DayCount(today, live.today, live.visitors_today)
    except RedisUnavailable:
        today_count = DayCount(today, 0, 0)
    result = []
    for n in range(days - 1):
        day = first + timedelta(days=n)
        row = known.get(day)
        result.append(DayCount(day, row.visits, row.visitors) if row else DayCount(day, 0, 0))
    return [*result, today_count]
