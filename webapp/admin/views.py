"""The /admin blueprint: guards every admin page at once and nests the three parts."""

from flask import Blueprint, abort
from flask_login import current_user

from webapp.admin.banners.views import bp as banners_bp
from webapp.admin.dashboard.views import bp as dashboard_bp
from webapp.admin.sales.views import bp as sales_bp
from webapp.extensions import login_manager

bp = Blueprint("admin", __name__, url_prefix="/admin")

#: The admin's parts: (blueprint, URL prefix, title in the admin menu, its first page).
PARTS = [
    (dashboard_bp, "", "Dashboard", "admin.dashboard.index"),
    (banners_bp, "/banners", "Banners", "admin.banners.index"),
    (sales_bp, "/flash-sales", "Flash sales", "admin.sales.index"),
]
for part, prefix, _, _ in PARTS:
    bp.register_blueprint(part, url_prefix=prefix)

MENU = [(title, endpoint) for _, _, title, endpoint in PARTS] + [("Redis keys", "admin.dashboard.redis_keys")]


@bp.before_request
def require_admin():
    """Runs before every view of this blueprint and of those nested in it. Anonymous visitors
    go to the login page (which brings them back); users without the admin flag get a 403."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_admin:
        abort(403, "This page is for administrators only.")
    return None


@bp.context_processor
def admin_menu():
    return {"admin_menu": MENU}
