"""Helpers shared by the flash-sale tests."""

from datetime import timedelta

from sqlalchemy import func, select

from tests import support
from webapp.clock import utcnow
from webapp.extensions import db
from webapp.flash_sale import sales
from webapp.flash_sale.models import FlashSale, Order

JSON = {"Accept": "application/json"}


def make_sale(app, stock=3, starts_in=timedelta(minutes=-1), lasts=timedelta(hours=1), name="Test gadget"):
    """A sale saved and loaded into Redis; returns its id."""
    with app.app_context():
        start = utcnow() + starts_in
        sale, loaded = sales.create_sale(
            name, 1990, stock, start, start + lasts, "img/flash_sales/headphones.svg"
        )
        assert loaded
        return sale.id


def buy_token(client, sale_id):
    """The CSRF token of the sale's page (its JavaScript sends it with the Buy click)."""
    return support.csrf_token(client, f"/flash-sales/{sale_id}")


def buy(client, sale_id, token=None):
    """POST the Buy click as the page's JavaScript does."""
    headers = {**JSON, "X-CSRFToken": token or buy_token(client, sale_id)}
    return client.post(f"/flash-sales/{sale_id}/buy", headers=headers)


def db_state(app, sale_id):
    """(remaining stock, number of orders) in the database."""
    with app.app_context():
        remaining = db.session.get(FlashSale, sale_id).remaining_stock
        orders = db.session.scalar(select(func.count()).select_from(Order).where(Order.sale_id == sale_id))
        db.session.remove()
        return remaining, orders


def orders_of(app, sale_id):
    with app.app_context():
        rows = db.session.scalars(select(Order).where(Order.sale_id == sale_id).order_by(Order.id)).all()
        result = [(o.id, o.order_no, o.user_id, o.state) for o in rows]
        db.session.remove()
        return result
