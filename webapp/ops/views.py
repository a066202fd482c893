"""Operations endpoints: /healthz, /tasks/<id> and /uploads/<name>. They answer JSON (or the
file), never a page, for load balancers, the pages' JavaScript and the browser's image loads."""

import io

from flask import Blueprint, abort, send_file

from webapp.clock import ONE_YEAR
from webapp.ops import uploads
from webapp.ops.health import health_report
from webapp.ops.task_status import owns_task, task_report

bp = Blueprint("ops", __name__)
bp.answers_json = True


@bp.get("/healthz")
def healthz():
    report, healthy = health_report()
    return report, 200 if healthy else 503


@bp.get("/tasks/<task_id>")
def task_status(task_id):
    if len(task_id) > 64 or not owns_task(task_id):
        abort(404, "No such task for this session.")
    return task_report(task_id)


@bp.get("/uploads/<name>")
def uploaded_file(name):
    """Images uploaded by admins; only names we generated are served."""
    found = uploads.find(name) if uploads.NAME_PATTERN.match(name) else None
    if found is None:
        abort(404)
    data, content_type = found
    # The name is random and never reused: the bytes behind it never change.
    response = send_file(
        io.BytesIO(data), mimetype=content_type, max_age=ONE_YEAR, etag=name, conditional=True
    )
    # Checked by their first bytes only: should a file ever be taken for a page, it runs nothing.
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    return response
