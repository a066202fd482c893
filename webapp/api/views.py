"""The public JSON API (/api): read-only, cached through `CachedJSON`, described by OpenAPI."""

import logging

from flask import Blueprint, url_for

from webapp.api.openapi import document
from webapp.api.responses import conditional_json
from webapp.api.sale_json import with_live_fields
from webapp.flash_sale import catalog
from webapp.home.carousel import active_banners_from_db, banner_list
from webapp.redis import RedisUnavailable
from webapp.web.templating import image_src

log = logging.getLogger(__name__)

bp = Blueprint("api", __name__, url_prefix="/api")
bp.answers_json = True


def _cached_or_database(cached, loader):
    """The cached value; with Redis down, straight from the database (as the homepage does)."""
    try:
        return cached.get()
    except RedisUnavailable as error:
        log.warning("API served from the database, Redis unavailable: %s", error)
        return loader()


def banner_json(banner):
    return {
        **banner,
        "image_url": image_src(banner["image"]),
        "click_url": url_for("home.banner_click", banner_id=banner["id"]),
    }


@bp.get("/banners")
def banners():
    """The active banners in display order (the homepage carousel's own cached list)."""
    listed = _cached_or_database(banner_list, active_banners_from_db)
    return conditional_json({"banners": [banner_json(b) for b in listed]})


@bp.get("/flash-sales")
def flash_sales():
    """Running and upcoming flash sales, soonest first."""
    listed = _cached_or_database(catalog.sale_list, catalog.visible_sales_json)
    return conditional_json({"flash_sales": with_live_fields(listed)})


@bp.get("/flash-sales/<id:sale_id>")
def flash_sale(sale_id):
    entry = catalog.sale_entry(sale_id)
    sale = _cached_or_database(entry, entry.loader)  # SaleNotFound answers itself: a 404
    return conditional_json(with_live_fields([sale])[0])


@bp.get("/openapi.json")
def openapi():
    return conditional_json(document())
