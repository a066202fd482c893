"""What /healthz reports: can we reach the database, Redis and the Celery broker, and is any
worker alive to do what the web queues? Reasons stay in the log: the answer says only ok/down."""

import logging

from sqlalchemy import text

from webapp import jobs
from webapp.extensions import db, redis_client
from webapp.ops import workers

log = logging.getLogger(__name__)


def _check(name, probe):
    try:
        probe()
    except Exception as error:  # any failure of a probe is "down"; the reason goes to the log
        log.warning("health check: %s unreachable: %s: %s", name, type(error).__name__, error)
        return {"status": "down"}
    return {"status": "ok"}


def _database():
    db.session.execute(text("SELECT 1"))


def _workers():
    alive = workers.live_workers()
    return {"status": "ok", "count": len(alive)} if alive else {"status": "none", "count": 0}


def health_report():
    """(report, healthy). Every probe reuses a pooled connection: a health check every second
    from a load balancer opens nothing new."""
    checks = {
        "database": _check("database", _database),
        "redis": _check("redis", redis_client.ping),
        "broker": _check("broker", jobs.check_broker),
    }
    checks["workers"] = _workers() if checks["redis"]["status"] == "ok" else {"status": "unknown"}
    healthy = all(check["status"] == "ok" for check in checks.values())
    report = {"status": "ok" if healthy else "degraded", "checks": checks}
    report["workers"] = checks["workers"].get("count") or checks["workers"]["status"]
    return report, healthy
