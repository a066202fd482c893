"""What /healthz reports: can we reach the database, Redis and the Celery broker?"""

import logging

from sqlalchemy import text

from webapp.extensions import celery, db, redis_client

log = logging.getLogger(__name__)


def _check(name, probe):
    try:
        probe()
    except Exception as error:  # any failure of a probe is "down", with its reason
        log.warning("health check: %s unreachable: %s", name, error)
        return {"status": "down", "error": f"{type(error).__name__}: {error}"[:200]}
    return {"status": "ok"}


def _database():
    db.session.execute(text("SELECT 1"))


def _broker():
    with celery.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, interval_start=0, timeout=1)


def health_report():
    checks = {
        "database": _check("database", _database),
        "redis": _check("redis", redis_client.ping),
        "broker": _check("broker", _broker),
    }
    healthy = all(check["status"] == "ok" for check in checks.values())
    return {"status": "ok" if healthy else "degraded", "checks": checks}, healthy
