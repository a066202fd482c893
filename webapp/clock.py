"""Time, in one place: every stored time is UTC; people see the site's TIMEZONE."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app


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


def local(moment):
    """A stored (UTC) time in the site's TIMEZONE."""
    return as_utc(moment).astimezone(site_zone())
