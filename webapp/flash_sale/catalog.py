"""The flash sales as cached JSON (the /api answers): the list of visible sales and each sale,
through the same `CachedJSON` cache-aside as the homepage carousel.

Only what changes on a sale write is cached; what changes all the time (stock left, whether
the sale is running) is added per request. `invalidate` runs after every sale write.
"""

from sqlalchemy import select

from webapp.caching import CachedJSON
from webapp.clock import as_utc, utcnow
from webapp.extensions import db
from webapp.flash_sale import keys
from webapp.flash_sale.errors import SaleNotFound
from webapp.flash_sale.models import FlashSale


def sale_json(sale):
    return {
        "id": sale.id,
        "product_name": sale.product_name,
        "image": sale.image,
        "price": sale.price,
        "price_cents": sale.price_cents,
        "total_stock": sale.total_stock,
        "starts_at": as_utc(sale.starts_at).isoformat(),
        "ends_at": as_utc(sale.ends_at).isoformat(),
    }


def visible_sales(now=None):
    """Running and upcoming sales, soonest first."""
    now = now or utcnow()
    return list(
        db.session.scalars(
            select(FlashSale).where(FlashSale.ends_at > now).order_by(FlashSale.starts_at, FlashSale.id)
        )
    )


def visible_sales_json():
    return [sale_json(sale) for sale in visible_sales()]


def _one_sale_json(sale_id):
    sale = db.session.get(FlashSale, sale_id)
    if sale is None:
        raise SaleNotFound()  # not cached: a later sale with this id must not be hidden
    return sale_json(sale)


sale_list = CachedJSON(
    keys.sale_list_cache(),
    visible_sales_json,
    "SALE_CACHE_TTL",
    title="Flash-sale list cache",
    describe=lambda sales: f"with {len(sales)} running or upcoming sales",
)


def sale_entry(sale_id):
    """The cached JSON of one sale (a small, stateless handle; make one per request)."""
    return CachedJSON(
        keys.sale_cache(sale_id), lambda: _one_sale_json(sale_id), "SALE_CACHE_TTL", stats_ttl=86400
    )


def invalidate(sale_id):
    """Forget the cached list and this sale's entry; call after the write is committed."""
    sale_list.invalidate()
    sale_entry(sale_id).invalidate()
