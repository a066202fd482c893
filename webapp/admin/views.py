"""/admin: the dashboard, its live JSON, and the Redis key browser. Banner (and flash-sale)
editing live in their own blueprints, nested here so every page shares the /admin prefix."""

from flask import Blueprint, abort, current_app, jsonify, render_template, request

from webapp.admin import dashboard, redis_browser
from webapp.admin.access import admin_required
from webapp.admin.banner_views import bp as banners_bp
from webapp.admin.chart import line_chart
from webapp.admin.sale_views import bp as flash_sales_bp
from webapp.redis import RedisUnavailable
from webapp.stats import history

bp = Blueprint("admin", __name__)
bp.register_blueprint(banners_bp, url_prefix="/banners")
bp.register_blueprint(flash_sales_bp, url_prefix="/flash-sales")


@bp.context_processor
def admin_navigation():
    return {"admin_endpoints": current_app.view_functions}


@bp.get("/")
@admin_required
def index():
    return render_template(
        "admin/dashboard.html",
        live=dashboard.snapshot(),
        chart=line_chart(history.last_days(30)),
    )


@bp.get("/dashboard.json")
@admin_required
def dashboard_json():
    """The figures the dashboard page refreshes every few seconds."""
    response = jsonify(dashboard.snapshot())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/redis")
@admin_required
def redis_keys():
    db, cursor = _whole_number("db"), _whole_number("cursor")
    pattern = request.args.get("match", "*").strip() or "*"
    if not 0 <= db < redis_browser.DATABASES:
        abort(400, f"The database must be a number from 0 to {redis_browser.DATABASES - 1}.")
    if len(pattern) > 200:
        abort(400, "The pattern may be at most 200 characters long.")
    try:
        page = redis_browser.browse(db, pattern, cursor)
    except RedisUnavailable:
        return render_template("admin/redis.html", page=None, db=db, pattern=pattern, cursor=cursor), 503
    return render_template("admin/redis.html", page=page, db=db, pattern=pattern, cursor=cursor)


def _whole_number(name):
    value = request.args.get(name, "0").strip() or "0"
    if not value.isdigit():
        abort(400, f"“{name}” must be a whole number, not {value[:20]!r}.")
    return int(value)
