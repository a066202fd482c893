"""Flash-sale pages and endpoints. Thin: parse, call the feature module, answer."""

from flask import Blueprint, current_app, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required

from webapp.auth.models import SESSION_VERSION
from webapp.auth.session import session_login_required, session_user_id
from webapp.clock import utcnow
from webapp.flash_sale import catalog, feed, orders, stock
from webapp.flash_sale.sales import get_sale
from webapp.ops.task_status import remember_task
from webapp.redis import RedisUnavailable
from webapp.stats import rankings
from webapp.web.errors import wants_json

bp = Blueprint("flash_sale", __name__)

SALE_ID = "<id:sale_id>"
ORDER_ID = "<id:order_id>"


@bp.get("/flash-sales/")
def index():
    listed = catalog.visible_sales()
    try:
        left = stock.stock_left([sale.id for sale in listed])
    except RedisUnavailable:
        left = {}
    return render_template("flash_sale/index.html", sales=listed, left=left, now=utcnow())


@bp.get(f"/flash-sales/{SALE_ID}")
def detail(sale_id):
    sale = get_sale(sale_id)
    rankings.record_sale_view(sale.id)  # the dashboard's "most viewed sales" (a sorted set)
    return render_template(
        "flash_sale/detail.html", sale=sale, live=_live(sale), now=utcnow(), pay_minutes=_pay_minutes()
    )


@bp.get(f"/flash-sales/{SALE_ID}/live")
def live(sale_id):
    """Stock left, status and the latest buyers, polled by the sale page."""
    return _live(get_sale(sale_id))


@bp.post(f"/flash-sales/{SALE_ID}/buy")
@session_login_required  # the signed session's id: a Buy click touches no database
def buy(sale_id):
    version = session.get(SESSION_VERSION, 0)
    order_no = orders.place_order(
        sale_id, session_user_id(), session_version=version
    )  # errors answer themselves
    remember_task(order_no)
    if wants_json():
        return {"task_id": order_no, "status_url": url_for("ops.task_status", task_id=order_no)}, 202
    flash("A unit is reserved for you; your order appears here in a moment.", "success")
    return redirect(url_for(".orders"), 303)


@bp.get("/orders", endpoint="orders")
@login_required
def orders_page():
    return render_template("flash_sale/orders.html", rows=orders.user_orders(current_user.id))


@bp.post(f"/orders/{ORDER_ID}/pay")
@login_required
def pay(order_id):
    order = orders.pay_order(order_id, current_user.id)
    if wants_json():
        return {"order_id": order.id, "state": order.state}
    flash(f"Order #{order.id} is paid. Thank you!", "success")
    return redirect(url_for(".orders"), 303)


def _live(sale):
    try:
        left = stock.stock_left([sale.id])[sale.id]
    except RedisUnavailable:
        left = None
    return {
        "sale_id": sale.id,
        "status": sale.status(),
        "stock": left,
        "total": sale.total_stock,
        "feed": feed.latest(sale.id),
    }


def _pay_minutes():
    return max(1, round(current_app.config["ORDER_PAY_TIMEOUT"] / 60))
