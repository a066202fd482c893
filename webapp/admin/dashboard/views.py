"""/admin/: the dashboard, its live JSON, and the Redis key browser."""

from flask import Blueprint, abort, jsonify, render_template, request

from webapp.admin.dashboard import figures, redis_browser
from webapp.admin.dashboard.chart import line_chart
from webapp.stats import history

bp = Blueprint("dashboard", __name__)


@bp.get("/")
def index():
    return render_template(
        "admin/dashboard/index.html", live=figures.snapshot(), chart=line_chart(history.last_days(30))
    )


@bp.get("/dashboard.json")
def data():
    """The figures the dashboard page refreshes every few seconds."""
    response = jsonify(figures.snapshot())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/redis")
def redis_keys():
    db, cursor = _whole_number("db"), _whole_number("cursor")
    pattern = request.args.get("match", "*").strip() or "*"
    if not 0 <= db < redis_browser.DATABASES:
        abort(400, f"The database must be a number from 0 to {redis_browser.DATABASES - 1}.")
    if len(pattern) > 200:
        abort(400, "The pattern may be at most 200 characters long.")
    page = redis_browser.browse_or_none(db, pattern, cursor)
    context = {"page": page, "db": db, "pattern": pattern, "cursor": cursor}
    return render_template("admin/dashboard/redis.html", **context), 200 if page else 503


def _whole_number(name, largest=2**64 - 1):
    """A query argument made of ASCII digits (str.isdigit also takes "²" and "٣"), in range."""
    value = request.args.get(name, "0").strip() or "0"
    if not (value.isascii() and value.isdigit()) or len(value) > 20 or int(value) > largest:
        abort(400, f"“{name}” must be a whole number from 0 to {largest}, not {value[:20]!r}.")
    return int(value)
