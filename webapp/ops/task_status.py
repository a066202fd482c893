"""The state of a Celery task this session started (GET /tasks/<task_id>, in ops/views.py).

Celery reports an unknown id as PENDING, so ownership is checked first: a view that enqueues a
task for the user calls `remember_task(id)`, and only remembered ids are answered; any other
id is a 404, whether it exists or not.
"""

from celery import states
from flask import session

from webapp.extensions import celery

SESSION_KEY = "task_ids"
MAX_REMEMBERED = 20


def remember_task(task_id):
    """Let this session ask for `task_id`'s status (the newest MAX_REMEMBERED are kept)."""
    ids = [known for known in session.get(SESSION_KEY, []) if known != task_id]
    ids.append(task_id)
    session[SESSION_KEY] = ids[-MAX_REMEMBERED:]


def owns_task(task_id):
    return task_id in session.get(SESSION_KEY, [])


def task_report(task_id):
    """{"task_id", "state", "ready", "result" or "error"} of a task this session owns."""
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
