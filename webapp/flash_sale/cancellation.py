"""Unpaid orders are cancelled when their time to pay runs out, by beat's sweep every
ORDER_SWEEP_SECONDS. The database is what the sweep reads, so nothing depends on a delayed
message held for the whole time to pay (a Redis broker would redeliver such a message after its
visibility timeout, and lose it with a restart without persistence). The unit goes back to the
database and to Redis exactly once, and a paid order is never touched.
"""

from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from webapp.clock import as_utc, utcnow
from webapp.extensions import db
from webapp.flash_sale import stock
from webapp.flash_sale.models import FlashSale, Order, OrderState, order_by_no


def pay_deadline(order):
    return as_utc(order.created_at) + timedelta(seconds=current_app.config["ORDER_PAY_TIMEOUT"])


def cancel_unpaid_order(order_no):
    """Cancel the order if still unpaid, giving its unit back to the database and to Redis
    exactly once, even when two of these run at the same time. Returns the outcome."""
    order = order_by_no(order_no)
    if order is None:
        return "missing"
    if order.state == OrderState.PAID:
        return "paid"
    if order.state == OrderState.PENDING:
        if pay_deadline(order) > utcnow():
            return "not due"  # asked early (an old delayed message): the sweep gets it when due
        if not _mark_cancelled(order):
            db.session.refresh(order)
            if order.state == OrderState.PAID:
                return "paid"
    # Cancelled now or by an earlier run that may have died before this line: the Redis
    # script returns the unit only once per order number.
    stock.return_unit(order.sale_id, order_no)
    return "cancelled"


def cancel_overdue_orders(limit=500):
    """Cancel pending orders whose time to pay has run out (beat runs this every
    ORDER_SWEEP_SECONDS). Returns how many it cancelled, and counts them for the dashboard."""
    cutoff = utcnow() - timedelta(seconds=current_app.config["ORDER_PAY_TIMEOUT"])
    overdue = db.session.scalars(
        select(Order.order_no)
        .where(Order.state == OrderState.PENDING, Order.created_at <= cutoff)
        .order_by(Order.id)
        .limit(limit)
    ).all()
    cancelled = sum(cancel_unpaid_order(order_no) == "cancelled" for order_no in overdue)
    stock.count_repair("orders_cancelled", cancelled)
    db.session.remove()
    return cancelled


def _mark_cancelled(order):
    """pending -> cancelled and one unit back to the database, in one transaction.
    False if the order was no longer pending (paid, or another cancel won)."""
    changed = db.session.execute(
        update(Order)
        .where(Order.id == order.id, Order.state == OrderState.PENDING)
        .values(state=OrderState.CANCELLED, cancelled_at=utcnow())
    ).rowcount
    if changed == 1:
        db.session.execute(
            update(FlashSale)
            .where(FlashSale.id == order.sale_id)
            .values(remaining_stock=FlashSale.remaining_stock + 1)
        )
    db.session.commit()
    return changed == 1
