"""The task history, kept in the database so it outlives worker and Redis restarts."""

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.clock import utcnow
from webapp.extensions import db


class TaskRun(db.Model):
    """One Celery task run, recorded by the worker through Celery signals."""

    __tablename__ = "task_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    state: Mapped[str] = mapped_column(String(20))
    worker: Mapped[str] = mapped_column(String(200), default="")
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    runtime: Mapped[float | None] = mapped_column(default=None)
    error: Mapped[str] = mapped_column(Text, default="")

    def to_dict(self):
        return {
            "task_id": self.task_id,
            "name": self.name,
            "state": self.state,
            "worker": self.worker,
            "started_at": self.started_at.isoformat(),
            "runtime": None if self.runtime is None else round(self.runtime, 3),
            "error": self.error,
        }
