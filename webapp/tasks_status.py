"""GET /tasks/<task_id>: the state of a Celery task this session started.

Celery reports an unknown id as PENDING, so ownership is checked first: a view that enqueues a
task for the user calls `remember_task(id)`, and only remembered ids are answered; any other
id is a 404, whether it exists or not.
"""

from celery import states
from flask import Blueprint, abort, session

from webapp.extensions import celery

bp = Blueprint("task_status", __name__)

SESSION_KEY = "task_ids"
MAX_REMEMBERED = 20


def remember_task(task_id):
    """Let this session ask for `task_id`'s status (the newest MAX_REMEMBERED are kept)."""
    ids = [known for known in session.get(SESSION_KEY, []) if known != task_id]
    ids.append(task_id)
    session[SESSION_KEY] = ids[-MAX_REMEMBERED:]


def owns_task(task_id):
    return task_id in session.get(SESSION_KEY, [])


@bp.get("/tasks/<task_id>")
def task_status(task_id):
    if len(task_id) > 64 or not owns_task(task_id):
        abort(404, "No such task for this session.")
    result = celery.AsyncResult(task_id)
    state = result.state
    body = {"task_id": task_id, "state": state, "ready": state in states.READY_STATES}
    if state == states.SUCCESS:
        body["result"] = result.result  # JSON, as every task result here is
    elif state == states.FAILURE:
        body["error"] = _public_error(result.result)
    return body


def _public_error(error):
    """A failed task's message for the page: the exception's text, never its traceback."""
    message = str(error) if error else ""
    return message[:300] or "The task failed."
