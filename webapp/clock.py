"""Time, in one place: every stored time is UTC; people see the site's TIMEZONE."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app

ONE_YEAR = 365 * 24 * 3600  # seconds, for cookies and caches that keep


def utcnow():
    """Now, as an aware UTC datetime (the default of every timestamp column)."""
    return datetime.now(UTC)


def as_utc(moment):
    """A stored time as aware UTC: SQLite hands datetimes back naive, and they are all UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def parse_utc(text):
    """An ISO 8601 date-time (UTC unless it names a zone) as aware UTC; ValueError if not one."""
    return as_utc(datetime.fromisoformat(text))


def epoch_ms(moment):
    """Milliseconds since the epoch, for the pages' JavaScript."""
    return int(as_utc(moment).timestamp() * 1000)


def site_zone():
    return ZoneInfo(current_app.config["TIMEZONE"])


def today():
    """Today in the site's TIMEZONE (where "today's visits" end)."""
    return datetime.now(site_zone()).date()


def local(moment):
    """A stored (UTC) time in the site's TIMEZONE."""
    return as_utc(moment).astimezone(site_zone())


def parse_any(value):
    """A datetime, or an ISO 8601 text of one (as JSON figures carry them), as aware UTC."""
    return as_utc(value) if isinstance(value, datetime) else parse_utc(value)


def relative(moment, now=None):
    """ "8 s ago", "in 52 s", "3 min ago", "2 h ago", "4 d ago"."""
    seconds = round((as_utc(moment) - (now or utcnow())).total_seconds())
    size, unit = next(
        ((s, u) for s, u in ((86400, "d"), (3600, "h"), (60, "min")) if abs(seconds) >= s), (1, "s")
    )
    amount = abs(seconds) // size
    return f"in {amount} {unit}" if seconds > 0 else f"{amount} {unit} ago"
