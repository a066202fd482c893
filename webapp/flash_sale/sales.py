"""Sales: creating them, loading their stock into Redis, and reconciling Redis with the database."""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select, update

from webapp.clock import utcnow
from webapp.extensions import db
from webapp.flash_sale import catalog, stock
from webapp.flash_sale.errors import SaleEditRefused, SaleNotFound
from webapp.flash_sale.models import FlashSale, Order, OrderState
from webapp.redis import RedisUnavailable

log = logging.getLogger(__name__)


def get_sale(sale_id):
    """The sale, or SaleNotFound (which answers itself as a 404 where a view lets it through)."""
    sale = db.session.get(FlashSale, sale_id)
    if sale is None:
        raise SaleNotFound()
    return sale


def create_sale(product_name, price_cents, total_stock, starts_at, ends_at, image=""):
    """Commit a new sale, then load its stock into Redis. Returns (sale, loaded): when Redis is
    down the sale is still saved, and `flask flash-sale load <id>` loads it later."""
    if price_cents <= 0 or total_stock <= 0:
        raise ValueError("price and stock must be positive")
    if ends_at <= starts_at:
        raise ValueError("the sale must end after it starts")
    sale = FlashSale(
        product_name=product_name,
        image=image,
        price_cents=price_cents,
        total_stock=total_stock,
        remaining_stock=total_stock,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    db.session.add(sale)
    db.session.commit()
    catalog.invalidate(sale.id)  # the API's cached sale list (and any stale entry for this id)
    try:
        load_stock(sale)
    except RedisUnavailable as error:
        log.warning("Sale %s saved but not loaded into Redis (%s); run flash-sale load", sale.id, error)
        return sale, False
    return sale, True


def edit_sale(sale, product_name, price_cents, total_stock, starts_at, ends_at, image=None):
    """Change a sale, then keep Redis true: the window and any added units go to Redis, the
    API's cached JSON is dropped. Stock may only go up, and only before the sale starts (units
    can then be added without touching a reservation). Returns whether Redis was updated
    (False: Redis down or the sale not loaded; `flash-sale load` or reconcile then repairs).

    Raises SaleEditRefused (nothing changed)."""
    if ends_at <= starts_at:
        raise SaleEditRefused("The sale must end after it starts.")
    added = total_stock - sale.total_stock
    if added < 0:
        raise SaleEditRefused(f"Stock can only go up: the sale already has {sale.total_stock} units.")
    if added and sale.status() != "upcoming":
        raise SaleEditRefused("Units can only be added before the sale starts.")
    if added:
        # Conditional on the total read above, so two admins adding at once add once each.
        changed = db.session.execute(
            update(FlashSale)
            .where(FlashSale.id == sale.id, FlashSale.total_stock == sale.total_stock)
            .values(total_stock=total_stock, remaining_stock=FlashSale.remaining_stock + added)
        ).rowcount
        if changed != 1:
            db.session.rollback()
            raise SaleEditRefused("The sale was changed by someone else meanwhile; reload it and try again.")
    sale.product_name, sale.price_cents = product_name, price_cents
    sale.starts_at, sale.ends_at = starts_at, ends_at
    if image is not None:
        sale.image = image
    db.session.commit()  # the record first: Redis then never holds units the database lacks
    catalog.invalidate(sale.id)
    try:
        return stock.apply_edit(sale, added)
    except RedisUnavailable as error:
        log.warning("Sale %s edited but Redis not updated (%s); run flash-sale load", sale.id, error)
        return False


def reload_lost_sales():
    """Beat's repair after Redis lost its data (a restart without persistence): a running or
    upcoming sale whose stock is missing is paused (its Buy answers "paused", never a sale of
    stock nobody counted) until SALE_RELOAD_GRACE_SECONDS have passed, so that orders already
    queued are written first; then its stock and buyers are loaded from the database, the
    record. Returns the ids reloaded."""
    grace = current_app.config["SALE_RELOAD_GRACE_SECONDS"]
    visible = {sale.id: sale for sale in catalog.visible_sales()}
    reloaded = []
    for sale_id in stock.missing(list(visible)):
        if stock.lost_for(sale_id) < grace:
            continue
        load_stock(visible[sale_id])
        log.warning("Sale %s: its stock was missing from Redis; loaded again from the database", sale_id)
        reloaded.append(sale_id)
    stock.count_repair("sales_reloaded", len(reloaded))
    db.session.remove()
    return reloaded


def load_stock(sale):
    """Write the sale's Redis state (stock, buyers, returned units) from the database."""
    orders = db.session.execute(
        select(Order.user_id, Order.order_no, Order.state).where(Order.sale_id == sale.id)
    )
    buyers, returned = [], []
    for user_id, order_no, state in orders:
        buyers.append(user_id)
        if state == OrderState.CANCELLED:
            returned.append(order_no)
    stock.load(sale, buyers, returned)


@dataclass
class Drift:
    """How Redis differs from the database for one sale (the database is the record)."""

    sale_id: int
    redis_stock: int | None  # None: not loaded
    db_stock: int
    db_expected_stock: int  # total minus the orders holding a unit
    missing_buyers: set = field(default_factory=set)  # have an order, not in Redis
    extra_buyers: set = field(default_factory=set)  # in Redis, no order (or one in flight)
    fixed: bool = False

    @property
    def stock_drift(self):
        return None if self.redis_stock is None else self.redis_stock - self.db_stock

    @property
    def clean(self):
        return (
            self.redis_stock == self.db_stock
            and self.db_stock == self.db_expected_stock
            and not self.missing_buyers
            and not self.extra_buyers
        )

    def lines(self):
        """A human-readable report."""
        loaded = "not loaded" if self.redis_stock is None else str(self.redis_stock)
        yield f"Sale {self.sale_id}: Redis stock {loaded}, database stock {self.db_stock}"
        if self.db_stock != self.db_expected_stock:
            yield f"  database disagrees with itself: orders leave {self.db_expected_stock}"
        if self.missing_buyers:
            yield f"  buyers with an order but missing in Redis: {sorted(self.missing_buyers)}"
        if self.extra_buyers:
            yield f"  buyers in Redis without an order: {sorted(self.extra_buyers)}"
        yield (
            "  no drift"
            if self.clean
            else ("  repaired Redis from the database" if self.fixed else "  drift")
        )


def reconcile(sale_id, fix=False):
    """Compare Redis stock and buyers with the database; with `fix`, rewrite Redis from the
    database. Orders still in the queue show as extra buyers and a lower Redis stock, so
    run it on a quiet sale (the checks after a load test do)."""
    sale = get_sale(sale_id)
    holding = db.session.scalar(
        select(func.count()).where(Order.sale_id == sale_id, Order.state.in_(OrderState.HOLDING))
    )
    db_buyers = set(db.session.scalars(select(Order.user_id).where(Order.sale_id == sale_id)))
    redis_stock, redis_buyers = stock.read_state(sale_id)
    drift = Drift(
        sale_id=sale_id,
        redis_stock=redis_stock,
        db_stock=sale.remaining_stock,
        db_expected_stock=sale.total_stock - holding,
        missing_buyers=db_buyers - redis_buyers,
        extra_buyers=redis_buyers - db_buyers,
    )
    if fix and not drift.clean:
        load_stock(sale)
        drift.fixed = True
    return drift


DEMO_SALES = [
    ("Noise-cancelling headphones", 19900, 50, "img/flash_sales/headphones.svg", timedelta(minutes=-5)),
    ("Mechanical keyboard", 9900, 30, "img/flash_sales/keyboard.svg", timedelta(hours=2)),
]


def seed_demo_sales():
    """One running and one upcoming sale, unless there are sales already. Returns how many."""
    if db.session.scalar(select(FlashSale.id).limit(1)) is not None:
        return 0
    now = utcnow().replace(microsecond=0)
    for name, price, units, image, starts_in in DEMO_SALES:
        create_sale(name, price, units, now + starts_in, now + starts_in + timedelta(days=3), image)
    return len(DEMO_SALES)
