"""The task history: every Celery task run recorded in `TaskRun` through Celery signals.

Connected by the worker's entry point (tasks/celery.py), so every worker records its runs; the
table outlives worker restarts, unlike Flower's memory.

One write per run, when it has finished (`task_postrun`): the start time and any error are
kept in memory until then, so recording never delays a task's start (a prerun write would wait
on a locked or unreachable database before the task could begin). A run shows once finished.
Recording never breaks a task: a database error is logged and the task goes on.
"""

import logging
import threading
import time
from datetime import timedelta

from celery import signals
from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import SQLAlchemyError

from webapp.clock import utcnow
from webapp.extensions import db
from webapp.ops.models import TaskRun

log = logging.getLogger(__name__)

_running = {}  # task_id -> {"started": monotonic, "started_at": datetime, "error": str}
_lock = threading.Lock()


def on_prerun(sender=None, task_id=None, task=None, **_):
    with _lock:
        _running[task_id] = {"started": time.monotonic(), "started_at": utcnow(), "error": ""}


def on_failure(sender=None, task_id=None, exception=None, **_):
    with _lock:
        if task_id in _running:
            _running[task_id]["error"] = f"{type(exception).__name__}: {exception}"[:1000]


def on_postrun(sender=None, task_id=None, task=None, state=None, **_):
    with _lock:
        run = _running.pop(task_id, None)
    if run is None:
        return
    runtime = time.monotonic() - run["started"]
    record(task, task_id, state or "UNKNOWN", run["started_at"], runtime, run["error"])


def record(task, task_id, state, started_at, runtime, error=""):
    """Write one finished run (a redelivered task overwrites its earlier row)."""
    flask_app = getattr(task.app, "flask_app", None)
    if flask_app is None:
        return
    with flask_app.app_context():
        try:
            row = db.session.scalar(select(TaskRun).where(TaskRun.task_id == task_id))
            row = row or TaskRun(task_id=task_id, name=task.name)
            row.state, row.worker, row.error = state, task.request.hostname or "", error
            row.started_at, row.runtime = started_at, runtime
            row.finished_at = started_at + timedelta(seconds=runtime)
            db.session.add(row)
            db.session.commit()
        except SQLAlchemyError as error:
            db.session.rollback()
            log.warning("could not record task %s[%s]: %s", task.name, task_id, error)


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


def prune(keep=None):
    """Delete all but the newest `keep` runs (default TASK_LOG_KEEP); returns how many were
    deleted. Runs are ordered by start time, then id, so runs that started in the same
    microsecond are cut exactly."""
    keep = keep or current_app.config["TASK_LOG_KEEP"]
    newest = select(TaskRun.id).order_by(TaskRun.started_at.desc(), TaskRun.id.desc()).limit(keep)
    kept = list(db.session.scalars(newest))
    if len(kept) < keep:
        return 0
    deleted = db.session.execute(delete(TaskRun).where(TaskRun.id.not_in(kept))).rowcount
    db.session.commit()
    return deleted
