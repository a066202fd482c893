"""Unpaid orders are cancelled when their time to pay runs out: by a delayed task scheduled when
the order is written, and by beat's sweep should that message be lost. Either way the unit goes
back to the database and to Redis exactly once, and a paid order is never touched.
"""

from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from webapp import jobs
from webapp.clock import as_utc, utcnow
from webapp.extensions import db
from webapp.flash_sale import stock
from webapp.flash_sale.models import FlashSale, Order, OrderState, order_by_no


def pay_deadline(order):
    return as_utc(order.created_at) + timedelta(seconds=current_app.config["ORDER_PAY_TIMEOUT"])


def schedule_cancellation(order, countdown=None):
    """Queue `cancel_unpaid_order` for when the order's time to pay runs out."""
    # ORDER_PAY_TIMEOUT is at most half the broker's visibility timeout (checked at start-up),
    # so the Redis broker never redelivers this delayed message before it is due.
    pay_timeout = current_app.config["ORDER_PAY_TIMEOUT"]
    countdown = pay_timeout if countdown is None else min(countdown, pay_timeout)
    jobs.send_task(jobs.CANCEL_UNPAID_ORDER, [order.order_no], countdown=max(countdown, 0))


def cancel_unpaid_order(order_no):
    """Cancel the order if still unpaid, giving its unit back to the database and to Redis
    exactly once, even when two of these run at the same time. Returns the outcome."""
    order = order_by_no(order_no)
    if order is None:
        return "missing"
    if order.state == OrderState.PAID:
        return "paid"
    if order.state == OrderState.PENDING:
        due_in = (pay_deadline(order) - utcnow()).total_seconds()
        if due_in > 1:  # delivered early (a redelivery): look again when it is due
            schedule_cancellation(order, countdown=due_in)
            return "not due"
        if not _mark_cancelled(order):
            db.session.refresh(order)
            if order.state == OrderState.PAID:
                return "paid"
    # Cancelled now or by an earlier run that may have died before this line: the Redis
    # script returns the unit only once per order number.
    stock.return_unit(order.sale_id, order_no)
    return "cancelled"


def cancel_overdue_orders(grace_seconds=30, limit=500):
    """Cancel pending orders whose time to pay ran out more than `grace_seconds` ago (the
    delayed task normally got there first). Beat runs it; returns how many it cancelled."""
    cutoff = utcnow() - timedelta(seconds=current_app.config["ORDER_PAY_TIMEOUT"] + grace_seconds)
    overdue = db.session.scalars(
        select(Order.order_no)
        .where(Order.state == OrderState.PENDING, Order.created_at < cutoff)
        .order_by(Order.id)
        .limit(limit)
    ).all()
    return sum(cancel_unpaid_order(order_no) == "cancelled" for order_no in overdue)


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
