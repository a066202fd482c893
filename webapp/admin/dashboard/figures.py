"""The dashboard's figures, gathered section by section. A section whose service is down
reports {"error": ...} instead of its figures, so the page always renders and says why."""

import logging

from kombu.exceptions import OperationalError
from sqlalchemy import select

from webapp.admin.dashboard import celery_info
from webapp.extensions import db, redis_client
from webapp.flash_sale import stock
from webapp.flash_sale.models import FlashSale
from webapp.home.carousel import banner_list
from webapp.home.models import Banner
from webapp.ops import task_log
from webapp.redis import RedisUnavailable
from webapp.stats import keys as stats_keys
from webapp.stats import rankings

log = logging.getLogger(__name__)

REDIS_DOWN = "Redis is not reachable; these figures come back when it does."
BROKER_DOWN = "The Celery broker is not reachable; workers and queues cannot be checked."


def _section(gather, down_message, errors=RedisUnavailable):
    try:
        return gather()
    except errors as error:
        log.warning("dashboard: %s (%s)", down_message, error)
        return {"error": down_message}


def redis_overview():
    info = redis_client.info()
    return {
        "version": info.get("redis_version"),
        "memory": info.get("used_memory_human"),
        "clients": info.get("connected_clients"),
        "ops_per_sec": info.get("instantaneous_ops_per_sec"),
        "uptime_seconds": info.get("uptime_in_seconds"),
        "keys": {name: stats["keys"] for name, stats in info.items() if name.startswith("db")},
    }


def cache_overview():
    stats = banner_list.stats()
    ratio = stats["hit_ratio"]
    return {
        **stats,
        "hit_ratio": None if ratio is None else round(ratio, 3),
        "ttl": stats["ttl"] if stats["ttl"] >= 0 else None,  # -2: not cached right now
    }


def celery_overview():
    return {"queues": celery_info.queue_lengths(), "workers": celery_info.workers()}


def _named(key, id_column, name_column, what, count=10):
    """The top `count` of a ranking, each with its name from the database."""
    ranked = rankings.top(key, count)
    ids = [i for i, _ in ranked]
    names = dict(db.session.execute(select(id_column, name_column).where(id_column.in_(ids))).all())
    return [{"id": i, "name": names.get(i, f"{what} {i} (deleted)"), "score": s} for i, s in ranked]


def banner_ranking():
    return _named(stats_keys.banner_clicks(), Banner.id, Banner.title, "banner")


def sale_ranking():
    return _named(stats_keys.sale_views(), FlashSale.id, FlashSale.product_name, "sale")


def snapshot():
    """Every live figure of the dashboard, JSON-ready (the page polls this)."""
    return {
        "redis": _section(redis_overview, REDIS_DOWN),
        "cache": _section(cache_overview, REDIS_DOWN),
        "celery": _section(celery_overview, BROKER_DOWN, (*RedisUnavailable, OperationalError)),
        "rankings": _section(lambda: {"banners": banner_ranking(), "sales": sale_ranking()}, REDIS_DOWN),
        "repairs": _section(stock.repair_counts, REDIS_DOWN),
        "schedule": celery_info.beat_schedule(task_log.last_runs()),
        "tasks": [run.to_dict() for run in task_log.recent(50)],
    }
