"""Orders: placed by the web request (a Redis reservation plus a queued task), written by the
`create_order` task, paid by the user (or cancelled: see `cancellation`).

Every step is safe to run twice: the order number made by the web request is the idempotency
key (and the Celery task id), and every state change is a conditional UPDATE.
"""

import logging
import time
import uuid
from functools import partial

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from webapp import jobs
from webapp.auth import revocation
from webapp.auth.models import User
from webapp.clock import utcnow
from webapp.extensions import db
from webapp.flash_sale import feed, stock
from webapp.flash_sale.cancellation import pay_deadline
from webapp.flash_sale.errors import (
    AlreadyBought,
    BrokerUnavailable,
    Ended,
    FlashSaleError,
    OrderCancelled,
    OrderNotFound,
    SaleNotFound,
    SaleNotLoaded,
    SoldOut,
    UnknownBuyer,
)
from webapp.flash_sale.models import FlashSale, Order, OrderState, order_by_no
from webapp.redis import RedisUnavailable

log = logging.getLogger(__name__)


def place_order(sale_id, user_id, now=None, session_version=0):
    """Web side: reserve a unit in Redis and queue `create_order`. Returns the order number,
    which is also the task id. Raises a FlashSaleError (or RedisUnavailable); on any error
    nothing is left reserved."""
    order_no = uuid.uuid4().hex
    try:
        check_session = partial(revocation.check_not_revoked, user_id, session_version)
        stock.reserve(sale_id, user_id, now, order_no, check_buyer=check_session)
    except SaleNotLoaded:
        # Rare path: tell a wrong id and a long-finished sale (its keys expired) apart.
        sale = db.session.get(FlashSale, sale_id)
        if sale is None:
            raise SaleNotFound() from None
        if sale.status() == "ended":
            raise Ended() from None
        raise
    try:
        send_order_task(order_no, sale_id, user_id)
    except jobs.PublishFailed as error:
        log.warning("Could not queue order %s (%s); giving the reservation back", order_no, error)
        _release_quietly(sale_id, user_id, order_no)
        raise BrokerUnavailable() from error
    except Exception:
        _release_quietly(sale_id, user_id, order_no)  # nothing half-done, whatever went wrong
        raise
    return order_no


def send_order_task(order_no, sale_id, user_id):
    """Queue `create_order`; the order number is its task id (and its idempotency key)."""
    jobs.send_task(jobs.CREATE_ORDER, [order_no, sale_id, user_id], task_id=order_no)


def _release_quietly(sale_id, user_id, order_no=None):
    try:
        stock.release(sale_id, user_id, order_no)
    except RedisUnavailable as error:
        log.error(
            "Sale %s: could not give back user %s's reservation (%s); run reconcile", sale_id, user_id, error
        )


def create_order(order_no, sale_id, user_id):
    """Worker side: write the order for a reservation, once (a redelivered or re-published
    message finds it there), then clear the reservation's pending record. An order refused for
    good (sold out in the database, unknown buyer) clears it too; a transient error (the
    database or Redis blinking) leaves it, and the task is retried."""
    try:
        order = order_by_no(order_no)
        if order is None:
            order = _insert_order(order_no, sale_id, user_id)
            feed.record_purchase(order)
    except FlashSaleError:
        stock.order_done(order_no, sale_id, user_id)
        raise
    stock.order_done(order_no, sale_id, user_id)
    return summary(order)


def republish_stuck_orders():
    """Beat's repair: send again the order tasks of reservations still pending after
    ORDER_REPUBLISH_SECONDS (their message died with a worker, or the broker lost it). The
    order number is the idempotency key, so an order is never written twice. Returns how many
    were sent again."""
    older_than = time.time() - current_app.config["ORDER_REPUBLISH_SECONDS"]
    sent = 0
    for order_no, sale_id, user_id in stock.stuck_orders(older_than):
        if order_by_no(order_no) is not None:
            stock.order_done(order_no, sale_id, user_id)  # written; its task died before clearing
            continue
        log.warning("Order %s still not written; sending its task again", order_no)
        send_order_task(order_no, sale_id, user_id)
        stock.mark_republished(order_no, sale_id, user_id)
        sent += 1
    db.session.remove()
    return sent


def _insert_order(order_no, sale_id, user_id):
    """Insert the order and take a unit off the database stock in one transaction. The
    conditional UPDATE means the database alone never sells more than the stock."""
    sale = db.session.get(FlashSale, sale_id)
    if sale is None:
        raise SaleNotFound()
    if db.session.get(User, user_id) is None:
        # The Buy click took the user id from the signed session without a query; a user
        # deleted since then gets no order, and the unit goes back on sale.
        _release_quietly(sale_id, user_id, order_no)
        raise UnknownBuyer()
    try:
        taken = db.session.execute(
            update(FlashSale)
            .where(FlashSale.id == sale_id, FlashSale.remaining_stock > 0)
            .values(remaining_stock=FlashSale.remaining_stock - 1)
        ).rowcount
        if taken != 1:
            db.session.rollback()
            log.warning("Sale %s: Redis reserved a unit the database does not have; run reconcile", sale_id)
            raise SoldOut()
        order = Order(order_no=order_no, sale_id=sale_id, user_id=user_id, price_cents=sale.price_cents)
        db.session.add(order)
        db.session.commit()
        return order
    except IntegrityError:
        db.session.rollback()
        order = order_by_no(order_no)
        if order is not None:  # the same message, delivered twice at once: the other won
            return order
        raise AlreadyBought() from None


def pay_order(order_id, user_id):
    """Simulated payment: pending -> paid (paying twice is fine). Raises OrderNotFound for
    someone else's order, OrderCancelled when it was cancelled first."""
    order = db.session.get(Order, order_id)
    if order is None or order.user_id != user_id:
        raise OrderNotFound()
    db.session.execute(
        update(Order)
        .where(Order.id == order_id, Order.state == OrderState.PENDING)
        .values(state=OrderState.PAID, paid_at=utcnow())
    )
    db.session.commit()
    db.session.refresh(order)
    if order.state == OrderState.CANCELLED:
        raise OrderCancelled()
    return order


def user_orders(user_id):
    """The user's orders, newest first, with their sales."""
    return list(
        db.session.execute(
            select(Order, FlashSale)
            .join(FlashSale, Order.sale_id == FlashSale.id)
            .where(Order.user_id == user_id)
            .order_by(Order.id.desc())
        )
    )


def summary(order):
    """The create_order task's JSON result, shown by the sale page."""
    return {
        "order_id": order.id,
        "order_no": order.order_no,
        "sale_id": order.sale_id,
        "state": order.state,
        "pay_within_seconds": current_app.config["ORDER_PAY_TIMEOUT"],
        "pay_by": pay_deadline(order).isoformat(),
    }
