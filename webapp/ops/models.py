"""What operations keep in the database: the task history (it outlives worker and Redis
restarts) and uploaded images (every web host serves them)."""

from datetime import datetime

from sqlalchemy import LargeBinary, String, Text
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


class Upload(db.Model):
    """An image uploaded by an admin, kept in the database so every web host serves it."""

    __tablename__ = "upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)  # 32 hex characters + extension
    content_type: Mapped[str] = mapped_column(String(40))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
