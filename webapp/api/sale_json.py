"""The live part of a flash sale's API answer, added to its cached JSON per request."""

from flask import url_for

from webapp.clock import parse_utc, utcnow
from webapp.flash_sale import stock
from webapp.flash_sale.models import sale_status
from webapp.redis import RedisUnavailable
from webapp.web.templating import image_src


def with_live_fields(listed):
    """Each cached sale plus its status, stock left (Redis, one round trip for all; null when
    Redis is down or the sale is not loaded), image and page URLs."""
    try:
        left = stock.stock_left([sale["id"] for sale in listed])
    except RedisUnavailable:
        left = {}
    now = utcnow()
    return [
        {
            **sale,
            "image_url": image_src(sale["image"]) if sale["image"] else "",
            "page_url": url_for("flash_sale.detail", sale_id=sale["id"]),
            "status": sale_status(parse_utc(sale["starts_at"]), parse_utc(sale["ends_at"]), now),
            "stock_left": left.get(sale["id"]),
        }
        for sale in listed
    ]
