"""The live part of a flash sale's API answer, added to its cached JSON per request."""

from datetime import UTC, datetime

from flask import url_for

from webapp.flash_sale import stock
from webapp.redis import RedisUnavailable
from webapp.templating import image_src


def status(sale, now):
    if now < datetime.fromisoformat(sale["starts_at"]):
        return "upcoming"
    return "running" if now < datetime.fromisoformat(sale["ends_at"]) else "ended"


def with_live_fields(listed):
    """Each cached sale plus its status, stock left (Redis, one round trip for all; null when
    Redis is down or the sale is not loaded), image and page URLs."""
    try:
        left = stock.stock_left([sale["id"] for sale in listed])
    except RedisUnavailable:
        left = {}
    now = datetime.now(UTC)
    return [
        {
            **sale,
            "image_url": image_src(sale["image"]) if sale["image"] else "",
            "page_url": url_for("flash_sale.detail", sale_id=sale["id"]),
            "status": status(sale, now),
            "stock_left": left.get(sale["id"]),
        }
        for sale in listed
    ]
