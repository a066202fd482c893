"""Flash-sale administration: create sales (through the flash sale's own `create_sale`), see
live stock, buyers and orders, and reconcile Redis with the database (the CLI's code)."""

import logging
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from webapp.admin.errors import SaleSaveFailed
from webapp.auth.models import User
from webapp.extensions import db
from webapp.flash_sale import sales, stock
from webapp.flash_sale.errors import SaleEditRefused
from webapp.flash_sale.models import FlashSale, Order
from webapp.ops import uploads
from webapp.redis import RedisUnavailable

log = logging.getLogger(__name__)


@dataclass
class SaleRow:
    sale: FlashSale
    stock_left: int | None  # live from Redis; None: not loaded or Redis down
    orders: Counter  # state -> count


def _live_stock(sale_ids):
    try:
        return stock.stock_left(sale_ids), True
    except RedisUnavailable:
        return {}, False


def sale_rows():
    """Every sale, newest first, with live stock and order counts. Second value: Redis up?"""
    listed = list(db.session.scalars(select(FlashSale).order_by(FlashSale.starts_at.desc())))
    counts = db.session.execute(
        select(Order.sale_id, Order.state, func.count()).group_by(Order.sale_id, Order.state)
    ).all()
    per_sale = {}
    for sale_id, state, count in counts:
        per_sale.setdefault(sale_id, Counter())[state] = count
    left, redis_up = _live_stock([sale.id for sale in listed])
    return [SaleRow(s, left.get(s.id), per_sale.get(s.id, Counter())) for s in listed], redis_up


def sale_detail(sale):
    """(row, orders with their buyers, Redis up?) for one sale's page."""
    orders = db.session.execute(
        select(Order, User)
        .join(User, User.id == Order.user_id)
        .where(Order.sale_id == sale.id)
        .order_by(Order.created_at.desc())
    ).all()
    left, redis_up = _live_stock([sale.id])
    counts = Counter(order.state for order, _ in orders)
    return SaleRow(sale, left.get(sale.id), counts), orders, redis_up


def create_from_form(form):
    """Create the sale from a validated SaleForm; returns (sale, loaded into Redis).

    Raises UploadRejected (nothing stored) or SaleSaveFailed (upload removed)."""
    image = form.new_image() or ""
    try:
        sale, loaded = sales.create_sale(*form.sale_fields(), image)
    except (SQLAlchemyError, ValueError) as error:
        db.session.rollback()
        uploads.remove(image)
        log.exception("creating a flash sale failed")
        raise SaleSaveFailed() from error
    return sale, loaded  # create_sale invalidated the API's cached sales


def edit_from_form(sale, form):
    """Apply a validated SaleForm to `sale`; returns whether Redis was updated too.

    Raises UploadRejected, SaleEditRefused or SaleSaveFailed (nothing changed,
    a new upload removed). The old uploaded image is removed once the row no longer uses it."""
    old_image, new_image = sale.image, form.new_image()
    try:
        in_redis = sales.edit_sale(sale, *form.sale_fields(), new_image)
    except SaleEditRefused:
        uploads.remove(new_image)
        raise
    except SQLAlchemyError as error:
        db.session.rollback()
        uploads.remove(new_image)
        log.exception("editing flash sale %s failed", sale.id)
        raise SaleSaveFailed() from error
    if new_image and new_image != old_image:
        uploads.remove(old_image)
    return in_redis


def reconcile(sale_id, fix):
    """The report lines of `flask flash-sale reconcile <id> [--fix]`, from the same code."""
    drift = sales.reconcile(sale_id, fix=fix)
    return list(drift.lines()), drift.clean or drift.fixed
