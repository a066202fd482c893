"""A flash sale and the orders written for it.

The database is the record: `FlashSale.remaining_stock` only ever moves through conditional
UPDATEs (never below 0), and an order is unique per (sale, user) and per order number, the
idempotency key the web request makes and the Celery task carries.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.clock import as_utc, utcnow
from webapp.extensions import db


class FlashSale(db.Model):
    """A product sold at a price, in a fixed number of units, during a time window."""

    __tablename__ = "flash_sale"
    __table_args__ = (
        CheckConstraint("remaining_stock >= 0", name="ck_flash_sale_remaining_not_negative"),
        CheckConstraint("remaining_stock <= total_stock", name="ck_flash_sale_remaining_le_total"),
        CheckConstraint("price_cents > 0", name="ck_flash_sale_price_positive"),
        CheckConstraint("ends_at > starts_at", name="ck_flash_sale_ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_name: Mapped[str] = mapped_column(String(120))
    # A path under static/ (img/flash_sales/1.svg), an uploaded file (/uploads/...) or a URL.
    image: Mapped[str] = mapped_column(String(500), default="")
    price_cents: Mapped[int]
    total_stock: Mapped[int]
    remaining_stock: Mapped[int]
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    orders: Mapped[list["Order"]] = relationship(back_populates="sale")

    @property
    def price(self):
        """The price for display: 1999 -> "19.99"."""
        return f"{self.price_cents // 100}.{self.price_cents % 100:02d}"

    def status(self, now=None):
        """ "upcoming", "running" or "ended" at `now` (default: this moment)."""
        return sale_status(self.starts_at, self.ends_at, now)


def sale_status(starts_at, ends_at, now=None):
    """ "upcoming", "running" or "ended": where `now` (default: this moment) falls in a window."""
    now = now or utcnow()
    if now < as_utc(starts_at):
        return "upcoming"
    return "running" if now < as_utc(ends_at) else "ended"


class OrderState:
    PENDING = "pending"
    PAID = "paid"
    CANCELLED = "cancelled"
    ALL = (PENDING, PAID, CANCELLED)
    #: States that hold a unit of stock (a cancelled order gave its unit back).
    HOLDING = (PENDING, PAID)


class Order(db.Model):
    """One user's order in one sale. Created pending by the `create_order` task; paid by
    the user, or cancelled by beat's sweep once its time to pay has run out (`cancellation`)."""

    __tablename__ = "flash_order"
    __table_args__ = (
        UniqueConstraint("sale_id", "user_id", name="uq_flash_order_sale_user"),
        CheckConstraint("state IN ('pending', 'paid', 'cancelled')", name="ck_flash_order_state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Made by the web request (uuid4 hex) and used as the Celery task id: the idempotency key.
    order_no: Mapped[str] = mapped_column(String(32), unique=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("flash_sale.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    price_cents: Mapped[int]
    state: Mapped[str] = mapped_column(String(16), default=OrderState.PENDING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    paid_at: Mapped[datetime | None] = mapped_column(default=None)
    cancelled_at: Mapped[datetime | None] = mapped_column(default=None)

    sale: Mapped[FlashSale] = relationship(back_populates="orders")


def order_by_no(order_no):
    """The order with this order number (the idempotency key), or None."""
    return db.session.scalar(db.select(Order).where(Order.order_no == order_no))
