"""The task history: every Celery task run recorded in `TaskRun` through Celery signals.

Connected by `tasks.admin` (which the worker imports through Celery's `imports` setting), so
every worker records its runs; the table outlives worker restarts, unlike Flower's memory.
Recording never breaks a task: a database error is logged and the task goes on.
"""

import logging
import threading
import time
from datetime import UTC, datetime

from celery import signals
from sqlalchemy import delete, select
from sqlalchemy.exc import SQLAlchemyError

from webapp.admin.models import TaskRun
from webapp.extensions import db

log = logging.getLogger(__name__)

KEEP_RUNS = 1000  # rows kept by `prune`
_started = {}  # task_id -> monotonic start, for the runtime
_lock = threading.Lock()


def _record(task, change):
    """Run `change(session)` in the Flask app the task's Celery app belongs to."""
    flask_app = getattr(task.app, "flask_app", None)
    if flask_app is None:
        return
    with flask_app.app_context():
        try:
            change()
            db.session.commit()
        except SQLAlchemyError as error:
            db.session.rollback()
            log.warning("could not record task %s: %s", task.name, error)


def _row(task_id):
    return db.session.scalar(select(TaskRun).where(TaskRun.task_id == task_id))


def on_prerun(sender=None, task_id=None, task=None, **_):
    with _lock:
        _started[task_id] = time.monotonic()

    def change():
        row = _row(task_id) or TaskRun(task_id=task_id, name=task.name)
        row.state, row.worker = "STARTED", task.request.hostname or ""
        row.started_at, row.finished_at, row.runtime, row.error = datetime.now(UTC), None, None, ""
        db.session.add(row)

    _record(task, change)


def on_failure(sender=None, task_id=None, exception=None, **_):
    def change():
        row = _row(task_id)
        if row is not None:
            row.error = f"{type(exception).__name__}: {exception}"[:1000]

    _record(sender, change)


def on_postrun(sender=None, task_id=None, task=None, state=None, **_):
    with _lock:
        started = _started.pop(task_id, None)
    runtime = time.monotonic() - started if started is not None else None

    def change():
        row = _row(task_id)
        if row is not None:
            row.state, row.finished_at, row.runtime = state or "UNKNOWN", datetime.now(UTC), runtime

    _record(task, change)


def connect():
    """Hook the recorders to Celery's signals (idempotent: `weak=False` + dispatch uids)."""
    signals.task_prerun.connect(on_prerun, weak=False, dispatch_uid="task_log.prerun")
    signals.task_failure.connect(on_failure, weak=False, dispatch_uid="task_log.failure")
    signals.task_postrun.connect(on_postrun, weak=False, dispatch_uid="task_log.postrun")


def recent(limit=50):
    """The latest runs, newest first."""
    return list(db.session.scalars(select(TaskRun).order_by(TaskRun.started_at.desc()).limit(limit)))


def last_runs():
    """Each task name's latest start time (the beat schedule's "last run")."""
    rows = db.session.execute(select(TaskRun.name, db.func.max(TaskRun.started_at)).group_by(TaskRun.name))
    return {name: started for name, started in rows}


def prune(keep=KEEP_RUNS):
    """Delete all but the newest `keep` runs; returns how many were deleted."""
    cutoff = db.session.scalar(
        select(TaskRun.started_at).order_by(TaskRun.started_at.desc()).offset(keep - 1).limit(1)
    )
    if cutoff is None:
        return 0
    deleted = db.session.execute(delete(TaskRun).where(TaskRun.started_at < cutoff)).rowcount
    db.session.commit()
    return deleted
