"""Finished days' visit counters, kept in the database (Redis forgets them after a while)."""

from datetime import date, datetime

from sqlalchemy.orm import Mapped, mapped_column

from webapp.clock import utcnow
from webapp.extensions import db


class DailyVisits(db.Model):
    """One finished day's visit counters, rolled up from Redis by a beat task."""

    __tablename__ = "daily_visits"

    day: Mapped[date] = mapped_column(primary_key=True)
    visits: Mapped[int] = mapped_column(default=0)
    visitors: Mapped[int] = mapped_column(default=0)
    rolled_up_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
