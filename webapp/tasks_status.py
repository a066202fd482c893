"""GET /tasks/<task_id>: the state of a Celery task this session started."""

from flask import Blueprint

bp = Blueprint("task_status", __name__)
